"""First visit of the heavy pages after an import, with and without the warm-up.

Copies a loaded SQLite store (``--store``, with the data folder holding its ``secret.key``:
``--key``) into a temporary folder, then, each in a fresh process (nothing in memory):

1. cold: times the first and second GET of each heavy page (no warm-up ran);
2. runs the warm-up (``core.warmup``: the quick tasks an import runs, or all with ``--all``)
   and times it;
3. warm: a new process times the first GET of each page again.

Usage: .venv/bin/python benchmarks/first_visit.py --store STORE.db --key DATA/secret.key [--all]
[--workdir DIR] [--skip-cold]

``--workdir DIR`` keeps the copy and its data folder in DIR (made once) instead of a temporary
folder, so a later run reuses the saved ideal-point fit (kept per store URL and data) and
times what a fresh worker does after a warm-up, not the fit itself; ``--skip-cold`` leaves
out step 1. The machine may be shared with other work: compare the columns, not absolute
figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = ("/positions", "/blocs", "/votes/integrity", "/states/NOR/votes", "/treaties")
PASSWORD = "benchmark password"


def visit() -> None:
    """(in a child process) log in and time the first and second GET of each page."""
    from fastapi.testclient import TestClient

    from rightsdesk.core.config import load_settings
    from rightsdesk.web.app import create_app

    client = TestClient(create_app(load_settings()), raise_server_exceptions=False)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    data = {"csrf_token": token.group(1), "username": "bench", "password": PASSWORD, "next": "/"}
    client.post("/login", data=data, follow_redirects=False)
    client.get("/states")  # the process's own first-request costs, not a heavy page's
    out = {}
    for path in PAGES:
        times = []
        for _ in range(2):
            began = time.perf_counter()
            status = client.get(path).status_code
            times.append(round(time.perf_counter() - began, 3))
        out[path] = {"status": status, "first": times[0], "second": times[1]}
    print(json.dumps(out))


def warm(all_tasks: bool) -> None:
    """(in a child process) the warm-up an import runs (or every task)."""
    from rightsdesk.core import warmup
    from rightsdesk.core.config import load_settings
    from rightsdesk.forms import FORMS

    status = warmup.warm(load_settings(), warmup.declared_tasks(FORMS), quick_only=not all_tasks)
    print(json.dumps(status.seconds))


def child(env: dict[str, str], *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path)
    parser.add_argument("--key", type=Path)
    parser.add_argument("--all", action="store_true", help="run every warm-up task")
    parser.add_argument("--workdir", type=Path, help="keep the copy here (reused next time)")
    parser.add_argument("--skip-cold", action="store_true", help="no visit before the warm-up")
    parser.add_argument("--child", choices=("visit", "warm", "warm-all"))
    args = parser.parse_args()
    if args.child == "visit":
        return visit()
    if args.child in ("warm", "warm-all"):
        return warm(args.child == "warm-all")
    with tempfile.TemporaryDirectory() as tmp:
        run(args, args.workdir or Path(tmp))


def run(args: argparse.Namespace, folder: Path) -> None:
    """Copy the store into ``folder`` (once), then time the visits and the warm-up."""
    store, data = folder / "store.db", folder / "data"
    env = {
        **os.environ,
        "RIGHTSDESK_DATABASE_URL": f"sqlite:///{store}",
        "RIGHTSDESK_DATA_DIR": str(data),
    }
    if not store.exists():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(args.store, store)
        data.mkdir()
        shutil.copy(args.key, data / "secret.key")
        for command in (["init"], ["users", "add", "bench", "--role", "admin"]):
            subprocess.run(
                [sys.executable, "-m", "rightsdesk", *command],
                env=env,
                input=PASSWORD + "\n",
                capture_output=True,
                text=True,
                check=True,
            )
    # the results a previous run kept (``core.cache``): every run starts without them
    shutil.rmtree(data / "results", ignore_errors=True)
    (data / "warmup.json").unlink(missing_ok=True)
    cold = {} if args.skip_cold else child(env, "--child", "visit")
    began = time.perf_counter()
    tasks = child(env, "--child", "warm-all" if args.all else "warm")
    warm_seconds = time.perf_counter() - began
    warmed = child(env, "--child", "visit")
    print(f"warm-up ({'all' if args.all else 'quick'} tasks): {warm_seconds:.1f} s {tasks}")
    print(f"{'page':22} {'cold 1st':>9} {'cold 2nd':>9} {'warm 1st':>9}")
    for path in PAGES:
        c, w = cold.get(path, {}), warmed[path]
        assert isinstance(c, dict) and isinstance(w, dict)
        first, second = c.get("first", float("nan")), c.get("second", float("nan"))
        print(
            f"{path:22} {first:8.2f}s {second:8.2f}s {w['first']:8.2f}s"
            f"  (status {c.get('status', '-')}/{w['status']})"
        )


if __name__ == "__main__":
    main()
