"""What a newcomer's first ``bash scripts/start.sh`` costs after the install: ``rightsdesk
setup`` on a fresh SQLite store (init, import of every dataset found, the quick warm-up, the
admin account), then the same command again (files already imported are skipped).

Usage: .venv/bin/python benchmarks/first_run.py [--data DIR]
Prints the wall time of each phase and the machine's load average before and after: the
machine may be shared with other work, which can make the figures several times slower.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("RIGHTSDESK_SHARED_DATA", ROOT.parent / "shared" / "data"))


def timed(env: dict[str, str], *args: str) -> float:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "rightsdesk", *args], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "RIGHTSDESK_DATABASE_URL": f"sqlite:///{tmp}/rightsdesk.db",
            "RIGHTSDESK_DATA_DIR": f"{tmp}/data",
            "RIGHTSDESK_ADMIN_PASSWORD": "first run benchmark",
        }
        first = timed(env, "setup", "--data", str(args.data))
        again = timed(env, "setup", "--data", str(args.data))
    print(f"first run (setup: init, load every dataset, quick warm-up, admin): {first:.1f} s")
    print(f"re-run (files already imported are skipped): {again:.1f} s")
    print(f"load average (1 min) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
