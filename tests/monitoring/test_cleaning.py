"""Cleaning of recommendations at import: one response vocabulary, theme labels evened out,
texts where a line break was lost repaired (on the real rows that have it, and never on names
or acronyms); a re-import and the 0015 migration clean rows already stored; exports in words.

The synthetic file below is in UPR Info's documented export format (the header of
``sources.common.COLUMNS``), bare CR line endings; the real files are read from the shared
data folder.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, get_engine
from rightsdesk.monitoring.recommendations.exports import BOM, COLUMNS, export_rows, to_csv, to_xlsx
from rightsdesk.monitoring.recommendations.models import RELATIONS, Recommendation, Response
from rightsdesk.monitoring.recommendations.sources.cleaning import (
    clean_label,
    is_repair_of,
    normalise_response,
    repair_text,
)
from rightsdesk.monitoring.recommendations.sources.ohchr_thematic import read_thematic_list
from rightsdesk.monitoring.recommendations.sources.upr_info import read_upr_info
from rightsdesk.store import alembic_config
from tests.monitoring.conftest import do_import, upr_file

# --- text repair ----------------------------------------------------------------------------

GLUED = [
    ("amendment toarticle8 of the Convention", "amendment to article 8 of the Convention"),
    ("Optional Protocols to theConvention on", "Optional Protocols to the Convention on"),
    ("Conviction by an appellate courtIn cases", "Conviction by an appellate court In cases"),
    ("as provided in Article 12Norway recognises", "as provided in Article 12 Norway recognises"),
    ("Articles 14 and 25Norway recognise", "Articles 14 and 25 Norway recognise"),
    ("article 17 para. 3In the case", "article 17 para. 3 In the case"),
    ("adopted in 2010The Government", "adopted in 2010 The Government"),
    ("Nationality Laws.Article 21The State", "Nationality Laws.Article 21 The State"),
    ("reservation to paragraph1, and", "reservation to paragraph 1, and"),
]
KEPT = [
    "McDonald",
    "LaGuardia",
    "MacArthur",
    "iPhone",
    "eKasih programme",
    "UNESCO's",
    "CEDAW",
    "HIV/AIDS",
    "Covid-19",
    "AusAID",
    "GayFests",
    "Abdulhadi AlKhawaja",
    "the 1Malaysia concept",
    "section 114A of the Evidence Act",
    "the 12th session",
    "A/HRC/19/1/Add.1",
    "Mother-toChild transmission",
    "deGaulle",
    "www.ohchr.org/EN/Issues",
]


@pytest.mark.parametrize(("raw", "repaired"), GLUED)
def test_lost_line_breaks_are_repaired(raw: str, repaired: str) -> None:
    assert repair_text(raw) == repaired
    assert is_repair_of(repaired, raw)
    assert repair_text(repaired) == repaired  # idempotent


@pytest.mark.parametrize("raw", KEPT)
def test_names_and_acronyms_are_kept(raw: str) -> None:
    assert repair_text(raw) == raw


def test_is_repair_of_refuses_other_changes() -> None:
    assert is_repair_of("to article 8", "toarticle8")
    assert not is_repair_of("to article 9", "toarticle8")
    assert not is_repair_of("to  article8", "toarticle8")  # two spaces
    assert not is_repair_of(" toarticle8", "toarticle8")
    assert not is_repair_of("to article", "toarticle8")


def test_real_rows_that_change(shared_data: Path) -> None:
    """Of the real rows, exactly the two with glued words change: one UPR Info row of
    sessions 6-9 (Guinea-Bissau, "theConvention") and paragraph 115.2 of Slovenia's 2nd-cycle
    list ("toarticle8"); every other row of those files stays as it is."""
    rows = list(read_upr_info(upr_file(shared_data, "sessions-6-9.csv")))
    changed = [r for r in rows if repair_text(r.text) != r.text]
    assert [(r.line, r.to_state) for r in changed] == [(3670, "Guinea Bissau")]
    assert "Optional Protocols to the Convention" in repair_text(changed[0].text)
    lists = shared_data / "monitoring" / "ohchr-thematic-lists"
    doc = read_thematic_list(lists / "UPR20_Slovenia_ThematicListRecommendations_E.docx")
    fixed = [r for r in doc.rows if repair_text(r.text) != r.text]
    assert [r.paragraph for r in fixed] == ["115.2"]
    assert "the amendment to article 8 of the International" in repair_text(fixed[0].text)


# --- vocabularies ----------------------------------------------------------------------------


def test_response_vocabulary() -> None:
    assert normalise_response("Accepted") == "supported"
    assert normalise_response("Supported") == "supported"
    assert normalise_response("Noted") == "noted"
    assert normalise_response("Rejected") == "noted"
    assert normalise_response("  pending ") == "pending"
    assert normalise_response("General response") == "other"
    assert normalise_response("") is None and normalise_response(None) is None
    assert normalise_response("Maybe") is None


def test_clean_label() -> None:
    assert clean_label("Budget &resources (for human rights implementation)") == (
        "Budget & resources (for human rights implementation)"
    )
    assert clean_label("  Migrants   ") == "Migrants"
    assert clean_label("HIV/AIDS") == "HIV/AIDS"
    assert clean_label("Minorities/ racial, ethnic") == "Minorities/ racial, ethnic"


# --- import and re-import ----------------------------------------------------------------------

HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session"
ROWS = [
    'Norway,WEOG,"EU",Ratify theConvention against Torture,Côte d\'Ivoire,Africa,,Accepted,5,'
    '"Torture and other CID treatment, torture and other CID treatment",9',
    'Norway,WEOG,"EU","Consider amending toarticle8 of the Penal Code",France; Brazil,WEOG,,'
    'Noted,3,"Justice,Budget &resources",9',
    "Norway,WEOG,EU,Protect the rights of migrants,Mexico,GRULAC,,Accepted,4,Migrants,9",
]


def _write(path: Path, rows: list[str]) -> Path:
    path.write_bytes("\r".join([HEADER, *rows]).encode("utf-8") + b"\r")
    return path


def _stored(session: Session) -> dict[str, Recommendation]:
    session.expire_all()
    recs = session.scalars(select(Recommendation).options(*RELATIONS)).all()
    return {r.original_text or r.text: r for r in recs}


def test_import_cleans_and_reimport_cleans_rows_stored_before(
    settings: Settings, session: Session, tmp_path: Path
) -> None:
    path = _write(tmp_path / "sessions-9.csv", ROWS)
    first = do_import(settings, "upr-info", path)
    assert first.inserted == 3
    recs = _stored(session)
    torture = recs["Ratify theConvention against Torture"]
    assert torture.text == "Ratify the Convention against Torture"
    assert [(r.response, r.source_word) for r in torture.responses] == [("supported", "accepted")]
    # the same issue twice (another case) is one theme
    assert [t.theme.label for t in torture.themes] == ["Torture and other CID treatment"]
    penal = recs["Consider amending toarticle8 of the Penal Code"]
    assert penal.text == "Consider amending to article 8 of the Penal Code"
    assert [(r.response, r.source_word) for r in penal.responses] == [("noted", "noted")]
    assert sorted(t.theme.label for t in penal.themes) == ["Budget & resources", "Justice"]
    clean = recs["Protect the rights of migrants"]
    assert clean.original_text is None
    # the full-text index holds the repaired words
    from rightsdesk.monitoring.recommendations.search import search_ids

    assert search_ids(session, '"the convention against torture"') == [torture.id]

    # rows stored by a release before the cleaning: glued text, the source's word as response
    session.execute(
        text(
            "UPDATE recommendation SET text = original_text, original_text = NULL "
            "WHERE original_text IS NOT NULL"
        )
    )
    session.execute(text("UPDATE recommendation_response SET response = source_word"))
    session.execute(text("UPDATE recommendation_response SET source_word = NULL"))
    # and one the file does not mention, which a re-import must leave alone
    other = Recommendation(
        natural_key="f" * 40,
        mechanism="UPR",
        text="Keep me toarticle8",
        text_hash="0" * 40,
        state_iso3="NOR",
        session=1,
    )
    session.add(other)
    session.commit()
    assert _stored(session)["Ratify theConvention against Torture"].original_text is None

    again = do_import(settings, "upr-info", path, force=True)
    assert (again.inserted, again.updated, again.unchanged) == (0, 3, 0)
    recs = _stored(session)
    assert recs["Ratify theConvention against Torture"].text == (
        "Ratify the Convention against Torture"
    )
    assert recs["Consider amending toarticle8 of the Penal Code"].text.startswith(
        "Consider amending to article 8"
    )
    responses = session.execute(select(Response.response, Response.source_word)).all()
    assert sorted(responses) == [
        ("noted", "noted"),
        ("supported", "accepted"),
        ("supported", "accepted"),
    ]
    kept = session.get(Recommendation, other.id)
    assert kept is not None and kept.text == "Keep me toarticle8"
    # and once clean, a third import changes nothing
    third = do_import(settings, "upr-info", path, force=True)
    assert (third.inserted, third.updated, third.unchanged) == (0, 0, 3)


def test_unknown_response_word_is_refused(settings: Settings, tmp_path: Path) -> None:
    from rightsdesk.core.errors import InputError

    bad = ROWS[2].replace("Accepted", "Perhaps")
    with pytest.raises(InputError) as err:
        do_import(settings, "upr-info", _write(tmp_path / "bad.csv", [bad]))
    assert (err.value.location.line, err.value.location.field) == (2, "Response")


def test_migration_cleans_stored_responses(
    settings: Settings, session: Session, tmp_path: Path
) -> None:
    """Downgrading 0015 gives back the source's words (and the raw texts); upgrading again
    stores the common vocabulary with the word kept, with no re-import."""
    do_import(settings, "upr-info", _write(tmp_path / "sessions-9.csv", ROWS))
    session.close()
    url = settings.database_url
    cfg = alembic_config(url)
    command.downgrade(cfg, "0005_suggestions")
    dispose_engine(url)
    with get_engine(url).connect() as conn:
        words = sorted(conn.execute(text("SELECT response FROM recommendation_response")).scalars())
        texts = set(conn.execute(text("SELECT text FROM recommendation")).scalars())
    assert words == ["accepted", "accepted", "noted"]
    assert "Ratify theConvention against Torture" in texts
    command.upgrade(cfg, "heads")
    dispose_engine(url)
    session.expire_all()
    rows = session.execute(select(Response.response, Response.source_word)).all()
    assert sorted(rows) == [
        ("noted", "noted"),
        ("supported", "accepted"),
        ("supported", "accepted"),
    ]


# --- exports in words --------------------------------------------------------------------------


def test_exports_in_words(settings: Settings, session: Session, tmp_path: Path) -> None:
    do_import(settings, "upr-info", _write(tmp_path / "sessions-9.csv", ROWS))
    rows = list(export_rows(session, "", {}, "date"))
    body = to_csv(iter(rows), bom=True)
    assert body.startswith(BOM)
    table = list(csv.DictReader(io.StringIO(body.encode("utf-8").decode("utf-8-sig"))))
    assert list(table[0]) == COLUMNS
    by_text = {r["text"]: r for r in table}
    torture = by_text["Ratify the Convention against Torture"]
    assert torture["recommending_states"] == "Côte d'Ivoire"
    assert torture["recommending_iso3"] == "CIV"
    assert (torture["response"], torture["response_in_source"]) == ("supported", "accepted")
    assert torture["upr_info_issues"] == "Torture and other CID treatment"
    penal = by_text["Consider amending to article 8 of the Penal Code"]
    assert penal["recommending_states"] == "Brazil; France"
    assert penal["recommending_iso3"] == "BRA; FRA"
    assert penal["upr_info_issues"] == "Budget & resources; Justice"
    assert not any("upr-info:" in v for r in table for v in r.values())
    assert not to_csv(iter(rows)).startswith(BOM)  # the CLI's CSV has none

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(to_xlsx(iter(rows)))).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{chr(ord('A') + len(COLUMNS) - 1)}4"
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert widths["A"] < widths["I"] <= 80  # id narrow, text wide but capped
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == COLUMNS
    assert "Côte d'Ivoire" in {row[COLUMNS.index("recommending_states")] for row in values}


# --- pages and API --------------------------------------------------------------------------


def test_pages_show_the_cleaning(
    client_for: Any, sqlite_settings: Settings, tmp_path: Path
) -> None:
    do_import(sqlite_settings, "upr-info", _write(tmp_path / "sessions-9.csv", ROWS))
    viewer = client_for("viewer")
    page = viewer.get("/recommendations")
    assert page.status_code == 200
    assert 'id="facet-issue"' in page.text and 'id="facet-theme"' not in page.text
    assert ">UPR Info issues</summary>" in page.text
    api = viewer.get("/api/v1/recommendations", params={"issue": "Justice"}).json()
    assert api["total"] == 1 and set(api["facets"]) >= {"issue", "uhri", "sdg", "affected"}
    hit = api["hits"][0]
    assert hit["issues"] == ["Budget & resources", "Justice"] and hit["sdgs"] == []
    assert hit["recommending_names"] == ["Brazil", "France"]
    assert "from Brazil, France" in viewer.get("/recommendations", params={"issue": "Justice"}).text
    rec_id = hit["id"]
    detail = viewer.get(f"/api/v1/recommendations/{rec_id}").json()
    assert detail["original_text"] == "Consider amending toarticle8 of the Penal Code"
    assert detail["text"] == "Consider amending to article 8 of the Penal Code"
    assert detail["responses"][0]["response"] == "noted"
    assert detail["issues"] == ["Budget & resources", "Justice"]
    accepted = viewer.get("/api/v1/recommendations", params={"response": "accepted"}).json()
    other = accepted["hits"][0]["id"]
    html = viewer.get(f"/recommendations/{other}").text
    assert "supported</span> (source: accepted)" in html
    assert "<dt>UPR Info issues</dt>" in html
    glued = viewer.get(f"/recommendations/{rec_id}").text
    assert 'id="rec-original"' in glued and "toarticle8" in glued
