"""OHCHR "thematic list of recommendations" Word documents (one per state and UPR cycle).

Each document is one table: a header row, "Theme: ..." section rows, and one row per
recommendation: ``<paragraph> <text> (<recommending states>); Source of position: <symbol>``,
the position (Supported/Noted), the themes cell and, depending on the cycle, affected persons,
groups of persons and SDG targets. Three layouts exist (2nd cycle: coded UHRI themes such as
"A12 Acceptance of international norms" and "Affected persons:"; 3rd cycle: "- theme" lists
with "SDGs:" and "Affected persons:" in the same cell; 4th cycle: "Groups of Persons:" and a
separate SDG column); the parser reads the cells line by line, switching taxonomy at each
heading, so all three go through one path.

The natural key is (UPR, session, state under review, paragraph): a paragraph number is
unique in a Working Group report.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer, resolve_or_fail
from rightsdesk.core.states import lookup_state
from rightsdesk.monitoring.recommendations.sources.cleaning import RESPONSE_WORDS
from rightsdesk.monitoring.recommendations.sources.common import natural_key, upr_cycle
from rightsdesk.monitoring.recommendations.sources.writer import RecommendationWriter

__all__ = ["IMPORTERS", "OhchrThematicImporter", "ThematicRow", "read_thematic_list"]

_PARA = re.compile(r"^\s*(\d+\.\d+)\s+(.*)$", re.S)
_SOURCE = re.compile(r"Source of [Pp]osition\s*:\s*(.*)$", re.S)
_SYMBOL = re.compile(r"(A/HRC/[\w./]+?)(?:\s*-\s*Para\.?\s*([\d.]+))?\s*$")
_CODE = re.compile(r"^[A-H]\d{1,3}\s+")
_SESSION_NAME = re.compile(r"UPR[ _-]?(\d{1,2})", re.I)
_SESSION_TEXT = re.compile(r"(\d{1,2})(?:st|nd|rd|th)\s+[Ss]ession")
_CYCLE_TEXT = re.compile(r"(\d)(?:st|nd|rd|th)\s+[Cc]ycle")
_STATE_TEXT = re.compile(r"UPR of (.+?)\s*\(")
# the position words a list may use (the writer maps them to the common vocabulary)
POSITIONS = {word: word for word in RESPONSE_WORDS}


@dataclass
class ThematicRow:
    """One recommendation of a thematic list, with raw recommending state names."""

    line: int  # table row number (1 = header row)
    paragraph: str
    text: str
    from_states: list[str]
    position: str
    source: str | None
    themes: list[tuple[str, str]] = field(default_factory=list)  # (taxonomy, label)


@dataclass
class ThematicDocument:
    state: str
    session: int
    cycle: int | None
    rows: list[ThematicRow]


def _split_top(text: str) -> list[str]:
    """Split on commas outside parentheses ("Venezuela (Bolivarian Republic of), Chile")."""
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _trailing_group(segment: str) -> tuple[str, str] | None:
    """(rest, inner) when ``segment`` ends with a balanced parenthesised group."""
    if not segment.endswith(")"):
        return None
    depth = 0
    for pos in range(len(segment) - 1, -1, -1):
        depth += segment[pos] == ")"
        depth -= segment[pos] == "("
        if depth == 0:
            return segment[:pos].rstrip(), segment[pos + 1 : -1]
    return None


def split_states(text: str) -> tuple[str, list[str]]:
    """The text without its state attributions, and the recommending states named.

    A parenthesised group at the end of a sentence counts as attribution only when every
    comma-separated name in it is a state; "(ICCPR)" or "(2010)" stays in the text.
    """
    states: list[str] = []
    kept: list[str] = []
    for segment in re.split(r";", text):
        seg = segment.strip().rstrip(".").rstrip()
        found_here: list[str] = []
        while True:
            found = _trailing_group(seg)
            if found is None:
                break
            rest, inner = found
            names = _split_top(inner)
            if not names or any(lookup_state(n) is None for n in names):
                break
            found_here = names + found_here
            seg = rest.rstrip(" .")
        states += found_here
        if seg:
            kept.append(seg)
    return "; ".join(kept), list(dict.fromkeys(states))


def _theme_lines(cell: str, start: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    taxonomy = start
    for raw in cell.splitlines():
        line = raw.strip()
        if not line:
            continue
        low = line.casefold().rstrip(": ")
        if low in ("affected persons", "groups of persons"):
            taxonomy = "affected-persons"
            continue
        if low in ("sdgs", "sdg", "relevant sdgs"):
            taxonomy = "sdg"
            continue
        label = line.lstrip("-–• ").strip()
        if not label:
            continue
        if taxonomy == "uhri":
            label = _CODE.sub("", label)
        elif taxonomy == "sdg":
            num, _, name = label.partition(" - ")
            label = f"{num.strip()} - {name.strip().capitalize()}" if name else label
        else:
            label = label[:1].upper() + label[1:]
        out.append((taxonomy, label[:200]))
    return out


def read_thematic_list(path: Path) -> ThematicDocument:
    """Parse one thematic list; InputError names the file, table row and column on problems."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    try:
        document = docx.Document(str(path))
    # a damaged package fails anywhere from the zip directory to inflating or parsing a part
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        LxmlError,
        PackageNotFoundError,
        KeyError,
        ValueError,
    ) as exc:
        raise InputError(
            f"not a Word (.docx) document, or a damaged one ({exc})", file=path
        ) from exc
    header = " ".join(
        p.text for s in document.sections for p in s.header.paragraphs if p.text.strip()
    )
    match = _SESSION_NAME.search(path.name) or _SESSION_TEXT.search(header)
    if match is None:
        raise InputError(
            "cannot tell the UPR session: neither the file name (UPR<n>_...) nor the page "
            "header ('<n>th session') names it",
            file=path,
            field="session",
        )
    session = int(match.group(1))
    cycle_match = _CYCLE_TEXT.search(header)
    cycle = int(cycle_match.group(1)) if cycle_match else upr_cycle(session)
    state_match = _STATE_TEXT.search(header)
    state = state_match.group(1).strip() if state_match else "Slovenia"
    if not document.tables:
        raise InputError("the document has no table of recommendations", file=path)
    table = document.tables[0]
    head = [c.text.strip().casefold() for c in table.rows[0].cells]
    if len(head) < 3 or not head[0].startswith("recommendation"):
        raise InputError(
            f"unexpected table header {head!r} (expected 'Recommendation', 'Position', themes)",
            file=path,
            line=1,
            field="Recommendation",
        )
    fourth_is_sdg = len(head) > 3 and "sdg" in head[3]
    rows: list[ThematicRow] = []
    for number, row in enumerate(table.rows, start=1):
        if number == 1:
            continue
        cells = [c.text for c in row.cells]
        first = cells[0].strip()
        if not first or first.startswith("Theme:"):
            continue
        para = _PARA.match(first)
        if para is None:
            raise InputError(
                f"a recommendation must start with its paragraph number: {first[:60]!r}",
                file=path,
                line=number,
                field="Recommendation",
            )
        body = para.group(2)
        source = None
        src = _SOURCE.search(body)
        if src is not None:
            source = " ".join(src.group(1).split()) or None
            body = body[: src.start()]
        text, states = split_states(" ".join(body.split()))
        position = " ".join(cells[1].casefold().split()) if len(cells) > 1 else ""
        if position not in POSITIONS:
            raise InputError(
                f"unknown position {cells[1].strip()!r} (expected Supported or Noted)",
                file=path,
                line=number,
                field="Position",
            )
        themes = _theme_lines(cells[2], "uhri") if len(cells) > 2 else []
        if fourth_is_sdg:
            themes += _theme_lines(cells[3], "sdg")
        rows.append(
            ThematicRow(
                line=number,
                paragraph=para.group(1),
                text=text,
                from_states=states,
                position=POSITIONS[position],
                source=source,
                themes=list(dict.fromkeys(themes)),
            )
        )
    return ThematicDocument(state=state, session=session, cycle=cycle, rows=rows)


def _symbols(source: str | None) -> tuple[str | None, str | None]:
    """(report symbol, response source) from 'A/HRC/28/15/Add.1 - Para. 3'."""
    if not source:
        return None, None
    match = _SYMBOL.search(source)
    if match is None:
        return None, source[:120]
    symbol = match.group(1).rstrip(".")
    report = re.sub(r"/Add\.\d+$", "", symbol)
    return report, source[:120]


class OhchrThematicImporter:
    """``rightsdesk import ohchr-thematic UPR34_Slovenia_Thematic_list_of_Recommendations.docx``."""

    kind = "ohchr-thematic"
    label = "UPR recommendations (OHCHR thematic list, Word)"
    source = "OHCHR thematic list of UPR recommendations"
    source_url: str | None = "https://www.ohchr.org/en/hr-bodies/upr/upr-main"
    licence: str | None = "UN document"

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".docx" and "thematic" in path.name.casefold()

    def run(self, ctx: ImportContext) -> None:
        doc = read_thematic_list(ctx.path)
        state_iso3 = resolve_or_fail(doc.state, ctx.path, 1, "state under review")
        writer = RecommendationWriter(ctx, mechanism="UPR", source="OHCHR")
        for row in doc.rows:
            ctx.report.rows_read += 1
            recommending = [
                resolve_or_fail(name, ctx.path, row.line, "Recommendation")
                for name in row.from_states
            ]
            report, response_source = _symbols(row.source)
            writer.write(
                key=natural_key("UPR", doc.session, state_iso3, "para", row.paragraph),
                text=row.text,
                state_iso3=state_iso3,
                session=doc.session,
                cycle=doc.cycle,
                recommending=recommending,
                response=row.position,
                action_category=None,
                themes=row.themes,
                paragraph=row.paragraph,
                document_symbol=report,
                response_source=response_source or "OHCHR",
                line=row.line,
            )
        ctx.advance(ctx.path.stat().st_size)
        writer.finish()


IMPORTERS: list[Importer] = [OhchrThematicImporter()]
