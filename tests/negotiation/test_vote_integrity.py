"""Vote-record integrity on the real HRC data (both stores): the three known faults of the
OHCHR library's totals with their causes, impossible totals, the rules themselves, and the
CLI, API and pages that show them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.negotiation.votes.integrity import (
    Evidence,
    Finding,
    integrity_report,
    likely_causes,
    member_counter,
    roll_call_finding,
)
from tests.conftest import add_user, login
from tests.negotiation.conftest import RunCli


@pytest.fixture(scope="module")
def findings(hrc_store: Settings) -> dict[str, Finding]:
    """The HRC findings by symbol (first roll call of a symbol)."""
    with session_scope(hrc_store.database_url) as s:
        found = integrity_report(s, "hrc")
    out: dict[str, Finding] = {}
    for f in found:
        out.setdefault(f.symbol or "", f)
    return out


def test_46_1_official_yes_is_a_typo(findings: dict[str, Finding]) -> None:
    # the library publishes 20-11-14 (45 of 47 members); its own votes count 22-11-14
    f = findings["A/HRC/RES/46/1"]
    assert f.official == (20, 11, 14)
    assert f.recorded == (22, 11, 14)
    assert f.kinds == ("mismatch",)
    assert f.differences == (2, 0, 0)
    assert f.causes == (
        "official yes differs by 2 (20 published, 22 recorded): source typo likely",
    )


def test_s34_1_no_and_abstain_swapped(findings: dict[str, Finding]) -> None:
    f = findings["A/HRC/RES/S-34/1"]
    assert f.official == (33, 12, 2)
    assert f.recorded == (33, 2, 12)
    assert f.cause.startswith("no and abstain swapped in the official totals")


def test_50_2_exceeds_the_council(findings: dict[str, Finding]) -> None:
    f = findings["A/HRC/RES/50/2"]
    assert f.official == (29, 10, 16) and f.recorded == (21, 10, 16)
    assert f.members == 47
    assert f.kinds == ("mismatch", "impossible")
    assert f.causes[0].startswith("official totals exceed membership (47): 29+10+16")
    assert f.causes[1].startswith("official yes differs by 8")


def test_impossible_total_without_a_mismatch(findings: dict[str, Finding]) -> None:
    # A/HRC/RES/22/34: 46-0-1 and 1 non-voting = 48 in a Council of 47; the votes agree
    f = findings["A/HRC/RES/22/34"]
    assert f.kinds == ("impossible",)
    assert f.official == f.recorded
    assert (
        f.cause
        == "official totals exceed membership (47): 46+0+1 yes/no/abstain and 1 non-voting = 48"
    )


def test_totals_that_agree_are_not_reported(
    hrc_store: Settings, findings: dict[str, Finding]
) -> None:
    assert "A/HRC/RES/46/2" not in findings  # 20-8-18 published and recorded
    with session_scope(hrc_store.database_url) as s:
        everything = integrity_report(s, "hrc+chr")
        assert len(everything) > len(findings)  # the Commission's too
        one = roll_call_finding(s, findings["A/HRC/RES/S-34/1"].roll_call_id)
        assert one == findings["A/HRC/RES/S-34/1"]
        # the CHR's 43 seats in the 1980s
        chr_1983 = next(f for f in everything if f.symbol == "E/CN.4/RES/1983/1B")
        assert chr_1983.members == 43 and "impossible" in chr_1983.kinds


def test_membership_at_the_date(hrc_store: Settings) -> None:
    with session_scope(hrc_store.database_url) as s:
        size = member_counter(s)
        assert size("hrc", dt.date(2022, 7, 7)) == 47
        assert size("hrc", dt.date(2000, 1, 1)) is None  # no Council yet
        assert size("chr", dt.date(1950, 3, 1)) == 18
        assert size("chr", dt.date(2005, 4, 14)) == 53
        assert size("unga", dt.date(2018, 12, 17)) == 193
        assert 150 < (size("unga", dt.date(1985, 12, 1)) or 0) < 193
        assert size("unsc", dt.date(1960, 1, 1)) == 11 and size("unsc", dt.date(2016, 12, 23)) == 15
        assert size("nowhere", dt.date(2020, 1, 1)) is None


def test_cause_rules() -> None:
    # two counts exchanged, exactly or with a small remainder
    assert likely_causes((10, 3, 30), (10, 30, 3))[0].startswith("no and abstain swapped")
    swapped_rest = likely_causes((13, 12, 21), (11, 21, 12), Evidence(3, 47))
    assert swapped_rest[0].startswith("no and abstain likely swapped")
    assert "official yes differs by 2" in swapped_rest[1]
    # one count lower in the record, and the record incomplete: states missing
    missing = likely_causes((32, 12, 6), (31, 12, 6), Evidence(3, 53))
    assert missing == [
        "recorded votes miss 1 state counted as yes in the official totals (3 recorded absent)"
    ]
    # a vote moved between counts
    moved = likely_causes((32, 14, 0), (33, 13, 0), Evidence(1, 47))
    assert moved[0].startswith(
        "1 vote recorded differently from the official totals (yes +1, no -1)"
    )
    # another roll call of the day, officially or in the record
    other = likely_causes((15, 30, 2), (16, 21, 7), Evidence(same_day="A/HRC/27/L.46 (#1)"))
    assert "equal the official totals of A/HRC/27/L.46" in other[0]
    copies = likely_causes((12, 22, 13), (29, 1, 17), Evidence(copies=("L.43 (#2)",)))
    assert "identical to those of L.43 (#2)" in copies[0]
    # nothing recorded; more recorded votes than members; no official totals
    assert likely_causes((25, 19, 3), (0, 0, 0)) == [
        "no state votes are recorded for this roll call"
    ]
    over = likely_causes(None, (120, 50, 40), Evidence(members=193))
    assert over == ["recorded votes exceed membership (193): 210 members recorded"]
    assert likely_causes((1, 2, 3), (1, 2, 3), Evidence(members=47)) == []
    unexplained = likely_causes((20, 10, 10), (25, 3, 5), Evidence(members=47))
    assert unexplained[-1] == "counts differ by +5/-7/-5 (yes/no/abstain): no single cause fits"


def test_mismatches_command(hrc_store: Settings, run_cli: RunCli) -> None:
    code, out = run_cli(hrc_store, "votes", "mismatches", "--body", "hrc", "--format", "csv")
    assert code == 0, out
    lines = out.splitlines()
    assert (
        lines[0] == "roll_call_id,body,symbol,date,official,recorded,difference,members,kind,cause"
    )
    s34 = next(line for line in lines if ",A/HRC/RES/S-34/1," in line)
    assert ",33/12/2,33/2/12,+0/-10/+10,47,mismatch,no and abstain swapped" in s34
    code, out = run_cli(hrc_store, "votes", "mismatches", "--body", "nowhere")
    assert code == 65 and "unknown body" in out


@pytest.fixture(scope="module")
def clients(hrc_store: Settings) -> Iterator[dict[str, TestClient]]:
    from rightsdesk.web.app import create_app

    app = create_app(hrc_store)
    made: dict[str, TestClient] = {}
    for role in ("viewer", "analyst"):
        add_user(hrc_store, f"integrity-{role}", role)
        made[role] = TestClient(app)
        login(made[role], f"integrity-{role}")
    yield made
    for c in made.values():
        c.close()


def test_integrity_api_and_pages(
    clients: dict[str, TestClient], findings: dict[str, Finding]
) -> None:
    analyst, viewer = clients["analyst"], clients["viewer"]
    assert viewer.get("/api/v1/votes/integrity").status_code == 403
    assert viewer.get("/votes/integrity").status_code == 403
    resp = analyst.get("/api/v1/votes/integrity", params={"body": "hrc"})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["body"] == "hrc" and data["impossible"] >= 1
    by_symbol = {f["symbol"]: f for f in data["findings"]}
    assert by_symbol["A/HRC/RES/46/1"]["official"] == {"yes": 20, "no": 11, "abstain": 14}
    assert by_symbol["A/HRC/RES/46/1"]["difference"] == {"yes": 2, "no": 0, "abstain": 0}
    assert "exceed membership (47)" in by_symbol["A/HRC/RES/50/2"]["cause"]
    assert analyst.get("/api/v1/votes/integrity", params={"body": "x"}).status_code == 400
    pages = [analyst.get("/votes/integrity", params={"body": "hrc", "page": n}) for n in (1, 2)]
    assert all(p.status_code == 200 and 'id="integrity-list"' in p.text for p in pages)
    assert any("A/HRC/RES/S-34/1" in p.text for p in pages)  # 100 roll calls a page
    # the roll call page: a warning box with the cause, for any reader
    rc = viewer.get(f"/votes/{findings['A/HRC/RES/S-34/1'].roll_call_id}")
    assert rc.status_code == 200
    box = re.search(r'id="integrity-warning".*?</div>', rc.text, re.S)
    assert box is not None
    assert "Official totals do not match the recorded votes" in box.group(0)
    assert "no and abstain swapped in the official totals" in box.group(0)
    assert 'id="correction-form"' not in rc.text  # viewers do not get the form


def test_ga_membership_is_counted_on_the_day_of_the_vote(session: Session) -> None:
    """South Sudan joined the UN on 2011-07-14: a General Assembly roll call of 30 June 2011
    recording 193 votes is impossible (192 members), one of 14 July is not. Counting the
    members of the *year* (as before) let the first through."""
    from rightsdesk.core.groups import members_at
    from rightsdesk.negotiation.votes.models import Resolution, RollCall, StateVote

    size = member_counter(session)
    assert size("unga", dt.date(2011, 7, 13)) == 192
    assert size("unga", dt.date(2011, 7, 14)) == 193
    assert size("unga", dt.date(2002, 9, 9)) == 189  # Switzerland: 2002-09-10
    members = members_at(session, "UN", dt.date(2011, 7, 14))
    assert len(members) == 193 and "SSD" in members
    res = Resolution(body="unga", source_key="test-65", title="A text", adoption="recorded")
    session.add(res)
    session.flush()
    calls = {}
    for day in (dt.date(2011, 6, 30), dt.date(2011, 7, 14)):
        rc = RollCall(
            resolution_id=res.id,
            source="test",
            source_id=day.isoformat(),
            body="unga",
            session=65,
            date=day,
        )
        session.add(rc)
        session.flush()
        session.add_all(StateVote(roll_call_id=rc.id, iso3=i, vote="yes") for i in members)
        calls[day] = rc.id
    session.flush()
    found = {f.roll_call_id: f for f in integrity_report(session, "unga")}
    june = found[calls[dt.date(2011, 6, 30)]]
    assert june.kinds == ("impossible",) and june.members == 192
    assert june.causes == ("recorded votes exceed membership (192): 193 members recorded",)
    assert calls[dt.date(2011, 7, 14)] not in found


def test_hrc_terms_derived_from_the_recorded_votes(hrc_store: Settings) -> None:
    """The hrc-votes import stores the Council's membership (grouping HRC) with dated periods;
    re-deriving it changes nothing."""
    from sqlalchemy import select

    from rightsdesk.core.groups import Grouping, members_at
    from rightsdesk.core.groups import GroupMembership as M
    from rightsdesk.negotiation.votes.hrc_terms import store_hrc_terms

    with session_scope(hrc_store.database_url) as s:
        for day in (dt.date(2006, 6, 19), dt.date(2012, 10, 1), dt.date(2021, 3, 23)):
            assert len(members_at(s, "HRC", day)) == 47, day
        assert members_at(s, "HRC", dt.date(2006, 6, 18)) == []
        in_2021 = members_at(s, "HRC", dt.date(2021, 3, 23))
        assert {"CHN", "RUS", "GBR", "PAK", "FRA"} <= set(in_2021)
        assert "USA" not in in_2021  # left in 2018, back from 2022
        assert "USA" in members_at(s, "HRC", dt.date(2022, 3, 1))
        assert "CHN" not in members_at(s, "HRC", dt.date(2020, 3, 1))  # off in 2020
        # mid-term changes: the United States' seat to Iceland in 2018, Russia's to Czechia
        assert "USA" in members_at(s, "HRC", dt.date(2018, 3, 5))
        assert "ISL" in members_at(s, "HRC", dt.date(2018, 9, 27))
        assert "RUS" not in members_at(s, "HRC", dt.date(2022, 6, 1))
        assert "CZE" in members_at(s, "HRC", dt.date(2022, 6, 1))
        # 2016-09-27: nine 2017 members wrongly listed on nine votes are not members in 2016
        assert "USA" not in members_at(s, "HRC", dt.date(2016, 9, 27))
        assert len(members_at(s, "HRC", dt.date(2016, 9, 27))) == 47
        group = s.get(Grouping, "HRC")
        assert group is not None and "recorded votes" in group.name
        stmt = select(M.iso3, M.start_date, M.end_date).where(M.grouping_code == "HRC")
        before = sorted(tuple(r) for r in s.execute(stmt))
        assert len(before) > 200
        assert store_hrc_terms(s)[1:] == (0, 0, 0)
        assert sorted(tuple(r) for r in s.execute(stmt)) == before
