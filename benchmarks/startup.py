"""CLI start-up times: ``rightsdesk --help`` (goal ≤ 0.5 s) and a simple lookup
(``rightsdesk states resolve France``, goal ≤ 1 s), median of 5 runs each: wall-clock, CPU
time of the process (user + system: what the program costs, whatever else the machine runs)
and Python's own import time (``-X importtime``, the sum of the top-level imports).

Run: ``.venv/bin/python benchmarks/startup.py``. The machine may be shared: the figures are
medians, and the CPU and import times show what the program itself costs.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

RUNS = 5
COMMANDS = {
    "rightsdesk --help": ["--help"],
    "rightsdesk states resolve France": ["states", "resolve", "France"],
}
GOALS = {"rightsdesk --help": 0.5, "rightsdesk states resolve France": 1.0}


def wall(args: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rightsdesk", *args], capture_output=True, check=True)
    took = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def import_seconds(args: list[str]) -> float:
    """Seconds spent importing modules (top-level entries of ``-X importtime``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rightsdesk", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    total = 0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cumulative, name = line.removeprefix("import time:").split("|")
        if cumulative.strip().isdigit() and not name.startswith("  "):
            total += int(cumulative)
    return total / 1e6


def main() -> None:
    print(f"{'command':36} {'wall (median)':>14} {'cpu':>6} {'imports':>9} {'goal':>6}")
    for label, args in COMMANDS.items():
        runs = [wall(args) for _ in range(RUNS)]
        imports = statistics.median(import_seconds(args) for _ in range(RUNS))
        median = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        verdict = "ok" if median <= GOALS[label] else "over"
        print(
            f"{label:36} {median:13.2f}s {cpu:5.2f}s {imports:8.2f}s {GOALS[label]:5.1f}s {verdict}"
        )


if __name__ == "__main__":
    main()
