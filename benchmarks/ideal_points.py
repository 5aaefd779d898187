"""Benchmark: ideal points on all General Assembly votes (fit time, held-out prediction).

Reads the raw unvotes files (no store needed) and prints a small table:
variant, votes, state-sessions, iterations, fit seconds, held-out accuracy vs "always yes".

    .venv/bin/python benchmarks/ideal_points.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pandas as pd

from rightsdesk.core.states import lookup_state
from rightsdesk.negotiation.positions.ideal_points import (
    fit_ideal_points,
    holdout_accuracy,
    holdout_split,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(os.environ.get("RIGHTSDESK_SHARED_DATA", ROOT.parent / "shared" / "data"))


def load_unga(data: Path = DEFAULT_DATA) -> pd.DataFrame:
    """The vote frame of ``votes_data.vote_frame`` built straight from the unvotes .rda files."""
    import pyreadr

    folder = data / "negotiation" / "unvotes"
    votes = pyreadr.read_r(folder / "un_votes.rda")["un_votes"]
    calls = pyreadr.read_r(folder / "un_roll_calls.rda")["un_roll_calls"]
    issues = pyreadr.read_r(folder / "un_roll_call_issues.rda")["un_roll_call_issues"]
    codes = {c: lookup_state(c) for c in votes["country_code"].dropna().unique()}
    names = {c: lookup_state(c) for c in votes["country"].dropna().unique()}
    iso3 = votes["country_code"].map(codes).fillna(votes["country"].map(names))
    frame = pd.DataFrame(
        {
            "roll_call_id": votes["rcid"].astype(int),
            "iso3": iso3,
            "vote": votes["vote"].astype(str),
        }
    ).dropna(subset=["iso3"])
    issue_codes = issues.groupby("rcid")["short_name"].agg(lambda s: ",".join(sorted(set(s))))
    calls = calls.assign(
        roll_call_id=calls["rcid"].astype(int),
        session=calls["session"].astype(int),
        date=pd.to_datetime(calls["date"]),
        symbol=calls["unres"],
        title=calls["short"].fillna("").str.strip(),
        descr=calls["descr"].fillna(""),
        body="unga",
        is_amendment=calls["amend"].astype(str) == "1",
        is_paragraph=calls["para"].astype(str) == "1",
        issues=calls["rcid"].map(issue_codes).fillna(""),
    )
    calls["year"] = calls["date"].dt.year
    cols = ["roll_call_id", "session", "year", "date", "symbol", "title", "descr", "body"]
    cols += ["is_amendment", "is_paragraph", "issues"]
    out = frame.merge(calls[cols], on="roll_call_id", how="inner")
    return out.drop_duplicates(["roll_call_id", "iso3"]).reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    t0 = time.perf_counter()
    frame = load_unga(args.data)
    print(f"loaded {len(frame):,} votes in {time.perf_counter() - t0:.1f} s")
    variants = {"all": frame, "hr": frame[frame["issues"].str.contains("hr")]}
    print(
        f"{'variant':8} {'votes':>9} {'units':>6} {'iter':>5} {'fit s':>6} "
        f"{'heldout':>8} {'yes':>6} {'n test':>7}"
    )
    for name, sub in variants.items():
        t0 = time.perf_counter()
        fit = fit_ideal_points(sub)
        seconds = time.perf_counter() - t0
        train, test = holdout_split(sub, 0.1, seed=1)
        score = holdout_accuracy(fit_ideal_points(train), test)
        print(
            f"{name:8} {len(sub):>9,} {len(fit.positions):>6} {fit.iterations:>5} "
            f"{seconds:>6.1f} {score['accuracy']:>8.3f} {score['always_yes']:>6.3f} "
            f"{int(score['n']):>7,}"
        )


if __name__ == "__main__":
    main()
