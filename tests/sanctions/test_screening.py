"""Screening against the real UN list: hard cases, explanations, where a hit is listed, and
the index built once per data version (memory, then the data folder), never per query."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session

from rightsdesk.core import cache
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.sanctions.matching import SCREENING_THRESHOLD, Query
from rightsdesk.sanctions.screening import Hit, ScreeningIndex, build_index, load_index, screen
from rightsdesk.sanctions.screening import index as index_module
from tests.sanctions.screening_helpers import un_index_of

UN = "un_sc_sanctions"


@pytest.fixture(scope="module")
def un_index(sanctions_loaded: Settings) -> ScreeningIndex:
    return un_index_of(sanctions_loaded)


def entity_id(index: ScreeningIndex, caption: str) -> str:
    found = [r.entity_id for r in index.records if r.caption.upper() == caption]
    assert len(found) == 1, caption
    return found[0]


def top(index: ScreeningIndex, name: str, schema: str = "Person", **extra: object) -> list[Hit]:
    return screen(index, Query(schema, (name,), **extra))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "caption"),
    [
        ("Eric Badege", "ERIC BADEGE"),  # exact
        ("Badege Eric", "ERIC BADEGE"),  # reordered
        ("E. Badege", "ERIC BADEGE"),  # initial
        ("Aiman al Zawahri", "AIMAN MUHAMMED RABI AL-ZAWAHIRI"),  # typo / respelling
        ("أيمن الظواهري", "AIMAN MUHAMMED RABI AL-ZAWAHIRI"),  # Arabic script
        ("Айман аз-Завахири", "AIMAN MUHAMMED RABI AL-ZAWAHIRI"),  # Cyrillic script
        ("Mohammad Ahmadi", "MOHAMMAD AHMADI"),
        # respelt ("Kadhafi"), one of hundreds of Mohammeds: found once candidates are
        # compared with romanisation variants folded
        ("Muhammad Muammar Kadhafi", "MOHAMMED MUAMMAR QADHAFI"),
        ("Абдул Джалил Хаккани Вали Мохаммад", "ABDUL JALIL HAQQANI WALI MOHAMMAD"),
        # the family name put first crosses no "ben": no father/son swap
        ("AL-AMDOUNI Mehrez ben Mahmoud ben Sassi", "MEHREZ BEN MAHMOUD BEN SASSI AL-AMDOUNI"),
    ],
)
def test_hard_cases_find_the_listed_person(
    un_index: ScreeningIndex, query: str, caption: str
) -> None:
    hits = top(un_index, query)
    assert hits, query
    assert hits[0].entity_id == entity_id(un_index, caption)
    assert hits[0].score >= SCREENING_THRESHOLD


def test_birth_date_conflict_lowers_the_rank(un_index: ScreeningIndex) -> None:
    """Father and son share the name; the birth date tells them apart."""
    father = entity_id(un_index, "SADDAM HUSSEIN AL-TIKRITI")  # born 1937
    son = entity_id(un_index, "ALI SADDAM HUSSEIN AL-TIKRITI")  # born 1980 or 1983
    plain = [h.entity_id for h in top(un_index, "Saddam Hussein al-Tikriti")]
    assert plain[0] == father and son in plain
    dated = top(un_index, "Saddam Hussein al-Tikriti", birth_dates=("1980",))
    assert dated[0].entity_id == son
    assert any(
        e.kind == "birth_date" and e.outcome == "agree" for e in dated[0].explanation.evidence
    )
    lowered = [h for h in dated if h.entity_id == father]
    for hit in lowered:  # still shown if the name alone reaches the threshold, but lower
        assert any(e.outcome == "conflict" for e in hit.explanation.evidence)
        assert hit.score < top(un_index, "Saddam Hussein al-Tikriti")[0].score


def test_a_hit_is_explained_and_says_where_it_is_listed(un_index: ScreeningIndex) -> None:
    hit = top(un_index, "Erik Badege", nationalities=("cd",))[0]
    why = hit.explanation
    assert why.score == hit.score and why.matched_name.upper() == "ERIC BADEGE"
    assert {p.kind for p in why.parts} <= {
        "exact",
        "transliteration",
        "typo",
        "initial",
        "phonetic",
        "joined",
        "missing",
        "prefix",
    }
    assert any(p.kind == "typo" or p.kind == "phonetic" for p in why.parts)
    assert any(e.kind == "nationality" and e.outcome == "agree" for e in why.evidence)
    assert hit.lists == (UN,) and hit.active
    assert [p.label for p in hit.programs] == ["UN-SC1533"]  # the registry key of "DRC"
    assert hit.designations[0].authority and hit.designations[0].listed_on == "2012-12-31"
    data = json.loads(json.dumps(hit.to_dict()))  # JSON all the way down
    assert data["explanation"]["parts"] and data["summary"].startswith(f"{hit.score:.2f}")


def test_unknown_names_and_weak_aliases_do_not_alert(un_index: ScreeningIndex) -> None:
    assert top(un_index, "Margaret Thompson Ellingworth") == []
    weak = entity_id(un_index, "MOHAMMAD NAIM BARICH KHUDAIDAD")  # weak alias "Spen Zrae"
    assert "Spen Zrae" in next(r for r in un_index.records if r.entity_id == weak).weak_aliases
    assert weak not in [h.entity_id for h in top(un_index, "Spen Zrae")]
    # a person query never pays for vessels or companies, and a vessel query finds no person
    assert all(h.schema != "Person" for h in top(un_index, "Eric Badege", "Vessel"))


def test_the_index_is_built_once_per_data_version(
    sanctions_loaded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.clear()
    cache.configure(sanctions_loaded.data_dir)
    try:
        with session_scope(sanctions_loaded.database_url) as session:
            first = load_index(session, [UN])
            assert load_index(session, [UN]) is first  # same process: the same object
        assert cache.stats["disk_writes"] == 1

        def refuse(session: Session, lists: object = None) -> ScreeningIndex:
            raise AssertionError("the index was rebuilt")

        monkeypatch.setattr(index_module, "build_index", refuse)
        cache.clear()  # as a new process would start: memory empty, the data folder kept
        cache.configure(sanctions_loaded.data_dir)
        with session_scope(sanctions_loaded.database_url) as session:
            again = load_index(session, [UN])
        assert cache.stats["disk_hits"] == 1
        assert len(again) == len(first) and again.stats == first.stats
        assert screen(again, Query("Person", ("Eric Badege",)))[0].entity_id == (
            entity_id(first, "ERIC BADEGE")
        )
    finally:
        cache.clear()


@pytest.mark.postgres
def test_postgresql_store_gives_the_same_index(
    sanctions_loaded: Settings, sanctions_loaded_pg: Settings
) -> None:
    """The index reads the store with plain selects: both backends give the same records
    (JSON properties, dates, designations), hence the same hits."""
    with session_scope(sanctions_loaded_pg.database_url) as session:
        from_pg = build_index(session, [UN])
    from_sqlite = un_index_of(sanctions_loaded)
    assert from_pg.records == from_sqlite.records
    hits = screen(from_pg, Query("Person", ("Erik Badege",), birth_dates=("1971",)))
    assert hits[0].entity_id == entity_id(from_sqlite, "ERIC BADEGE")


def test_only_list_imports_make_a_new_index(sanctions_loaded: Settings) -> None:
    """An import of another form (UN votes) keeps the index; one of a list replaces it."""
    from rightsdesk.core.provenance import Dataset
    from rightsdesk.sanctions.screening.index import other_kinds

    def version(session: Session) -> str:
        return cache.data_version(session, edits=False, ignore=other_kinds())

    with session_scope(sanctions_loaded.database_url) as session:
        before = version(session)
        for kind, changes in (("unvotes", False), ("ofac-sdn-csv", True)):
            session.add(
                Dataset(kind=kind, source="test", file_name="x", sha256="0" * 64, inserted=1)
            )
            session.flush()
            assert (version(session) != before) is changes, kind
        session.rollback()
