"""A small sanctions store written row by row, for the page and API tests (helper H6).

Why not only the real lists: the pages must be checked against facts known in advance (this
person is on two lists, this designation ended on that date, this change was recorded), and
the real files say too much to assert on exactly. The tests of the real lists
(``sanctions_loaded``) check that the same pages hold up on 20,000 entities.

The rows imitate the importers' output: FtM properties, names in several scripts, countries
as ISO3 with their FtM property, designations with registry keys, and the history of two
versions of a list.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.sanctions.models import (
    Designation,
    SanctionChange,
    SanctionCountry,
    SanctionEntity,
    SanctionList,
    SanctionName,
    SanctionProgram,
)
from tests.conftest import PG_ENV, PG_HINT, add_user, login, make_settings
from tests.store_templates import StoreTemplates, pg_drop, ready

D = dt.date
OFAC = "us_ofac_sdn"
UN = "un_sc_sanctions"
KADYROV = "ofac-test-1001"
ORG = "unsc-test-QDe.999"
VESSEL = "ofac-test-3003"
DELISTED = "ofac-test-4004"


def _entity(
    session: Session,
    entity_id: str,
    schema: str,
    names: list[tuple[str, str, str | None]],
    props: dict[str, list[str]],
    countries: list[tuple[str, str]],
    datasets: list[str],
    active: bool = True,
) -> SanctionEntity:
    entity = SanctionEntity(
        entity_id=entity_id,
        schema=schema,
        caption=names[0][1],
        properties=props,
        datasets=datasets,
        first_seen=D(2021, 1, 4),
        last_seen=D(2024, 5, 3),
        last_change=D(2024, 5, 3),
        active=active,
    )
    entity.names = [SanctionName(kind=k, name=n, script=s) for k, n, s in names]
    entity.countries = [SanctionCountry(iso3=c, prop=p) for c, p in countries]
    session.add(entity)
    return entity


def seed(session: Session) -> None:
    """Two programmes, two lists, four entities, five designations, three changes."""
    session.add_all(
        [
            SanctionProgram(
                key="US-GLOMAG",
                title="Global Magnitsky Sanctions",
                issuer="us_ofac",
                aliases=["GLOMAG"],
                measures=["asset freeze"],
                human_rights=True,
                summary="Serious human rights abuse and corruption.",
            ),
            SanctionProgram(
                key="UN-SC1267",
                title="ISIL (Da'esh) and Al-Qaida Sanctions",
                issuer="un_sc",
                aliases=["QD"],
                human_rights=False,
            ),
            SanctionList(
                key=OFAC,
                title="OFAC Specially Designated Nationals",
                authority="US Treasury OFAC",
                version_date=D(2024, 5, 3),
                entity_count=3,
            ),
            SanctionList(
                key=UN,
                title="UN Security Council Consolidated List",
                authority="UN Security Council",
                version_date=D(2026, 2, 27),
                entity_count=1,
            ),
        ]
    )
    person = _entity(
        session,
        KADYROV,
        "Person",
        [
            ("name", "Ramzan Akhmatovich KADYROV", "Latin"),
            ("alias", "Рамзан Ахматович Кадыров", "Cyrillic"),
            ("weakAlias", "Ramzan", "Latin"),
        ],
        {
            "name": ["Ramzan Akhmatovich KADYROV"],
            "alias": ["Рамзан Ахматович Кадыров"],
            "birthDate": ["1976-10-05"],
            "birthPlace": ["Tsentaroy, Chechnya"],
            "nationality": ["ru"],
            "gender": ["male"],
            "passportNumber": ["TEST123456"],
        },
        [("RUS", "nationality")],
        [OFAC],
    )
    org = _entity(
        session,
        ORG,
        "Organization",
        [("name", "Test Front Organisation", "Latin"), ("alias", "منظمة الاختبار", "Arabic")],
        {"name": ["Test Front Organisation"], "country": ["sy"], "address": ["Damascus"]},
        [("SYR", "country")],
        [UN],
    )
    vessel = _entity(
        session,
        VESSEL,
        "Vessel",
        [("name", "SEA TESTER", "Latin")],
        {"name": ["SEA TESTER"], "imoNumber": ["IMO9999999"], "flag": ["ru"]},
        [("RUS", "flag")],
        [OFAC],
    )
    gone = _entity(
        session,
        DELISTED,
        "Person",
        [("name", "Ivan DELISTOV", "Latin")],
        {"name": ["Ivan DELISTOV"], "nationality": ["ru"]},
        [("RUS", "nationality")],
        [OFAC],
        active=False,
    )
    session.flush()
    session.add_all(
        [
            Designation(
                entity_pk=person.id,
                list_key=OFAC,
                authority="US Treasury OFAC",
                program_code="GLOMAG",
                program_key="US-GLOMAG",
                measure="asset freeze",
                listed_on=D(2017, 12, 20),
                reason="Extrajudicial killings",
                source_document="https://home.treasury.gov/news/press-releases/sm0243",
                source_ref="1001",
                first_seen=D(2021, 1, 4),
                last_seen=D(2024, 5, 3),
            ),
            Designation(
                entity_pk=person.id,
                list_key=OFAC,
                authority="US Treasury OFAC",
                program_code="UKRAINE-EO13661",
                measure="asset freeze",
                listed_on=D(2020, 12, 17),
                source_ref="1001b",
            ),
            Designation(
                entity_pk=org.id,
                list_key=UN,
                authority="UN Security Council",
                program_code="QD",
                program_key="UN-SC1267",
                measure="travel ban; asset freeze; arms embargo",
                listed_on=D(2014, 8, 15),
                source_ref="QDe.999",
            ),
            Designation(
                entity_pk=vessel.id,
                list_key=OFAC,
                authority="US Treasury OFAC",
                program_code="GLOMAG",
                program_key="US-GLOMAG",
                listed_on=D(2022, 3, 1),
                source_ref="3003",
            ),
            Designation(
                entity_pk=gone.id,
                list_key=OFAC,
                authority="US Treasury OFAC",
                program_code="GLOMAG",
                program_key="US-GLOMAG",
                listed_on=D(2018, 6, 1),
                delisted_on=D(2024, 5, 3),
                source_ref="4004",
            ),
        ]
    )
    session.add_all(
        [
            SanctionChange(
                list_key=OFAC,
                entity_id=VESSEL,
                caption="SEA TESTER",
                change="added",
                version_date=D(2024, 5, 3),
                previous_version=D(2021, 1, 4),
            ),
            SanctionChange(
                list_key=OFAC,
                entity_id=DELISTED,
                caption="Ivan DELISTOV",
                change="removed",
                version_date=D(2024, 5, 3),
                previous_version=D(2021, 1, 4),
            ),
            SanctionChange(
                list_key=OFAC,
                entity_id=KADYROV,
                caption="Ramzan Akhmatovich KADYROV",
                change="changed",
                version_date=D(2024, 5, 3),
                previous_version=D(2021, 1, 4),
                detail="programmes: +UKRAINE-EO13661",
            ),
        ]
    )
    session.flush()


# --- fixtures (imported by the test modules that use them) -------------------------------------

Client = Callable[[str], TestClient]


def _build(settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        seed(session)


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    name="seeded",
)
def seeded_fixture(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    store_templates: StoreTemplates,
) -> Iterator[Settings]:
    """A store holding ``pages_seed``'s rows, once on SQLite and once on PostgreSQL."""
    tmp = tmp_path_factory.mktemp("sanctions-pages")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'pages.db'}"
    else:
        base = os.environ.get(PG_ENV)
        if not base:
            pytest.skip(PG_HINT)
        url = (
            make_url(base)
            .set(database=f"rdsxp_{uuid.uuid4().hex[:12]}")
            .render_as_string(hide_password=False)
        )
    store_templates.create(url, "sanctions-pages-seed", _build)
    settings = make_settings(url, tmp)
    ready(settings)
    yield settings
    if request.param == "sqlite":
        dispose_engine(url)
    else:
        pg_drop(url)


@pytest.fixture(scope="module", name="client_as")
def client_as_fixture(seeded: Settings) -> Iterator[Client]:
    """Logged-in clients, one per role (and ``anonymous``), on the seeded store."""
    from rightsdesk.web.app import create_app

    web = create_app(seeded)
    made: dict[str, TestClient] = {"anonymous": TestClient(web)}

    def make(role: str) -> TestClient:
        if role not in made:
            add_user(seeded, f"sx-{role}", role)
            made[role] = TestClient(web)
            login(made[role], f"sx-{role}")
        return made[role]

    yield make
    for c in made.values():
        c.close()


@pytest.fixture(scope="module", name="api_key")
def api_key_fixture(seeded: Settings) -> str:
    """An API token of a viewer (``sx-tool``), as a script or an OpenSanctions client has."""
    from rightsdesk.core.security.users import issue_token

    add_user(seeded, "sx-tool", "viewer")
    with session_scope(seeded.database_url) as s:
        return issue_token(s, "sx-tool", actor="test")


@pytest.fixture(scope="module", name="tool")
def tool_fixture(seeded: Settings, api_key: str) -> Iterator[TestClient]:
    """A client with no session, sending its key as OpenSanctions clients do."""
    from rightsdesk.web.app import create_app

    with TestClient(create_app(seeded)) as client:
        client.headers["Authorization"] = f"ApiKey {api_key}"
        yield client


def last_audit(settings: Settings) -> tuple[str, str, str, Any]:
    """(actor, action, entity, after) of the newest audit entry."""
    from sqlalchemy import select

    from rightsdesk.core.security.models import AuditEntry

    with session_scope(settings.database_url) as s:
        e = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        after: Any = e.after
        return e.actor, e.action, e.entity, after
