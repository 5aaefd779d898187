"""Links between programmes and recommendations, on the real IATI files and DR Congo's real
UPR recommendations, on SQLite and PostgreSQL: the monitoring form's public services, the
matcher (idempotent, never proposing a rejected pair again), people's links and decisions,
every write in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.capacity.links import (
    add_link,
    links_for_programme,
    links_for_recommendation,
    recommendation_key,
    set_status,
)
from rightsdesk.capacity.models import Programme, ProgrammeLink, Recipient
from rightsdesk.capacity.suggest import MIN_SCORE, Thresholds, score_programmes, suggest_links
from rightsdesk.core.config import Settings
from rightsdesk.core.db import Base, session_factory
from rightsdesk.core.errors import ConflictError, InputError, NotFoundError
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.forms import service
from rightsdesk.monitoring.public import RecommendationRef
from tests.capacity.links_helpers import drc_rows, load_drc_recommendations


@pytest.fixture(scope="module")
def drc_store(
    capacity_store: Settings, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """The module's capacity store with DR Congo's recommendations imported too."""
    load_drc_recommendations(capacity_store, shared_data, tmp_path_factory.mktemp("upr"))
    return capacity_store


@pytest.fixture
def db(drc_store: Settings) -> Iterator[Session]:
    """A session on the store; what a test leaves uncommitted is rolled back."""
    session = session_factory(drc_store.database_url)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def cod_programmes(db: Session) -> list[Programme]:
    sub = select(Recipient.programme_id).where(Recipient.state_iso3 == "COD")
    return list(db.scalars(select(Programme).where(Programme.id.in_(sub)).order_by(Programme.id)))


def audit_of_links(db: Session) -> list[tuple[str, str, str | None]]:
    rows = db.scalars(select(AuditEntry).where(AuditEntry.entity == "capacity_link"))
    return [(e.actor, e.action, e.entity_id) for e in rows]


def test_services_give_plain_values(db: Session, shared_data: Path) -> None:
    rows = drc_rows(shared_data)
    of_state = service("monitoring", "recommendations_of_state")
    every = of_state(db, "COD")
    supported = of_state(db, "cod", "supported")
    assert len(every) == len(rows) == 166
    assert len(supported) == sum(r["Response"] == "Accepted" for r in rows) == 132
    ref = supported[0]
    assert isinstance(ref, RecommendationRef) and not isinstance(ref, Base)  # no ORM row leaks
    assert ref.response == "supported" and ref.state_iso3 == "COD" and ref.session == 6
    issues = {label.strip() for r in rows for label in r["Issue"].split(",")}
    assert ref.themes and set(ref.themes) <= issues
    by_keys = service("monitoring", "recommendations_by_keys")(db, [ref.natural_key, "nope"])
    assert by_keys == {ref.natural_key: ref}
    by_ids = service("monitoring", "recommendations_by_ids")(db, [ref.id])
    assert by_ids[ref.id].natural_key == ref.natural_key
    assert service("monitoring", "implementation_of_state")(db, "COD") == {}


def test_matcher_suggests_for_the_same_state_with_reasons(db: Session) -> None:
    candidates, looked_at = score_programmes(db, "COD")
    assert looked_at == len(cod_programmes(db)) > 100  # CAFOD's 57 and DFID's DR Congo rows
    assert candidates and all(c.score >= MIN_SCORE for c in candidates)
    keys = {r.natural_key for r in service("monitoring", "recommendations_of_state")(db, "COD")}
    assert {c.recommendation_key for c in candidates} <= keys
    titles = {p.id: p.title for p in cod_programmes(db)}
    recs = service("monitoring", "recommendations_by_keys")(db, keys)
    # DFID's police programme: its best match is the recommendation on security sector reform
    police = [c for c in candidates if titles[c.programme_id].startswith("Security Sector Acc")]
    assert police, "the police programme gets a suggestion"
    best = max(police, key=lambda c: c.score)
    assert "security sector reform" in recs[best.recommendation_key].text
    assert best.reason.startswith("same state (Democratic Republic of the Congo); shared terms: ")
    assert "'security'" in best.reason and "sector 15210 ↔ theme Public security" in best.reason
    # lower thresholds propose more pairs, the same ones among them
    more, _ = score_programmes(db, "COD", Thresholds(min_cosine=0.05, min_score=0.15))
    pairs = {(c.programme_id, c.recommendation_key) for c in candidates}
    assert len(more) > len(candidates)
    assert len(pairs & {(c.programme_id, c.recommendation_key) for c in more}) >= len(pairs) // 2


def test_suggest_is_idempotent_and_rejections_stay(db: Session) -> None:
    first = suggest_links(db, "tester", "COD")
    assert first.created > 10 and first.updated == 0 and first.states == ["COD"]
    stored = list(db.scalars(select(ProgrammeLink).order_by(ProgrammeLink.score.desc())))
    assert len(stored) == first.created
    assert {k.status for k in stored} == {"suggested"} and {k.created_by for k in stored} == {
        "matcher"
    }
    again = suggest_links(db, "tester", "COD")
    assert (again.created, again.updated, again.withdrawn) == (0, first.created, 0)
    assert db.scalar(select(func.count()).select_from(ProgrammeLink)) == first.created

    rejected, confirmed = stored[0], stored[1]
    set_status(db, rejected.id, "rejected", "rita")
    set_status(db, confirmed.id, "confirmed", "carl", "the programme trains the police")
    with pytest.raises(ConflictError):
        set_status(db, rejected.id, "rejected", "someone")
    with pytest.raises(InputError):
        set_status(db, rejected.id, "suggested", "someone")
    third = suggest_links(db, "tester", "COD")
    assert third.created == 0 and third.decided == 2
    db.refresh(rejected)
    assert rejected.status == "rejected" and rejected.reviewed_by == "rita"
    assert db.scalar(select(func.count()).select_from(ProgrammeLink)) == first.created
    assert "carl: the programme trains the police" in (confirmed.reason or "")
    # a suggestion that no longer qualifies is withdrawn; another state's is not touched
    pid = stored[0].programme_id
    used = {k.recommendation_key for k in stored if k.programme_id == pid}
    cod_keys = [r.natural_key for r in service("monitoring", "recommendations_of_state")(db, "COD")]
    stale = next(k for k in cod_keys if k not in used)
    for key in (stale, "f" * 40):
        db.add(
            ProgrammeLink(
                programme_id=pid,
                recommendation_key=key,
                score=0.01,
                reason="old",
                created_by="matcher",
            )
        )
    db.flush()
    fourth = suggest_links(db, "tester", "COD")
    assert (fourth.created, fourth.withdrawn) == (0, 1)
    left = set(
        db.scalars(
            select(ProgrammeLink.recommendation_key).where(ProgrammeLink.programme_id == pid)
        )
    )
    assert stale not in left and "f" * 40 in left
    log = audit_of_links(db)
    assert ("tester", "suggest", None) in log
    assert ("rita", "reject", str(rejected.id)) in log
    assert ("carl", "confirm", str(confirmed.id)) in log


def test_a_person_links_with_a_reason(db: Session) -> None:
    programme = cod_programmes(db)[0]
    rec = service("monitoring", "recommendations_of_state")(db, "COD", "supported")[0]
    with pytest.raises(InputError, match="say why"):
        add_link(db, programme.id, rec.natural_key, "pat", "  ")
    with pytest.raises(NotFoundError):
        add_link(db, programme.id, "0" * 40, "pat", "a reason")
    with pytest.raises(NotFoundError):
        add_link(db, 10**9, rec.natural_key, "pat", "a reason")
    assert recommendation_key(db, str(rec.id)) == rec.natural_key
    assert recommendation_key(db, f"/recommendations/{rec.id}") == rec.natural_key
    with pytest.raises(NotFoundError):
        recommendation_key(db, "999999999")

    link = add_link(db, programme.id, rec.natural_key, "pat", "Trains Caritas monitors")
    assert (link.status, link.created_by, link.reviewed_by) == ("confirmed", "pat", "pat")
    with pytest.raises(ConflictError):
        add_link(db, programme.id, rec.natural_key, "pat", "again")
    [view] = links_for_programme(db, programme.id)
    assert view.recommendation_text == rec.text and view.reason == "Trains Caritas monitors"
    [back] = links_for_recommendation(db, rec.natural_key)
    assert back.programme_title == programme.title and back.status == "confirmed"
    entry = db.scalars(
        select(AuditEntry).where(AuditEntry.entity == "capacity_link", AuditEntry.action == "link")
    ).one()
    assert entry.actor == "pat" and entry.entity_id == str(link.id)
    assert entry.note == "Trains Caritas monitors" and entry.after is not None
    assert entry.after["recommendation_key"] == rec.natural_key


def test_a_person_overrides_a_rejection(db: Session) -> None:
    suggest_links(db, "tester", "COD")
    link = db.scalars(select(ProgrammeLink).order_by(ProgrammeLink.id)).first()
    assert link is not None
    set_status(db, link.id, "rejected", "rita")
    again = add_link(db, link.programme_id, link.recommendation_key, "pat", "seen in the report")
    assert (
        again.id == link.id
        and again.status == "confirmed"
        and again.reason == ("seen in the report")
    )


def test_a_confirmed_link_names_the_implementation_record(db: Session) -> None:
    """A programme answers a recommendation and the actions that follow it: confirming a
    link records the monitoring form's implementation record of that recommendation."""
    from rightsdesk.monitoring.tracking import service as tracking

    programme, other = cod_programmes(db)[:2]
    recs = service("monitoring", "recommendations_of_state")(db, "COD", "supported")
    followed, alone = recs[0], recs[1]
    record = tracking.set_status(db, "ed", "in-progress", recommendation_id=followed.id)
    db.flush()
    link = add_link(db, programme.id, followed.natural_key, "pat", "Funds the action plan")
    assert link.implementation_record_id == record.id
    assert links_for_programme(db, programme.id)[0].implementation_record_id == record.id
    no_record = add_link(db, other.id, alone.natural_key, "pat", "Trains judges")
    assert no_record.implementation_record_id is None
