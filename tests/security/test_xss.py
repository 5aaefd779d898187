"""Stored script: text entered into a record (title, description, area, victim occupation,
source summary, perpetrator name) renders escaped on every page that shows it, and JSON answers
that carry it are served as JSON (never as a page a browser would run).

Every GET route of the room is requested for the public event holding the payloads, as the
admin and as a viewer; the room's list and the event's own page must show the text (escaped),
so the test cannot pass by not showing it.
"""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy.orm import Session

from rightsdesk.core.db import session_scope
from rightsdesk.monitoring.violations.models import (
    Attachment,
    Event,
    Perpetrator,
    Source,
    Victim,
)
from tests.security.conftest import Callers
from tests.security.route_table import SAFE, violation_routes
from tests.security.scenario import Family, Scenario

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
#: text a spreadsheet would run as a formula if a CSV cell started with it
FORMULAS = ('=HYPERLINK("http://attacker.example","open")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)")
#: answers a browser does not run (with ``nosniff``, which every answer must carry)
INERT = ("application/json", "text/csv", "text/plain", "application/pdf", "application/octet")
#: opens a comment inside a script element: the HTML parser then ignores the element's real
#: ``</script>`` (the "double escaped" states), and the rest of the page is swallowed
COMMENT = "<!--<script>"
RAW = (SCRIPT, IMG, "<img src=x onerror", "</script><", COMMENT)
#: JSON embedded in a page for the charts: inert data, as long as it cannot end or escape
#: its element
_DATA_BLOCK = re.compile(
    r"<script type=\"application/(?:ld\+)?json\"[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE
)


def plant(session: Session, family: Family) -> None:
    """Put the payloads into every free-text field of the family that pages show."""
    event = session.get(Event, family.event.id)
    victim = session.get(Victim, family.victim.id)
    source = session.get(Source, family.source.id)
    perp = session.get(Perpetrator, family.perpetrator.id)
    attachment = session.get(Attachment, family.attachment.id)
    assert event and victim and source and perp and attachment
    event.title = f"Checkpoint raid {SCRIPT} {IMG} {COMMENT}"
    event.description = f"Described as {IMG} and {SCRIPT}"
    event.area = f"Area {IMG}"
    victim.occupation = f"teacher {SCRIPT}"
    victim.group_membership = IMG
    source.summary = f"Summary {SCRIPT}"
    source.organisation = f"Org {IMG}"
    perp.name = f"Unit {SCRIPT}"
    perp.position = IMG
    attachment.description = f"Scan {SCRIPT}"


def plant_formulas(session: Session, families: list[Family]) -> None:
    """Spreadsheet formulas in the text of a restricted event (in every export)."""
    family = next(f for f in families if f.level == "restricted" and f.owner == "editor")
    event = session.get(Event, family.event.id)
    assert event is not None
    event.title, event.description, event.area = FORMULAS


def csv_problems(body: str) -> list[str]:
    """Planted formulas must reach a spreadsheet as text (a leading quote), never as a
    formula that runs when a partner opens the file."""
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    return [
        f"spreadsheet formula {cell[:30]!r} not neutralised"
        for cell in cells
        if any(cell.startswith(f) for f in FORMULAS)
    ]


def page_problems(page: str) -> list[str]:
    """Payloads a browser would act on: raw in the markup, or, inside an embedded JSON
    block, a comment opener that keeps the block from ending where it should."""
    problems = []
    for block in _DATA_BLOCK.findall(page):
        if "<!--" in block:
            problems.append("'<!--' inside an embedded JSON <script> block (escape '<' as \\u003c)")
    markup = _DATA_BLOCK.sub("", page)
    problems += [f"{raw!r} unescaped in the page" for raw in RAW if raw in markup]
    return problems


def test_stored_script_renders_escaped(scenario: Scenario, callers: Callers) -> None:
    family = next(f for f in scenario.families if f.level == "public" and f.owner == "editor")
    with session_scope(scenario.settings.database_url) as session:
        plant(session, family)
        plant_formulas(session, scenario.families)
    failures: list[str] = []
    shown: set[str] = set()
    csv_answers: list[str] = []
    quoted = 0
    pages = 0
    gets = [c for c in violation_routes(callers.app) if c.method == SAFE]
    for role in ("admin", "viewer"):
        client = callers.by_role[role].client
        for case in gets:
            if case.check_params() is not None:
                continue  # test_route_matrix names it
            url = case.url(family)
            resp = client.get(url, follow_redirects=False)
            kind = resp.headers.get("content-type", "")
            if resp.status_code != 200:
                continue
            pages += 1
            if "html" in kind:
                failures += [f"{role} GET {url}: {p}" for p in page_problems(resp.text)]
                if ESCAPED_SCRIPT in resp.text:
                    shown.add(case.path)
            elif kind.startswith("text/csv"):
                csv_answers.append(url)
                quoted += resp.text.count("'" + FORMULAS[0].replace('"', '""'))
                failures += [f"{role} GET {url}: {p}" for p in csv_problems(resp.text)]
            elif SCRIPT in resp.text and not kind.startswith(INERT):
                failures.append(f"{role} GET {url}: payload served as {kind!r}")
            if resp.headers.get("x-content-type-options") != "nosniff":
                failures.append(f"{role} GET {url}: no X-Content-Type-Options: nosniff")
    print(f"\nXSS: {pages} answers checked; payload shown escaped on {sorted(shown)}")
    print(f"CSV formulas: checked in {sorted(set(csv_answers))}")
    assert failures == [], "\n".join(failures[:40])
    assert quoted or not csv_answers, "no export shows the planted formula (quoted)"
    for must in (
        "/violations",  # the list
        "/violations/events/{event_id}",
        "/violations/perpetrators/{perpetrator_id}",
        "/violations/victims/{victim_id}",
        "/violations/timeline",
    ):
        if any(c.path == must for c in gets):
            assert must in shown, f"{must} does not show the planted title (escaped)"
