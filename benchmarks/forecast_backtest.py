"""Benchmark: out-of-time vote forecasts beside the two baselines.

For each session s from ``--from-session``: train on sessions up to s, predict s + 1. Prints
accuracy, macro-F1 and recall of "no" and "abstain" for "always yes", "repeat the state's last
vote on the same title, else yes" and the model, on all votes and on human-rights votes.
Reads the raw files (no store needed). For the Council, the calendar year stands in for the
session (it has three sessions a year; most texts return once a year).

    .venv/bin/python benchmarks/forecast_backtest.py --body unga --from-session 60
    .venv/bin/python benchmarks/forecast_backtest.py --body hrc --from-session 2012
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from importlib import resources
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ideal_points import DEFAULT_DATA, load_unga

from rightsdesk.negotiation.positions.backtest import backtest
from rightsdesk.negotiation.positions.features import ForecastOptions

UN_GROUPS = ("UN-AFRICA", "UN-APG", "UN-EEG", "UN-GRULAC", "UN-WEOG")


def regional_groups() -> dict[str, str]:
    """UN regional groups from the package's reference table (no store needed)."""
    text = resources.files("rightsdesk.core").joinpath("data", "groupings.csv").read_text()
    out: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        if row["grouping"] in UN_GROUPS and not row["end_year"]:
            out.setdefault(row["iso3"], row["grouping"])
    return out


def load_hrc(data: Path = DEFAULT_DATA) -> pd.DataFrame:
    """Human Rights Council roll calls as a vote frame (session = year)."""
    folder = data / "negotiation" / "hrc"
    votes = pd.read_csv(folder / "votes_long.csv", dtype=str, keep_default_na=False)
    votes = votes[(votes["body"] == "HRC") & votes["vote"].isin(["Y", "N", "A"])]
    res = pd.read_csv(folder / "resolutions.csv", dtype=str)
    titles = res.set_index("record_id")["title"].str.replace(r"\s*:\s*resolution\s*/?\s*$", "",
                                                              regex=True)  # fmt: skip
    year = votes["date"].str[:4].astype(int)
    return pd.DataFrame(
        {
            "roll_call_id": votes["record_id"].astype(int),
            "iso3": votes["iso3"],
            "vote": votes["vote"].map({"Y": "yes", "N": "no", "A": "abstain"}),
            "session": year,
            "year": year,
            "date": pd.to_datetime(votes["date"]),
            "symbol": votes["symbol"],
            "title": votes["record_id"].map(titles).fillna(votes["symbol"]),
            "body": "hrc",
            "issues": "hr",
            "is_amendment": False,
            "is_paragraph": False,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--body", choices=["unga", "hrc"], default="unga")
    parser.add_argument("--from-session", type=int, default=None)
    parser.add_argument("--to-session", type=int, default=None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    frame = load_unga(args.data) if args.body == "unga" else load_hrc(args.data)
    first = args.from_session or (60 if args.body == "unga" else 2012)
    t0 = time.perf_counter()
    result = backtest(
        frame,
        first,
        args.to_session,
        groups=regional_groups(),
        options=ForecastOptions(),
        progress=lambda i, n: print(
            f"  step {i}/{n} {time.perf_counter() - t0:.0f} s", file=sys.stderr
        ),  # fmt: skip
    )
    lo, hi = result.sessions
    print(f"{args.body}: trained up to s, predicted s+1, s = {lo}..{hi - 1}; "
          f"{time.perf_counter() - t0:.0f} s")  # fmt: skip
    print(f"{'subset':6} {'method':18} {'accuracy':>8} {'macroF1':>8} {'rec no':>7} "
          f"{'rec abs':>7} {'n':>8}")  # fmt: skip
    for s in result.scores:
        print(f"{s.subset:6} {s.method:18} {s.accuracy:8.3f} {s.macro_f1:8.3f} "
              f"{s.recall_no:7.3f} {s.recall_abstain:7.3f} {s.n:8,}")  # fmt: skip


if __name__ == "__main__":
    main()
