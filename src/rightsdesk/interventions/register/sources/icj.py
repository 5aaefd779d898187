"""Importer of the ICJ list of cases (``icj-cases.json``): ``rightsdesk import icj-cases FILE``.

The file is a JSON array, one object per case: ``no`` (the Court's case number), ``title``
(the official short title, parties in brackets: "... (The Gambia v. Myanmar)"), ``kind``
("Contentious" or "Advisory"), ``introduced`` and ``concluded`` (years) and ``pending``.
The parties are read from the brackets: before " v. " the applicant(s), after it the
respondent(s); a "/" between names (a case brought by special agreement) makes both
"party"; intervening states after a colon are left out. A party with no current state code
(Yugoslavia) keeps its name. Identifier: "ICJ <no>". Natural key: the case number.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer, head_text, read_text
from rightsdesk.core.resolver import lookup_state
from rightsdesk.interventions.register.origins import ICJ
from rightsdesk.interventions.register.sources.common import (
    EntryData,
    StateRole,
    drop_unlisted,
    load_stored,
    store_entry,
    year_date,
)

_PARTIES = re.compile(r"\(([^()]*(?: v\. |/)[^()]*)\)")


def _one_state(name: str) -> StateRole | None:
    """A party as written; None for text that is no state name at all."""
    name = name.strip().rstrip(".").strip()
    if not name:
        return None
    return StateRole("", lookup_state(name), name)


def _states(text: str) -> list[StateRole]:
    """The states of one side: "Canada, Sweden, Ukraine and United Kingdom"; a name holding
    "and" (Bosnia and Herzegovina) is tried whole first."""
    whole = _one_state(text)
    if whole is not None and whole.iso3:
        return [whole]
    out: list[StateRole] = []
    for piece in re.split(r",\s*", text):
        found = _one_state(piece)
        if found is not None and found.iso3:
            out.append(found)
            continue
        parts = _split_and(piece)
        if parts:
            out.extend(parts)
        elif found is not None:
            out.append(found)  # kept by name: no current code (Yugoslavia)
    return out


def _split_and(text: str) -> list[StateRole]:
    """ "United Kingdom of Great Britain and Northern Ireland and United States of America":
    the split at an "and" where both sides are states (names holding "and" kept whole)."""
    for found in reversed(list(re.finditer(r"\s+and\s+", text))):
        left = _one_state(text[: found.start()])
        if left is None or not left.iso3:
            continue
        rest = text[found.end() :]
        right = _one_state(rest)
        if right is not None and right.iso3:
            return [left, right]
        more = _split_and(rest)
        if more:
            return [left, *more]
    return []


def parties(title: str) -> list[StateRole]:
    """Applicants, respondents (or parties by special agreement) named in a title: the
    first bracket with " v. ", else the last with a "/"."""
    brackets = [m.group(1) for m in _PARTIES.finditer(title)]
    versus = [b for b in brackets if " v. " in b]
    chosen = versus[0] if versus else (brackets[-1] if brackets else None)
    if chosen is None:
        return []
    inner = chosen.split(":")[0]
    if " v. " in inner:
        left, right = inner.split(" v. ", 1)
        sides = [("applicant", left), ("respondent", right)]
    else:
        sides = [("party", p) for p in inner.split("/")]
    out: list[StateRole] = []
    for role, text in sides:
        for state in _states(text):
            out.append(StateRole(role, state.iso3, state.name))
    return out


def _status(item: dict[str, Any]) -> str:
    if item.get("pending"):
        return "pending"
    if item.get("concluded"):
        return "concluded"
    return "listed"


def _year(item: dict[str, Any], name: str, path: Path, index: int) -> int | None:
    value = item.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise InputError(
            f"expected a year, got {value!r}", file=path, line=index + 1, field=f"[{index}].{name}"
        )
    return value


class _Where:
    """Where a case sits in the file: the path, and its position as "line" (1 = first)."""

    def __init__(self, path: Path, index: int) -> None:
        self.kw: dict[str, Any] = {"file": path, "line": index + 1}


def parse_cases(path: Path) -> tuple[list[EntryData], int | None]:
    """The file's cases and the latest year it mentions. Line numbers in errors are the
    position of the case in the array (1 = first), the field is ``[index].name``."""
    try:
        items = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", file=path, line=exc.lineno) from exc
    if not isinstance(items, list):
        raise InputError("expected a JSON array of cases", file=path, line=1)
    out: list[EntryData] = []
    years: list[int] = []
    seen: set[int] = set()
    for index, item in enumerate(items):
        where = _Where(path, index)
        if not isinstance(item, dict):
            raise InputError("expected an object per case", field=f"[{index}]", **where.kw)
        number, title = item.get("no"), item.get("title")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise InputError(
                f"missing or bad case number {number!r}", field=f"[{index}].no", **where.kw
            )
        if number in seen:
            raise InputError(f"case {number} listed twice", field=f"[{index}].no", **where.kw)
        seen.add(number)
        if not isinstance(title, str) or not title.strip():
            raise InputError("missing title", field=f"[{index}].title", **where.kw)
        kind = str(item.get("kind") or "")
        if kind not in ("Contentious", "Advisory"):
            raise InputError(
                f"expected Contentious or Advisory, got {kind!r}",
                field=f"[{index}].kind",
                **where.kw,
            )
        start = _year(item, "introduced", path, index)
        end = _year(item, "concluded", path, index)
        years += [y for y in (start, end) if y]
        title = " ".join(title.split())
        out.append(
            EntryData(
                kind="icj-case",
                key=str(number),
                line=index + 1,
                states=parties(title) if kind == "Contentious" else [],
                values={
                    "identifier": f"ICJ {number}",
                    "title": title[:500],
                    "mandate_body": "ICJ",
                    "mandate_ref": "advisory proceedings" if kind == "Advisory" else None,
                    "start_date": year_date(start),
                    "start_precision": "year",
                    "end_date": year_date(end),
                    "end_precision": "year",
                    "status": _status(item),
                    "url": f"https://www.icj-cij.org/case/{number}",
                },
            )
        )
    if not out:
        raise InputError("the file lists no case", file=path, line=1)
    return out, max(years) if years else None


class IcjImporter:
    """``rightsdesk import icj-cases icj-cases.json``."""

    kind = ICJ.kind
    label = "International Court of Justice: contentious and advisory cases"
    source = ICJ.label
    source_url: str | None = ICJ.url
    licence: str | None = ICJ.licence

    def sniff(self, path: Path) -> bool:
        head = head_text(path, 600)
        return path.suffix.lower() == ".json" and '"no"' in head and '"introduced"' in head

    def run(self, ctx: ImportContext) -> None:
        rows, last_year = parse_cases(ctx.path)
        ctx.report.rows_read = len(rows)
        # stored as 1 January like the cases' year-precise dates, shown as the year
        as_of = dt.date(last_year, 1, 1) if last_year else None
        stored = load_stored(ctx, ["icj-case"])
        citation = f"{ICJ.label}, file {ctx.path.name}"
        for data in rows:
            store_entry(ctx, stored, data, ICJ.kind, citation, as_of, data.values["url"])
        drop_unlisted(ctx, stored, {(d.kind, d.key) for d in rows}, ICJ.kind, "ICJ case")
        unnamed = sorted({s.name for d in rows for s in d.states if not s.iso3})
        if unnamed:
            ctx.warn(f"parties kept by name (no current state code): {', '.join(unnamed)}")
        ctx.warn(f"{len(rows)} cases, data up to {last_year or 'an unstated year'}")


IMPORTERS: list[Importer] = [IcjImporter()]
