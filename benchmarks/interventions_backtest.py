"""The atrocity risk model's out-of-time backtest beside the Early Warning Project's own
out-of-sample forecasts, with year-block bootstrap intervals and the time taken.

    .venv/bin/python benchmarks/interventions_backtest.py [--data ../shared/data]
        [--reps 1000] [--tune] [--extras]

Reads the files straight from the shared data folder (``risk.panel.panel_from_files``, the
importers' parser), runs ``evaluation.run_backtest`` with the chosen model
(``tuning.CHOSEN``) and prints the table ``rightsdesk interventions backtest`` prints.
``--tune`` first reruns the choice on the inner period (1975-1993, before any test year) and
prints every candidate's inner scores; ``--extras`` also scores the chosen model with the
PTS, CIRIGHTS and UCDP columns added (an ablation on the test years, for the notes: never
used to choose).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.table import Table

from rightsdesk.interventions.risk.cli import backtest_table
from rightsdesk.interventions.risk.evaluation import run_backtest
from rightsdesk.interventions.risk.panel import panel_from_files
from rightsdesk.interventions.risk.tuning import CHOSEN, INNER_YEARS, tune

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--extras", action="store_true")
    args = parser.parse_args()
    console = Console(width=100)

    started = time.perf_counter()
    panel, ewp = panel_from_files(args.data)
    console.print(f"read the files: {time.perf_counter() - started:.1f} s")

    if args.tune:
        started = time.perf_counter()
        table = Table(title=f"Inner period {INNER_YEARS[0]}-{INNER_YEARS[1]} (choice by AUC)")
        for name in ("candidate", "AUC", "AP", "top-30 recall"):
            table.add_column(name)
        results = tune(panel)
        for r in results:
            table.add_row(
                str(r["name"]),
                f"{r['auc']:.3f}",
                f"{r['average_precision']:.3f}",
                f"{r['top30_recall']:.3f}",
            )
        console.print(table)
        best = results[0]["spec"]
        agree = "agrees with" if best == CHOSEN else "DIFFERS from"
        console.print(f"tuning: {time.perf_counter() - started:.1f} s; {agree} tuning.CHOSEN")

    started, cpu = time.perf_counter(), time.process_time()
    run = run_backtest(panel, ewp, CHOSEN, reps=args.reps)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    console.print(backtest_table(run.report))
    console.print(f"model: {CHOSEN.name}")
    console.print(
        f"backtest with {args.reps} bootstrap resamples: {seconds:.1f} s wall, {cpu:.1f} s CPU "
        f"(one fit per data year, {run.report['rows']} rows scored)"
    )

    if args.extras:
        started = time.perf_counter()
        more = run_backtest(panel, ewp, replace(CHOSEN, extras=True), reps=args.reps)
        console.print(backtest_table(more.report))
        seconds = time.perf_counter() - started
        console.print(f"ablation, with PTS, CIRIGHTS and UCDP (not chosen): {seconds:.1f} s")


if __name__ == "__main__":
    main()
