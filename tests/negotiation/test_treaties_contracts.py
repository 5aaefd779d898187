"""The treaty command-line contracts other tools rely on (``treaties status ISO3 --format json``,
``treaties declarations --format csv``), the complaint gap list, the matrix layers, and the
same facts through the state page and the API; on both stores where a store is involved."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.treaties.instruments import SHORTS
from tests.conftest import StoreTemplate

runner = CliRunner()
PAGES = "negotiation/treaties/untc-status-html"
STATUS_KEYS = [
    "instrument",
    "status",
    "signature",
    "consent",
    "consent_type",
    "denunciation",
    "competence",
    "reservations",
]


def _load(url: str, shared_data: Path, stems: tuple[str, ...]) -> None:
    with session_scope(url) as s:
        for stem in stems:
            path = shared_data / PAGES / f"{stem}.html"
            run_import(s, get_importer("untc-status-html"), path, actor="test")


FOUR = ("iccpr_op1", "cerd", "cat", "iccpr")


@pytest.fixture
def store_template(shared_data: Path) -> StoreTemplate:
    """``store``'s stores start with the four status pages imported: once per test process
    and backend, each test gets its own copy (``tests/conftest.py``)."""

    def build(settings: Settings) -> None:
        _load(settings.database_url, shared_data, FOUR)

    return "untc-four-pages", build


@pytest.fixture
def store(store_template: StoreTemplate, settings: Settings) -> str:
    """The test's own store holding the UNTC status pages of ``FOUR``."""
    return settings.database_url


def cli(url: str, *args: str) -> str:
    result = runner.invoke(app, ["--database", url, "negotiation", "treaties", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_status_json_contract(store: str) -> None:
    tto = json.loads(cli(store, "status", "TTO", "--format", "json"))
    assert [o["instrument"] for o in tto] == list(SHORTS)
    assert all(list(o) == STATUS_KEYS for o in tto)
    op1 = next(o for o in tto if o["instrument"] == "ICCPR-OP1")
    assert op1["status"] == "denounced (effective 2000-06-27)"
    assert op1["denunciation"] == "2000-06-27"
    assert (op1["consent"], op1["consent_type"]) == ("1998-08-26", "accession")
    assert op1["reservations"] and set(op1["reservations"][0]) == {
        "kind",
        "articles",
        "date",
        "withdrawn",
    }
    deu = json.loads(cli(store, "status", "Germany", "--format", "json"))
    icerd = next(o for o in deu if o["instrument"] == "ICERD")
    assert {"article": "14", "procedure": "individual", "date": "2001-08-30"} in icerd["competence"]
    assert all(set(c) == {"article", "procedure", "date"} for o in deu for c in o["competence"])
    cat = next(o for o in deu if o["instrument"] == "CAT")
    assert {c["article"] for c in cat["competence"]} >= {"21", "22"}
    ddr = json.loads(cli(store, "status", "DDR", "--format", "json"))
    iccpr = next(o for o in ddr if o["instrument"] == "ICCPR")
    assert iccpr["status"] == "ratified (until 1990-10-03, end of state)"
    assert iccpr["consent"] == "1973-11-08" and iccpr["signature"] == "1973-03-23"
    malta = json.loads(cli(store, "status", "MLT", "--format", "json"))
    items = next(o for o in malta if o["instrument"] == "ICCPR")["reservations"]
    assert items[0] == {"kind": "reservation", "articles": ["13"], "date": None, "withdrawn": None}
    table = cli(store, "status", "TTO")
    assert "denounced (effective 2000-06-27)" in table
    assert "accepts individual complaints under:" in table


def test_declarations_csv_contract(store: str) -> None:
    text = cli(store, "declarations", "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["iso3", "instrument", "article", "procedure", "date", "withdrawn"]
    assert ["DEU", "ICERD", "14", "individual", "2001-08-30", ""] in rows
    assert {r[1] for r in rows[1:]} == {"ICERD", "CAT", "ICCPR"}
    assert {r[3] for r in rows[1:]} == {"individual", "inter-state", "inquiry"}
    only_cat = list(
        csv.DictReader(io.StringIO(cli(store, "declarations", "-i", "CAT", "-f", "csv")))
    )
    assert only_cat and {r["instrument"] for r in only_cat} == {"CAT"}
    morocco = [r for r in only_cat if r["iso3"] == "MAR" and r["article"] == "20"]
    assert morocco == [
        {
            "iso3": "MAR",
            "instrument": "CAT",
            "article": "20",
            "procedure": "inquiry",
            "date": "2006-10-19",
            "withdrawn": "",
        }
    ]


def test_complaint_gaps_and_layers(store: str) -> None:
    usa = list(
        csv.DictReader(
            io.StringIO(cli(store, "gaps", "USA", "--not-accepting-complaints", "-f", "csv"))
        )
    )
    assert {r["procedure"] for r in usa} >= {"ICERD art. 14", "ICCPR-OP1", "CAT art. 22"}
    deu = {
        r["procedure"]
        for r in csv.DictReader(
            io.StringIO(cli(store, "gaps", "DEU", "--not-accepting-complaints", "-f", "csv"))
        )
    }
    assert "ICERD art. 14" not in deu and "ICCPR-OP1" not in deu
    wide = list(
        csv.DictReader(io.StringIO(cli(store, "matrix", "--layer", "complaints", "-f", "csv")))
    )
    by_state = {r["iso3"]: r for r in wide}
    assert by_state["DEU"]["ICERD"] == "accepts" and by_state["USA"]["ICERD"] == ""
    assert by_state["TTO"]["ICCPR-OP1"] == ""
    comp = {
        r["iso3"]: r
        for r in csv.DictReader(io.StringIO(cli(store, "matrix", "-l", "competence", "-f", "csv")))
    }
    assert comp["DEU"]["CAT"] == "21,22" and comp["CHN"]["CAT"] == "-20"
    status = {r["iso3"]: r for r in csv.DictReader(io.StringIO(cli(store, "matrix", "-f", "csv")))}
    assert status["TTO"]["ICCPR-OP1"] == "denounced"
    bad = runner.invoke(app, ["--database", store, "treaties", "matrix", "--layer", "x"])
    assert bad.exit_code != 0 and "unknown layer" in bad.output


@pytest.fixture
def viewer(client_for, sqlite_settings: Settings, shared_data: Path):
    _load(sqlite_settings.database_url, shared_data, ("iccpr_op1", "cerd"))
    return client_for("viewer")


def test_pages_and_api(viewer) -> None:
    html = viewer.get("/states/DEU").text
    line = html.split('id="state-complaints"', 1)[1].split("</p>", 1)[0]
    assert "Accepts individual complaints under:" in line
    assert "ICERD art. 14" in line and "ICCPR-OP1" in line
    tto = viewer.get("/states/TTO").text
    assert "denounced (effective 2000-06-27)" in tto
    page = viewer.get("/treaties", params={"layer": "complaints"})
    assert page.status_code == 200 and 'id="layer-legend"' in page.text and "accepts" in page.text
    status = viewer.get("/api/v1/treaties/status/TTO").json()
    op1 = next(o for o in status if o["instrument"] == "ICCPR-OP1")
    assert list(op1) == STATUS_KEYS and op1["denunciation"] == "2000-06-27"
    decl = viewer.get("/api/v1/treaties/declarations", params={"instrument": "ICERD"}).json()
    assert {
        "iso3": "DEU",
        "instrument": "ICERD",
        "article": "14",
        "procedure": "individual",
        "date": "2001-08-30",
        "withdrawn": None,
    } in decl
    state = viewer.get("/api/v1/states/DEU/treaties").json()
    assert "ICERD art. 14" in state["accepts_individual_complaints"]
    matrix = viewer.get("/api/v1/treaties/matrix", params={"layer": "competence"}).json()
    assert matrix["layer"] == "competence"
    assert viewer.get("/api/v1/treaties/matrix", params={"layer": "nope"}).status_code == 400
