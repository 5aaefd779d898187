"""Assessments: drafts, final versions that never change, differences, audit, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import ConflictError, InputError, UnknownStateError
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.interventions.framework import service
from rightsdesk.interventions.framework.evidence import parse_evidence
from rightsdesk.interventions.framework.models import Assessment, Evidence, Rating
from rightsdesk.interventions.framework.public import latest_assessment, state_section


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_finalised_versions_never_change(session: Session) -> None:
    service.rate(session, "ana", "SSD", "7.14", "high", "radio hate speech",
                 [parse_evidence("url:https://example.org/a")])  # fmt: skip
    service.rate(session, "ana", "South Sudan", "1.1", "moderate")
    v1 = service.finalise(session, "eddie", "SSD")
    session.commit()
    assert (v1.version, v1.status, v1.finalised_by) == (1, "final", "eddie")

    r = service.rate(
        session, "ana", "SSD", "1.1", "high", evidence=[parse_evidence("gdelt-month:2024-03")]
    )
    session.commit()
    assert r.assessment.version == 2 and r.assessment.status == "draft"
    old = service.assessment(session, "SSD", 1)
    assert old is not None
    assert {x.indicator: x.rating for x in old.ratings} == {"7.14": "high", "1.1": "moderate"}
    new = service.assessment(session, "SSD", include_drafts=True)
    assert new is not None and new.version == 2
    assert {x.indicator: x.rating for x in new.ratings} == {"7.14": "high", "1.1": "high"}
    assert [e.ref for x in new.ratings for e in x.evidence if x.indicator == "7.14"] == [
        "https://example.org/a"
    ]  # copied from version 1
    changes = service.diff(old, new)
    assert [(c.indicator, c.before, c.after) for c in changes] == [("1.1", "moderate", "high")]
    assert [e.ref for e in changes[0].added] == ["SSD:2024-03"]
    # viewers' view: the latest final version; the draft does not reach the summaries
    assert service.assessment(session, "SSD").version == 1  # type: ignore[union-attr]
    summary = latest_assessment(session, "ssd")
    assert summary is not None and summary.version == 1 and summary.author == "ana"
    assert summary.high_factors == ["7: Enabling circumstances or preparatory action"]
    assert summary.factors_rated == 2
    section = state_section(session, "SSD", None)
    assert section is not None and [f["number"] for f in section["high"]] == [7]
    assert state_section(session, "FRA", None) is None and latest_assessment(session, "FRA") is None


def test_every_write_is_audited(session: Session) -> None:
    service.rate(session, "ana", "SSD", "2.1", "low")
    service.rate(session, "ana", "SSD", "2.1", "moderate", "worse")
    service.set_details(session, "ana", "SSD", "Tense before the vote", "2024-01-01", "2024-06-30")
    service.finalise(session, "eddie", "SSD")
    session.commit()
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == service.ENTITY).order_by(AuditEntry.id)
    ).all()
    assert actions == ["create", "rate", "rate", "edit", "finalise"]
    last_rate = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "rate").order_by(AuditEntry.id.desc())
    ).first()
    assert last_rate is not None and last_rate.before["rating"] == "low"  # type: ignore[index]


@pytest.mark.parametrize(
    ("state", "code", "rating", "evidence", "error"),
    [
        ("SSD", "1.99", "high", None, InputError),
        ("SSD", "1.1", "severe", None, InputError),
        ("Narnia", "1.1", "high", None, UnknownStateError),
        ("SSD", "1.1", "high", "recommendation:999999", InputError),
        ("SSD", "1.1", "high", "url:javascript:alert(1)", InputError),
        ("SSD", "1.1", "high", "gdelt-month:2024-13", InputError),
        ("SSD", "1.1", "high", "register-entry:abc", InputError),
        ("SSD", "1.1", "high", "recommendation:99999999999999999999999", InputError),
        ("SSD", "1.1", "high", "url:https://a.org/\x00", InputError),
    ],
)
def test_bad_input_writes_nothing(
    sqlite_session: Session, state: str, code: str, rating: str, evidence: str | None, error: type
) -> None:
    session = sqlite_session
    items = [parse_evidence(evidence)] if evidence else None
    audited = _count(session, AuditEntry)
    with pytest.raises(error):
        service.rate(session, "ana", state, code, rating, evidence=items)
    session.rollback()
    assert [_count(session, m) for m in (Assessment, Rating, Evidence, AuditEntry)] == [
        0,
        0,
        0,
        audited,
    ]


def test_evidence_kinds_are_checked_when_parsed() -> None:
    with pytest.raises(InputError, match="unknown evidence kind 'rumour'"):
        parse_evidence("rumour:heard it")
    with pytest.raises(InputError, match="not KIND:REF"):
        parse_evidence("url")


def test_finalise_needs_a_rated_draft(sqlite_session: Session) -> None:
    session = sqlite_session
    with pytest.raises(ConflictError, match="no draft"):
        service.finalise(session, "eddie", "SSD")
    service.rate(session, "ana", "SSD", "3.3", "not-assessed")
    with pytest.raises(InputError, match="rate at least one indicator"):
        service.finalise(session, "eddie", "SSD")


def test_a_recommendation_is_cited_by_its_natural_key(sqlite_session: Session) -> None:
    """Given by row id (as pages show it), stored by natural key (ids change on re-import),
    shown with its mechanism and text."""
    from rightsdesk.interventions.framework.evidence import show_evidence
    from rightsdesk.monitoring.recommendations.models import Recommendation

    session = sqlite_session
    rec = Recommendation(natural_key="upr-ssd-42", mechanism="UPR", text="Protect civilians.",
                         text_hash="x" * 40, state_iso3="SSD")  # fmt: skip
    session.add(rec)
    session.flush()
    r = service.rate(session, "ana", "SSD", "2.4", "high",
                     evidence=[parse_evidence(f"recommendation:{rec.id}", "not done")])  # fmt: skip
    assert [(e.kind, e.ref) for e in r.evidence] == [("recommendation", "upr-ssd-42")]
    [view] = show_evidence(session, "SSD", r.evidence, None)
    assert (view.label, view.url, view.checked) == (
        "UPR: Protect civilians.",
        f"/recommendations/{rec.id}",
        True,
    )
