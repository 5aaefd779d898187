"""The instrument catalogue, its frozen copy in the migration, format recognition and the
2015 scrape's date notation."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.treaties.instruments import (
    CATALOGUE,
    SHORTS,
    ensure_instruments,
    find_instrument,
)
from rightsdesk.negotiation.treaties.models import Instrument
from rightsdesk.negotiation.treaties.sources.untreaties import clean_name, parse_untc_date

MIGRATION = (
    Path(__file__).resolve().parents[2] / "src/rightsdesk/negotiation/migrations/0002_treaties.py"
)


def test_catalogue_facts() -> None:
    assert len(CATALOGUE) == 18
    assert sum(r.kind == "treaty" for r in CATALOGUE) == 9
    assert {r.body for r in CATALOGUE} == {
        "CERD",
        "CCPR",
        "CESCR",
        "CEDAW",
        "CAT",
        "SPT",
        "CRC",
        "CMW",
        "CRPD",
        "CED",
    }
    for ref in CATALOGUE:
        assert (ref.parent_short is None) == (ref.kind == "treaty")
        if ref.parent_short:
            assert SHORTS.index(ref.parent_short) < SHORTS.index(ref.short)
        if ref.entry_into_force:
            assert ref.entry_into_force > ref.adopted
    assert find_instrument("IV-3-a").short == "OP-ICESCR"  # type: ignore[union-attr]
    assert find_instrument("4-11-d").short == "OP-CRC-IC"  # type: ignore[union-attr]
    assert find_instrument("crc_op_ac").short == "OP-CRC-AC"  # type: ignore[union-attr]
    assert find_instrument("4-1") is None  # the Genocide Convention is not a core instrument


def test_migration_copy_matches_catalogue() -> None:
    spec = importlib.util.spec_from_file_location("m0002", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frozen = [
        (*row[:7], date.fromisoformat(row[7]), date.fromisoformat(row[8]), row[9])
        for row in module.INSTRUMENTS
    ]
    live = [
        (
            r.short,
            r.name,
            r.kind,
            r.parent_short,
            r.mtdsg_no,
            r.untc_id,
            r.body,
            r.adopted,
            r.entry_into_force,
            r.position,
        )
        for r in CATALOGUE
    ]
    assert frozen == live


def test_store_is_seeded_and_in_step(session: Session) -> None:
    rows = list(session.scalars(select(Instrument).order_by(Instrument.position)))
    assert [r.short for r in rows] == list(SHORTS)
    assert ensure_instruments(session) == 0  # the migration seeded the current catalogue
    rows[0].body = "XXX"
    assert ensure_instruments(session) == 1 and rows[0].body == "CERD"
    session.rollback()


def test_sniffers_claim_only_their_files(shared_data: Path) -> None:
    untc = get_importer("untc-ratifications")
    ratifications = get_importer("untreaties")
    reservations = get_importer("untreaties-reservations")
    claimed: dict[str, set[str]] = {"untc": set(), "rat": set(), "res": set()}
    for path in shared_data.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(shared_data).as_posix()
        for key, imp in (("untc", untc), ("rat", ratifications), ("res", reservations)):
            if imp.sniff(path):
                claimed[key].add(rel)
    base = "negotiation/treaties/"
    assert claimed["untc"] == {base + "un_hr_ratifications.csv"}
    folder = shared_data / base / "untreaties"
    assert claimed["rat"] == {
        base + "untreaties/treaties/" + p.name for p in (folder / "treaties").glob("4-*.csv")
    }
    assert claimed["res"] == {
        base + "untreaties/declarations/" + p.name
        for p in (folder / "declarations").glob("4-*.txt")
    }
    assert len(claimed["rat"]) == 27 and len(claimed["res"]) == 24


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24 Jan 1983 a", (date(1983, 1, 24), "a")),
        ("3 Oct 1975", (date(1975, 10, 3), "")),
        ("25 Oct 1988 d", (date(1988, 10, 25), "d")),
        ("1 Feb 1990 AA", (date(1990, 2, 1), "AA")),
        ("23 Dec 2010 c", (date(2010, 12, 23), "c")),
        ("6 Jul 1983 a²", (date(1983, 7, 6), "a")),
        ("6 Jul 1983 a 4,5", (date(1983, 7, 6), "a")),
        ("  ", None),
    ],
)
def test_untc_dates(text: str, expected: object) -> None:
    assert parse_untc_date(text, Path("4-4.csv"), 7, "Signature") == expected


@pytest.mark.parametrize("text", ["1983-01-24", "31 Feb 1990", "24 Foo 1983", "24 Jan 1983 x"])
def test_untc_bad_dates(text: str) -> None:
    with pytest.raises(InputError) as err:
        parse_untc_date(text, Path("4-4.csv"), 7, "Signature")
    assert (err.value.location.line, err.value.location.field) == (7, "Signature")


def test_footnotes_stripped_from_names() -> None:
    assert clean_name("Germany 2,3") == "Germany"
    assert clean_name("Bahamas (The)¹") == "Bahamas (The)"
    assert clean_name("Saint Kitts and Nevis") == "Saint Kitts and Nevis"
