"""CSV import of documented events: ``rightsdesk import events FILE.csv``.

Why a flat CSV: field teams collect in spreadsheets, and a spreadsheet has one row per thing.
Here a row is one victim's act in an event; rows sharing an ``event_id`` are one event with
several victims, acts, perpetrators and sources. The file is UTF-8 (with or without a BOM).

Columns (only the first three are required; an unknown or repeated column is refused, since a
misspelt ``victim_name`` would otherwise drop data silently). Without a level the event is
``confidential``: documentation is protected unless someone decides otherwise.

=====================  ==========================================================================
column                 meaning
=====================  ==========================================================================
title                  the event's title (required)
start_date             ``2019``, ``2019-03`` or ``2019-03-04``: the precision is kept (required)
country                ISO3 code or a name, through the state resolver (required)
event_id               your key of the event; rows sharing it are one event. Without it the key
                       is a hash of title, start date and country
end_date               as ``start_date``; not before it
description            what happened (shown to whoever may read the event)
area                   coarse place shown with the event (province, district, town)
place                  exact place
latitude, longitude    decimal degrees, both or neither
location_sensitive     yes/no: when yes, place and coordinates are stored encrypted only
status                 reported (default), under_review, verified, closed
confidentiality        public, restricted, confidential (default), strictly confidential
violation_type         an act code or label (``killing``, ``Arbitrary detention``)
victim_name            sensitive, encrypted; rows with the same name in one event are one victim
victim_sex             female, male, other, unknown
victim_age_group       child, adult, older, unknown
victim_occupation      in clear (counted), as is victim_group (a community, a party)
perpetrator            name of a person, unit or organisation (found or added by name)
perpetrator_role       direct, ordered, commanded, aided, failed_to_prevent, failed_to_punish,
                       unknown (default)
source_type            witness, victim, relative, media, ngo, official, un, other
source_name            the reporter (sensitive, encrypted)
source_reliability     A-F (Admiralty code; default F, "cannot be judged")
source_credibility     1-6 (default 6, "cannot be judged")
source_date            when it was reported (YYYY-MM-DD)
source_citation        a published source (a report, an article)
=====================  ==========================================================================

The rules every importer follows: one transaction (an error anywhere writes nothing); an error
names the file, line and field, and never repeats a sensitive value (victim and source names,
the exact place and coordinates); a re-import updates the events it lists and never deletes
one it does not. Records are entered by the operator (``created_by`` empty) and linked to the
import's Dataset.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

from sqlalchemy import select

from rightsdesk.core.errors import InputError, MissingColumnError, UnknownStateError
from rightsdesk.core.importing import ImportContext, Importer, iter_csv, read_text, sniff_header
from rightsdesk.core.resolver import resolve_state
from rightsdesk.core.states import State
from rightsdesk.monitoring.violations.models import (
    EVENT_STATUSES,
    INVOLVEMENT_ROLES,
    LEVELS,
    SOURCE_CREDIBILITY,
    SOURCE_RELIABILITY,
    ActType,
)
from rightsdesk.monitoring.violations.sources.events_rows import (
    DEFAULT_LEVEL,
    SENSITIVE,
    ParsedAct,
    ParsedEvent,
    ParsedSource,
    ParsedVictim,
    Row,
    coordinate,
    parse_date,
    yes_no,
)
from rightsdesk.monitoring.violations.sources.events_store import store_events
from rightsdesk.monitoring.violations.vocab import AGE_GROUPS, SEXES, SOURCE_TYPES

__all__ = ["COLUMNS", "IMPORTERS", "REQUIRED", "EventsCsvImporter", "ParsedEvent", "parse_file"]

REQUIRED = ("title", "start_date", "country")
COLUMNS = (
    *REQUIRED,
    "event_id",
    "end_date",
    "description",
    "area",
    "place",
    "latitude",
    "longitude",
    "location_sensitive",
    "status",
    "confidentiality",
    "violation_type",
    "victim_name",
    "victim_sex",
    "victim_age_group",
    "victim_occupation",
    "victim_group",
    "perpetrator",
    "perpetrator_role",
    "source_type",
    "source_name",
    "source_reliability",
    "source_credibility",
    "source_date",
    "source_citation",
)
#: Event columns: rows of one event may leave them empty but must not contradict each other.
EVENT_FIELDS = (
    "title",
    "start_date",
    "country",
    "end_date",
    "description",
    "area",
    "place",
    "latitude",
    "longitude",
    "location_sensitive",
    "status",
    "confidentiality",
)


def event_key(row: Row, title: str, start: tuple[dt.date, str], iso3: str) -> str:
    """The event's natural key: its ``event_id``, or a stable hash of what identifies it."""
    given = row.get("event_id")
    if given:
        return given
    text = "|".join((" ".join(title.casefold().split()), start[0].isoformat(), start[1], iso3))
    return "csv-" + hashlib.sha256(text.encode()).hexdigest()[:24]


class _Parser:
    """Reads a file into ``ParsedEvent``s, checking every value before anything is stored."""

    def __init__(self, path: Path, act_types: dict[str, str], states: set[str]) -> None:
        self.path = path
        self.act_types = act_types  # code or casefolded label -> code
        self.states = states
        self.events: dict[str, ParsedEvent] = {}
        self.rows = 0

    def run(self) -> list[ParsedEvent]:
        for csv_row in iter_csv(self.path, REQUIRED):
            self.rows += 1
            self.row(Row(self.path, csv_row.line, csv_row.values))
        if not self.events:
            raise InputError("the file lists no event", file=self.path, line=2)
        return list(self.events.values())

    def row(self, row: Row) -> None:
        given = row.get("event_id")
        earlier = self.events.get(given) if given else None
        if earlier is not None and not any(row.get(name) for name in REQUIRED):
            # a later row of an event named by its event_id may leave title, start date and
            # country empty, as spreadsheets do: they are the event's first row's
            self.check_same(earlier, row)
            self.children(earlier, row)
            return
        title = row.get("title")
        for name in REQUIRED:
            if not row.get(name):
                row.fail(
                    name,
                    "empty: an event's first row needs a title, a start date and a country "
                    "(later rows with the same event_id may leave all three empty)",
                )
        start = parse_date(row.get("start_date"), row, "start_date")
        iso3 = self.state(row)
        key = event_key(row, title, start, iso3)
        event = self.events.get(key)
        if event is None:
            event = self.new_event(row, key, title, start, iso3)
            self.events[key] = event
        else:
            self.check_same(event, row)
            for name, value, first in (
                (
                    "title",
                    " ".join(title.casefold().split()),
                    " ".join(event.title.casefold().split()),
                ),
                ("start_date", start, event.start),
                ("country", iso3, event.iso3),
            ):
                if value != first:
                    row.fail(name, f"differs from line {event.line} of the same event ({key!r})")
        self.children(event, row)

    def state(self, row: Row) -> str:
        try:
            iso3 = resolve_state(row.get("country"))
        except UnknownStateError as exc:  # an ambiguous name lists its candidates
            raise InputError(exc.message, file=self.path, line=row.line, field="country") from exc
        if iso3 not in self.states:
            row.fail("country", f"{iso3} is not in the store's states (run `rightsdesk init`)")
        return iso3

    def new_event(
        self, row: Row, key: str, title: str, start: tuple[dt.date, str], iso3: str
    ) -> ParsedEvent:
        fields = {name: row.get(name) for name in EVENT_FIELDS if name in row.values}
        event = ParsedEvent(key, row.line, fields, {n: row.line for n in fields})
        event.title, event.start, event.iso3 = title, start, iso3
        if row.get("end_date"):
            event.end = parse_date(row.get("end_date"), row, "end_date")
            if event.end[0] < start[0]:
                row.fail("end_date", "before the start date")
        event.latitude = coordinate(row, "latitude", 90)
        event.longitude = coordinate(row, "longitude", 180)
        if (event.latitude is None) != (event.longitude is None):
            row.fail("latitude" if event.latitude is None else "longitude", "give both or none")
        event.sensitive_location = yes_no(row, "location_sensitive")
        event.status = row.choice("status", EVENT_STATUSES, "reported") or "reported"
        event.level = row.choice("confidentiality", LEVELS, DEFAULT_LEVEL) or DEFAULT_LEVEL
        return event

    def check_same(self, event: ParsedEvent, row: Row) -> None:
        """A later row of an event may leave its columns empty but not give other values."""
        for name in EVENT_FIELDS[3:]:  # title, start date and country: compared as read
            value = row.get(name)
            if not value:
                continue
            first = event.fields.get(name, "")
            if not first:
                row.fail(name, f"given here but not on line {event.line}, the event's first row")
            if value != first:
                detail = "" if name in SENSITIVE else f" ({value!r} vs {first!r})"
                row.fail(
                    name,
                    f"differs from line {event.lines[name]} of the same event "
                    f"({event.key!r}){detail}",
                )

    def children(self, event: ParsedEvent, row: Row) -> None:
        victim = self.victim(event, row)
        code = row.get("violation_type")
        perpetrator = row.get("perpetrator")
        role = row.choice("perpetrator_role", INVOLVEMENT_ROLES, "unknown") or "unknown"
        if code:
            act_type = self.act_types.get(code.casefold())
            if act_type is None:
                valid = sorted(set(self.act_types.values()))
                row.fail("violation_type", f"unknown act type {code!r}; valid: {', '.join(valid)}")
                return
            act = ParsedAct(act_type, victim, perpetrator or None, role)
            if act not in event.acts:
                event.acts.append(act)
        elif perpetrator or row.get("perpetrator_role"):
            row.fail("violation_type", "a perpetrator is linked to an act: give its type")
        self.source(event, row)

    def victim(self, event: ParsedEvent, row: Row) -> int | None:
        found = ParsedVictim(
            row.get("victim_name") or None,
            row.choice("victim_sex", SEXES, None),
            row.choice("victim_age_group", AGE_GROUPS, None),
            row.get("victim_occupation") or None,
            row.get("victim_group") or None,
        )
        if not any(vars(found).values()):
            return None
        for index, known in enumerate(event.victims):
            if found.name is not None and known.name == found.name:
                for attr in ("sex", "age_group", "occupation", "group"):
                    if getattr(found, attr) is None:
                        continue
                    if getattr(known, attr) is None:
                        setattr(known, attr, getattr(found, attr))
                    elif getattr(known, attr) != getattr(found, attr):
                        row.fail(f"victim_{attr}", "differs from an earlier row of this victim")
                return index
        event.victims.append(found)
        return len(event.victims) - 1

    def source(self, event: ParsedEvent, row: Row) -> None:
        names = ("source_type", "source_name", "source_date", "source_citation")
        if not any(row.get(n) for n in (*names, "source_reliability", "source_credibility")):
            return
        date_text = row.get("source_date")
        reported = None
        if date_text:
            try:
                reported = dt.date.fromisoformat(date_text)
            except ValueError:
                row.fail("source_date", "malformed date (expected YYYY-MM-DD)")
        source = ParsedSource(
            row.choice("source_type", SOURCE_TYPES, "other") or "other",
            row.get("source_name") or None,
            (row.get("source_reliability") or "F").upper(),
            row.get("source_credibility") or "6",
            reported,
            row.get("source_citation") or None,
        )
        if source.reliability not in SOURCE_RELIABILITY:
            row.fail("source_reliability", "not one of A-F")
        if source.credibility not in SOURCE_CREDIBILITY:
            row.fail("source_credibility", "not one of 1-6")
        if source not in event.sources:
            event.sources.append(source)


def check_header(path: Path) -> None:
    """Refuse a file with a missing or an unknown column (a misspelt one would lose data)."""
    names = _header_names(path)
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        # the cells found are named only when some required column is there: a file without
        # a header would otherwise have its first row, victim names included, in the message
        found = f"; found {', '.join(names)}" if len(missing) < len(REQUIRED) else ""
        raise MissingColumnError(
            f"missing column(s) {', '.join(missing)}{found} (is the header row there?)",
            file=path,
            line=1,
            field=missing[0],
        )
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(
            f"column(s) {', '.join(map(repr, twice))} appear twice",
            file=path,
            line=1,
            field=twice[0],
        )
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise InputError(
            f"unknown column(s) {', '.join(map(repr, unknown))}; the columns are "
            + ", ".join(COLUMNS),
            file=path,
            line=1,
            field=unknown[0],
        )


def parse_file(
    path: Path, act_types: dict[str, str], states: set[str]
) -> tuple[list[ParsedEvent], int]:
    """Every event of the file, checked, and the number of rows read; raises InputError
    naming the first bad line and field."""
    check_header(path)
    parser = _Parser(path, act_types, states)
    return parser.run(), parser.rows


def _header_names(path: Path) -> list[str]:
    text = read_text(path).lstrip("\ufeff")
    try:
        first = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        raise InputError(f"not a readable CSV header ({exc})", file=path, line=1) from exc
    return [c.strip() for c in first]


class EventsCsvImporter:
    """``rightsdesk import events FILE.csv``: documented events from a spreadsheet."""

    kind = "events"
    label = "Documented violations: events, victims, acts, perpetrators and sources (CSV)"
    source = "Violations documentation (CSV, rightsdesk events columns)"
    source_url: str | None = None
    licence: str | None = None

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".csv" and sniff_header(path, REQUIRED)

    def run(self, ctx: ImportContext) -> None:
        act_types: dict[str, str] = {}
        for code, label in ctx.session.execute(select(ActType.code, ActType.label)):
            act_types[code.casefold()] = code
            act_types.setdefault(label.casefold(), code)
        states = set(ctx.session.scalars(select(State.iso3)))
        events, rows = parse_file(ctx.path, act_types, states)
        ctx.report.rows_read = rows
        store_events(ctx, events)


IMPORTERS: list[Importer] = [EventsCsvImporter()]
