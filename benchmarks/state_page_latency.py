"""State page latency on loopback: p50/p95 over 200 requests to a real `rightsdesk serve`.

Builds a fresh SQLite store with the treaty data (plus votes and recommendations with
--full), starts the server in a subprocess, logs in through the form and times GET
/states/{ISO3} cycling over UN members. Usage: .venv/bin/python benchmarks/state_page_latency.py
[--full] [--requests N]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("RIGHTSDESK_SHARED_DATA", ROOT.parent / "shared" / "data"))
PASSWORD = "benchmark password"


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rightsdesk", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="load every dataset, not only treaties")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "RIGHTSDESK_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "RIGHTSDESK_DATA_DIR": f"{tmp}/data",
        }
        cli(env, "init")
        if args.full:
            cli(env, "load", str(DATA))
        else:
            t = DATA / "negotiation" / "treaties"
            files = [
                t / "un_hr_ratifications.csv",
                *sorted((t / "untreaties/treaties").glob("4-*.csv")),
            ]
            cli(env, "import", "auto", *map(str, files))
        cli(env, "users", "add", "bench", "--role", "viewer", stdin=PASSWORD + "\n")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "rightsdesk", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(100):
                    try:
                        page = client.get("/login")
                        break
                    except httpx.HTTPError:
                        time.sleep(0.2)
                token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
                client.post(
                    "/login", data={"csrf_token": token, "username": "bench", "password": PASSWORD}
                )
                states = [
                    r.split(",")[0]
                    for r in subprocess.run(
                        [sys.executable, "-m", "rightsdesk", "states", "--format", "csv"],
                        env=env,
                        capture_output=True,
                        text=True,
                    ).stdout.splitlines()[1:]
                    if ",member," in r
                ]
                for iso3 in states[:5]:  # warm up
                    client.get(f"/states/{iso3}")
                timings = []
                for i in range(args.requests):
                    iso3 = states[i % len(states)]
                    start = time.perf_counter()
                    resp = client.get(f"/states/{iso3}")
                    timings.append((time.perf_counter() - start) * 1000)
                    assert resp.status_code == 200, (iso3, resp.status_code)
        finally:
            server.terminate()
            server.wait()
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"state page latency over {len(timings)} requests on loopback "
        f"({'all datasets' if args.full else 'treaty data'}):"
    )
    print(f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'mean ms':>8}")
    print(
        f"{statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f} "
        f"{statistics.fmean(timings):8.1f}"
    )


if __name__ == "__main__":
    main()
