"""Agreement of all pairs of states over all UN General Assembly sessions, and the State
Department 2019 reproduction figures.

    .venv/bin/python benchmarks/agreement.py [--data ../shared/data] [--repeat 5]

Reads the unvotes R data files directly (``read_unvotes``), resolves states as the importer
does, then times:
- building the one-hot vote matrices (states x roll calls),
- all pairs, all sessions, with each measure (matrix products),
- all pairs per year (one matrix per year, 1946-2019),
- a naive reference: one pandas merge per pair, timed on 50 pairs and extrapolated to all.
Then the 2019 agreement with the United States against the published table: mean absolute
difference, correlation and the states that differ most.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from rightsdesk.negotiation.votes import agreement as ag
from rightsdesk.negotiation.votes.frames import read_unvotes
from rightsdesk.negotiation.votes.sources.unvotes import resolve_countries

ROOT = Path(__file__).resolve().parents[1]


def load(folder: Path) -> pd.DataFrame:
    votes, calls, _ = read_unvotes(folder)
    dates = votes["rcid"].map(dict(zip(calls["rcid"], calls["date"], strict=True)))
    years = dates.dt.year
    return pd.DataFrame(
        {
            "roll_call_id": votes["rcid"].astype("int64"),
            "iso3": resolve_countries(votes, dates, folder / "un_votes.rda"),
            "vote": votes["vote"],
            "year": years.astype("int64"),
        }
    )


def timed(func, repeat: int) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def naive_pair(frame: pd.DataFrame, a: str, b: str) -> float:
    left = frame[frame["iso3"] == a][["roll_call_id", "vote"]]
    right = frame[frame["iso3"] == b][["roll_call_id", "vote"]]
    both = left.merge(right, on="roll_call_id")
    yn = both[both["vote_x"].isin(["yes", "no"]) & both["vote_y"].isin(["yes", "no"])]
    return float((yn["vote_x"] == yn["vote_y"]).mean()) if len(yn) else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = args.data / "negotiation" / "unvotes"
    start = time.perf_counter()
    frame = load(folder)
    load_s = time.perf_counter() - start
    states = frame["iso3"].nunique()
    pairs = states * (states - 1) // 2
    print(f"{len(frame)} votes, {frame['roll_call_id'].nunique()} roll calls, {states} states, "
          f"{pairs} pairs (read + resolve {load_s:.2f} s)\n")  # fmt: skip
    rows = [
        ("vote matrices (one-hot)", timed(lambda: ag.vote_matrix(frame), args.repeat)),
        (
            "all pairs, coincidence",
            timed(lambda: ag.agreement_matrix(frame, "coincidence"), args.repeat),
        ),
        ("all pairs, voeten", timed(lambda: ag.agreement_matrix(frame, "voeten"), args.repeat)),
        (
            "all pairs per year (74 years)",
            timed(
                lambda: [ag.agreement_matrix(g, "voeten") for _, g in frame.groupby("year")],
                max(1, args.repeat // 2),
            ),
        ),
    ]
    iso = sorted(frame["iso3"].unique())
    sample = [(iso[i], iso[(i * 7 + 3) % len(iso)]) for i in range(50)]
    naive = timed(lambda: [naive_pair(frame, a, b) for a, b in sample], 1) / len(sample)
    rows.append(("naive pandas merge per pair (extrapolated)", naive * pairs))
    print(f"{'computation':<44} {'seconds':>9}")
    for name, secs in rows:
        print(f"{name:<44} {secs:>9.3f}")
    matrix, _ = ag.agreement_matrix(frame, "coincidence")
    check = [abs(matrix.loc[a, b] - naive_pair(frame, a, b)) for a, b in sample]
    print(f"max |matrix - naive| on the 50 sample pairs: {np.nanmax(check):.2e}\n")

    published = pd.read_csv(
        args.data / "negotiation" / "statedept" / "us-voting-coincidence-2019.csv",
        keep_default_na=False,
    )
    y2019 = frame[frame["year"] == 2019]
    ratio = published["SAME"] / (published["SAME"] + published["OPPOSITE"])
    print(f"State Department 2019 ({y2019['roll_call_id'].nunique()} roll calls in unvotes, "
          f"{int((published[['SAME', 'OPPOSITE', 'PARTIAL', 'ABSENT']].sum(axis=1)).median())} "
          "in the report)")  # fmt: skip
    print(f"{'ours':<12} {'published':<36} {'states':>6} {'MAD':>7} {'corr':>7}")
    worst = None
    for measure, target, label in (
        ("voeten", published["COINCIDENCE"], "COINCIDENCE column"),
        ("coincidence", ratio, "SAME / (SAME + OPPOSITE)"),
        ("coincidence", published["COINCIDENCE"], "COINCIDENCE column"),
    ):
        ours = ag.agreement_with(y2019, "USA", measure=measure)  # type: ignore[arg-type]
        both = published.assign(target=target).merge(ours, left_on="ISO", right_on="partner")
        diff = both["agreement"] - both["target"]
        corr = np.corrcoef(both["agreement"], both["target"])[0, 1]
        print(f"{measure:<12} {label:<36} {len(both):>6} {diff.abs().mean():>7.4f} {corr:>7.4f}")
        if worst is None:
            worst = both.assign(diff=diff).sort_values("diff", key=abs, ascending=False)
    assert worst is not None
    print("\nlargest differences (voeten vs COINCIDENCE):")
    cols = ["ISO", "SAME", "OPPOSITE", "PARTIAL", "ABSENT", "COINCIDENCE", "same", "opposite",
            "partial", "agreement", "diff"]  # fmt: skip
    print(worst[cols].head(8).to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
