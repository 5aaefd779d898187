"""Benchmark: the heavy paths of positions and forecasts, from a store, beside the figures
measured before the columnar read and the saved forecaster.

Needs a store holding all General Assembly votes (``rightsdesk import unvotes
../shared/data/negotiation/unvotes/un_votes.rda``). Each figure is a first call: an empty
data folder, nothing cached in memory.

    .venv/bin/python benchmarks/positions.py --database sqlite:///ga.db [--skip-forecast]

Rows: what, seconds before, seconds now. "Before" was measured on the same shared two-core
machine (load about 6) on 2026-12-02 with the code of commit cd0e5e3: the vote frame through
``votes.frames.vote_frame`` (15.0 s), ideal points on a first call (112.2 s, of which the fit
about 95 s), and the forecaster, trained in every CLI call (minutes; "forecast of a draft"
therefore equals the training time). Timings on that machine vary by a factor of two with
the other jobs running on it; compare the rows of one run, not runs of different days.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rightsdesk.core.config import load_settings
from rightsdesk.core.db import session_scope

#: Seconds measured before this change (see the module docstring).
BEFORE = {
    "read all GA votes": 15.0,
    "ideal points, first call": 112.2,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True, help="store URL with the GA votes")
    parser.add_argument("--skip-forecast", action="store_true", help="positions only")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="rd-bench-"))
    settings = load_settings(database_url=args.database, data_dir=data)
    rows: list[tuple[str, float | None, float]] = []

    from rightsdesk.negotiation.positions import model_store, service
    from rightsdesk.negotiation.positions.forecast import forecast_draft
    from rightsdesk.negotiation.positions.vote_matrix import read_votes, vote_data
    from rightsdesk.negotiation.votes.frames import vote_frame

    with session_scope(settings.database_url) as session:
        t = time.perf_counter()
        old = vote_frame(session, "unga")
        rows.append(
            ("read all GA votes (votes.frames, general path)", None, time.perf_counter() - t)
        )
        t = time.perf_counter()
        new = read_votes(session, "unga")
        rows.append(("read all GA votes", BEFORE["read all GA votes"], time.perf_counter() - t))
        assert len(new) == len(old), (len(new), len(old))
        t = time.perf_counter()
        frame = service.positions(session, settings, "unga")
        rows.append(
            (
                "ideal points, first call",
                BEFORE["ideal points, first call"],
                time.perf_counter() - t,
            )
        )
        service._POSITIONS.clear()
        t = time.perf_counter()
        vote_data(session, settings, "unga")
        rows.append(
            ("read all GA votes, cached frame (later processes)", None, time.perf_counter() - t)
        )
        print(f"{len(frame):,} state-sessions fitted")
        if not args.skip_forecast:
            t = time.perf_counter()
            model = model_store.forecaster_for(session, settings, "unga")
            train = time.perf_counter() - t
            rows.append(("train the GA forecaster (once per import)", None, train))
            model_store.forget()
            symbol = str(model.hist.calls["symbol"].dropna().iloc[-1])
            t = time.perf_counter()
            model = model_store.forecaster_for(session, settings, "unga")
            forecast_draft(model, like=symbol)
            rows.append(
                ("first forecast after training (new process)", train, time.perf_counter() - t)
            )
    print(f"{'what':55} {'before s':>9} {'now s':>7}")
    for what, before, now in rows:
        shown = f"{before:9.1f}" if before is not None else f"{'-':>9}"
        print(f"{what:55} {shown} {now:7.1f}")


if __name__ == "__main__":
    main()
