"""A real workbench server on loopback with the treaty data, and headless Debian Chromium."""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ADMIN_PASSWORD = "browser test password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    cmd = [sys.executable, "-m", "rightsdesk", *args]
    done = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[str]:
    """`rightsdesk serve` on a fresh SQLite store holding the treaty data."""
    root = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "RIGHTSDESK_DATABASE_URL": f"sqlite:///{root / 'e2e.db'}",
        "RIGHTSDESK_DATA_DIR": str(root / "data"),
        "RIGHTSDESK_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    treaties = shared_data / "negotiation" / "treaties"
    _cli(env, "init")
    _cli(env, "import", "auto", str(treaties / "un_hr_ratifications.csv"))
    _cli(env, "users", "add", "admin", "--role", "admin", stdin=ADMIN_PASSWORD + "\n")
    with _serve(env) as url:
        yield url


@contextmanager
def _serve(env: dict[str, str], *options: str) -> Iterator[str]:
    """`rightsdesk serve OPTIONS` on a free loopback port, stopped on exit."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rightsdesk", "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # up to ~2 min on a loaded machine
            try:
                httpx.get(url + "/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# The walk (test_walk.py): a little of each kind of real data, so that every page has something
# to show, and one account per role, named after it. Whole files where they are small; where a
# file takes long to import, a cut written to the test's folder: every 6th UPR recommendation,
# the Council's and the Assembly's votes of a few years.
WALK_ROLES = ("viewer", "collector", "analyst", "editor", "admin")
WALK_PASSWORD = "walk test password"
WALK_FILES = (
    "negotiation/treaties/un_hr_ratifications.csv",
    "negotiation/treaties/untc-status-html/iccpr.html",
    "negotiation/treaties/untc-status-html/cat.html",
    "monitoring/ohchr-thematic-lists/UPR20_Slovenia_ThematicListRecommendations_E.docx",
)
WALK_HRC_YEARS = ("2005", "2006", "2022", "2023")  # the Commission's last years, the Council's
WALK_UN_YEARS = ("2019", "2020", "2021")  # General Assembly sessions 74-76, Security Council

# One Python process for every set-up command: each `rightsdesk` start costs seconds.
_SETUP = """
import sys
from typer.testing import CliRunner
from rightsdesk.cli import app

password, roles, files = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
steps = [(["init"], None), (["import", "auto", *files], None)]
steps += [(["users", "add", role, "--role", role], password + "\\n") for role in roles]
for args, stdin in steps:
    done = CliRunner().invoke(app, args, input=stdin)
    if done.exit_code != 0:
        sys.exit(f"rightsdesk {' '.join(args)} failed: {done.output} {done.exception!r}")
"""


def _write_csv(path: Path, fields: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(fields)
        writer.writerows(rows)
    return path


def _hrc_cut(source: Path, folder: Path) -> list[Path]:
    """The Council's and the Commission's resolutions and votes of ``WALK_HRC_YEARS``."""
    out: list[Path] = []
    keep: set[str] = set()
    for name in ("resolutions.csv", "votes_long.csv"):
        with (source / name).open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            fields = next(reader)
            date, record = fields.index("date"), fields.index("record_id")
            rows = [r for r in reader if r[date][:4] in WALK_HRC_YEARS]
        if not keep:
            keep = {r[record] for r in rows}
        out.append(_write_csv(folder / name, fields, [r for r in rows if r[record] in keep]))
    return out


def _undata_cut(source: Path, target: Path) -> Path:
    """The UN_DATA rows (General Assembly and Security Council) of ``WALK_UN_YEARS``."""
    with zipfile.ZipFile(source) as z, z.open(z.namelist()[0]) as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        fields = next(reader)
        rows = [r for r in reader if r[1][:4] in WALK_UN_YEARS]
    return _write_csv(target, fields, rows)


def _upr_cut(source: Path, target: Path, step: int = 6) -> Path:
    """The header and every ``step``-th record of a bare-CR UPR Info export, bytes unchanged:
    every session and most states of the file, in a sixth of the import time."""
    lines = source.read_bytes().split(b"\r")
    target.write_bytes(b"\r".join(lines[:1] + [x for x in lines[1::step] if x]) + b"\r")
    return target


def walk_files(shared_data: Path, folder: Path) -> list[Path]:
    """The files the walk's store imports (cuts written under ``folder``)."""
    folder.mkdir(parents=True, exist_ok=True)
    negotiation = shared_data / "negotiation"
    files = [shared_data / name for name in WALK_FILES]
    files += _hrc_cut(negotiation / "hrc", folder / "hrc")
    files.append(_undata_cut(negotiation / "undata" / "UN_DATA.csv.zip", folder / "UN_DATA.csv"))
    upr = shared_data / "monitoring" / "upr-info" / "sessions-1-5.csv"
    files.append(_upr_cut(upr, folder / "sessions-1-5.csv"))
    return files


@pytest.fixture(scope="session")
def walk_server(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[str]:
    """`rightsdesk serve` on a fresh SQLite store holding treaties, UN votes (General Assembly,
    Security Council, Human Rights Council, Commission) and UPR recommendations, with the
    accounts ``viewer``, ``analyst``, ``editor`` and ``admin`` (password ``WALK_PASSWORD``).

    ``RIGHTSDESK_WALK_URL`` walks a running workbench instead (a full store, say), whose
    accounts are named and protected the same way.
    """
    running = os.environ.get("RIGHTSDESK_WALK_URL")
    if running:
        yield running.rstrip("/")
        return
    root = tmp_path_factory.mktemp("walk")
    env = {
        **os.environ,
        "RIGHTSDESK_DATABASE_URL": f"sqlite:///{root / 'walk.db'}",
        "RIGHTSDESK_DATA_DIR": str(root / "data"),
    }
    files = [str(p) for p in walk_files(shared_data, root / "files")]
    cmd = [sys.executable, "-c", _SETUP, WALK_PASSWORD, ",".join(WALK_ROLES), *files]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    # One worker: the walk asks one page at a time. No background warm-up: computing every
    # state's figures and the forecast model takes a minute of CPU the walk does not need;
    # the pages it opens compute theirs on the visit, as they do with --no-warm.
    with _serve(env, "--workers", "1", "--no-warm") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests skipped: install Debian's chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()
