"""The event form and the response form: a collector documents an event that only it (and the
roles above it) can then read; mistakes come back next to their fields with the input kept;
"add another" works without JavaScript; an edit posted back unchanged keeps what the editor
could not see; every post needs the CSRF token and a role that may write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.monitoring.violations.models import Event, Involvement
from tests.conftest import login
from tests.store_templates import StoreTemplates
from tests.violations.conftest import SECRETS, Seeded
from tests.violations.test_pages_roles import module_store

Clients = Callable[[str], TestClient]
Fields = list[tuple[str, str]]


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, store_templates: StoreTemplates
) -> tuple[Settings, Seeded]:
    return module_store(tmp_path_factory.mktemp("violation-forms"), store_templates)


@pytest.fixture(scope="module")
def clients(store: tuple[Settings, Seeded]) -> Iterator[Clients]:
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


class _FormFields(HTMLParser):
    """The fields a browser would post from ``form#event-form`` (or the form ``form_id``)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: Fields = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select, self.options = a.get("name"), []
        elif tag == "option" and self.select is not None:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [v for v, sel in self.options if sel] or [self.options[0][0]]
            self.fields.append((self.select, chosen[0]))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, self.text))
            self.textarea = None


def form_fields(html: str, form_id: str = "event-form") -> Fields:
    parser = _FormFields(form_id)
    parser.feed(html)
    return parser.fields


def _csrf(client: TestClient, url: str = "/violations") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text)
    assert found is not None
    return found.group(1)


NEW_EVENT = {
    "title": "Arrest of a lawyer in Homs (form test)",
    "description": "Taken from the courthouse steps.",
    "start_date": "2020-05",
    "state_iso3": "SYR",
    "area": "Homs governorate",
    "confidentiality": "confidential",
    "status": "reported",
    "victims[0].kind": "person",
    "victims[0].name": "Form Testvictim Name",
    "victims[0].sex": "male",
    "victims[0].occupation": "lawyer",
    "acts[0].act_type": "arbitrary_detention",
    "acts[0].victim_index": "0",
    "acts[0].perpetrator": "Homs Form-Test Unit",
    "acts[0].perpetrator_role": "direct",
    "sources[0].source_type": "relative",
    "sources[0].reporter_name": "Form Testreporter",
    "sources[0].reliability": "C",
    "sources[0].credibility": "3",
    "sources[0].summary": "The brother saw the arrest.",
}


def test_a_collector_documents_an_event_only_the_entitled_then_read(clients: Clients) -> None:
    collector = clients("collector")
    form = collector.get("/violations/new")
    assert form.status_code == 200 and 'id="event-form"' in form.text
    token = _csrf(collector, "/violations/new")
    saved = collector.post(
        "/violations/new", data={**NEW_EVENT, "csrf_token": token}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    url = saved.headers["location"]
    assert re.fullmatch(r"/violations/events/\d+", url)
    page = collector.get(url)
    assert page.status_code == 200
    for text in (NEW_EVENT["title"], "Form Testvictim Name", "Form Testreporter"):
        assert text in page.text
    assert "May 2020" in page.text and "fairly reliable" in page.text
    assert "Homs Form-Test Unit" in page.text and "Arbitrary detention" in page.text
    assert NEW_EVENT["title"] in collector.get("/violations").text
    # a viewer neither reads it nor finds it; an editor reads it (confidential) in full
    viewer = clients("viewer")
    assert viewer.get(url).status_code == 404
    assert NEW_EVENT["title"] not in viewer.get("/violations?q=lawyer").text
    assert "Form Testvictim Name" in clients("editor").get(url).text
    analyst = clients("analyst").get(url)
    assert analyst.status_code == 404


def test_mistakes_come_back_next_to_their_fields_with_the_input_kept(
    clients: Clients, store: tuple[Settings, Seeded]
) -> None:
    editor = clients("editor")
    before = _count(store[0])
    bad = {
        **NEW_EVENT,
        "title": "",
        "start_date": "2020-13",
        "victims[0].sex": "robot",
        "victims[0].name": "Typed Name Kept",
        "csrf_token": _csrf(editor),
    }
    page = editor.post("/violations/new", data=bad)
    assert page.status_code == 422
    assert 'id="form-errors"' in page.text
    assert re.search(r'id="error-title" role="alert">is required', page.text)
    assert 'id="error-start_date"' in page.text
    assert 'id="error-victims-0-sex"' in page.text
    assert 'value="Typed Name Kept"' in page.text  # typed by this user: shown back to them
    assert "robot" not in page.text.split('id="form-errors"')[1].split("</div>")[0]
    assert _count(store[0]) == before


def test_add_another_block_without_javascript(
    clients: Clients, store: tuple[Settings, Seeded]
) -> None:
    editor = clients("editor")
    before = _count(store[0])
    data = {**NEW_EVENT, "_more": "victims", "csrf_token": _csrf(editor)}
    page = editor.post("/violations/new", data=data)
    assert page.status_code == 200
    assert 'id="victim-1"' in page.text and 'id="victim-2"' not in page.text
    assert 'value="Form Testvictim Name"' in page.text
    assert _count(store[0]) == before  # nothing saved
    assert 'id="source-2"' in editor.get("/violations/new?blocks=3").text


def test_posts_need_the_csrf_token_and_a_role_that_writes(
    clients: Clients, store: tuple[Settings, Seeded]
) -> None:
    _, seeded = store
    editor = clients("editor")
    assert editor.post("/violations/new", data=NEW_EVENT).status_code == 403
    viewer = clients("viewer")
    refused = viewer.post("/violations/new", data={**NEW_EVENT, "csrf_token": _csrf(viewer)})
    assert refused.status_code == 403
    analyst = clients("analyst")
    response = {"kind": "statement", "actor": "Embassy", "csrf_token": _csrf(analyst)}
    restricted = seeded.events["restricted"]
    url = f"/violations/events/{restricted}/responses"
    assert analyst.post(url, data=response).status_code == 403
    assert editor.post(url, data={"kind": "statement", "actor": "Embassy"}).status_code == 403


def test_a_response_is_recorded_and_a_bad_one_explained(
    clients: Clients, store: tuple[Settings, Seeded]
) -> None:
    _, seeded = store
    editor = clients("editor")
    event = seeded.events["confidential"]
    url = f"/violations/events/{event}/responses"
    token = _csrf(editor)
    bad = editor.post(url, data={"kind": "urgent_appeal", "actor": "", "csrf_token": token})
    assert bad.status_code == 422 and "is required" in bad.text
    data = {
        "kind": "urgent_appeal",
        "actor": "Special Rapporteur on torture",
        "date": "2019-04-10",
        "description": "Appeal sent to the government.",
        "csrf_token": token,
    }
    done = editor.post(url, data=data, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#responses")
    page = editor.get(f"/violations/events/{event}").text
    assert "Urgent appeal" in page and "Special Rapporteur on torture" in page


def test_an_edit_posted_back_keeps_what_the_editor_cannot_see(
    clients: Clients, store: tuple[Settings, Seeded]
) -> None:
    settings, seeded = store
    collector = clients("collector")
    event = seeded.collector_events["restricted"]
    form = collector.get(f"/violations/events/{event}/edit")
    assert form.status_code == 200
    fields = [
        (k, "Renamed by its collector" if k == "title" else v) for k, v in form_fields(form.text)
    ]
    assert ("victims[0].name", SECRETS["victim_name"]) in fields
    saved = collector.post(
        f"/violations/events/{event}/edit", data=_grouped(fields), follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    page = collector.get(f"/violations/events/{event}").text
    assert "Renamed by its collector" in page and SECRETS["victim_name"] in page
    with session_scope(settings.database_url) as s:  # the editor's perpetrator is still linked
        links = s.scalar(
            select(func.count(Involvement.id)).where(
                Involvement.perpetrator_id == seeded.perpetrator,
            )
        )
    assert links == 8
    editor = clients("editor")  # a restricted event the editor did not enter: it may edit
    assert editor.get(f"/violations/events/{event}/edit").status_code == 200


def _grouped(fields: Fields) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in fields:
        out.setdefault(name, []).append(value)
    return out


def _count(settings: Settings) -> int:
    with session_scope(settings.database_url) as s:
        return int(s.scalar(select(func.count(Event.id))) or 0)


def test_a_flagged_location_is_withheld_from_the_page_and_the_map(clients: Clients) -> None:
    editor = clients("editor")
    data = {
        **NEW_EVENT,
        "title": "Detention at a farm (flagged location test)",
        "confidentiality": "restricted",
        "place": "Hidden Farm 9 testplace",
        "latitude": "35.1234",
        "longitude": "36.5678",
        "location_sensitive": "on",
        "csrf_token": _csrf(editor),
    }
    saved = editor.post("/violations/new", data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    url = saved.headers["location"]
    assert "Hidden Farm 9 testplace" in editor.get(url).text
    analyst = clients("analyst")  # reads restricted events, never sensitive fields
    page = analyst.get(url).text
    assert "Detention at a farm" in page and "[withheld]" in page
    assert "Hidden Farm" not in page and "35.12" not in page and "36.56" not in page
    assert "Homs governorate" in page  # the area stays
    for view in ("/violations/map", "/violations/timeline", "/violations?q=farm"):
        html = analyst.get(view).text
        assert "Hidden Farm" not in html and "35.12" not in html
    assert "35.12" not in editor.get("/violations/map").text  # no dot, even for its author


def test_a_refused_edit_changes_nothing_and_says_why(
    clients: Clients, store: tuple[Settings, Seeded]
) -> None:
    settings, seeded = store
    editor = clients("editor")
    event = seeded.events["restricted"]
    form = form_fields(editor.get(f"/violations/events/{event}/edit").text)
    changed = [
        (k, {"title": "Changed title", "end_date": "2018"}.get(k, v)) for k, v in form
    ]  # an end before the start
    page = editor.post(f"/violations/events/{event}/edit", data=_grouped(changed))
    assert page.status_code == 422
    assert 'id="error-end_date"' in page.text and 'value="Changed title"' in page.text
    with session_scope(settings.database_url) as s:
        stored = s.get(Event, event)
        assert stored is not None and stored.title.startswith("Detention and torture")
