"""Benchmark: the heavy paths of positions and forecasts, from a store, beside the figures
measured before the columnar read and the saved forecaster.

Needs a store holding all General Assembly votes (``rightsdesk import unvotes
../shared/data/negotiation/unvotes/un_votes.rda``). Each figure is a first call: an empty
data folder, nothing cached in memory.

    .venv/bin/python benchmarks/positions.py --database sqlite:///ga.db [--skip-forecast]

Rows: what, seconds before, seconds now (wall clock), CPU seconds now (``time.process_time``,
which the other jobs on a shared machine disturb less). "Before" was measured on the same
shared two-core machine (load about 6) on 2026-12-02 with the code of commit cd0e5e3: the
vote frame through ``votes.frames.vote_frame`` (15.0 s), ideal points on a first call
(112.2 s, of which the fit about 95 s), and the forecaster, trained in every CLI call
(minutes). Timings on that machine vary by a factor of two or more with the other jobs
running on it; compare the rows of one run, not runs of different days.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rightsdesk.core.config import load_settings
from rightsdesk.core.db import session_scope

#: Seconds measured before this change (see the module docstring); the second set on
#: 2026-12-02 before the fused Newton passes (load about 3): columnar read 18.4 s (4.8 s from
#: the cached frame), the fit itself about 95 s (38 s CPU), first forecast 8.8 s.
BEFORE = {
    "read all GA votes": 15.0,
    "ideal points, first call": 112.2,
    "ideal-point fit alone": 95.0,
    "first forecast after training (new process)": 8.8,
}


class Clock:
    """Wall and CPU seconds of a block."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True, help="store URL with the GA votes")
    parser.add_argument("--skip-forecast", action="store_true", help="positions only")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="rd-bench-"))
    settings = load_settings(database_url=args.database, data_dir=data)
    rows: list[tuple[str, float | None, Clock]] = []

    from rightsdesk.negotiation.positions import model_store, service
    from rightsdesk.negotiation.positions.forecast import forecast_draft
    from rightsdesk.negotiation.positions.ideal_points import fit_ideal_points
    from rightsdesk.negotiation.positions.vote_matrix import read_position_votes, read_votes

    with session_scope(settings.database_url) as session:
        with Clock() as c:
            read_votes(session, "unga")
        rows.append(("read all GA votes (every column)", BEFORE["read all GA votes"], c))
        with Clock() as c:
            narrow = read_position_votes(session, "unga")
        rows.append(("read all GA votes (the five a fit needs)", None, c))
        with Clock() as c:
            fit = fit_ideal_points(narrow)
        rows.append(("ideal-point fit alone", BEFORE["ideal-point fit alone"], c))
        print(f"{len(narrow):,} votes; {fit.iterations} passes; log-posterior {fit.loglik:.1f}")
        with Clock() as c:
            frame = service.positions(session, settings, "unga")
        rows.append(("ideal points, first call", BEFORE["ideal points, first call"], c))
        service._POSITIONS.clear()
        with Clock() as c:
            service.positions(session, settings, "unga")
        rows.append(("ideal points, later process (saved fit)", None, c))
        print(f"{len(frame):,} state-sessions fitted")
        if not args.skip_forecast:
            with Clock() as c:
                model = model_store.forecaster_for(session, settings, "unga")
            rows.append(("train the GA forecaster (once per import)", None, c))
            model_store.forget()
            symbol = str(model.hist.calls["symbol"].dropna().iloc[-1])
            with Clock() as c:
                model = model_store.forecaster_for(session, settings, "unga")
                forecast_draft(model, like=symbol)
            what = "first forecast after training (new process)"
            rows.append((what, BEFORE[what], c))
    print(f"{'what':55} {'before s':>9} {'now s':>7} {'now CPU s':>9}")
    for what, before, clock in rows:
        shown = f"{before:9.1f}" if before is not None else f"{'-':>9}"
        print(f"{what:55} {shown} {clock.wall:7.1f} {clock.cpu:9.1f}")


if __name__ == "__main__":
    main()
