"""What the violations tests share: a store with one user of every role and documented events
at every confidentiality level, some entered by the editor and some by the collector.

- ``seed_violations(settings)``: write the scenario into any initialised store and return
  ``Seeded`` (ids of users, events, victims, sources, the perpetrator). Plain model writes,
  so it does not depend on the service under test.
- ``violations_settings``: ``settings`` (both backends) with the scenario seeded.
- ``violations_sqlite``: the same on SQLite only (page and CLI tests that need one store).
- ``client_as(role)``: a logged-in TestClient on ``violations_sqlite`` for that role
  (users are named after their role; password ``tests.conftest.PASSWORD``).

Sensitive values used by the scenario are in ``SECRETS`` so tests can assert they never
appear where they must not (pages of lower roles, raw database bytes, logs, exports).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import User
from rightsdesk.core.security.users import create_user
from rightsdesk.monitoring.violations.models import (
    LEVELS,
    Act,
    Event,
    Involvement,
    Perpetrator,
    Source,
    Victim,
)
from tests.conftest import PASSWORD, login

ROLES = ("viewer", "collector", "analyst", "editor", "admin")
#: every sensitive value the scenario stores, by where it is kept
SECRETS = {
    "victim_name": "Amina Qadir-Testvictim",
    "victim_contact": "+999 555 0101 testcontact",
    "reporter_name": "Yusuf Witnessname-Test",
    "reporter_contact": "witness.test@example.invalid",
    "exact_place": "Safehouse Street 17 testplace",
}


@dataclass
class Seeded:
    users: dict[str, int] = field(default_factory=dict)  # role -> user id
    # level -> event id, entered by the editor / by the collector
    events: dict[str, int] = field(default_factory=dict)
    collector_events: dict[str, int] = field(default_factory=dict)
    victims: dict[int, int] = field(default_factory=dict)  # event id -> its victim id
    sources: dict[int, int] = field(default_factory=dict)  # event id -> its source id
    perpetrator: int = 0


def seed_violations(settings: Settings) -> Seeded:
    """Users of every role and, for each level, one event by the editor and one by the
    collector, each with a victim (name and contact sensitive), a source (witness name and
    contact sensitive) and an act of torture by one perpetrator; the strictly confidential
    ones have a flagged exact location."""
    seeded = Seeded()
    with session_scope(settings.database_url) as session:
        for role in ROLES:
            user: User = create_user(session, role, role, PASSWORD, actor="test")
            session.flush()
            seeded.users[role] = user.id
        perp = Perpetrator(
            natural_key="perp-test-1",
            kind="person",
            name="Colonel Test Perpetrator",
            position="Commander, 5th Brigade",
            state_iso3="SYR",
            confidentiality="restricted",
            created_by=seeded.users["editor"],
        )
        session.add(perp)
        session.flush()
        seeded.perpetrator = perp.id
        for author, target in (("editor", seeded.events), ("collector", seeded.collector_events)):
            for i, level in enumerate(LEVELS):
                strict = level == "strictly_confidential"
                event = Event(
                    natural_key=f"ev-test-{author}-{level}",
                    title=f"Detention and torture in Aleppo ({author}, {level})",
                    description="Detained at a checkpoint and tortured in custody.",
                    start_date=dt.date(2019, 3, 1 + i),
                    start_precision="day",
                    state_iso3="SYR",
                    area="Aleppo governorate",
                    place=None if strict else "Aleppo",
                    latitude=None if strict else 36.2,
                    longitude=None if strict else 37.15,
                    location_sensitive=strict,
                    exact_location=json.dumps(
                        {"place": SECRETS["exact_place"], "latitude": 36.21, "longitude": 37.16}
                    )
                    if strict
                    else None,
                    status="reported",
                    confidentiality=level,
                    created_by=seeded.users[author],
                )
                session.add(event)
                session.flush()
                victim = Victim(
                    event_id=event.id,
                    kind="person",
                    name=SECRETS["victim_name"],
                    contact=SECRETS["victim_contact"],
                    sex="female",
                    age_group="adult",
                    occupation="journalist",
                    confidentiality=level,
                    created_by=seeded.users[author],
                )
                source = Source(
                    event_id=event.id,
                    source_type="witness",
                    reporter_name=SECRETS["reporter_name"],
                    reporter_contact=SECRETS["reporter_contact"],
                    reported_on=dt.date(2019, 4, 2),
                    method="interview",
                    reliability="B",
                    credibility="2",
                    summary="Saw the detention and the marks of torture.",
                    confidentiality=level,
                    created_by=seeded.users[author],
                )
                session.add_all([victim, source])
                session.flush()
                act = Act(event_id=event.id, act_type="torture", victim_id=victim.id)
                session.add(act)
                session.flush()
                session.add(Involvement(act_id=act.id, perpetrator_id=perp.id, role="commanded"))
                target[level] = event.id
                seeded.victims[event.id] = victim.id
                seeded.sources[event.id] = source.id
    return seeded


@pytest.fixture
def violations_settings(settings: Settings) -> tuple[Settings, Seeded]:
    """An initialised store (SQLite and PostgreSQL) with the scenario seeded."""
    return settings, seed_violations(settings)


@pytest.fixture
def violations_sqlite(sqlite_settings: Settings) -> tuple[Settings, Seeded]:
    """The scenario on SQLite only."""
    return sqlite_settings, seed_violations(sqlite_settings)


@pytest.fixture
def client_as(
    violations_sqlite: tuple[Settings, Seeded],
) -> Iterator[Callable[[str], TestClient]]:
    """A factory of TestClients logged in as the scenario's user of a role."""
    from rightsdesk.web.app import create_app

    settings, _ = violations_sqlite
    app = create_app(settings)
    made: list[TestClient] = []

    def make(role: str) -> TestClient:
        client = TestClient(app)
        login(client, role)
        made.append(client)
        return client

    yield make
    for c in made:
        c.close()


# --- the scenario as a template store (added by V-H1) ---------------------------------------
#: ``store_template`` name of a store with the scenario seeded, built once per test process and
#: copied for each test (``tests.store_templates``), where ``violations_settings`` seeds anew
#: (five password hashes and some forty rows per test). A module opts in with a fixture
#: ``store_template`` returning ``seeded_template()`` and then asks for ``seeded_copy`` (both
#: backends) or ``seeded_sqlite_copy`` instead of ``violations_settings``/``violations_sqlite``.
SEEDED_TEMPLATE = "violations-seeded"
_SEEDED: list[Seeded] = []


def _build_seeded(settings: Settings) -> None:
    seeded = seed_violations(settings)
    if _SEEDED:  # the other backend's template: a fresh store numbers the rows the same way
        assert seeded == _SEEDED[0], "the seeded template differs between backends"
    else:
        _SEEDED.append(seeded)


def seeded_template() -> tuple[str, Callable[[Settings], None]]:
    """What a module's ``store_template`` fixture returns to start its stores seeded."""
    return SEEDED_TEMPLATE, _build_seeded


def _seeded_of(store_template: tuple[str, object]) -> Seeded:
    assert store_template[0] == SEEDED_TEMPLATE, "store_template must return seeded_template()"
    return _SEEDED[0]


@pytest.fixture
def seeded_copy(settings: Settings, store_template: tuple[str, object]) -> tuple[Settings, Seeded]:
    """Like ``violations_settings`` (both backends), from a copy of the seeded template."""
    return settings, _seeded_of(store_template)


@pytest.fixture
def seeded_sqlite_copy(
    sqlite_settings: Settings, store_template: tuple[str, object]
) -> tuple[Settings, Seeded]:
    """Like ``violations_sqlite``, from a copy of the seeded template."""
    return sqlite_settings, _seeded_of(store_template)
