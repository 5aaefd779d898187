"""The new service functions of the sanctions and negotiation forms on both backends, over a
few hand-written rows whose answers are known in advance: designations of a state's nationals
under a human-rights regime, a regime aimed at the state, resolutions whose title names it
(and one on the occupied Golan that does not count), a veto on its situation."""

from __future__ import annotations

from sqlalchemy.orm import Session

from rightsdesk.interventions.escalation.service import escalation_view
from rightsdesk.negotiation.public_votes import (
    council_vetoes_on,
    country_resolutions,
    votes_coverage,
)
from rightsdesk.negotiation.votes.models import CouncilVeto, Resolution
from rightsdesk.sanctions.models import (
    Designation,
    SanctionCountry,
    SanctionEntity,
    SanctionList,
    SanctionProgram,
)
from rightsdesk.sanctions.public_state import (
    human_rights_designations,
    lists_coverage,
    regimes_on_state,
)
from tests.interventions.escalation.conftest import D


def _entity(entity_id: str, schema: str, countries: list[tuple[str, str]]) -> SanctionEntity:
    entity = SanctionEntity(
        entity_id=entity_id, schema=schema, caption=entity_id, properties={}, datasets=["eu"]
    )
    entity.countries = [SanctionCountry(prop=p, iso3=c) for p, c in countries]
    return entity


def seed(session: Session) -> None:
    session.add_all(
        [
            SanctionProgram(
                key="EU-HR",
                title="EU Global Human Rights regime",
                issuer="eu_council",
                human_rights=True,
                target_territories=["zz"],
                measures=["Asset freeze"],
            ),
            SanctionProgram(
                key="EU-SYR",
                title="EU Syria regime",
                issuer="eu_council",
                target_territories=["sy"],
                measures=["Asset freeze", "Arms embargo"],
            ),
            SanctionProgram(
                key="UN-SC9999",
                title="UN regime on Ruritania",
                issuer="zz_unsc",
                target_territories=["fr"],
                measures=["Travel ban"],
            ),
            SanctionList(
                key="eu",
                title="EU lists",
                authority="Council of the EU",
                version_date=D(2026, 5, 28),
            ),
        ]
    )
    officer = _entity("p-1", "Person", [("nationality", "SYR")])
    resident = _entity("p-2", "Person", [("country", "SYR")])  # a residence: not a national
    firm = _entity("c-1", "Company", [("country", "SYR")])
    officer.designations = [
        Designation(
            list_key="eu",
            authority="Council of the EU",
            program_code="HR",
            program_key="EU-HR",
            listed_on=D(2021, 3, 22),
        ),
    ]
    resident.designations = [
        Designation(
            list_key="eu",
            authority="Council of the EU",
            program_code="HR",
            program_key="EU-HR",
            listed_on=D(2022, 1, 1),
        ),
    ]
    firm.designations = [
        Designation(
            list_key="eu",
            authority="Council of the EU",
            program_code="HR",
            program_key="EU-HR",
            listed_on=D(2019, 5, 1),
            delisted_on=D(2023, 1, 1),
        ),
        Designation(
            list_key="eu",
            authority="Council of the EU",
            program_code="SYR",
            program_key="EU-SYR",
            listed_on=D(2011, 5, 9),
        ),
    ]
    session.add_all([officer, resident, firm])
    session.add_all(
        [
            Resolution(
                body="hrc",
                source_key="1",
                symbol="A/HRC/RES/S-16/1",
                title="The current human rights situation in the Syrian Arab Republic"
                " : resolution /",
                date=D(2011, 4, 29),
                adoption="recorded",
                yes_official=26,
                no_official=9,
                abstain_official=7,
            ),
            Resolution(
                body="hrc",
                source_key="2",
                symbol="A/HRC/RES/S-17/1",
                title="Situation of human rights in the Syrian Arab Republic"
                " (commission of inquiry)",
                date=D(2011, 8, 23),
                adoption="recorded",
            ),
            Resolution(
                body="hrc",
                source_key="3",
                symbol="A/HRC/RES/16/17",
                title="Human rights in the occupied Syrian Golan",
                date=D(2011, 3, 24),
                adoption="recorded",
            ),
            Resolution(
                body="hrc",
                source_key="4",
                symbol=None,
                title="Situation in Syria (withdrawn draft)",
                date=D(2012, 1, 1),
                adoption="withdrawn",
            ),
            Resolution(
                body="hrc",
                source_key="5",
                symbol="A/HRC/DEC/19/101",
                title="Outcome of the universal periodic review : Syrian Arab Republic",
                date=D(2012, 3, 15),
                adoption="without-vote",
            ),
            CouncilVeto(
                draft="S/2011/612",
                date=D(2011, 10, 4),
                seq=0,
                meeting="S/PV.6627",
                topic="Syria",
                vetoed_by="CHN,RUS",
            ),
            CouncilVeto(
                draft="S/1986/966",
                date=D(1986, 9, 1),
                seq=0,
                meeting="S/PV.1",
                topic="Israel-Palestine",
                agenda_item="Letter from the Syrian Arab Republic",
                vetoed_by="USA",
            ),
        ]
    )
    session.commit()


def test_sanctions_of_the_state(session: Session) -> None:
    seed(session)
    rows = human_rights_designations(session, "SYR")
    assert [(r.program, r.active, r.ended, r.first_listed, r.last_listed) for r in rows] == [
        ("EU-HR", 1, 1, D(2019, 5, 1), D(2021, 3, 22))
    ]
    regimes = regimes_on_state(session, "SYR")
    assert [
        (r.key, r.arms, r.security_council, r.designations, r.first_listed) for r in regimes
    ] == [("EU-SYR", True, False, 1, D(2011, 5, 9))]
    assert [r.key for r in regimes_on_state(session, "FRA")] == ["UN-SC9999"]
    assert [c.version_date for c in lists_coverage(session)] == [D(2026, 5, 28)]


def test_decisions_on_the_state(session: Session) -> None:
    seed(session)
    found = country_resolutions(session, "SYR")
    assert [r.symbol for r in found] == ["A/HRC/RES/S-16/1", "A/HRC/RES/S-17/1", "A/HRC/DEC/19/101"]
    # the library's " : resolution /" catalogue suffix is not part of the title
    assert found[0].title.endswith("Syrian Arab Republic") and found[0].yes == 26
    vetoes = council_vetoes_on(session, "SYR")
    assert [(v.draft, v.vetoed_by) for v in vetoes] == [("S/2011/612", ("CHN", "RUS"))]
    assert votes_coverage(session) == {"hrc": D(2012, 3, 15), "unsc-vetoes": D(2011, 10, 4)}


def test_the_view_over_the_seeded_store(session: Session) -> None:
    seed(session)
    view = escalation_view(session, "SYR", None, today=D(2026, 12, 2))
    options = {(u.category, u.option) for u in view.used}
    assert ("sanctions", "targeted-sanctions") in options
    assert ("sanctions-regime", "arms-embargo") in options
    assert ("un-decision", "country-resolution") in options
    assert ("un-decision", "inquiry") in options
    assert ("veto", None) in options
    # the Council's decision on the state's UPR outcome counts for the UPR rung
    assert ("un-decision", "upr-special-procedures") in options
    steps = {s.key: s for s in view.steps}
    # the commission of inquiry of 2011 is more than ten years old: used long ago
    assert steps["inquiry"].status == "used-long-ago" and steps["inquiry"].last_used == D(
        2011, 8, 23
    )
    assert steps["targeted-sanctions"].status == "used"
