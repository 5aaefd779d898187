"""Choosing the next options from fakes of the risk model, the framework and the register:
proportionate to the level, not used recently, with precedents from other states, and said
in words that claim no more than the data."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from rightsdesk.core.errors import UnknownStateError
from rightsdesk.interventions.escalation.responses import Used
from rightsdesk.interventions.escalation.service import escalation_view
from tests.interventions.escalation.conftest import (
    D,
    FakeAssessment,
    FakeEntry,
    FakeRisk,
    fake_inputs,
)

TODAY = D(2026, 12, 2)
COI = FakeEntry(
    1,
    "commission-of-inquiry",
    "Independent International Fact-Finding Mission on Myanmar",
    [("situation", "MMR")],
    D(2017, 3, 24),
    end=D(2019, 9, 18),
    status="concluded",
)
OTHERS = [
    FakeEntry(
        10, "commission-of-inquiry", "Commission on Syria", [("situation", "SYR")], D(2011, 8, 22)
    ),
    FakeEntry(
        11,
        "commission-of-inquiry",
        "Commission on Eritrea",
        [("situation", "ERI")],
        D(2014, 6, 27),
        D(2016, 6, 30),
        "concluded",
    ),
    FakeEntry(12, "peacekeeping", "UNMISS", [("host", "SSD")], D(2011, 7, 9), identifier="UNMISS"),
    FakeEntry(
        13,
        "icj-case",
        "Application of the Genocide Convention (The Gambia v. Myanmar)",
        [("applicant", "GMB"), ("respondent", "MMR")],
        D(2019, 11, 11),
        identifier="ICJ 178",
    ),
]


def keys(view: object) -> list[str]:
    return [s.key for s in view.next_options]  # type: ignore[attr-defined]


def test_high_risk_with_a_recent_inquiry_suggests_the_next_rungs(session_for: Session) -> None:
    view = escalation_view(
        session_for, "MMR", None, fake_inputs(FakeRisk("high"), entries=[COI]), TODAY
    )
    assert view.level == "high"
    assert "inquiry" not in keys(view)
    assert {"targeted-sanctions", "arms-embargo"} <= set(keys(view))
    assert not {"court", "peacekeeping"} & set(keys(view)), "beyond 'high'"
    inquiry = next(s for s in view.steps if s.key == "inquiry")
    assert (
        inquiry.status == "used" and inquiry.last_used == D(2019, 9, 18) and not inquiry.suggested
    )
    assert "2019" in inquiry.why
    used = [u for u in view.used if u.category == "register"]
    assert [u.option for u in used] == ["inquiry"] and used[0].date == D(2017, 3, 24)


def test_lower_risk_offers_no_coercive_option(session_for: Session) -> None:
    view = escalation_view(
        session_for, "MMR", None, fake_inputs(FakeRisk("lower", risk=0.01)), TODAY
    )
    assert keys(view) == ["demarche", "public-statement", "upr-special-procedures"]
    assert not any(s.coercive for s in view.next_options)
    assert all("beyond the assessed level" in s.why for s in view.steps if not s.proportionate)


def test_no_risk_stored_means_the_lowest_level_said_plainly(session_for: Session) -> None:
    view = escalation_view(session_for, "MMR", None, fake_inputs(), TODAY)
    assert view.risk is None and view.level == "lower"
    assert "No statistical risk is stored for Myanmar" in view.level_note
    assert not any(s.coercive for s in view.next_options)


def test_a_response_used_long_ago_is_suggested_again(session_for: Session) -> None:
    old = FakeEntry(
        2,
        "commission-of-inquiry",
        "Old mission",
        [("situation", "MMR")],
        D(1998, 1, 1),
        D(2001, 1, 1),
        "concluded",
    )
    view = escalation_view(
        session_for, "MMR", None, fake_inputs(FakeRisk("high"), entries=[old]), TODAY
    )
    inquiry = next(s for s in view.steps if s.key == "inquiry")
    assert inquiry.status == "used-long-ago" and inquiry.suggested
    assert "over 10 years ago" in inquiry.why


def test_an_open_response_counts_as_used_now(session_for: Session) -> None:
    open_ = FakeEntry(3, "peacekeeping", "A mission", [("host", "MMR")], D(1990, 1, 1))
    view = escalation_view(
        session_for, "MMR", None, fake_inputs(FakeRisk("highest"), entries=[open_]), TODAY
    )
    peace = next(s for s in view.steps if s.key == "peacekeeping")
    assert peace.status == "used" and peace.last_used == TODAY and not peace.suggested


def test_precedents_come_from_other_states_newest_first(session_for: Session) -> None:
    inputs = fake_inputs(FakeRisk("highest"), entries=[], precedents=[COI, *OTHERS])
    view = escalation_view(session_for, "MMR", None, inputs, TODAY)
    inquiry = next(s for s in view.steps if s.key == "inquiry")
    assert [p.title for p in inquiry.precedents] == ["Commission on Eritrea", "Commission on Syria"]
    assert inquiry.precedents[0].states == ["Eritrea"] and inquiry.precedents[0].end == D(
        2016, 6, 30
    )
    peace = next(s for s in view.steps if s.key == "peacekeeping")
    assert peace.precedents[0].identifier == "UNMISS" and peace.precedents[0].states == [
        "South Sudan"
    ]
    # the ICJ case names Myanmar itself: not a precedent for Myanmar
    court = next(s for s in view.steps if s.key == "court")
    assert court.precedents == []


def test_a_case_the_state_brought_is_not_a_response_to_it(session_for: Session) -> None:
    view = escalation_view(
        session_for, "GMB", None, fake_inputs(FakeRisk("highest"), entries=OTHERS), TODAY
    )
    assert [u for u in view.used if u.category == "register"] == []
    view = escalation_view(
        session_for, "MMR", None, fake_inputs(FakeRisk("highest"), entries=OTHERS), TODAY
    )
    assert [u.option for u in view.used if u.category == "register"] == ["court"]


def test_words_never_claim_more_than_the_data(session_for: Session) -> None:
    view = escalation_view(session_for, "MMR", None, fake_inputs(FakeRisk("high")), TODAY)
    by_key = {s.key: s for s in view.steps}
    assert by_key["inquiry"].status == "not-in-records"
    assert "Not in the register for Myanmar" in by_key["inquiry"].why
    assert by_key["demarche"].status == "not-recorded"
    # no sanctions list loaded: rightsdesk cannot tell, and says so
    assert by_key["targeted-sanctions"].status == "unknown"
    assert "cannot tell" in by_key["targeted-sanctions"].why
    for step in view.steps:
        assert "never" not in step.why.lower()
    unloaded = escalation_view(
        session_for, "MMR", None, fake_inputs(FakeRisk("high"), register_loaded=False), TODAY
    )
    assert {s.key: s.status for s in unloaded.steps}["inquiry"] == "unknown"


def test_vetoes_point_to_routes_around_the_council(session_for: Session) -> None:
    vetoed = [
        type(
            "V",
            (),
            {
                "draft": "S/2007/14",
                "date": D(2007, 1, 12),
                "meeting": "S/PV.5619",
                "topic": "Myanmar",
                "agenda_item": None,
                "vetoed_by": ("CHN", "RUS"),
            },
        )()
    ]
    view = escalation_view(
        session_for,
        "MMR",
        None,
        fake_inputs(FakeRisk("highest"), council_vetoes=lambda _s, _i: vetoed),
        TODAY,
    )
    veto = next(u for u in view.used if u.category == "veto")
    assert (
        veto.date == D(2007, 1, 12) and "China" in veto.title and "Russian Federation" in veto.title
    )
    court = next(s for s in view.steps if s.key == "court")
    assert "vetoed" in court.why and "art. 14" in court.why


def test_framework_assessment_flags_an_understated_risk(session_for: Session) -> None:
    found = FakeAssessment(
        high_factors=["1 Situations of armed conflict", "7 Enabling circumstances"]
    )
    view = escalation_view(session_for, "MMR", None, fake_inputs(FakeRisk("lower"), found), TODAY)
    assert view.assessment is not None and view.assessment["as_of"].startswith(
        "assessed on 2026-06-01"
    )
    assert any("rates 2 risk factor(s) high" in n for n in view.notes)
    assert (
        view.risk is not None
        and view.risk["as_of"] == "forecast from data up to 2024, for 2025-2026"
    )


def test_unknown_state_is_refused(session_for: Session) -> None:
    with pytest.raises(UnknownStateError):
        escalation_view(session_for, "Atlantis", None, fake_inputs(), TODAY)


def test_json_shape(session_for: Session) -> None:
    data = escalation_view(
        session_for, "mmr", None, fake_inputs(FakeRisk("high"), entries=[COI]), TODAY
    ).to_dict()
    assert data["iso3"] == "MMR" and data["as_of"] == "2026-12-02"
    assert set(data) >= {
        "risk",
        "assessment",
        "level",
        "used",
        "steps",
        "next_options",
        "sources",
        "notes",
    }
    assert data["used"][0]["date"] == "2017-03-24"
    assert data["next_options"] == [s["key"] for s in data["steps"] if s["suggested"]]
    assert isinstance(Used, type)


def test_only_icj_cases_on_human_rights_count(session_for: Session) -> None:
    maritime = FakeEntry(
        20,
        "icj-case",
        "Maritime Delimitation in the Black Sea (Romania v. Ukraine)",
        [("applicant", "ROU"), ("respondent", "UKR")],
        D(2004, 9, 16),
        identifier="ICJ 132",
    )
    genocide = FakeEntry(
        21,
        "icj-case",
        "Allegations of Genocide under the Convention (Ukraine v. Russian Federation)",
        [("applicant", "UKR"), ("respondent", "RUS")],
        D(2022, 2, 26),
        identifier="ICJ 182",
    )
    inputs = fake_inputs(FakeRisk("highest"), entries=[maritime], precedents=[maritime, genocide])
    view = escalation_view(session_for, "UKR", None, inputs, TODAY)
    assert [(u.option, u.title[:7]) for u in view.used] == [(None, "ICJ 132")]
    # a precedent is another state's case: seen from Myanmar, the genocide case only
    view = escalation_view(session_for, "MMR", None, inputs, TODAY)
    court = next(s for s in view.steps if s.key == "court")
    assert court.suggested and [p.identifier for p in court.precedents] == ["ICJ 182"]
    assert court.precedents[0].states == ["Russian Federation"]


def test_a_recent_council_country_resolution_may_carry_a_mandate_or_an_inquiry(
    session_for: Session,
) -> None:
    """Mandates and inquiries are created inside country resolutions whose titles do not
    name them: those rungs are not proposed, and the reader is told why."""
    from types import SimpleNamespace

    resolution = SimpleNamespace(
        symbol="A/HRC/RES/61/30",
        title="Situation of human rights in Myanmar",
        body="hrc",
        body_name="Human Rights Council",
        date=D(2026, 3, 31),
        yes=None,
        no=None,
        abstain=None,
        adoption="without-vote",
        url=None,
    )
    view = escalation_view(
        session_for,
        "MMR",
        None,
        fake_inputs(FakeRisk("high"), country_resolutions=lambda _s, _i: [resolution]),
        TODAY,
    )
    for key in ("country-mandate", "inquiry"):
        step = next(s for s in view.steps if s.key == key)
        assert step.status == "check-text" and not step.suggested, key
        assert "A/HRC/RES/61/30" in step.why and "Check its text" in step.why
        assert key not in keys(view)
