"""Positions and forecasts for a store: loading votes, caching fitted models, what the pages
and the API ask.

Why a cache: fitting positions on every General Assembly vote takes seconds and training the
forecaster about a minute, far too slow for a page view. Positions are kept per (store, body,
issue) in memory and, with the whole fit, as a file in the data folder beside the trained
forecaster (``model_store``), both under a key made of the vote count, newest roll call and
dataset: importing new votes changes the key, so a stale result is never served. Votes are
read through ``vote_matrix`` (columnar: for a fit only the five columns it needs), not row by
row.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.cache import NOT_VOTES, cached
from rightsdesk.core.config import Settings
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.provenance import VOTE_KINDS, provenance_for
from rightsdesk.core.states import resolve_state
from rightsdesk.negotiation.positions import model_store
from rightsdesk.negotiation.positions.forecast import Forecaster, forecast_draft
from rightsdesk.negotiation.positions.ideal_points import POSITION_COLUMNS, fit_ideal_points
from rightsdesk.negotiation.positions.vote_matrix import (
    data_signature,
    read_position_votes,
    vote_data,
)
from rightsdesk.negotiation.votes.frames import body_codes, frame_records, roll_call_frame
from rightsdesk.negotiation.votes.models import Resolution, RollCall

__all__ = ["data_signature", "forecaster_for", "history_frame", "positions"]

#: The bodies positions and forecasts are made for.
BODIES = ("unga", "hrc", "chr", "hrc+chr")
DEFAULT_STATES = ("USA", "GBR", "BRA", "IND", "ZAF", "CHN", "RUS")
_LOCK = threading.Lock()
_POSITIONS: dict[tuple[str, str, str, str], pd.DataFrame] = {}


def _votes(
    session: Session, settings: Settings, body: str, issue: str | None, absent: bool = False
) -> pd.DataFrame:
    frame = vote_data(session, settings, body, issue, include_absent=absent)
    if frame.empty:
        what = f"{body} votes" + (f" on issue {issue!r}" if issue else "")
        raise NotFoundError(f"no {what} in the store; import them with `rightsdesk load`")
    return frame


def _position_votes(session: Session, body: str, issue: str | None) -> pd.DataFrame:
    frame = read_position_votes(session, body, issue)
    if frame.empty:
        what = f"{body} votes" + (f" on issue {issue!r}" if issue else "")
        raise NotFoundError(f"no {what} in the store; import them with `rightsdesk load`")
    return frame


def history_frame(session: Session, settings: Settings, body: str) -> pd.DataFrame:
    """The body's votes and recorded absences with each roll call's description (``descr``)
    and sponsors: what the forecaster and the backtest learn from.

    The description ("to adopt the draft resolution on ... as a whole") is what tells two
    roll calls under one generic title apart, so the similarity features read it too.
    """
    return _votes(session, settings, body, None, absent=True)


def positions(
    session: Session, settings: Settings, body: str = "unga", issue: str | None = None
) -> pd.DataFrame:
    """Ideal points (iso3, session, year, ideal_point, se) of ``body``, fitted once per data."""
    body = body.strip().lower()
    issue = issue.strip().lower() if issue else None
    sig = data_signature(session, body)
    key = (settings.database_url, body, issue or "", sig)
    with _LOCK:
        if key in _POSITIONS:
            return _POSITIONS[key]
    saved = model_store.load_fit(settings, body, issue, sig)
    if saved is None:
        # Warm start from the latest earlier fit: after an import the positions move little,
        # so the refit takes a few passes instead of dozens.
        start = model_store.load_fit(settings, body, issue, None)
        saved = fit_ideal_points(_position_votes(session, body, issue), start=start)
        model_store.save_fit(settings, body, issue, sig, saved)
    frame = saved.positions[POSITION_COLUMNS]
    with _LOCK:
        _POSITIONS[key] = frame
    return frame


def forecaster_for(
    session: Session,
    settings: Settings,
    body: str = "unga",
    progress: Callable[[int, int], None] | None = None,
) -> Forecaster:
    """The trained forecaster for a store and body: the saved one of this data version, or
    trained now (once per import; ``progress(done, total)`` follows the training)."""
    return model_store.forecaster_for(session, settings, check_body(body), progress)


def find_like(session: Session, body: str, like: str) -> str:
    """The stored symbol (or roll call id) a ``like`` names, checked in the store before any
    model is loaded or trained, so an unknown symbol is refused at once.

    Any common spelling of a UN symbol is accepted (``votes.symbols.find_resolution``:
    ``68/262``, ``a/res/68/262``); a number is a roll call id."""
    text = like.strip()
    codes = body_codes(body)
    if text.isdigit():
        found = session.scalar(
            select(RollCall.id).where(RollCall.id == int(text), RollCall.body.in_(codes))
        )
        if found is not None:
            return text
    symbol = session.scalar(
        select(Resolution.symbol)
        .join(RollCall, RollCall.resolution_id == Resolution.id)
        .where(RollCall.body.in_(codes), Resolution.symbol.is_not(None))
        .where(func.upper(Resolution.symbol) == text.upper())
        .limit(1)
    )
    if symbol is None:
        symbol = _normalised_symbol(session, text, codes)
    if symbol is None:
        raise NotFoundError(f"no roll call with symbol or id {like!r} in the {body} votes")
    return str(symbol)


def _normalised_symbol(session: Session, text: str, codes: tuple[str, ...]) -> str | None:
    """The symbol of the resolution ``find_resolution`` finds for a spelling, if the body
    voted on it."""
    try:
        from rightsdesk.negotiation.votes.symbols import find_resolution
    except ImportError:  # pragma: no cover - older votes room without the normaliser
        return None
    try:
        found = find_resolution(session, text)
    except Exception:  # a store without normalised symbols: not found
        return None
    if found is None or found.body not in codes or not found.symbol:
        return None
    return str(found.symbol)


# --- what the pages and the API ask ----------------------------------------------------------


def check_body(body: str) -> str:
    """A body positions and forecasts are made for, or an InputError naming them."""
    value = body.strip().lower()
    if value not in BODIES:
        raise InputError(f"unknown body {body!r}; choose one of {', '.join(BODIES)}", field="body")
    return value


def state_list(text: str | None) -> list[str]:
    """ISO3 codes from "USA, China ; RUS" (names resolve too; unknown ones say so)."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    return [resolve_state(p) for p in parts]


def positions_report(
    session: Session,
    settings: Settings,
    body: str = "unga",
    issue: str | None = None,
    iso3: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Ideal points per state and session, of all states or of those named in ``iso3`` (each
    item may hold a comma-separated list). Computed once per data version (``core.cache``)."""
    args = (body, issue or "", tuple(iso3 or ()))
    return cached(
        session,
        "positions_report",
        args,
        lambda: _positions_report(session, settings, body, issue, iso3),
        edits=False,
        ignore=NOT_VOTES,
    )


def _positions_report(
    session: Session, settings: Settings, body: str, issue: str | None, iso3: list[str] | None
) -> list[dict[str, Any]]:
    frame = positions(session, settings, check_body(body), issue or None)
    if iso3:
        frame = frame[frame["iso3"].isin(state_list(",".join(iso3)))]
    return frame_records(frame)


def forecast_report(
    session: Session,
    settings: Settings,
    body: str = "unga",
    like: str | None = None,
    title: str | None = None,
    text: str = "",
    sponsors: list[str] | None = None,
    session_no: int | None = None,
    wait: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """A draft's forecast as plain JSON values: each member's predicted vote with
    probabilities (absence included), expected totals, margin, the swing states with reasons
    and the provenance of the votes.

    The inputs are checked first (an unknown ``like`` answers at once). The model is the
    saved one of the current votes; without one, ``wait`` trains it now (the CLI, with
    ``progress``), otherwise training starts in the background and ``ModelTrainingError``
    says how long it takes (requests never hang).
    """
    body = check_body(body)
    if not (like or title):
        raise InputError("give 'like' (a past symbol or roll call id) or a 'title'", field="title")
    members = [resolve_state(s) for s in sponsors or [] if s.strip()]
    symbol = find_like(session, body, like) if like else None
    if wait:
        model = model_store.forecaster_for(session, settings, body, progress)
    else:
        model = model_store.ready_or_training(session, settings, body)
    result = forecast_draft(
        model,
        title=title or None,
        like=symbol,
        sponsors=members,
        text=text,
        session=session_no,
    )
    out: dict[str, Any] = json.loads(json.dumps(result.as_dict(), default=str))
    out["provenance"] = provenance_for(session, VOTE_KINDS, "UN votes").as_dict()
    return out


def forecast_page(
    session: Session,
    settings: Settings,
    body: str,
    like: str,
    title: str,
    text: str,
    sponsors: str,
) -> dict[str, Any]:
    """What ``/forecast`` shows: the body's recent texts to table again and, once a draft is
    given, its forecast, or "training the model, about N s" while it trains (the page then
    refreshes itself)."""
    body = check_body(body)
    recent = roll_call_frame(session, body)
    recent = (
        recent[recent["symbol"].notna()].sort_values("date").drop_duplicates("symbol", keep="last")
    )
    choices = recent.tail(150).iloc[::-1][["symbol", "title", "session"]].to_dict(orient="records")
    result, training = None, None
    if like.strip() or title.strip():
        try:
            result = forecast_report(
                session,
                settings,
                body,
                like=like or None,
                title=title or None,
                text=text,
                sponsors=[s for s in sponsors.replace(";", ",").split(",") if s.strip()],
            )
        except model_store.ModelTrainingError as exc:
            training = {"seconds": exc.seconds}
    return {
        "result": result,
        "training": training,
        "choices": choices,
        "bodies": BODIES,
        "filters": {"body": body, "like": like, "title": title, "text": text, "sponsors": sponsors},
        "provenance": provenance_for(session, VOTE_KINDS, "UN votes"),
    }
