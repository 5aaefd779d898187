"""Positions and forecasts for a store: loading votes, caching fitted models, drafts.

Why a cache: fitting positions on every General Assembly vote takes seconds and training the
forecaster tens of seconds, far too slow for a page view. Fitted results are kept per (store,
body, issue) in memory, and positions also as a CSV file in the data folder, under a key made of
the vote count and newest roll call id: importing new votes changes the key, so a stale model
is never served.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.states import group_members, reference_states
from rightsdesk.negotiation.forecast import (
    FeatureStore,
    ForecastOptions,
    Target,
    VoteHistory,
    VoteModel,
    build_features,
    target_frame,
    title_key,
    train_model,
)
from rightsdesk.negotiation.ideal_points import LABELS, POSITION_COLUMNS, fit_ideal_points
from rightsdesk.negotiation.models.votes import RollCall, StateVote
from rightsdesk.negotiation.votes_data import body_codes, vote_frame

UN_GROUPS = ("UN-AFRICA", "UN-APG", "UN-EEG", "UN-GRULAC", "UN-WEOG")
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


def regional_groups(session: Session) -> dict[str, str]:
    """Each state's UN regional group now (the group line is a forecasting feature)."""
    out: dict[str, str] = {}
    for code in UN_GROUPS:
        for iso3 in group_members(session, code):
            out.setdefault(iso3, code)
    return out


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
    tag = hashlib.sha256(f"{settings.database_url}|{body}|{issue}|{sig}".encode()).hexdigest()[:16]
    return Path(settings.data_dir) / "models" / f"positions-{body}-{issue or 'all'}-{tag}.csv"


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


@dataclass
class DraftForecast:
    """Predicted votes on one draft, with totals and the states worth lobbying."""

    title: str
    session: int
    votes: pd.DataFrame  # iso3, name, p_no, p_abstain, p_yes, predicted, sponsor, swing
    expected: dict[str, float]
    predicted: dict[str, int]
    swing: list[dict[str, Any]]
    model: dict[str, Any]
    like: dict[str, Any] | None = None
    sponsors: list[str] = field(default_factory=list)

    @property
    def margin(self) -> float:
        """Expected yes minus expected no (the draft passes on a simple majority when > 0)."""
        return self.expected["yes"] - self.expected["no"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "session": self.session,
            "like": self.like,
            "sponsors": self.sponsors,
            "expected": self.expected,
            "predicted": self.predicted,
            "margin": round(self.margin, 2),
            "adopted": self.predicted["yes"] > self.predicted["no"],
            "swing": self.swing,
            "model": self.model,
            "votes": self.votes.round(4).to_dict(orient="records"),
        }


class Forecaster:
    """A vote model trained on the latest sessions of one body, ready for drafts."""

    def __init__(
        self,
        frame: pd.DataFrame,
        groups: dict[str, str] | None = None,
        options: ForecastOptions | None = None,
    ) -> None:
        self.options = options or ForecastOptions()
        self.hist = VoteHistory.from_frame(frame)
        self.groups = groups or {}
        self.store = FeatureStore(self.hist, self.options, self.groups)
        sessions = self.hist.sessions()
        self.last = sessions[-1]
        self.next_session = self.last + 1
        self.model: VoteModel = train_model(
            self.store.training_set(self.last),
            self.options,
            (max(sessions[0], self.last - self.options.train_window + 1), self.last),
        )
        members = self.hist.calls["session"] == self.last
        voted = (self.hist.votes[members.to_numpy()] >= 0).any(axis=0)
        self.members = [str(s) for s in np.asarray(self.hist.states)[voted]]

    def find_roll_call(self, like: str) -> pd.Series:
        """The latest roll call with this symbol (e.g. A/RES/73/172) or roll call id."""
        calls = self.hist.calls
        text = like.strip()
        hit = calls[calls["roll_call_id"].astype(str) == text]
        if hit.empty and "symbol" in calls:
            hit = calls[calls["symbol"].fillna("").str.upper() == text.upper()]
        if hit.empty:
            raise NotFoundError(f"no roll call with symbol or id {like!r} in this body's votes")
        row: pd.Series = hit.iloc[-1]
        return row

    def forecast(
        self,
        target: Target,
        sponsors: Sequence[str] = (),
        like: dict[str, Any] | None = None,
        swing_count: int = 12,
    ) -> DraftForecast:
        """Each member's probabilities, totals, margin and the swing states with reasons."""
        if not title_key(target.title):
            raise InputError("give the draft a title (or pick a past resolution)", field="title")
        session = max(target.session, self.last + 1)
        targets = target_frame([target])
        feats, mats = build_features(
            self.hist,
            targets,
            session,
            self.options,
            self.groups,
            self.store.positions_before(session),
        )
        probs = self.model.predict_proba(feats)
        frame = feats[["iso3"]].copy()
        frame[["p_no", "p_abstain", "p_yes"]] = probs
        sponsor_set = {s.upper() for s in sponsors}
        frame["sponsor"] = frame["iso3"].isin(sponsor_set)
        # A sponsor votes for its own text: the model cannot know who sponsors (the UN votes
        # data hold no sponsors), so this is a rule, shown as such in the reasons.
        frame.loc[frame["sponsor"], ["p_no", "p_abstain", "p_yes"]] = [0.0, 0.0, 1.0]
        keep = frame["iso3"].isin(self.members) | frame["sponsor"]
        frame, idx = frame[keep].reset_index(drop=True), np.flatnonzero(keep.to_numpy())
        p = frame[["p_no", "p_abstain", "p_yes"]].to_numpy()
        frame["predicted"] = [LABELS[k] for k in p.argmax(axis=1)]
        top2 = np.sort(p, axis=1)[:, -2:]
        frame["swing"] = 1.0 - (top2[:, 1] - top2[:, 0])  # 1: a coin toss, 0: certain
        names = reference_states()
        frame.insert(1, "name", [names[s].name if s in names else s for s in frame["iso3"]])
        agree = self._sponsor_agreement(sponsor_set, session)
        swing = [
            self._reasons(row, mats, int(i), agree)
            for row, i in zip(frame.itertuples(index=False), idx, strict=True)
        ]
        order = np.argsort(-frame["swing"].to_numpy(), kind="stable")
        swing_list = [swing[i] for i in order if not frame["sponsor"].iloc[i]][:swing_count]
        expected = {lab: round(float(p[:, k].sum()), 2) for k, lab in enumerate(LABELS)}
        predicted = {lab: int((frame["predicted"] == lab).sum()) for lab in LABELS}
        model = {
            "trained_on_sessions": list(self.model.sessions),
            "training_votes": self.model.rows,
            "method": "gradient boosting on past votes (same title, similar texts, group line, "
            "ideal points); see `rightsdesk negotiation backtest` for its out-of-time record",
        }
        return DraftForecast(
            title=target.title,
            session=session,
            votes=frame.sort_values(["swing", "iso3"], ascending=[False, True]).reset_index(
                drop=True
            ),
            expected=expected,
            predicted=predicted,
            swing=swing_list,
            model=model,
            like=like,
            sponsors=sorted(sponsor_set),
        )

    def _sponsor_agreement(self, sponsors: set[str], session: int) -> dict[str, float]:
        """How often each state voted like the sponsors' majority in the recent sessions."""
        if not sponsors:
            return {}
        calls = self.hist.calls
        recent = (calls["session"] >= session - self.options.rate_window).to_numpy()
        votes = self.hist.votes[recent]
        cols = [i for i, s in enumerate(self.hist.states) if s in sponsors]
        if not cols or not votes.shape[0]:
            return {}
        sv = votes[:, cols]
        counts = np.stack([(sv == k).sum(axis=1) for k in range(3)], axis=1)
        line = np.where(counts.sum(axis=1) > 0, counts.argmax(axis=1), -1)
        ok = (votes >= 0) & (line[:, None] >= 0)
        same = ((votes == line[:, None]) & ok).sum(axis=0) / np.maximum(ok.sum(axis=0), 1)
        return {s: float(same[i]) for i, s in enumerate(self.hist.states) if ok[:, i].any()}

    def _reasons(
        self, row: Any, mats: dict[str, np.ndarray], col: int, agree: dict[str, float]
    ) -> dict[str, Any]:
        """Why a state might switch: its position, its last vote, similar texts, its group."""
        reasons: list[str] = []
        pos = float(mats["position"][0, col])
        irt = [float(mats[f"same_irt_{lab}"][0, col]) for lab in LABELS]
        reasons.append(
            f"ideal point {pos:+.2f}: on the same or similar texts that position gives "
            f"{irt[2]:.0%} yes, {irt[1]:.0%} abstain, {irt[0]:.0%} no"
        )
        last = [lab for lab in LABELS if mats[f"same_{lab}"][0, col] > 0]
        reasons.append(
            f"last vote on this title: {last[0]}" if last else "no earlier vote on this title"
        )
        knn = [float(mats[f"knn_{lab}"][0, col]) for lab in LABELS]
        reasons.append(
            f"on the most similar past texts: {knn[2]:.0%} yes, {knn[1]:.0%} abstain, "
            f"{knn[0]:.0%} no"
        )
        group = self.groups.get(row.iso3)
        if group:
            g = [float(mats[f"group_{lab}"][0, col]) for lab in LABELS]
            line = LABELS[int(np.argmax(g))]
            reasons.append(f"{group} on those texts: mostly {line} ({max(g):.0%})")
        if row.iso3 in agree:
            reasons.append(f"voted like the sponsors in {agree[row.iso3]:.0%} of recent votes")
        if row.sponsor:
            reasons.append("sponsor of the draft")
        return {
            "iso3": row.iso3,
            "name": row.name,
            "predicted": row.predicted,
            "p_no": round(float(row.p_no), 3),
            "p_abstain": round(float(row.p_abstain), 3),
            "p_yes": round(float(row.p_yes), 3),
            "reasons": reasons,
        }


def forecaster_for(session: Session, settings: Settings, body: str = "unga") -> Forecaster:
    """The trained forecaster for a store and body (trained on first use after a data change)."""
    body = body.strip().lower()
    key = (settings.database_url, body, data_signature(session, body))
    with _LOCK:
        found = _FORECASTERS.get(key)
    if found is not None:
        return found
    made = Forecaster(history_frame(session, body), regional_groups(session))
    with _LOCK:
        for old in [k for k in _FORECASTERS if k[:2] == key[:2]]:
            del _FORECASTERS[old]
        _FORECASTERS[key] = made
    return made


def forecast_draft(
    forecaster: Forecaster,
    title: str | None = None,
    like: str | None = None,
    sponsors: Sequence[str] = (),
    text: str = "",
    session: int | None = None,
    hr: bool | None = None,
) -> DraftForecast:
    """A draft given by title/text, or "the same text as roll call ``like``, tabled again"."""
    like_info: dict[str, Any] | None = None
    is_hr = bool(hr)
    if like:
        row = forecaster.find_roll_call(like)
        like_info = {
            "roll_call_id": int(row["roll_call_id"]),
            "symbol": row.get("symbol"),
            "title": str(row["title"]),
            "session": int(row["session"]),
        }
        title = title or str(row["title"])
        text = text or str(row.get("descr", "") or "")
        is_hr = bool(row["hr"]) if hr is None else bool(hr)
    if not title:
        raise InputError("give a title or a past resolution (--like)", field="title")
    target = Target(
        title=title,
        text=text,
        session=session or forecaster.next_session,
        hr=is_hr,
    )
    return forecaster.forecast(target, sponsors, like_info)
