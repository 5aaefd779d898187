"""OHCHR thematic lists (three Word layouts) and UPR Info voluntary pledges."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.provenance import Dataset
from rightsdesk.monitoring.recommendations.models import (
    Recommendation,
    RecommendationTheme,
    VoluntaryPledge,
)
from rightsdesk.monitoring.recommendations.sources.ohchr_thematic import (
    read_thematic_list,
    split_states,
)
from tests.monitoring.conftest import count, do_import

DOCS = {
    20: ("UPR20_Slovenia_ThematicListRecommendations_E.docx", 163, 2),
    34: ("UPR34_Slovenia_Thematic_list_of_Recommendations.docx", 215, 3),
    48: ("UPR48_Slovenia_Thematic_list_of_Recommendations.docx", 254, 4),
}


def doc_path(shared_data: Path, session_no: int) -> Path:
    return shared_data / "monitoring" / "ohchr-thematic-lists" / DOCS[session_no][0]


@pytest.mark.parametrize("session_no", sorted(DOCS))
def test_three_layouts_parse(shared_data: Path, session_no: int) -> None:
    doc = read_thematic_list(doc_path(shared_data, session_no))
    _, rows, cycle = DOCS[session_no]
    assert (doc.state, doc.session, doc.cycle, len(doc.rows)) == (
        "Slovenia",
        session_no,
        cycle,
        rows,
    )
    assert all(r.from_states for r in doc.rows)
    assert {r.position for r in doc.rows} == {"supported", "noted"}
    assert len({r.paragraph for r in doc.rows}) == rows
    taxonomies = {t for r in doc.rows for t, _ in r.themes}
    assert {"uhri", "affected-persons"} <= taxonomies
    if session_no != 20:
        assert "sdg" in taxonomies
    for r in doc.rows:
        assert "Source of" not in r.text
        for name in r.from_states:
            assert not r.text.endswith(f"({name})")


def test_layout_details(shared_data: Path) -> None:
    cycle2 = read_thematic_list(doc_path(shared_data, 20)).rows
    r = next(x for x in cycle2 if x.paragraph == "115.3")
    assert r.from_states == ["Portugal", "Slovakia"]
    # the UHRI code "A12" is dropped from the label
    assert ("uhri", "Acceptance of international norms") in r.themes
    assert ("affected-persons", "Children") in r.themes
    assert r.source == "A/HRC/28/15/Add.1 - Para. 3"
    icrmw = next(x for x in cycle2 if x.paragraph == "115.6")
    assert icrmw.text.endswith("Members of Their Families (ICRMW)")  # not a state
    cycle3 = read_thematic_list(doc_path(shared_data, 34)).rows
    two = next(x for x in cycle3 if x.paragraph == "121.2")
    assert two.from_states == ["Ukraine", "Slovakia"]
    assert ("sdg", "16 - Peace, justice and strong institutions") in two.themes
    cycle4 = read_thematic_list(doc_path(shared_data, 48)).rows
    seven = next(x for x in cycle4 if x.paragraph == "140.7")
    assert seven.from_states == ["Maldives", "Portugal"]
    assert ("sdg", "1 - No poverty") in seven.themes  # from the separate SDG column
    assert ("affected-persons", "Public officials") in seven.themes


def test_split_states_keeps_non_state_brackets() -> None:
    text, states = split_states(
        "Ratify the Convention (ICCPR) (Venezuela (Bolivarian Republic of), Chile); "
        "Adopt a law in 2010 (Peru)."
    )
    assert states == ["Venezuela (Bolivarian Republic of)", "Chile", "Peru"]
    assert text == "Ratify the Convention (ICCPR); Adopt a law in 2010"


def test_import_all_three_idempotent(
    settings: Settings, session: Session, shared_data: Path
) -> None:
    for session_no, (_, rows, _) in DOCS.items():
        report = do_import(settings, "ohchr-thematic", doc_path(shared_data, session_no))
        assert (report.rows_read, report.inserted) == (rows, rows)
    for session_no in DOCS:
        again = do_import(settings, "ohchr-thematic", doc_path(shared_data, session_no), force=True)
        assert (again.inserted, again.updated) == (0, 0)
    assert count(session, Recommendation) == 163 + 215 + 254
    rec = session.scalars(
        select(Recommendation)
        .where(Recommendation.paragraph == "121.1", Recommendation.session == 34)
        .options(selectinload(Recommendation.themes).selectinload(RecommendationTheme.theme))
    ).one()
    assert rec.state_iso3 == "SVN" and rec.cycle == 3
    assert rec.document_symbol == "A/HRC/43/15"
    assert sorted(s.iso3 for s in rec.recommending_states) == ["FRA", "LTU"]
    assert [(r.response, r.source) for r in rec.responses] == [
        ("supported", "A/HRC/43/15 - Para 121")
    ]
    assert {t.theme.taxonomy for t in rec.themes} == {"uhri", "sdg", "affected-persons"}


def _edit_docx(source: Path, target: Path, row: int, col: int, text: str) -> Path:
    import docx

    document = docx.Document(str(source))
    document.tables[0].rows[row].cells[col].paragraphs[0].text = text
    for extra in document.tables[0].rows[row].cells[col].paragraphs[1:]:
        extra.text = ""
    document.save(str(target))
    return target


def test_malformed_docx(
    settings: Settings, session: Session, shared_data: Path, tmp_path: Path
) -> None:
    source = doc_path(shared_data, 34)
    datasets = count(session, Dataset)
    bad_position = _edit_docx(source, tmp_path / "UPR34_thematic.docx", 2, 1, "Maybe")
    with pytest.raises(InputError) as info:
        do_import(settings, "ohchr-thematic", bad_position)
    assert (info.value.location.line, info.value.location.field) == (3, "Position")
    assert "UPR34_thematic.docx" in info.value.message
    bad_state = _edit_docx(
        source, tmp_path / "UPR34_state.docx", 2, 0, "121.1 Ratify the Convention (Atlantis);"
    )
    # an unknown name in brackets is not taken as a state: the row has no recommending state
    report = do_import(settings, "ohchr-thematic", bad_state)
    assert report.inserted == 215
    not_word = tmp_path / "UPR34_fake.docx"
    not_word.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError, match="not a Word"):
        do_import(settings, "ohchr-thematic", not_word)
    no_para = _edit_docx(source, tmp_path / "UPR34_nopara.docx", 3, 0, "Ratify something")
    with pytest.raises(InputError) as info:
        do_import(settings, "ohchr-thematic", no_para)
    assert (info.value.location.line, info.value.location.field) == (4, "Recommendation")
    session.expire_all()
    assert count(session, Dataset) == datasets + 1


def pledges_path(shared_data: Path) -> Path:
    return shared_data / "monitoring" / "upr-info" / "voluntary-pledges.csv"


def test_pledges(settings: Settings, session: Session, shared_data: Path, tmp_path: Path) -> None:
    report = do_import(settings, "upr-pledges", pledges_path(shared_data))
    assert (report.rows_read, report.inserted) == (947, 947)
    again = do_import(settings, "upr-pledges", pledges_path(shared_data), force=True)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 947)
    first = session.scalars(select(VoluntaryPledge).order_by(VoluntaryPledge.id)).first()
    assert first is not None
    assert (first.state_iso3, first.session, first.cycle) == ("ALB", 19, 2)
    assert first.issues == "Minorities, National plan of action"
    # malformed copy: not a pledge
    bad = tmp_path / "pledges.csv"
    bad.write_bytes(
        pledges_path(shared_data).read_bytes().replace(b"Voluntary Pledge", b"Accepted", 1)
    )
    with pytest.raises(InputError) as info:
        do_import(settings, "upr-pledges", bad)
    assert (info.value.location.line, info.value.location.field) == (2, "Response")
    session.expire_all()
    assert count(session, VoluntaryPledge) == 947


def test_pledges_file_is_not_taken_for_recommendations(shared_data: Path) -> None:
    from rightsdesk.forms import detect_importer

    found = detect_importer(pledges_path(shared_data))
    assert found is not None and found.kind == "upr-pledges"


def test_session_scope_rolls_back_everything(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    """Two files in one transaction: the second fails, the first is not kept either."""
    from rightsdesk.core.importing import run_import
    from rightsdesk.forms import get_importer

    bad = tmp_path / "bad.csv"
    bad.write_bytes(pledges_path(shared_data).read_bytes().replace(b",19\r", b",x9\r", 1))
    with pytest.raises(InputError), session_scope(sqlite_settings.database_url) as s:
        run_import(s, get_importer("ohchr-thematic"), doc_path(shared_data, 20))
        run_import(s, get_importer("upr-pledges"), bad)
    with session_scope(sqlite_settings.database_url) as s:
        assert count(s, Recommendation) == 0


def test_changed_text_updates_row_and_search_index(
    settings: Settings, session: Session, shared_data: Path, tmp_path: Path
) -> None:
    from rightsdesk.monitoring.recommendations.search import search_ids

    source = doc_path(shared_data, 34)
    do_import(settings, "ohchr-thematic", source)
    assert search_ids(session, "zanzibarwidget") == []
    old_hits = set(search_ids(session, '"Enforced Disappearance"'))
    edited = _edit_docx(
        source,
        tmp_path / "UPR34_edited.docx",
        2,
        0,
        "121.1 Ratify the zanzibarwidget convention (France) (Lithuania);",
    )
    report = do_import(settings, "ohchr-thematic", edited)
    assert (report.inserted, report.updated) == (0, 1)
    session.expire_all()
    rec = session.scalars(select(Recommendation).where(Recommendation.paragraph == "121.1")).one()
    assert rec.text == "Ratify the zanzibarwidget convention"
    assert search_ids(session, "zanzibarwidget") == [rec.id]
    assert set(search_ids(session, '"Enforced Disappearance"')) == old_hits - {rec.id}
