"""The security tests' scenario: ``tests.violations.conftest.seed_violations`` plus what the
route matrix needs to fill every path parameter from one consistent "family" of records.

A family is one seeded event (a level, an owner: the editor or the collector) with its victim,
its source, and, added here, a perpetrator and an attachment of the same level and owner. Each
family's sensitive values get a tag of their own (``Amina Qadir-Testvictim ~c2~``): a page may
rightly show the collector's own victim names, and the tag tells which family leaked when a
value appears where it must not. The untagged ``SECRETS`` stay substrings of every stored value,
so a search for them still finds any leak.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.monitoring.violations.access import LEVEL_RANK
from rightsdesk.monitoring.violations.models import (
    Act,
    Attachment,
    Event,
    Involvement,
    Perpetrator,
    PerpetratorSanctionsLink,
    Source,
    Victim,
)
from tests.violations.conftest import SECRETS, Seeded, seed_violations

#: the attachment file name is sensitive too (it may name a witness); the seed has none
ATTACHMENT_NAME = "statement-of-Yusuf-Witnessname-Test.txt"
ATTACHMENT_BYTES = b"Witness statement (test attachment).\n"
#: the sanctions entity each family's perpetrator has a suggested link to
SANCTIONS_ENTITY = "matrix-entity-1"
#: every clear value the store must never hold in clear, untagged
ALL_SECRETS: tuple[str, ...] = (*SECRETS.values(), ATTACHMENT_NAME)


@dataclass(frozen=True)
class Ref:
    """A documented record as ``access.may`` sees it: its level and who created it."""

    kind: str
    id: int
    confidentiality: str
    created_by: int | None


@dataclass(frozen=True)
class Family:
    """One seeded event and the records hanging from it, all of one level and one owner."""

    owner: str  # "editor" or "collector"
    level: str
    event: Ref
    victim: Ref
    source: Ref
    perpetrator: Ref
    attachment: Ref
    secrets: tuple[str, ...]  # this family's tagged sensitive values

    @property
    def tag(self) -> str:
        return f"{self.owner}/{self.level}"

    def record(self, kind: str) -> Ref:
        found: Ref = getattr(self, kind)
        return found


@dataclass
class Scenario:
    """Settings of the seeded store, the seed's ids and the families."""

    settings: Settings
    seeded: Seeded
    families: list[Family]

    @property
    def users(self) -> dict[str, int]:
        return self.seeded.users


def _tagged(value: str, owner: str, level: str) -> str:
    return f"{value} ~{owner[0]}{LEVEL_RANK[level]}~"


def _tag_family(
    session: Session, settings: Settings, seeded: Seeded, owner: str, level: str, event_id: int
) -> Family:
    user_id = seeded.users[owner]
    event = session.get(Event, event_id)
    victim = session.get(Victim, seeded.victims[event_id])
    source = session.get(Source, seeded.sources[event_id])
    assert event is not None and victim is not None and source is not None
    secrets = [
        _tagged(SECRETS["victim_name"], owner, level),
        _tagged(SECRETS["victim_contact"], owner, level),
        _tagged(SECRETS["reporter_name"], owner, level),
        _tagged(SECRETS["reporter_contact"], owner, level),
        _tagged(ATTACHMENT_NAME, owner, level),
    ]
    victim.name, victim.contact = secrets[0], secrets[1]
    source.reporter_name, source.reporter_contact = secrets[2], secrets[3]
    if event.exact_location is not None:
        place = _tagged(SECRETS["exact_place"], owner, level)
        event.exact_location = json.dumps({"place": place, "latitude": 36.21, "longitude": 37.16})
        secrets.append(place)
    perp = Perpetrator(
        natural_key=f"perp-sec-{owner}-{level}",
        kind="unit",
        name=f"Test Unit {owner} {level}",
        position="Checkpoint unit",
        state_iso3="SYR",
        confidentiality=level,
        created_by=user_id,
    )
    session.add(perp)
    session.flush()
    act = session.query(Act).filter(Act.event_id == event_id).first()
    assert act is not None
    session.add(Involvement(act_id=act.id, perpetrator_id=perp.id, role="direct"))
    # a suggested sanctions link, so that deciding on it reaches the access check
    session.add(
        PerpetratorSanctionsLink(
            perpetrator_id=perp.id, entity_id=SANCTIONS_ENTITY, score=0.9, status="suggested"
        )
    )
    attachment = Attachment(
        event_id=event_id,
        source_id=source.id,
        filename=secrets[4],
        media_type="text/plain",
        size=len(ATTACHMENT_BYTES),
        sha256=hashlib.sha256(ATTACHMENT_BYTES).hexdigest(),
        description="Typed witness statement.",
        confidentiality=level,
        created_by=user_id,
    )
    session.add(attachment)
    session.flush()

    def ref(kind: str, rec: Event | Victim | Source | Perpetrator | Attachment) -> Ref:
        return Ref(kind, rec.id, rec.confidentiality, rec.created_by)

    return Family(
        owner,
        level,
        ref("event", event),
        ref("victim", victim),
        ref("source", source),
        ref("perpetrator", perp),
        ref("attachment", attachment),
        tuple(secrets),
    )


def store_attachment_file(data_dir: Path) -> None:
    """The attachment's bytes where the plan stores files: ``attachments/ab/<sha256>``."""
    sha = hashlib.sha256(ATTACHMENT_BYTES).hexdigest()
    path = data_dir / "attachments" / sha[:2] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ATTACHMENT_BYTES)


def build_scenario(settings: Settings) -> Scenario:
    """Seed the shared scenario, then complete and tag each family."""
    seeded = seed_violations(settings)
    families: list[Family] = []
    with session_scope(settings.database_url) as session:
        for owner, events in (("editor", seeded.events), ("collector", seeded.collector_events)):
            for level, event_id in events.items():
                families.append(_tag_family(session, settings, seeded, owner, level, event_id))
    store_attachment_file(settings.data_dir)
    return Scenario(settings, seeded, families)
