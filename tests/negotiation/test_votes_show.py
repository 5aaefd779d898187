"""``rightsdesk negotiation votes show SYMBOL``: the JSON contract for GA, HRC and Security
Council texts, the table, and a quick clear refusal of an unknown symbol."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from tests.conftest import StoreTemplate
from tests.negotiation.conftest import build_hrc
from tests.negotiation.undata_subset import undata_subset

if TYPE_CHECKING:
    from tests.negotiation.conftest import RunCli, UnvotesSessions

KEYS = {"symbol", "title", "date", "body", "session", "totals", "votes", "provenance"}


@pytest.fixture
def store_template(shared_data: Path) -> StoreTemplate:
    """The HRC and CHR resolutions and votes in full, imported once per test process and
    backend (the template ``hrc_store`` copies too); each test gets its own copy."""
    return "hrc", build_hrc(shared_data)


def test_show_contract(
    store_template: StoreTemplate,
    settings: Settings,
    shared_data: Path,
    unvotes_sessions: UnvotesSessions,
    run_cli: RunCli,
    tmp_path: Path,
) -> None:
    uv = unvotes_sessions(shared_data, tmp_path / "uv", (68,))
    ud = undata_subset(shared_data, tmp_path / "ud", ["S/RES/2334(2016)"])
    with session_scope(settings.database_url) as s:  # beside the HRC files of the template
        run_import(s, get_importer("unvotes"), uv, actor="test")
        run_import(s, get_importer("undata"), ud, actor="test")
    code, out = run_cli(settings, "votes", "show", "a/res/68/262", "--format", "json")
    assert code == 0, out
    ga = json.loads(out)
    assert set(ga) == KEYS
    assert (ga["symbol"], ga["body"], ga["date"], ga["session"]) == (
        "A/RES/68/262",
        "unga",
        "2014-03-27",
        68,
    )
    assert ga["totals"] == {"yes": 100, "no": 11, "abstain": 58, "absent": 24}
    assert {"iso3": "UKR", "vote": "yes"} in ga["votes"]
    assert [d["kind"] for d in ga["provenance"]["datasets"]] == ["unvotes"]
    assert ga["provenance"]["latest"] == "2014-09-09"  # the last vote of that file
    code, out = run_cli(settings, "votes", "show", "s/res/2334(2016)", "--format", "json")
    sc = json.loads(out)
    assert set(sc) == KEYS and sc["totals"] == {"yes": 14, "no": 0, "abstain": 1, "absent": 0}
    code, out = run_cli(settings, "votes", "show", "hrc/res/46/1", "--format", "json")
    hr = json.loads(out)
    assert set(hr) == KEYS and hr["body"] == "hrc" and hr["symbol"] == "A/HRC/RES/46/1"
    assert sum(hr["totals"].values()) == 47
    code, out = run_cli(settings, "votes", "show", "68/262")
    assert code == 0 and "absent / non-voting 24" in out
    code, out = run_cli(settings, "votes", "show", "A/RES/99/999", "--format", "json")
    assert code != 0 and "no resolution" in out
    code, out = run_cli(settings, "votes", "conflicts", "--format", "csv")
    assert code == 0 and out.startswith("roll_call_id,symbol,date,body,iso3,readings")


def test_council_pages_and_api(
    sqlite_settings: Settings, shared_data: Path, client_for: Any, tmp_path: Path
) -> None:
    ud = undata_subset(shared_data, tmp_path / "ud", ["S/RES/2334(2016)", "A/RES/68/262"])
    with session_scope(sqlite_settings.database_url) as s:
        run_import(s, get_importer("undata"), ud, actor="test")
    viewer = client_for("viewer")
    page = viewer.get("/security-council")
    assert page.status_code == 200 and "S/RES/2334 (2016)" in page.text
    assert "Security Council: 2016-12-23 to 2016-12-23" in page.text
    listing = viewer.get("/votes", params={"body": "unsc"})
    assert "General Assembly (plenary): 2014-03-27 to 2014-03-27" in listing.text
    found = viewer.get("/api/v1/votes", params={"q": "a/res/68/262"}).json()
    assert [i["symbol"] for i in found["items"]] == ["A/RES/68/262"]
    one = viewer.get("/api/v1/resolutions/s/res/2334").json()
    assert one["totals"] == {"yes": 14, "no": 0, "abstain": 1, "absent": 0}
    assert viewer.get("/api/v1/resolutions/A/RES/1/999").status_code == 404
    vetoes = viewer.get("/api/v1/security-council/vetoes").json()
    assert vetoes["vetoes"] == [] and vetoes["per_member"]["USA"] == 0
