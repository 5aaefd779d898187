"""UN symbols: the official form, finding a resolution from any spelling, and A/RES/68/262
(100 yes, 11 no, 58 abstentions, 24 absent) from the real unvotes data, on both stores."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.votes.models import Resolution
from rightsdesk.negotiation.votes.service import find_resolution
from rightsdesk.negotiation.votes.showing import show_resolution
from rightsdesk.negotiation.votes.symbols import (
    lookup_keys,
    official_symbol,
    symbol_key,
    unvotes_symbol,
    unvotes_title,
)

if TYPE_CHECKING:
    from tests.negotiation.conftest import UnvotesSessions

SPELLINGS = ["68/262", "a/res/68/262", "A/RES/68/262", "A/RES/68/262 ", "R/68/262"]


@pytest.mark.parametrize(
    ("unres", "official"),
    [
        ("R/68/262", "A/RES/68/262"),
        ("R/26/2795", "A/RES/2795 (XXVI)"),
        ("ESS/10/19", "A/RES/ES-10/19"),
        ("A/RES/ES-10/19", "A/RES/ES-10/19"),
        ("SS/1/59", "A/RES/S-1/59"),
        ("R/33/116A/I", "A/RES/33/116 A"),
        ("R/41/68E", "A/RES/41/68 E"),
    ],
)
def test_unvotes_symbols(unres: str, official: str) -> None:
    assert unvotes_symbol(unres) == official


def test_official_forms_and_keys() -> None:
    assert official_symbol("S/RES/2334(2016)") == "S/RES/2334 (2016)"
    assert official_symbol("A/RES/41/68[E]") == "A/RES/41/68 E"
    assert official_symbol("A/RES/2704(XXV)") == "A/RES/2704 (XXV)"
    assert symbol_key("S/RES/2334 (2016)") == "S/RES/2334"
    assert lookup_keys("s/res/2334(2016)") == ["S/RES/2334"]
    assert lookup_keys("hrc/res/46/1") == ["A/HRC/RES/46/1"]
    assert lookup_keys("ES-11/1")[0] == "A/RES/ES-11/1"
    assert lookup_keys("68/262")[0] == "A/RES/68/262"


def test_title_is_not_the_descriptor() -> None:
    title, subject = unvotes_title(
        "ARMED CONFLICTS PREVENTION--MEDIATION",
        "Territorial integrity of Ukraine : resolution / adopted by the General Assembly",
    )
    assert title == "Territorial integrity of Ukraine"
    assert subject == "ARMED CONFLICTS PREVENTION--MEDIATION"


def test_68_262_by_every_spelling(
    settings: Settings, shared_data: Path, unvotes_sessions: UnvotesSessions, tmp_path: Path
) -> None:
    path = unvotes_sessions(shared_data, tmp_path / "uv", (68,))
    with session_scope(settings.database_url) as s:
        run_import(s, get_importer("unvotes"), path, actor="test")
    with session_scope(settings.database_url) as s:
        for spelling in SPELLINGS:
            found = find_resolution(s, spelling)
            assert found is not None, spelling
            assert found.symbol == "A/RES/68/262"
        assert found is not None
        assert found.title == "Territorial integrity of Ukraine"
        assert found.subject == "ARMED CONFLICTS PREVENTION--MEDIATION"
        shown = show_resolution(s, "68/262")
        assert shown["totals"] == {"yes": 100, "no": 11, "abstain": 58, "absent": 24}
        assert len(shown["votes"]) == 193
        assert find_resolution(s, "A/RES/68/999") is None
        # a store written by the old importer: a re-import puts the UN's form back
        s.execute(
            update(Resolution)
            .where(Resolution.symbol == "A/RES/68/262")
            .values(symbol="R/68/262", symbol_key=None, title="ARMED CONFLICTS", subject=None)
        )
    with session_scope(settings.database_url) as s:
        report = run_import(s, get_importer("unvotes"), path, actor="test", force=True)
        assert report.updated >= 1
    with session_scope(settings.database_url) as s:
        res = s.scalars(select(Resolution).where(Resolution.source_key == "R/68/262")).one()
        assert (res.symbol, res.title) == ("A/RES/68/262", "Territorial integrity of Ukraine")


ES_AND_S = {
    "GA-ES": ("unga", "A/RES/ES-11/1"),
    "GA-34": ("unga", "A/RES/34/1"),
    "GA-11": ("unga", "A/RES/11/1"),
    "HRC-S": ("hrc", "A/HRC/RES/S-34/1"),
    "HRC-11": ("hrc", "A/HRC/RES/11/1"),
    "HRC-ES": ("hrc", "A/HRC/RES/S-11/1"),
}


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("ES-11/1", "A/RES/ES-11/1"),
        ("a/res/es-11/1", "A/RES/ES-11/1"),
        ("A/RES/ES-11/1", "A/RES/ES-11/1"),
        ("es11/1", "A/RES/ES-11/1"),
        ("ESS/11/1", "A/RES/ES-11/1"),
        ("S-34/1", "A/HRC/RES/S-34/1"),
        ("A/HRC/RES/S-34/1", "A/HRC/RES/S-34/1"),
        ("HRC/RES/S-34/1", "A/HRC/RES/S-34/1"),
        ("hrc/res/s-34/1", "A/HRC/RES/S-34/1"),
        ("A/HRC/S-34/1", "A/HRC/RES/S-34/1"),
        ("S-11/1", "A/HRC/RES/S-11/1"),
        ("A/HRC/RES/11/1", "A/HRC/RES/11/1"),
        ("11/1", "A/RES/11/1"),
        ("34/1", "A/RES/34/1"),
    ],
)
def test_emergency_and_special_sessions_never_confused(
    session: Session, spelling: str, expected: str
) -> None:
    """A GA emergency special session (ES-11) and an HRC special session (S-34, S-11) and
    the regular sessions with the same numbers: each spelling finds its own, never another."""
    for source_key, (body, symbol) in ES_AND_S.items():
        session.add(
            Resolution(
                body=body,
                source_key=source_key,
                symbol=symbol,
                symbol_key=symbol_key(symbol),
                title=symbol,
                adoption="recorded",
            )
        )
    session.flush()
    found = find_resolution(session, spelling)
    assert found is not None and found.symbol == expected, spelling


def test_emergency_sessions_have_no_council_reading() -> None:
    assert lookup_keys("ES-11/1") == ["A/RES/ES-11/1"]
    assert lookup_keys("S-34/1")[0] == "A/HRC/RES/S-34/1"
    assert lookup_keys("a/res/s-27/2") == ["A/RES/S-27/2"]
