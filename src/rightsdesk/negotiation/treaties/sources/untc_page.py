"""Reading a UN Treaty Collection status page (chapter IV) into plain records, no database.

The page a user saves from treaties.un.org (``ViewDetails.aspx?...&mtdsg_no=IV-4``) holds, in
tables with stable ASP.NET ids: the participants (``tblgrid``: name, signature, consent with a
suffix a/d/A/AA/c; a date in brackets is an act no longer in force, i.e. denounced), the
declarations and reservations (``dgDec``), objections (``dgObj``), declarations recognising
the competence of the committee (``dgDecUnderArticle``) and the end notes (``dgNotesAll``),
which carry the denunciations, re-accessions, predecessor states' acts and withdrawals. This
module turns those into records; ``untc_status`` writes them. Parsing uses lxml's HTML parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import lxml.html

from rightsdesk.core.errors import InputError

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
)
DATE_LONG = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_NAMES})\s+(\d{{4}})\b")
_CELL = re.compile(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\s*(AA|A|a|d|c)?")
_NOTE_NO = re.compile(r"^\s*(\d+)")
_ID = "ctl00_ctl00_ContentPlaceHolder1_ContentPlaceHolderInnerPage_"


@dataclass
class Participant:
    """One row of the participants table."""

    name: str
    notes: list[str]
    signature: date | None
    signature_mark: str
    consent: date | None
    consent_mark: str
    bracketed: bool  # the consent is shown in brackets: no longer in force
    line: int


@dataclass
class Block:
    """One state's entry in a declarations / objections / competence section.

    ``parts`` is the entry as a sequence of ("date" | "heading" | "text", value) in page order.
    """

    name: str
    notes: list[str]
    parts: list[tuple[str, Any]]
    line: int


@dataclass
class StatusPage:
    """Everything read from one page."""

    path: Path
    chapter: str  # "IV-9-b"
    status_as_at: date | None
    participants: list[Participant]
    notes: dict[str, str]
    declarations: list[Block]
    objections: list[Block]
    competence: list[Block]
    competence_heading: str
    extra: dict[str, Any] = field(default_factory=dict)


def long_dates(text: str) -> list[date]:
    """Every "12 September 1989" in ``text``, in order (impossible dates skipped)."""
    names = _MONTH_NAMES.split("|")
    out = []
    for match in DATE_LONG.finditer(text):
        try:
            out.append(
                date(int(match.group(3)), names.index(match.group(2)) + 1, int(match.group(1)))
            )
        except ValueError:
            continue
    return out


def long_date(text: str) -> date | None:
    """The first "12 September 1989" in ``text``, or None."""
    found = long_dates(text)
    return found[0] if found else None


def _cell_date(text: str, path: Path, line: int, field_name: str) -> tuple[date | None, str]:
    text = " ".join(text.replace("[", " ").replace("]", " ").split())
    if not text:
        return None, ""
    match = _CELL.search(text)
    month = _MONTHS.get(match.group(2).casefold()) if match else None
    if match is None or month is None:
        raise InputError(
            f"malformed date {text!r} (expected e.g. '4 Oct 2007 a')", path, line, field_name
        )
    try:
        day = date(int(match.group(3)), month, int(match.group(1)))
    except ValueError as exc:
        raise InputError(f"impossible date {text!r} ({exc})", path, line, field_name) from exc
    return day, match.group(4) or ""


def _name_and_notes(el: lxml.html.HtmlElement) -> tuple[str, list[str]]:
    notes = [a.text_content().strip() for a in el.xpath(".//sup//a")]
    for sup in el.xpath(".//sup|.//superscript"):
        sup.drop_tree()
    return " ".join(el.text_content().split()), [n for n in notes if n]


def _rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return list(table.xpath("./tr|./tbody/tr"))


def _table(doc: lxml.html.HtmlElement, suffix: str) -> lxml.html.HtmlElement | None:
    found = doc.xpath(f'//table[@id="{_ID}{suffix}"]')
    return found[0] if found else None


def segments(div: lxml.html.HtmlElement) -> list[tuple[str, Any]]:
    """A declaration's text as ("date", date) / ("heading", str) / ("text", line) parts."""
    for br in div.iter("br"):
        br.tail = "\n" + (br.tail or "")
    out: list[tuple[str, Any]] = []
    buf: list[str] = []

    def flush() -> None:
        for line in "".join(buf).split("\n"):
            line = " ".join(line.split())
            if line:
                out.append(("text", line))
        buf.clear()

    buf.append(div.text or "")
    for child in div:
        tag = child.tag if isinstance(child.tag, str) else ""
        align = (child.get("align") or "").lower()
        if tag == "p" and "invisible" in (child.get("class") or ""):
            pass
        elif tag == "p" and align == "right":
            flush()
            day = long_date(" ".join(child.text_content().split()))
            if day is not None:
                out.append(("date", day))
        elif tag == "p" and child.find(".//i") is not None:
            flush()
            heading = " ".join(child.text_content().split())
            if heading:
                out.append(("heading", heading))
        elif tag in ("sup", "superscript"):
            pass
        else:
            buf.append(child.text_content())
            if tag == "p":
                buf.append("\n")
        buf.append(child.tail or "")
    flush()
    return out


def _blocks(doc: lxml.html.HtmlElement, suffix: str) -> list[Block]:
    table = _table(doc, suffix)
    if table is None:
        return []
    blocks = []
    for tr in _rows(table):
        who = tr.xpath('.//div[contains(@id,"divParticipant")]')
        text = tr.xpath('.//div[contains(@id,"divText")]')
        if not who or not text:
            continue
        name, notes = _name_and_notes(who[0])
        if name:
            blocks.append(Block(name, notes, segments(text[0]), tr.sourceline or 0))
    return blocks


def _chapter(doc: lxml.html.HtmlElement) -> str | None:
    for el in doc.xpath('//*[contains(concat(" ", @class, " "), " heading-four ")]'):
        text = " ".join(el.text_content().split())
        match = re.match(r"^(\d+)\.\s*([a-z])?\s+\S", text)
        if match:
            return f"IV-{match.group(1)}" + (f"-{match.group(2)}" if match.group(2) else "")
    return None


def parse_status_page(path: Path) -> StatusPage:
    """Read one saved status page; InputError naming the file when it is not one, or is cut."""
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError("empty file; expected a UN Treaty Collection status page", file=path)
    if b"</html>" not in raw[-4096:].lower():
        raise InputError(
            "the page ends before </html> (is the file cut? save the whole page again)",
            file=path,
        )
    try:
        doc = lxml.html.document_fromstring(raw)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise InputError(f"not readable as HTML ({exc})", file=path) from exc
    grid = _table(doc, "tblgrid")
    chapter = _chapter(doc)
    if grid is None or chapter is None:
        raise InputError(
            "not a UN Treaty Collection status page: no participants table (tblgrid) or "
            "chapter heading; save the treaty's page from treaties.un.org "
            "(Status of Treaties, chapter IV)",
            file=path,
        )
    if _table(doc, "dgNotesAll") is None:
        raise InputError(
            "the page has no end notes table (dgNotesAll): is it cut or a partial save?",
            file=path,
        )
    stamp = doc.xpath('//*[contains(@class,"heading-three")]')
    status_as_at = None
    if stamp:
        match = re.search(r"(\d{2})-(\d{2})-(\d{4})", stamp[0].text_content())
        if match:
            # DD-MM-YYYY (the page of 3 February 2026 reads 03-02-2026)
            status_as_at = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    participants = []
    rows = _rows(grid)
    for tr in rows[1:]:
        cells = tr.xpath("./td")
        if len(cells) < 3:
            continue
        line = tr.sourceline or 0
        name, refs = _name_and_notes(cells[0])
        if not name:
            raise InputError("participant without a name", path, line, "Participant")
        sig_text = cells[1].text_content()
        con_text = cells[2].text_content()
        signed, sig_mark = _cell_date(sig_text, path, line, "Signature")
        consent, mark = _cell_date(con_text, path, line, "Ratification")
        participants.append(
            Participant(name, refs, signed, sig_mark, consent, mark, "[" in con_text, line)
        )
    if not participants:
        raise InputError("the participants table is empty", file=path)
    notes: dict[str, str] = {}
    for div in doc.xpath(f'//table[@id="{_ID}dgNotesAll"]//div[contains(@id,"divNotesAll")]'):
        anchor = div.xpath(".//a[@name]")
        for br in div.iter("br"):
            br.tail = " " + (br.tail or "")
        text = " ".join(div.text_content().replace("\xa0", " ").split())
        number = anchor[0].get("name") if anchor else None
        match = _NOTE_NO.match(text)
        key = number or (match.group(1) if match else None)
        if key:
            notes[key] = text[len(key) :].strip() if text.startswith(key) else text
    heading = ""
    for el in doc.xpath('//*[contains(concat(" ", @class, " "), " heading-four ")]'):
        text = " ".join(el.text_content().split())
        if "competence" in text.casefold() or text.startswith("Declarations made under"):
            heading = text
    return StatusPage(
        path=path,
        chapter=chapter,
        status_as_at=status_as_at,
        participants=participants,
        notes=notes,
        declarations=_blocks(doc, "dgDec"),
        objections=_blocks(doc, "dgObj"),
        competence=_blocks(doc, "dgDecUnderArticle"),
        competence_heading=heading,
    )
