"""Vote-record integrity: official totals against the recorded state votes, for every roll call.

The sources are not always right about themselves. The OHCHR library gives A/HRC/RES/46/1 as
20-11-14 while its own per-state record counts 22-11-14; A/HRC/RES/S-34/1's published totals
have no and abstain swapped (33-12-2 for 33-2-12); A/HRC/RES/50/2's 29-10-16 adds up to 55 in a
Council of 47. Analyses read the recorded votes, so a desk officer needs to know where those
and the published totals part, and which of the two is more likely wrong.

Each roll call is checked for

- a **mismatch**: the official yes/no/abstain differ from the recorded votes counted;
- an **impossible total**: more votes (official, or recorded) than the body had members at the
  date (``body_size``: 47 in the Council, the Commission's seats after each enlargement, the
  UN's members in the General Assembly);

and each finding gets its **likely causes**, from rules that say how sure they are: a swap of
two counts that makes them agree exactly is named as such; totals beyond the membership are
impossible, full stop; one count off while the record holds every member points to a typo in
the published figure; recorded votes that equal another roll call's totals of the same day
point to that roll call's votes recorded here. What no rule explains is reported as unexplained,
never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from rightsdesk.core.groups import member_counts, membership_frame
from rightsdesk.negotiation.votes.frames import body_codes, roll_call_frame
from rightsdesk.negotiation.votes.models import RollCall

__all__ = [
    "COUNTS",
    "SEATS",
    "Evidence",
    "Finding",
    "body_size",
    "integrity_report",
    "integrity_view",
    "roll_call_integrity",
    "likely_causes",
    "member_counter",
    "roll_call_finding",
]

COUNTS: tuple[str, str, str] = ("yes", "no", "abstain")

#: Seats of the bodies with a fixed membership, from the date each size applied: the Commission
#: on Human Rights (the nuclear commission of 9; 18 members from 1947, enlarged by ECOSOC to 21
#: from 1962, 32 from 1967, 43 from 1980 and 53 from 1992), the Human Rights Council (47) and
#: the Security Council (11; 15 from 1966, after the Charter amendment of 1965).
SEATS: dict[str, tuple[tuple[dt.date, int], ...]] = {
    "chr": (
        (dt.date(1946, 1, 1), 9),
        (dt.date(1947, 1, 1), 18),
        (dt.date(1962, 1, 1), 21),
        (dt.date(1967, 1, 1), 32),
        (dt.date(1980, 1, 1), 43),
        (dt.date(1992, 1, 1), 53),
    ),
    "hrc": ((dt.date(2006, 6, 19), 47),),
    "unsc": ((dt.date(1946, 1, 1), 11), (dt.date(1966, 1, 1), 15)),
}

#: General Assembly roll calls before this date carry a month but not always their real day in
#: the unvotes data (a vote dated 1949-05-03 counts Israel, admitted on 1949-05-11), so their
#: membership is taken at the end of the month.
UNSURE_DAYS_BEFORE = dt.date(1991, 1, 1)

#: Bodies in which every UN member votes.
UN_WIDE = ("unga", "unga-c3")


def member_counter(session: Session) -> Callable[[str, dt.date], int | None]:
    """A function ``(body, date) -> members`` over one read of the membership periods.

    The one place that knows how many states could vote: fixed seats for the Council and the
    Commission, and for the General Assembly the UN members on the day of the vote
    (``core.groups``' dated periods of the grouping ``UN``: South Sudan counts from
    2011-07-14, not from 1 January 2011). None for a body of unknown size.
    """
    periods = membership_frame(session, "UN")
    by_day: dict[dt.date, int] = {}

    def un_members(on: dt.date) -> int:
        if on not in by_day:
            by_day[on] = int(member_counts(pd.Series([pd.Timestamp(on)]), periods)[0])
        return by_day[on]

    def size(body: str, on: dt.date) -> int | None:
        if body in UN_WIDE:
            if on < UNSURE_DAYS_BEFORE:  # the day is not reliable: members at the month's end
                on = (on.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
            return un_members(on) or None
        seats = [n for since, n in SEATS.get(body, ()) if since <= on]
        return seats[-1] if seats else None

    return size


def body_size(session: Session, body: str, on: dt.date) -> int | None:
    """How many states were members of ``body`` on ``on`` (see ``member_counter``)."""
    return member_counter(session)(body, on)


@dataclass(frozen=True)
class Finding:
    """A roll call whose totals do not hold together, and why that likely is."""

    roll_call_id: int
    body: str
    symbol: str | None
    date: str
    official: tuple[int, int, int] | None
    nonvoting_official: int | None
    recorded: tuple[int, int, int]
    recorded_absent: int
    members: int | None
    kinds: tuple[str, ...]
    causes: tuple[str, ...] = field(default=())

    @property
    def differences(self) -> tuple[int, int, int] | None:
        """Recorded minus official, per count (None without official totals)."""
        if self.official is None:
            return None
        return (
            self.recorded[0] - self.official[0],
            self.recorded[1] - self.official[1],
            self.recorded[2] - self.official[2],
        )

    @property
    def cause(self) -> str:
        return "; ".join(self.causes)

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON values (what the API and ``--format json`` give)."""

        def counts(values: tuple[int, int, int] | None) -> dict[str, int] | None:
            return None if values is None else dict(zip(COUNTS, values, strict=True))

        return {
            "roll_call_id": self.roll_call_id,
            "body": self.body,
            "symbol": self.symbol,
            "date": self.date,
            "kinds": list(self.kinds),
            "official": counts(self.official),
            "nonvoting_official": self.nonvoting_official,
            "recorded": counts(self.recorded),
            "recorded_absent": self.recorded_absent,
            "difference": counts(self.differences),
            "members": self.members,
            "causes": list(self.causes),
            "cause": self.cause,
        }


def _swaps(official: tuple[int, int, int]) -> list[tuple[str, tuple[int, int, int]]]:
    """The official totals with two counts exchanged, for each pair that differs."""
    out: list[tuple[str, tuple[int, int, int]]] = []
    for i, j in ((0, 1), (0, 2), (1, 2)):
        if official[i] != official[j]:
            swapped = list(official)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            out.append((f"{COUNTS[i]} and {COUNTS[j]}", (swapped[0], swapped[1], swapped[2])))
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _gap(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class Evidence:
    """What one roll call's counts are judged on, beyond its own totals."""

    recorded_absent: int = 0
    members: int | None = None
    nonvoting_official: int | None = None
    #: another roll call of the same day whose official totals equal these recorded votes
    same_day: str | None = None
    #: other roll calls of the same day with exactly these recorded votes
    copies: tuple[str, ...] = ()


def _published(official: tuple[int, int, int], ev: Evidence) -> int:
    return sum(official) + (ev.nonvoting_official or 0)


def _membership(
    official: tuple[int, int, int] | None, recorded: tuple[int, int, int], ev: Evidence
) -> list[str]:
    out: list[str] = []
    if ev.members is None:
        return out
    if official is not None and _published(official, ev) > ev.members:
        parts = "+".join(map(str, official))
        nonvoting = f" and {ev.nonvoting_official} non-voting" if ev.nonvoting_official else ""
        out.append(
            f"official totals exceed membership ({ev.members}): {parts} yes/no/abstain"
            f"{nonvoting} = {_published(official, ev)}"
        )
    if sum(recorded) + ev.recorded_absent > ev.members:
        out.append(
            f"recorded votes exceed membership ({ev.members}): "
            f"{sum(recorded) + ev.recorded_absent} members recorded"
        )
    return out


def _one_count(
    official: tuple[int, int, int], recorded: tuple[int, int, int], i: int, ev: Evidence
) -> str:
    """The cause when only count ``i`` differs."""
    d = recorded[i] - official[i]
    name = COUNTS[i]
    over = ev.members is not None and _published(official, ev) > ev.members
    complete = ev.members is not None and sum(recorded) + ev.recorded_absent == ev.members
    if over or complete:
        return (
            f"official {name} differs by {abs(d)} ({official[i]} published, {recorded[i]} "
            "recorded): source typo likely"
        )
    if d < 0:
        absent = f" ({ev.recorded_absent} recorded absent)" if ev.recorded_absent else ""
        return (
            f"recorded votes miss {_plural(-d, 'state')} counted as {name} in the official "
            f"totals{absent}"
        )
    return (
        f"official {name} differs by {d} ({official[i]} published, {recorded[i]} recorded): "
        "a source typo, or a vote recorded for an absent member"
    )


def _residual(
    official: tuple[int, int, int], recorded: tuple[int, int, int], ev: Evidence
) -> list[str]:
    """Causes of a difference that no swap or other roll call explains."""
    diffs = [r - o for r, o in zip(recorded, official, strict=True)]
    off = [i for i, d in enumerate(diffs) if d]
    net = sum(diffs)
    if len(off) == 1:
        return [_one_count(official, recorded, off[0], ev)]
    if net == 0:
        moved = sum(d for d in diffs if d > 0)
        gave = ", ".join(f"{COUNTS[i]} {diffs[i]:+d}" for i in off)
        return [
            f"{_plural(moved, 'vote')} recorded differently from the official totals ({gave}): "
            "possibly delegations' later corrections, or a recording slip"
        ]
    out = [
        f"recorded votes miss {_plural(-net, 'state')} of the official totals"
        if net < 0
        else f"recorded votes hold {_plural(net, 'vote')} more than the official totals"
    ]
    gave = "/".join(f"{d:+d}" for d in diffs)
    out.append(f"counts differ by {gave} (yes/no/abstain): no single cause fits")
    return out


def likely_causes(
    official: tuple[int, int, int] | None,
    recorded: tuple[int, int, int],
    evidence: Evidence | None = None,
) -> list[str]:
    """The likely causes of one roll call's disagreement, most certain first.

    Rules, in order: totals beyond the membership (certain); no recorded votes; two official
    counts swapped (exactly, or leaving a small remainder explained by the rules below);
    another roll call of the same day whose official totals these votes equal, or whose
    recorded votes are identical; one count off (a typo when the record is complete or the
    published totals impossible, else states missing from the record); votes moved between
    counts. Each says how sure it is; what none explains is described, never guessed.
    """
    ev = evidence or Evidence()
    causes = _membership(official, recorded, ev)
    if official is None or official == recorded:
        return causes
    if sum(recorded) == 0:
        return [*causes, "no state votes are recorded for this roll call"]
    gap = _gap(official, recorded)
    for pair, swapped in _swaps(official):
        left = _gap(swapped, recorded)
        if left == 0:
            return [*causes, f"{pair} swapped in the official totals (likely: a swap fits exactly)"]
        if left <= 4 and 2 * left < gap:
            return [
                *causes,
                f"{pair} likely swapped in the official totals (a swap leaves {left} to explain)",
                *_residual(swapped, recorded, ev),
            ]
    if ev.same_day is not None:
        return [
            *causes,
            f"recorded votes equal the official totals of {ev.same_day} on the same day: that "
            "roll call's votes likely recorded for this one",
        ]
    if ev.copies:
        return [
            *causes,
            f"recorded votes identical to those of {', '.join(ev.copies[:3])}"
            f"{' and others' if len(ev.copies) > 3 else ''} on the same day: one roll call's "
            "votes likely recorded for several",
        ]
    return [*causes, *_residual(official, recorded, ev)]


Index = dict[tuple[str, str, int, int, int], list[tuple[int, str]]]


def _label(r: dict[Any, Any]) -> str:
    return f"{r['symbol'] or 'a text'} (roll call {int(r['roll_call_id'])})"


def _indexes(rows: list[dict[Any, Any]]) -> tuple[Index, Index]:
    """Roll calls by (day, body, official yes/no/abstain) and by the same key over the recorded
    votes: to spot votes recorded on the wrong roll call."""
    official: Index = {}
    recorded: Index = {}
    for r in rows:
        day = str(r["date"])
        if r["official"]:
            key = (day, str(r["body"]), int(r["yes"]), int(r["no"]), int(r["abstain"]))
            official.setdefault(key, []).append((int(r["roll_call_id"]), _label(r)))
        counted = (int(r["counted_yes"]), int(r["counted_no"]), int(r["counted_abstain"]))
        if sum(counted):
            key = (day, str(r["body"]), *counted)
            recorded.setdefault(key, []).append((int(r["roll_call_id"]), _label(r)))
    return official, recorded


def _finding(
    r: dict[Any, Any], members: int | None, official_ix: Index, recorded_ix: Index
) -> Finding | None:
    recorded = (int(r["counted_yes"]), int(r["counted_no"]), int(r["counted_abstain"]))
    absent = int(r["counted_absent"])
    official = (int(r["yes"]), int(r["no"]), int(r["abstain"])) if r["official"] else None
    raw = r.get("nonvoting_official")
    nonvoting = None if raw is None or pd.isna(raw) else int(raw)
    ev = Evidence(absent, members, nonvoting)
    kinds: list[str] = []
    if official is not None and official != recorded:
        kinds.append("mismatch")
    if _membership(official, recorded, ev):
        kinds.append("impossible")
    if not kinds:
        return None
    rc_id = int(r["roll_call_id"])
    key = (str(r["date"]), str(r["body"]), *recorded)
    same = [label for other, label in official_ix.get(key, []) if other != rc_id]
    copies = [label for other, label in recorded_ix.get(key, []) if other != rc_id]
    ev = Evidence(absent, members, nonvoting, same[0] if same else None, tuple(copies))
    return Finding(
        roll_call_id=rc_id,
        body=str(r["body"]),
        symbol=None if r["symbol"] is None else str(r["symbol"]),
        date=pd.Timestamp(r["date"]).date().isoformat(),
        official=official,
        nonvoting_official=nonvoting,
        recorded=recorded,
        recorded_absent=absent,
        members=members,
        kinds=tuple(kinds),
        causes=tuple(likely_causes(official, recorded, ev)),
    )


def integrity_report(
    session: Session, body: str = "all", day: dt.date | None = None
) -> list[Finding]:
    """Every roll call of ``body`` (of one ``day`` if given) whose totals disagree or exceed the
    membership, oldest first, with its likely causes."""
    body_codes(body)  # an unknown body is an InputError before any read
    frame = roll_call_frame(session, body, day=day)
    if frame.empty:
        return []
    size = member_counter(session)
    rows: list[dict[Any, Any]] = frame.to_dict("records")
    official_ix, recorded_ix = _indexes(rows)
    found: list[Finding] = []
    for r in rows:
        members = size(str(r["body"]), pd.Timestamp(r["date"]).date())
        finding = _finding(r, members, official_ix, recorded_ix)
        if finding is not None:
            found.append(finding)
    return found


def roll_call_finding(session: Session, roll_call_id: int) -> Finding | None:
    """One roll call's finding, or None when its totals hold together (the roll call page):
    the report of its body and day only, a few small queries."""
    rc = session.get(RollCall, roll_call_id)
    if rc is None:
        return None
    for finding in integrity_report(session, rc.body, rc.date):
        if finding.roll_call_id == roll_call_id:
            return finding
    return None


def integrity_view(session: Session, body: str = "all") -> dict[str, Any]:
    """What ``/votes/integrity`` and its API give: the findings of ``body`` as JSON values,
    with counts per kind. Computed once per data version (``core.cache``): corrections do not
    change the official totals nor the recorded votes, so the version ignores edits."""
    from rightsdesk.core.cache import NOT_VOTES, cached

    body_codes(body)
    return cached(
        session,
        "vote_integrity",
        body,
        lambda: _integrity_view(session, body),
        edits=False,
        ignore=NOT_VOTES,
    )


def _integrity_view(session: Session, body: str) -> dict[str, Any]:
    found = integrity_report(session, body)
    return {
        "body": body,
        "mismatches": sum(1 for f in found if "mismatch" in f.kinds),
        "impossible": sum(1 for f in found if "impossible" in f.kinds),
        "findings": [f.as_dict() for f in found],
    }


def roll_call_integrity(session: Session, roll_call_id: int) -> dict[str, Any]:
    """The roll call page's integrity section: its finding (None when its totals hold
    together), the states' corrections, and the votes a correction may state."""
    from rightsdesk.negotiation.votes.corrections import INTENDED_VOTES, list_corrections

    finding = roll_call_finding(session, roll_call_id)
    return {
        "integrity": None if finding is None else finding.as_dict(),
        "corrections": list_corrections(session, roll_call_id),
        "intended_votes": INTENDED_VOTES,
    }
