"""Warm-up tasks of the risk room (``core.warmup``): the backtest (a model fitted per year,
about half a minute) and the latest ranking, computed after an import so that the ranking,
the evaluation page and every state page answer at once. A store without the EWP data skips
them quickly (nothing to compute)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.warmup import WarmTask


def _latest(session: Session, settings: Settings) -> None:
    """The latest ranking (``/interventions/risk``, state pages, the register's view)."""
    from rightsdesk.interventions.risk.public import forecast_for

    try:
        forecast_for(session)
    except NotFoundError:
        return


def _backtest(session: Session, settings: Settings) -> None:
    """The backtest beside EWP's forecasts, with the forecast history behind the trends."""
    from rightsdesk.interventions.risk.public import backtest_result

    try:
        backtest_result(session)
    except NotFoundError:
        return


TASKS: list[WarmTask] = [
    WarmTask("risk-forecast", "atrocity risk ranking (latest year)", _latest),
    WarmTask("risk-backtest", "atrocity risk model backtest beside EWP", _backtest, quick=False),
]
