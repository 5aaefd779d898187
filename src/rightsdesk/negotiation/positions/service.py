"""Positions and forecasts for a store: loading votes, caching fitted models, what the pages
and the API ask.

Why a cache: fitting positions on every General Assembly vote takes seconds and training the
forecaster tens of seconds, far too slow for a page view. Fitted results are kept per (store,
body, issue) in memory, and positions also as a CSV file in the data folder, under a key made of
the vote count and newest roll call id: importing new votes changes the key, so a stale model
is never served.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.cache import NOT_VOTES, cached
from rightsdesk.core.config import Settings
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.limits import safe_cache_name
from rightsdesk.core.states import reference_states, regional_group_map, resolve_state
from rightsdesk.negotiation.positions.forecast import Forecaster, forecast_draft
from rightsdesk.negotiation.positions.ideal_points import POSITION_COLUMNS, fit_ideal_points
from rightsdesk.negotiation.votes.frames import (
    body_codes,
    frame_records,
    roll_call_frame,
    vote_frame,
)
from rightsdesk.negotiation.votes.models import RollCall, StateVote

#: The bodies positions and forecasts are made for.
BODIES = ("unga", "hrc", "chr", "hrc+chr")
DEFAULT_STATES = ("USA", "GBR", "BRA", "IND", "ZAF", "CHN", "RUS")
_LOCK = threading.Lock()
_POSITIONS: dict[tuple[str, str, str, str], pd.DataFrame] = {}
_FORECASTERS: dict[tuple[str, str, str], Forecaster] = {}


def data_signature(session: Session, body: str) -> str:
    """Changes whenever votes of ``body`` are added, removed or re-imported."""
    stmt = (
        select(func.count(), func.max(RollCall.id), func.max(RollCall.dataset_id))
        .select_from(StateVote)
        .join(RollCall, RollCall.id == StateVote.roll_call_id)
        .where(RollCall.body.in_(body_codes(body)))
    )
    count, newest, dataset = session.execute(stmt).one()
    return f"{count}-{newest or 0}-{dataset or 0}"


def _votes(session: Session, body: str, issue: str | None) -> pd.DataFrame:
    frame = vote_frame(session, body=body, issue=issue)
    if frame.empty:
        what = f"{body} votes" + (f" on issue {issue!r}" if issue else "")
        raise NotFoundError(f"no {what} in the store; import them with `rightsdesk load`")
    return frame


def history_frame(session: Session, body: str) -> pd.DataFrame:
    """The body's votes with each roll call's description (``descr``) alongside the title.

    The description ("to adopt the draft resolution on ... as a whole") is what tells two
    roll calls under one generic title apart, so the similarity features read it too.
    """
    frame = _votes(session, body, None)
    stmt = select(RollCall.id, RollCall.description).where(RollCall.body.in_(body_codes(body)))
    descr = {int(i): d or "" for i, d in session.execute(stmt)}
    return frame.assign(descr=frame["roll_call_id"].map(descr).fillna(""))


def _cache_file(settings: Settings, body: str, issue: str | None, sig: str) -> Path:
    """The cache file of one fit: a hash of the store, body, issue and data signature, so no
    user value (``?issue=``) reaches the file system."""
    name = safe_cache_name(
        settings.database_url, body, issue or "all", sig, prefix="positions", suffix=".csv"
    )
    return Path(settings.data_dir) / "models" / name


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
    path = _cache_file(settings, body, issue, sig)
    if path.is_file():
        frame = pd.read_csv(path, dtype={"iso3": str})
    else:
        frame = fit_ideal_points(_votes(session, body, issue)).positions[POSITION_COLUMNS]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            frame.to_csv(path, index=False)
        except OSError:
            pass  # a read-only data folder only costs a refit next time
    with _LOCK:
        _POSITIONS[key] = frame
    return frame


def forecaster_for(session: Session, settings: Settings, body: str = "unga") -> Forecaster:
    """The trained forecaster for a store and body (trained on first use after a data change)."""
    body = body.strip().lower()
    key = (settings.database_url, body, data_signature(session, body))
    with _LOCK:
        found = _FORECASTERS.get(key)
    if found is not None:
        return found
    made = Forecaster(history_frame(session, body), regional_group_map(session))
    with _LOCK:
        for old in [k for k in _FORECASTERS if k[:2] == key[:2]]:
            del _FORECASTERS[old]
        _FORECASTERS[key] = made
    return made


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


def positions_page(
    session: Session, settings: Settings, body: str, issue: str, states: str
) -> dict[str, Any]:
    """What ``/positions`` shows: the chosen states' positions per session, and who has none.
    Computed once per data version (``core.cache``)."""
    return cached(
        session,
        "positions_page",
        (body, issue, states),
        lambda: _positions_page(session, settings, body, issue, states),
        edits=False,
        ignore=NOT_VOTES,
    )


def _positions_page(
    session: Session, settings: Settings, body: str, issue: str, states: str
) -> dict[str, Any]:
    chosen = state_list(states)
    frame = positions(session, settings, check_body(body), issue or None)
    shown = frame[frame["iso3"].isin(chosen)].sort_values(["iso3", "session"])
    return {
        "rows": shown.to_dict(orient="records"),
        "filters": {"body": body, "issue": issue, "states": ", ".join(chosen)},
        "bodies": BODIES,
        "names": {k: v.name for k, v in reference_states().items()},
        "missing": [s for s in chosen if s not in set(shown["iso3"])],
    }


def forecast_report(
    session: Session,
    settings: Settings,
    body: str = "unga",
    like: str | None = None,
    title: str | None = None,
    text: str = "",
    sponsors: list[str] | None = None,
    session_no: int | None = None,
) -> dict[str, Any]:
    """A draft's forecast as plain JSON values: each member's predicted vote with
    probabilities, expected totals, margin and the swing states with reasons."""
    if not (like or title):
        raise InputError("give 'like' (a past symbol or roll call id) or a 'title'", field="title")
    members = [resolve_state(s) for s in sponsors or [] if s.strip()]
    model = forecaster_for(session, settings, check_body(body))
    result = forecast_draft(
        model,
        title=title or None,
        like=like or None,
        sponsors=members,
        text=text,
        session=session_no,
    )
    out: dict[str, Any] = json.loads(json.dumps(result.as_dict(), default=str))
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
    given, its forecast."""
    body = check_body(body)
    recent = roll_call_frame(session, body)
    recent = (
        recent[recent["symbol"].notna()].sort_values("date").drop_duplicates("symbol", keep="last")
    )
    choices = recent.tail(150).iloc[::-1][["symbol", "title", "session"]].to_dict(orient="records")
    result = None
    if like.strip() or title.strip():
        result = forecast_report(
            session,
            settings,
            body,
            like=like or None,
            title=title or None,
            text=text,
            sponsors=[s for s in sponsors.replace(";", ",").split(",") if s.strip()],
        )
    return {
        "result": result,
        "choices": choices,
        "bodies": BODIES,
        "filters": {"body": body, "like": like, "title": title, "text": text, "sponsors": sponsors},
    }
