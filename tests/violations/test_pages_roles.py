"""The violations pages as each role sees them: what is listed and counted, which records
open (200), which are "not found" (404) or refused (403), and that a sensitive value never
reaches the page of a role that may not read it ("[withheld]" instead).

One store per module (the seeded scenario of ``conftest.seed_violations``) and one logged-in
client per role: these tests only read.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine
from tests.conftest import PG_ENV, PG_HINT, login, make_settings
from tests.store_templates import INIT, StoreTemplates, pg_drop, ready
from tests.violations.conftest import ROLES, SECRETS, Seeded, seed_violations

Clients = Callable[[str], TestClient]

#: events each role may read in the scenario (4 levels × editor's and collector's events):
#: by level, plus whatever the user entered itself
VISIBLE = {"viewer": 2, "collector": 4, "analyst": 4, "editor": 7, "admin": 8}
#: of which strictly confidential, with a flagged location (no point on the map)
FLAGGED = {"viewer": 0, "collector": 1, "analyst": 0, "editor": 1, "admin": 2}


def module_store(
    root: Path, templates: StoreTemplates, url: str | None = None
) -> tuple[Settings, Seeded]:
    """An initialised store (a copy of the session's template; SQLite unless ``url`` names
    a PostgreSQL database to create) with the scenario."""
    url = url or f"sqlite:///{root / 'pages.db'}"
    templates.create(url, INIT)
    settings = make_settings(url, root)
    ready(settings)
    return settings, seed_violations(settings)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def store(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    store_templates: StoreTemplates,
) -> Iterator[tuple[Settings, Seeded]]:
    """The scenario on SQLite and on PostgreSQL (the pages' own queries run on both)."""
    root = tmp_path_factory.mktemp("violation-pages")
    if request.param == "sqlite":
        yield module_store(root, store_templates)
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(PG_HINT)
    url = make_url(base).set(database=f"rdtest_{uuid.uuid4().hex[:12]}")
    text = url.render_as_string(hide_password=False)
    try:
        yield module_store(root, store_templates, text)
    finally:
        dispose_engine(text)
        pg_drop(text)


@pytest.fixture(scope="module")
def clients(store: tuple[Settings, Seeded]) -> Iterator[Clients]:
    """A client per role, logged in once for the module."""
    from rightsdesk.web.app import create_app

    app = create_app(store[0])
    made: dict[str, TestClient] = {}

    def get(role: str) -> TestClient:
        if role not in made:
            made[role] = TestClient(app)
            login(made[role], role)
        return made[role]

    yield get
    for client in made.values():
        client.close()


def _total(html: str) -> int:
    found = re.search(r'id="result-total"><strong>([\d,]+)</strong>', html)
    assert found, "the list states its total"
    return int(found.group(1).replace(",", ""))


def _no_secret(html: str) -> None:
    leaked = [name for name, value in SECRETS.items() if value in html]
    assert leaked == []


@pytest.mark.parametrize("role", ROLES)
def test_the_list_counts_what_the_role_may_read(clients: Clients, role: str) -> None:
    page = clients(role).get("/violations")
    assert page.status_code == 200
    assert _total(page.text) == VISIBLE[role]
    # the facet counts add up to the same total (every event has a state)
    state_counts = re.findall(r'id="facet-state".*?</details>', page.text, re.S)
    assert state_counts and f'<span class="count">{VISIBLE[role]}</span>' in state_counts[0]
    assert ('id="new-event"' in page.text) == (role in ("collector", "editor", "admin"))
    assert "Dated from 2019-03-0" in page.text  # the coverage line
    _no_secret(page.text)


def test_filters_narrow_the_list_and_keep_what_was_typed(clients: Clients) -> None:
    admin = clients("admin")
    assert _total(admin.get("/violations?level=public").text) == 2
    assert _total(admin.get("/violations?from=2019-03-03&to=2019-03").text) == 4
    assert _total(admin.get("/violations?act_type=killing").text) == 0
    assert _total(admin.get("/violations?q=collector%2C").text) == 4
    assert _total(admin.get("/violations?state=Syria").text) == 8
    bad = admin.get("/violations?from=March&state=Atlantis")
    assert bad.status_code == 200 and _total(bad.text) == 8  # refused filters left out
    assert 'value="March"' in bad.text and "write a year, a month or a day" in bad.text
    assert 'value="Atlantis"' in bad.text
    assert re.search(r'class="error">unknown state &#39;Atlantis', bad.text)


def test_a_page_past_the_last_says_so(clients: Clients) -> None:
    page = clients("admin").get("/violations?level=public&page=4").text
    assert _total(page) == 2 and "No event on this page" in page
    assert 'href="/violations?level=public&amp;page=1"' in page


def test_a_facet_link_replaces_the_filter(clients: Clients) -> None:
    page = clients("admin").get("/violations?level=public").text
    facet = re.search(r'id="facet-level".*?</details>', page, re.S)
    assert facet is not None
    links = re.findall(r'href="([^"]+)"', facet.group(0))
    assert "/violations?level=restricted" in [x.replace("&amp;", "&") for x in links]
    assert "/violations" in links  # the selected value clears the filter


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_lower_roles_read_events_without_sensitive_values(
    clients: Clients, store: tuple[Settings, Seeded], role: str
) -> None:
    _, seeded = store
    client = clients(role)
    for level in ("public", "restricted") if role == "analyst" else ("public",):
        event = seeded.events[level]
        page = client.get(f"/violations/events/{event}")
        assert page.status_code == 200
        assert "[withheld]" in page.text and "Amina" not in page.text
        _no_secret(page.text)
        assert 'id="edit-event"' not in page.text and 'id="response-form"' not in page.text
        victim = client.get(f"/violations/victims/{seeded.victims[event]}")
        assert victim.status_code == 200 and "[withheld]" in victim.text
        _no_secret(victim.text)
        assert client.get(f"/violations/events/{event}/edit").status_code == 403
    for level in ("confidential", "strictly_confidential"):
        event = seeded.events[level]
        assert client.get(f"/violations/events/{event}").status_code == 404
        assert client.get(f"/violations/victims/{seeded.victims[event]}").status_code == 404
        assert client.get(f"/violations/events/{event}/edit").status_code == 404
    assert client.get("/violations/new").status_code == 403


def test_the_perpetrator_page_lists_acts_in_readable_events_only(
    clients: Clients, store: tuple[Settings, Seeded]
) -> None:
    _, seeded = store
    url = f"/violations/perpetrators/{seeded.perpetrator}"
    assert clients("viewer").get(url).status_code == 404  # a restricted record
    page = clients("analyst").get(url)
    assert page.status_code == 200 and "Colonel Test Perpetrator" in page.text
    rows = re.search(r'id="perpetrator-acts".*?</table>', page.text, re.S)
    assert rows is not None and rows.group(0).count("<tr>") == 1 + 4  # header + 4 events
    assert "4 more acts in events your role may not read" in page.text
    _no_secret(page.text)


def test_the_collector_sees_its_own_events_whole_and_nothing_else(
    clients: Clients, store: tuple[Settings, Seeded]
) -> None:
    _, seeded = store
    collector = clients("collector")
    own = collector.get(f"/violations/events/{seeded.collector_events['strictly_confidential']}")
    assert own.status_code == 200
    for name in ("victim_name", "victim_contact", "reporter_name", "exact_place"):
        assert SECRETS[name] in own.text
    # the editor's perpetrator is not the collector's to read: counted, not named
    assert "Colonel Test Perpetrator" not in own.text
    assert "1 perpetrator you may not see" in own.text
    assert 'id="edit-event"' in own.text
    assert collector.get(f"/violations/events/{seeded.events['public']}").status_code == 404
    form = collector.get(f"/violations/events/{seeded.collector_events['public']}/edit")
    assert form.status_code == 200 and SECRETS["victim_name"] in form.text
    assert "perp-test-1" not in form.text  # nor in the edit form
    assert "1 perpetrator of this act your role may not read: kept as recorded" in form.text


def test_the_editor_reads_sensitive_values_up_to_confidential(
    clients: Clients, store: tuple[Settings, Seeded]
) -> None:
    _, seeded = store
    editor = clients("editor")
    page = editor.get(f"/violations/events/{seeded.events['confidential']}")
    assert page.status_code == 200 and SECRETS["victim_name"] in page.text
    assert "[withheld]" not in page.text
    assert 'id="edit-event"' in page.text and 'id="response-form"' in page.text
    strict = seeded.collector_events["strictly_confidential"]
    assert editor.get(f"/violations/events/{strict}").status_code == 404
    own = editor.get(f"/violations/events/{seeded.events['strictly_confidential']}")
    assert own.status_code == 200 and SECRETS["exact_place"] in own.text  # entered it


def test_the_admin_sees_the_exact_place_the_others_never_get_it_in_lists_or_charts(
    clients: Clients, store: tuple[Settings, Seeded]
) -> None:
    _, seeded = store
    admin = clients("admin")
    page = admin.get(f"/violations/events/{seeded.events['strictly_confidential']}")
    assert SECRETS["exact_place"] in page.text and "36.2100" in page.text
    for role in ROLES:
        for url in ("/violations", "/violations/timeline", "/violations/map"):
            html = clients(role).get(url).text
            _no_secret(html)
            assert "36.21" not in html and "37.16" not in html  # the flagged coordinates


@pytest.mark.parametrize("role", ROLES)
def test_timeline_and_map_count_what_the_role_may_read(clients: Clients, role: str) -> None:
    client = clients(role)
    timeline = client.get("/violations/timeline")
    assert timeline.status_code == 200
    assert 'data-vega-spec="timeline-spec"' in timeline.text
    table = re.search(r'id="timeline-table".*?</table>', timeline.text, re.S)
    assert table is not None
    counts = [int(n) for n in re.findall(r'class="num">(\d+)</td>', table.group(0))]
    assert sum(counts) == VISIBLE[role]  # one act type each
    world = client.get("/violations/map")
    assert world.status_code == 200 and 'data-vega-spec="map-spec"' in world.text
    row = re.search(
        r'id="map-table".*?Syrian Arab Republic</a></td><td class="num">(\d+)', world.text, re.S
    )
    assert row is not None and int(row.group(1)) == VISIBLE[role]
    # a dot for every event whose place is not flagged: none of the strictly confidential
    points = re.search(r'"circle".*', world.text)
    assert points is not None
    assert world.text.count('"latitude": 36.2,') == VISIBLE[role] - FLAGGED[role]
    filtered = client.get("/violations/timeline?act_type=killing")
    assert "No event dated to the month matches the filters" in filtered.text
