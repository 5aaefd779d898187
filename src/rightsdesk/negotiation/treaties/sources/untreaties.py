"""Importers of the 2015 UN Treaty Collection scrape (repository zmjones/untreaties), chapter IV.

Two formats, one file per treaty named by its MTDSG number (``4-3-a`` = IV-3-a):

* ``treaties/4-*.csv`` (kind ``untreaties``): ``Participant, Signature, <consent column>``,
  dates such as ``24 Jan 1983 a`` whose suffix says the type of consent (``a`` accession,
  ``d`` succession, ``A`` acceptance, ``AA`` approval, ``c`` formal confirmation, none =
  ratification); a ``d`` on a signature is a succession to signature.
* ``declarations/4-*.txt`` (kind ``untreaties-reservations``): ``#Participant`` lines, each
  followed by the text of that state's reservations and declarations.

Only the 18 core instruments are imported; the other chapter IV files (genocide, apartheid,
amendments...) are recognised, so ``rightsdesk load`` does not complain, and skipped with a
note. The newer UNTC table wins where both give a state x instrument (see ``untc``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from rightsdesk.core.errors import InputError, MissingColumnError
from rightsdesk.core.importing import (
    ImportContext,
    Importer,
    head_text,
    iter_csv,
    read_text,
    resolve_or_fail,
)
from rightsdesk.negotiation.treaties.instruments import (
    InstrumentRef,
    ensure_instruments,
    find_instrument,
)
from rightsdesk.negotiation.treaties.models import Reservation
from rightsdesk.negotiation.treaties.sources.untc import Standing, write_standings

KIND = "untreaties"
RESERVATIONS_KIND = "untreaties-reservations"
SOURCE = "UN Treaty Collection, chapter IV (2015 scrape, repository zmjones/untreaties)"
SOURCE_URL = "https://github.com/zmjones/untreaties"
LICENCE = "none stated; the facts are the UN's"

_CHAPTER_IV = re.compile(r"^4-\d+(-[a-z])?$")
_SUPERSCRIPTS = str.maketrans("", "", "¹²³⁴⁵⁶⁷⁸⁹⁰")
_FOOTNOTE_TAIL = re.compile(r"[\s\d,*]+$")
_DATE = re.compile(
    r"^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})(?:\s*(AA|A|a|d|c)\b)?(?:\s*[\d,*]+)?$"
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_CONSENT_SUFFIX = {
    "": "ratification",
    "a": "accession",
    "d": "succession",
    "A": "acceptance",
    "AA": "approval",
    "c": "formal confirmation",
}
_SEE_CHAPTER = re.compile(r"^see chapter ([IVXL]+)\.(\d+)(?:\.?([a-z]))?\.?$", re.IGNORECASE)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def clean_name(value: str) -> str:
    """A participant's name without footnote markers (``Germany 2,3`` -> ``Germany``)."""
    return _FOOTNOTE_TAIL.sub("", value.translate(_SUPERSCRIPTS)).strip()


def parse_untc_date(value: str, path: Path, line: int, field: str) -> tuple[date, str] | None:
    """``24 Jan 1983 a`` -> (1983-01-24, "a"); empty -> None; anything else -> InputError."""
    text = value.translate(_SUPERSCRIPTS).strip()
    if not text:
        return None
    match = _DATE.match(text)
    month = _MONTHS.get(match.group(2).casefold()) if match else None
    if match is None or month is None:
        raise InputError(
            f"malformed date {value!r} (expected e.g. '24 Jan 1983', optionally followed by "
            "a, d, A, AA or c)",
            file=path,
            line=line,
            field=field,
        )
    try:
        day = date(int(match.group(3)), month, int(match.group(1)))
    except ValueError as exc:
        raise InputError(f"impossible date {value!r} ({exc})", path, line, field) from exc
    return day, match.group(4) or ""


def _chapter_file(path: Path, ctx: ImportContext) -> InstrumentRef | None:
    """The core instrument a chapter IV file is about, or None (with a note) for the others."""
    if not _CHAPTER_IV.match(path.stem):
        raise InputError(
            "cannot tell which treaty this is: the file must keep its UN Treaty Collection "
            "name, such as 4-4.csv (ICCPR) or 4-11-b.txt (OP-CRC-AC)",
            file=path,
        )
    ref = find_instrument(path.stem)
    if ref is None:
        ctx.warn(f"IV-{path.stem[2:]} is not one of the 18 core instruments; skipped")
    return ref


class _ChapterFile:
    """What both formats share: one file per treaty, named by its MTDSG number, recognised by
    its suffix and first characters; files of non-core treaties are skipped with a note."""

    source = SOURCE
    source_url: str | None = SOURCE_URL
    licence: str | None = LICENCE
    suffix = ""
    starts_with = ""

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() != self.suffix or not _CHAPTER_IV.match(path.stem):
            return False
        return head_text(path, 200).startswith(self.starts_with)

    def run(self, ctx: ImportContext) -> None:
        ref = _chapter_file(ctx.path, ctx)
        if ref is None:
            return
        ensure_instruments(ctx.session)
        self.read(ctx, ref)

    def read(self, ctx: ImportContext, ref: InstrumentRef) -> None:
        raise NotImplementedError


class UntreatiesRatifications(_ChapterFile):
    """kind ``untreaties``: participants, signature and consent dates of one treaty."""

    kind = KIND
    label = "UN Treaty Collection 2015 scrape: participants of a chapter IV treaty"
    suffix = ".csv"
    starts_with = "Participant,"

    def read(self, ctx: ImportContext, ref: InstrumentRef) -> None:
        path = ctx.path
        text = read_text(path)
        header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
        header = [h.strip() for h in header]
        signature_col = next((h for h in header if h.startswith("Signature")), None)
        if signature_col is None:
            raise MissingColumnError(
                f"missing column Signature; found {', '.join(header)}", path, 1, "Signature"
            )
        others = [h for h in header if h not in ("Participant", signature_col)]
        if not others:
            raise MissingColumnError(
                f"missing the ratification/accession column; found {', '.join(header)}",
                path,
                1,
                "Ratification",
            )
        consent_col = others[0]
        names: dict[str, str] = {}
        standings: dict[tuple[str, str], Standing] = {}
        for row in iter_csv(path, ["Participant"], progress=ctx.advance, text=text):
            ctx.report.rows_read += 1
            name = clean_name(row.get("Participant"))
            if not name:
                raise InputError("empty participant name", path, row.line, "Participant")
            iso3 = names.get(name) or resolve_or_fail(name, path, row.line, "Participant")
            names[name] = iso3
            signed = parse_untc_date(row.get(signature_col), path, row.line, signature_col)
            if signed is not None and signed[1] not in ("", "d"):
                raise InputError(
                    f"unknown signature mark {signed[1]!r} (only d, succession to signature)",
                    path,
                    row.line,
                    signature_col,
                )
            consent = parse_untc_date(row.get(consent_col), path, row.line, consent_col)
            if consent is not None and consent[1] not in _CONSENT_SUFFIX:
                raise InputError(f"unknown mark {consent[1]!r}", path, row.line, consent_col)
            if signed is None and consent is None:
                ctx.warn(f"line {row.line}: {name} has neither a signature nor a consent date")
                ctx.report.count("rejected")
                continue
            standings[(iso3, ref.short)] = Standing(
                signature_date=signed[0] if signed else None,
                consent_date=consent[0] if consent else None,
                consent_type=_CONSENT_SUFFIX[consent[1]] if consent else None,
            )
        write_standings(ctx, KIND, standings)


def _refers_to(text: str) -> str | None:
    """``See chapter IV.3.`` -> ``IV-3``: the entry is in another treaty's file."""
    match = _SEE_CHAPTER.match(text.strip())
    if match is None:
        return None
    suffix = f"-{match.group(3).lower()}" if match.group(3) else ""
    return f"{match.group(1).upper()}-{match.group(2)}{suffix}"


class UntreatiesReservations(_ChapterFile):
    """kind ``untreaties-reservations``: reservations and declarations texts of one treaty."""

    kind = RESERVATIONS_KIND
    label = "UN Treaty Collection 2015 scrape: reservations and declarations of a treaty"
    suffix = ".txt"
    starts_with = "#"

    def read(self, ctx: ImportContext, ref: InstrumentRef) -> None:
        path = ctx.path
        text = read_text(path).lstrip("\ufeff")
        ending = text.replace("\r\n", "\n").replace("\r", "\n").rstrip(" \t")
        if text.strip() and not ending.endswith("\n\n"):
            raise InputError(
                "the last record is not closed by an empty line, as every record of this "
                "format is (is the file cut?)",
                path,
                ending.count("\n") + 1,
            )
        blocks: list[tuple[int, str, list[str]]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.startswith("#"):
                blocks.append((number, line[1:].strip(), []))
            elif line.strip():
                if not blocks:
                    raise InputError(
                        "text before the first '#Participant' line", path, number, "Participant"
                    )
                blocks[-1][2].append(line.strip())
        ctx.advance(len(text))
        existing = {
            (r.iso3, r.ordinal): r
            for r in ctx.session.scalars(
                select(Reservation).where(Reservation.instrument_short == ref.short)
            )
        }
        ordinals: dict[str, int] = {}
        empty = 0
        for number, raw_name, lines in blocks:
            ctx.report.rows_read += 1
            name = clean_name(raw_name)
            if not name:
                raise InputError("empty participant name", path, number, "Participant")
            iso3 = resolve_or_fail(name, path, number, "Participant")
            body = "\n".join(lines)
            if not body:
                empty += 1
                continue
            ordinals[iso3] = ordinals.get(iso3, 0) + 1
            ctx.upsert(
                existing.get((iso3, ordinals[iso3])),
                Reservation,
                {"iso3": iso3, "instrument_short": ref.short, "ordinal": ordinals[iso3]},
                {
                    "text": body,
                    "text_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
                    "refers_to": _refers_to(body),
                },
            )
        if empty:
            ctx.warn(f"{empty} participant(s) listed without any text (nothing stored)")


IMPORTERS: list[Importer] = [UntreatiesRatifications(), UntreatiesReservations()]
