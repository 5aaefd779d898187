"""How far the data reaches: each source's period, sessions or cycles, rows and import date.

A count over sources means little without its reach: "Norway: 117 recommendations received"
is one review if the recommendations cover UPR sessions 1–17 (2008–2013). The home page, each
form's landing page and every list or chart that counts over sources state it from here.

Everything is read from the store's metadata, so core names no form: the period comes from the
datasets' ``period_start``/``period_end`` (``provenance.refresh_periods``), the sessions and
cycles from the integer ``session``/``cycle`` columns of any table whose rows link a dataset.
Rows with sessions but no dates (the UPR Info export gives the session only) get their years
from the calendar of UPR sessions below, for the tables that hold UPR rows.

Files that added nothing are listed apart: ``empty`` (no row read, with the import's note
saying why, e.g. "not one of the 18 core instruments") and ``unchanged`` (every row was
already stored, from this or another source).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, func, select
from sqlalchemy.orm import Session

from rightsdesk.core.cache import cached
from rightsdesk.core.db import Base
from rightsdesk.core.forms import Form
from rightsdesk.core.labels import body_label, period_label, state_label
from rightsdesk.core.provenance import Dataset, _as_date, finished

#: Year of each session of the UPR Working Group (sessions 1–3 in 2008 ... 48–50 in 2025),
#: from the OHCHR calendar of UPR sessions; a session the table lacks gives no year.
UPR_SESSION_YEARS: dict[int, int] = {
    **dict.fromkeys((1, 2, 3), 2008),
    **dict.fromkeys((4, 5, 6), 2009),
    **dict.fromkeys((7, 8, 9), 2010),
    **dict.fromkeys((10, 11, 12), 2011),
    **dict.fromkeys((13, 14), 2012),
    **dict.fromkeys((15, 16, 17), 2013),
    **dict.fromkeys((18, 19, 20), 2014),
    **dict.fromkeys((21, 22, 23), 2015),
    **dict.fromkeys((24, 25, 26), 2016),
    **dict.fromkeys((27, 28), 2017),
    **dict.fromkeys((29, 30, 31), 2018),
    **dict.fromkeys((32, 33, 34), 2019),
    **dict.fromkeys((35, 36), 2020),
    **dict.fromkeys((37, 38, 39), 2021),
    **dict.fromkeys((40, 41), 2022),
    **dict.fromkeys((42, 43, 44), 2023),
    **dict.fromkeys((45, 46, 47), 2024),
    **dict.fromkeys((48, 49, 50), 2025),
}

#: Tables whose ``session`` is a UPR Working Group session (its years: ``UPR_SESSION_YEARS``),
#: and the word a reader knows the sessions by, per table.
UPR_TABLES = frozenset({"recommendation", "voluntary_pledge"})
SESSION_WORDS = {"recommendation": "UPR sessions", "voluntary_pledge": "UPR sessions"}


def _sessions_text(word: str, low: int, high: int) -> str:
    """ "UPR sessions 1–5", "UPR session 48"."""
    if low == high and word.endswith("sessions"):
        word = word[:-1]
    return f"{word} {_span(low, high)}"


def upr_years(sessions: Iterable[int | None]) -> str:
    """The years of some UPR sessions ("2009–2014"; "" when none is in the calendar)."""
    years = [UPR_SESSION_YEARS[s] for s in sessions if s in UPR_SESSION_YEARS]
    if not years:
        return ""
    low, high = min(years), max(years)
    return str(low) if low == high else f"{low}–{high}"


def sessions_list(sessions: Iterable[int | None]) -> str:
    """ "6, 19 and 32" or "1–5": the sessions a count covers, runs collapsed."""
    values = sorted({s for s in sessions if s is not None})
    runs: list[list[int]] = []
    for value in values:
        if runs and value == runs[-1][-1] + 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    parts = [_span(r[0], r[-1]) for r in runs]
    if len(parts) < 2:
        return parts[0] if parts else ""
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _span(low: int | None, high: int | None) -> str:
    if low is None or high is None:
        return ""
    return str(low) if low == high else f"{low}–{high}"


@dataclass(frozen=True)
class SourceCoverage:
    """One imported file: what it covers and when it came in."""

    id: int
    kind: str
    source: str
    file: str
    rows: int
    added: int  # rows inserted or updated by this import
    imported: str  # YYYY-MM-DD HH:MM
    period_start: date | None
    period_end: date | None
    sessions: tuple[int, int] | None = None
    cycles: tuple[int, int] | None = None
    session_word: str = "sessions"
    notes: str | None = None
    state: str | None = None  # ISO3 when every row of the file concerns one state
    table: str | None = None  # the table its sessions come from
    form: str | None = None  # the form whose tables hold its rows ("monitoring")

    @property
    def period(self) -> str:
        """ "2008–2013", or "undated"."""
        return period_label(self.period_start, self.period_end, years=True)

    @property
    def reach(self) -> str:
        """ "UPR sessions 1–5 (cycle 1)" or "" when the rows carry no session."""
        parts = []
        if self.sessions:
            parts.append(_sessions_text(self.session_word, *self.sessions))
        if self.cycles:
            word = "cycle" if self.cycles[0] == self.cycles[1] else "cycles"
            parts.append(f"{word} {_span(*self.cycles)}")
        if len(parts) == 2:
            return f"{parts[0]} ({parts[1]})"
        return parts[0] if parts else ""

    @property
    def label(self) -> str:
        """The source in words, where a page once wrote "#2": name, reach and period."""
        reach = f"{self.reach}, " if self.reach else ""
        return f"{self.source} ({self.file}; {reach}{self.period})"


@dataclass(frozen=True)
class SourceGroup:
    """Files of one kind from one source, shown as one line (16 reservation files of the
    same scrape are one source to a reader)."""

    kind: str
    source: str
    items: tuple[SourceCoverage, ...]

    @property
    def rows(self) -> int:
        return sum(i.rows for i in self.items)

    @property
    def period(self) -> str:
        return _years(self.items)

    @property
    def reach(self) -> str:
        """ "UPR sessions 20, 34 and 48": the sessions the files hold, gaps shown."""
        if len(self.items) == 1:
            return self.items[0].reach
        spans = [i.sessions for i in self.items if i.sessions]
        if not spans:
            return ""
        word = next(i.session_word for i in self.items if i.sessions)
        held = [n for low, high in spans for n in range(low, high + 1)]
        listed = sessions_list(held)
        if listed.isdigit() and word.endswith("sessions"):
            word = word[:-1]
        return f"{word} {listed}"

    @property
    def state(self) -> str | None:
        """The one state every file concerns, if they share one."""
        states = {i.state for i in self.items}
        return states.pop() if len(states) == 1 else None

    @property
    def imported(self) -> str:
        return max(i.imported for i in self.items)


@dataclass(frozen=True)
class Coverage:
    """The sources of a page, split into those with rows and those that added nothing."""

    sources: tuple[SourceCoverage, ...]
    unchanged: tuple[SourceCoverage, ...] = ()  # rows read, all already stored
    empty: tuple[SourceCoverage, ...] = ()  # no row read (the note says why)
    summary: str = ""

    @property
    def all(self) -> tuple[SourceCoverage, ...]:
        return self.sources + self.unchanged + self.empty

    def of_table(self, table: str, what: str) -> Coverage:
        """The sources whose sessions are rows of ``table`` ("recommendation": not the
        pledges that share the form), with their own summary."""
        mine = tuple(i for i in self.sources + self.unchanged if i.table == table)
        return Coverage(mine, (), (), summary_line(mine, what))

    @property
    def groups(self) -> tuple[SourceGroup, ...]:
        """``sources`` gathered by kind and source, in the order of their newest file."""
        found: dict[tuple[str, str], list[SourceCoverage]] = {}
        for item in self.sources:
            found.setdefault((item.kind, item.source), []).append(item)
        return tuple(SourceGroup(k, src, tuple(items)) for (k, src), items in found.items())


def _session_spans(session: Session) -> dict[int, dict[str, Any]]:
    """Per dataset: min/max session and cycle over every table that has those columns, and
    the table that gave the sessions (for the word and the UPR years)."""
    out: dict[int, dict[str, Any]] = {}
    for table in Base.metadata.sorted_tables:
        if "dataset_id" not in table.c or table.name == "dataset":
            continue
        cols = [
            n for n in ("session", "cycle") if n in table.c and isinstance(table.c[n].type, Integer)
        ]
        if not cols:
            continue
        aggs: list[Any] = [f(table.c[n]) for n in cols for f in (func.min, func.max)]
        extra = [n for n in ("state_iso3", "body") if n in table.c]
        for name in extra:  # one state or one body for the whole file: said in words
            aggs += [func.count(table.c[name].distinct()), func.min(table.c[name])]
        stmt = (
            select(table.c.dataset_id, *aggs)
            .where(table.c.dataset_id.is_not(None))
            .group_by(table.c.dataset_id)
        )
        for row in session.execute(stmt):
            entry = out.setdefault(int(row[0]), {})
            for i, name in enumerate(cols):
                low, high = row[1 + 2 * i], row[2 + 2 * i]
                if low is None or high is None:
                    continue
                old = entry.get(name)
                entry[name] = (min(old[0], low), max(old[1], high)) if old else (low, high)
                if name == "session":
                    entry.setdefault("table", table.name)
            base = 1 + 2 * len(cols)
            for j, name in enumerate(extra):
                count, value = row[base + 2 * j], row[base + 2 * j + 1]
                if count == 1:
                    entry.setdefault("state" if name == "state_iso3" else name, str(value))
                elif name == "body":  # a GA session and a Council year are not one range
                    entry.pop("session", None)
    return out


def _linked_periods(session: Session, undated: set[int]) -> dict[int, tuple[date, date]]:
    """Periods of datasets whose own rows carry no date but point at dated rows (a file of
    per-state votes: the dates of the roll calls it records), found from the foreign keys."""
    out: dict[int, tuple[date, date]] = {}
    if not undated:
        return out
    for table in Base.metadata.sorted_tables:
        if "dataset_id" not in table.c or any(isinstance(c.type, Date) for c in table.c):
            continue
        for fk in table.foreign_keys:
            if not fk.parent.primary_key:  # a row about that dated row, not a mere link
                continue
            target = fk.column.table
            dates = [c for c in target.c if isinstance(c.type, Date)]
            if target.name == "dataset" or not dates:
                continue
            stmt = (
                select(table.c.dataset_id, func.min(dates[0]), func.max(dates[0]))
                .join(target, fk.parent == fk.column)
                .where(table.c.dataset_id.in_(sorted(undated)))
                .group_by(table.c.dataset_id)
            )
            for ds_id, low, high in session.execute(stmt):
                low, high = _as_date(low), _as_date(high)
                if low is not None and high is not None:
                    old = out.get(int(ds_id))
                    out[int(ds_id)] = (min(old[0], low), max(old[1], high)) if old else (low, high)
    return out


def _upr_period(sessions: tuple[int, int]) -> tuple[date | None, date | None]:
    low, high = UPR_SESSION_YEARS.get(sessions[0]), UPR_SESSION_YEARS.get(sessions[1])
    return (
        date(low, 1, 1) if low else None,
        date(high, 12, 31) if high else None,
    )


def _describe(ds: Dataset, spans: dict[str, Any]) -> SourceCoverage:
    start, end = ds.period_start, ds.period_end
    if start is None and end is None and "linked" in spans:
        start, end = spans["linked"]
    table = spans.get("table")
    sessions = spans.get("session")
    if start is None and end is None and sessions and table in UPR_TABLES:
        start, end = _upr_period(sessions)
    return SourceCoverage(
        id=ds.id,
        kind=ds.kind,
        source=ds.source,
        file=ds.file_name,
        rows=ds.rows_read or 0,
        added=(ds.inserted or 0) + (ds.updated or 0),
        imported=f"{ds.imported_at:%Y-%m-%d %H:%M}",
        period_start=start,
        period_end=end,
        sessions=sessions,
        cycles=spans.get("cycle"),
        session_word=SESSION_WORDS.get(str(table))
        or (f"{body_label(spans['body'])} sessions" if "body" in spans else "sessions"),
        notes=ds.notes,
        state=spans.get("state"),
        table=table,
        form=spans.get("form"),
    )


def _matches(kind: str, kinds: Sequence[str] | None) -> bool:
    return kinds is None or any(kind.startswith(k) for k in kinds)


def summary_line(items: Iterable[SourceCoverage], what: str) -> str:
    """ "Recommendations from UPR sessions 1–17 (2008–2013) and 20–48 (2014–2025)": the reach
    of several sources in one line, merging runs of sessions that follow each other."""
    items = [i for i in items if i.rows]
    if not items:
        return f"No {what.lower()} imported yet"
    single = [i for i in items if i.state and i.cycles]
    items = [i for i in items if i not in single]
    # sessions are merged only where they are one numbering (UPR); other sources give years
    with_sessions = sorted(
        (i for i in items if i.sessions and i.session_word != "sessions"),
        key=lambda i: (i.session_word, i.sessions or (0, 0)),
    )
    parts: list[str] = []
    runs: list[list[SourceCoverage]] = []
    for item in with_sessions:
        assert item.sessions is not None
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and last.sessions is not None
            and last.session_word == item.session_word
            and item.sessions[0] <= last.sessions[1] + 1
        ):
            runs[-1].append(item)
        else:
            runs.append([item])
    for n, run in enumerate(runs):
        low = min(i.sessions[0] for i in run if i.sessions)
        high = max(i.sessions[1] for i in run if i.sessions)
        years = _years(run)
        text = _sessions_text(run[0].session_word, low, high)
        if n and runs[n - 1][0].session_word == run[0].session_word:
            text = _span(low, high)  # "UPR sessions 1–17 (2008–2013) and 20–48 (...)"
        parts.append(f"{text} ({years})" if years != "undated" else text)
    dated = [i for i in items if i not in with_sessions]
    if dated:
        years = _years(dated)  # an undated file among dated ones adds no reach
        if years == "undated":
            parts.append(f"{len(dated)} undated source(s)")
        else:
            parts.append(f"other sources ({years})" if parts else years)
    for iso3 in sorted({str(i.state) for i in single}):
        mine = [i for i in single if i.state == iso3]
        low = min(i.cycles[0] for i in mine if i.cycles)
        high = max(i.cycles[1] for i in mine if i.cycles)
        word = "cycle" if low == high else "cycles"
        parts.append(f"{state_label(iso3)}'s {word} {_span(low, high)} ({_years(mine)})")
    if not parts:
        return f"No {what.lower()} imported yet"
    joined = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"{what} {'from' if with_sessions or single else 'over'} {joined}"


def _years(items: Sequence[SourceCoverage]) -> str:
    starts = [i.period_start for i in items if i.period_start]
    ends = [i.period_end for i in items if i.period_end]
    if not starts or not ends:
        return "undated"
    return period_label(min(starts), max(ends), years=True)


def form_coverage(session: Session, form: Form, what: str = "Data") -> Coverage:
    """The reach of one form's sources (its landing page and its part of the home page): the
    files whose rows are in the form's tables (``_dataset_forms``; no importer is loaded)."""
    return build_coverage([i for i in all_sources(session) if i.form == form.name], what)


def coverage(session: Session, kinds: Sequence[str] | None = None, what: str = "Data") -> Coverage:
    """The sources whose kind starts with one of ``kinds`` (None: all but the built-in
    reference data), newest import first, with a one-line ``summary`` of their reach. The
    reach of every source is read once per data version (``all_sources``); this only
    filters it."""
    return build_coverage([i for i in all_sources(session) if _matches(i.kind, kinds)], what)


def build_coverage(items: Sequence[SourceCoverage], what: str) -> Coverage:
    """Some sources split into those with rows of their own, those that added nothing and
    those with no row, with the one-line summary of their reach."""
    sources = tuple(i for i in items if i.rows and i.added)
    unchanged = tuple(i for i in items if i.rows and not i.added)
    empty = tuple(i for i in items if not i.rows)
    return Coverage(
        sources=sources,
        unchanged=unchanged,
        empty=empty,
        summary=summary_line(sources + unchanged, what),
    )


def all_sources(session: Session) -> tuple[SourceCoverage, ...]:
    """Every imported file with its reach, computed once per data version (``core.cache``;
    an edit does not change it) and warmed after an import (``warm_coverage``): about a
    second of grouped queries on a store with every open dataset."""
    return cached(session, "coverage", (), lambda: _all_sources(session), edits=False)


def warm_coverage(session: Session, settings: object = None) -> object:
    """The warm-up task's body (``core.warmup.WarmTask``): read every source's reach."""
    return all_sources(session)


def _all_sources(session: Session) -> tuple[SourceCoverage, ...]:
    spans = _session_spans(session)
    undated = set(
        session.scalars(
            select(Dataset.id).where(
                finished(), Dataset.period_end.is_(None), Dataset.rows_read > 0
            )
        )
    )
    for ds_id, span in _linked_periods(session, undated).items():
        spans.setdefault(ds_id, {})["linked"] = span
    for ds_id, form in _dataset_forms(session).items():
        spans.setdefault(ds_id, {})["form"] = form
    stmt = select(Dataset).where(finished()).order_by(Dataset.imported_at.desc(), Dataset.id)
    items = [
        _describe(ds, spans.get(ds.id, {}))
        for ds in session.scalars(stmt)
        if not ds.kind.startswith("reference-")
    ]
    # a file none of whose rows is its own (no row, or all taken over by a newer file)
    # belongs to the form of the files of its kind, or of its family ("untreaties-...")
    kind_forms = {i.kind: i.form for i in items if i.form}
    family_forms = {i.kind.split("-")[0]: i.form for i in items if i.form}
    return tuple(
        i
        if i.form
        else dataclasses.replace(
            i, form=kind_forms.get(i.kind) or family_forms.get(i.kind.split("-")[0])
        )
        for i in items
    )


def _table_forms() -> dict[str, str]:
    """Table name -> the form whose models define it (from the mapped classes' modules)."""
    out: dict[str, str] = {}
    for mapper in Base.registry.mappers:
        parts = mapper.class_.__module__.split(".")
        table = getattr(mapper.local_table, "name", None)
        if table and len(parts) > 2 and parts[0] == "rightsdesk" and parts[1] != "core":
            out[str(table)] = parts[1]
    return out


def _dataset_forms(session: Session) -> dict[int, str]:
    """Dataset id -> the form whose tables hold its rows (one indexed DISTINCT per table)."""
    owners = _table_forms()
    out: dict[int, str] = {}
    for table in Base.metadata.sorted_tables:
        form = owners.get(table.name)
        if form is None or "dataset_id" not in table.c:
            continue
        col = table.c.dataset_id
        for ds_id in session.scalars(select(col).where(col.is_not(None)).distinct()):
            out.setdefault(int(ds_id), form)
    return out
