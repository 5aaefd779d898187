"""The catalogue of the 18 core international human rights instruments (9 treaties, 9 protocols).

Why a hand-written catalogue: every source names the instruments differently (UNTC's MTDSG
numbers "IV-4", the 2026 UNTC table's ids "iccpr", the 2015 scrape's file names "4-4.csv",
OHCHR's short names "ICCPR"). One table of facts maps them all to one short name, which is
the key the store, the CLI, the pages and the API use. The rows are seeded by migration
``0002_treaties`` (a frozen copy, checked against this catalogue by a test) and kept in step
by ``ensure_instruments`` whenever a treaty importer runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import NotFoundError


@dataclass(frozen=True)
class InstrumentRef:
    """Reference facts about one instrument, available without a database."""

    short: str
    name: str
    kind: str  # treaty | protocol
    parent_short: str | None
    mtdsg_no: str  # UN Treaty Collection, Multilateral Treaties Deposited with the S-G
    untc_id: str  # id used by the 2026 UNTC ratification table
    body: str  # the treaty body that monitors it
    adopted: date  # adoption by the General Assembly
    entry_into_force: date | None
    position: int  # display order

    @property
    def file_stem(self) -> str:
        """File name of the instrument in the untreaties scrape: IV-3-a -> 4-3-a."""
        return "4" + self.mtdsg_no[2:]

    def row(self) -> dict[str, Any]:
        """The column values of the ``instrument`` table."""
        return asdict(self)


BODIES: dict[str, str] = {
    "CERD": "Committee on the Elimination of Racial Discrimination",
    "CESCR": "Committee on Economic, Social and Cultural Rights",
    "CCPR": "Human Rights Committee",
    "CEDAW": "Committee on the Elimination of Discrimination against Women",
    "CAT": "Committee against Torture",
    "SPT": "Subcommittee on Prevention of Torture",
    "CRC": "Committee on the Rights of the Child",
    "CMW": "Committee on Migrant Workers",
    "CRPD": "Committee on the Rights of Persons with Disabilities",
    "CED": "Committee on Enforced Disappearances",
}

_OP = "Optional Protocol to the "
_CRC = "Convention on the Rights of the Child"
_CRPD = "Convention on the Rights of Persons with Disabilities"
_CEDAW = "Convention on the Elimination of All Forms of Discrimination against Women"
_CAT = "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment"

# short, official name, kind, parent, MTDSG number, UNTC table id, body, adopted, in force
_ROWS: tuple[tuple[str, str, str, str | None, str, str, str, str, str], ...] = (
    (
        "ICERD",
        "International Convention on the Elimination of All Forms of Racial Discrimination",
        "treaty",
        None,
        "IV-2",
        "cerd",
        "CERD",
        "1965-12-21",
        "1969-01-04",
    ),
    (
        "ICCPR",
        "International Covenant on Civil and Political Rights",
        "treaty",
        None,
        "IV-4",
        "iccpr",
        "CCPR",
        "1966-12-16",
        "1976-03-23",
    ),
    (
        "ICCPR-OP1",
        _OP + "International Covenant on Civil and Political Rights",
        "protocol",
        "ICCPR",
        "IV-5",
        "iccpr_op1",
        "CCPR",
        "1966-12-16",
        "1976-03-23",
    ),
    (
        "ICCPR-OP2",
        "Second Optional Protocol to the International Covenant on Civil and "
        "Political Rights, aiming at the abolition of the death penalty",
        "protocol",
        "ICCPR",
        "IV-12",
        "iccpr_op2",
        "CCPR",
        "1989-12-15",
        "1991-07-11",
    ),
    (
        "ICESCR",
        "International Covenant on Economic, Social and Cultural Rights",
        "treaty",
        None,
        "IV-3",
        "icescr",
        "CESCR",
        "1966-12-16",
        "1976-01-03",
    ),
    (
        "OP-ICESCR",
        _OP + "International Covenant on Economic, Social and Cultural Rights",
        "protocol",
        "ICESCR",
        "IV-3-a",
        "icescr_op",
        "CESCR",
        "2008-12-10",
        "2013-05-05",
    ),
    ("CEDAW", _CEDAW, "treaty", None, "IV-8", "cedaw", "CEDAW", "1979-12-18", "1981-09-03"),
    (
        "OP-CEDAW",
        _OP + _CEDAW,
        "protocol",
        "CEDAW",
        "IV-8-b",
        "cedaw_op",
        "CEDAW",
        "1999-10-06",
        "2000-12-22",
    ),
    ("CAT", _CAT, "treaty", None, "IV-9", "cat", "CAT", "1984-12-10", "1987-06-26"),
    (
        "OP-CAT",
        _OP + _CAT,
        "protocol",
        "CAT",
        "IV-9-b",
        "cat_op",
        "SPT",
        "2002-12-18",
        "2006-06-22",
    ),
    ("CRC", _CRC, "treaty", None, "IV-11", "crc", "CRC", "1989-11-20", "1990-09-02"),
    (
        "OP-CRC-AC",
        _OP + _CRC + " on the involvement of children in armed conflict",
        "protocol",
        "CRC",
        "IV-11-b",
        "crc_op_ac",
        "CRC",
        "2000-05-25",
        "2002-02-12",
    ),
    (
        "OP-CRC-SC",
        _OP + _CRC + " on the sale of children, child prostitution and child pornography",
        "protocol",
        "CRC",
        "IV-11-c",
        "crc_op_sc",
        "CRC",
        "2000-05-25",
        "2002-01-18",
    ),
    (
        "OP-CRC-IC",
        _OP + _CRC + " on a communications procedure",
        "protocol",
        "CRC",
        "IV-11-d",
        "crc_op_ic",
        "CRC",
        "2011-12-19",
        "2014-04-14",
    ),
    (
        "ICMW",
        "International Convention on the Protection of the Rights of All Migrant Workers "
        "and Members of Their Families",
        "treaty",
        None,
        "IV-13",
        "cmw",
        "CMW",
        "1990-12-18",
        "2003-07-01",
    ),
    ("CRPD", _CRPD, "treaty", None, "IV-15", "crpd", "CRPD", "2006-12-13", "2008-05-03"),
    (
        "OP-CRPD",
        _OP + _CRPD,
        "protocol",
        "CRPD",
        "IV-15-a",
        "crpd_op",
        "CRPD",
        "2006-12-13",
        "2008-05-03",
    ),
    (
        "CPED",
        "International Convention for the Protection of All Persons from Enforced Disappearance",
        "treaty",
        None,
        "IV-16",
        "ced",
        "CED",
        "2006-12-20",
        "2010-12-23",
    ),
)

CATALOGUE: tuple[InstrumentRef, ...] = tuple(
    InstrumentRef(
        short=short,
        name=name,
        kind=kind,
        parent_short=parent,
        mtdsg_no=mtdsg,
        untc_id=untc,
        body=body,
        adopted=date.fromisoformat(adopted),
        entry_into_force=date.fromisoformat(in_force) if in_force else None,
        position=i + 1,
    )
    for i, (short, name, kind, parent, mtdsg, untc, body, adopted, in_force) in enumerate(_ROWS)
)

SHORTS: tuple[str, ...] = tuple(ref.short for ref in CATALOGUE)
# Regional integration organisations (the EU) may join only these (CRPD arts. 43-44, OP art. 12).
OPEN_TO_ORGANISATIONS: frozenset[str] = frozenset({"CRPD", "OP-CRPD"})

_BY_KEY: dict[str, InstrumentRef] = {}
for _ref in CATALOGUE:
    for _key in (_ref.short, _ref.untc_id, _ref.mtdsg_no, _ref.file_stem):
        _BY_KEY[_key.casefold()] = _ref


def find_instrument(query: str) -> InstrumentRef | None:
    """The instrument for a short name, UNTC id, MTDSG number or file stem (any case)."""
    return _BY_KEY.get(query.strip().casefold())


def instrument_ref(query: str) -> InstrumentRef:
    """Like ``find_instrument`` but a clear NotFoundError listing the known short names."""
    ref = find_instrument(query)
    if ref is None:
        raise NotFoundError(
            f"unknown instrument {query!r}; known: {', '.join(SHORTS)} "
            "(UNTC ids such as 'iccpr' and MTDSG numbers such as 'IV-4' work too)"
        )
    return ref


def ensure_instruments(session: Session) -> int:
    """Insert or refresh the catalogue rows; returns how many rows changed (0 when in step).

    Importers call it first, so a store whose migration seeded an older catalogue still ends
    up with the current facts without a new migration.
    """
    from rightsdesk.negotiation.treaties.models import Instrument

    existing = {i.short: i for i in session.scalars(select(Instrument))}
    changed = 0
    for ref in CATALOGUE:
        values = ref.row()
        row = existing.get(ref.short)
        if row is None:
            session.add(Instrument(**values))
            changed += 1
            continue
        diff = {k: v for k, v in values.items() if getattr(row, k) != v}
        for k, v in diff.items():
            setattr(row, k, v)
        changed += bool(diff)
    if changed:
        session.flush()
    return changed
