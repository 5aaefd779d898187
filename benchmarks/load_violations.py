"""The violations part of the load benchmark (``load.py``): documented events to read, the
pages readers open, and an editor entering events through the web form during the run.

- ``seed_events``: before the run, events at the public, restricted and confidential levels
  through the JSON API (the editor's token), each with a victim, an act and a source, so the
  list, its facets and the event pages have something to count and show;
- ``violations_paths``: list pages (filters, facets, pagination) and event pages the
  analyst may read (public and restricted);
- ``form_editor_loop``: the editor, logged in through the login form, opens ``/violations/new``
  for its CSRF token and posts a new event with a victim (name and contact: encrypted
  fields), an act with a perpetrator and a source, then follows nothing (303 expected):
  one event every ``pause`` seconds, each write timed.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from typing import Any, Protocol

import httpx

SEED_STATES = ("SYR", "MMR", "SDN", "COL", "PHL", "BLR", "NIC", "ETH")
ACT_TYPES = ("arbitrary_detention", "torture", "killing", "enforced_disappearance")
LEVELS = ("public", "restricted", "confidential")


class Recorder(Protocol):
    def add(self, ms: float, problem: str | None) -> None: ...


def _event_json(i: int) -> dict[str, Any]:
    state = SEED_STATES[i % len(SEED_STATES)]
    return {
        "title": f"Benchmark event {i}: detention at a checkpoint",
        "description": "Entered by the load benchmark.",
        "start_date": f"{2015 + i % 9}-{1 + i % 12:02d}",
        "state_iso3": state,
        "area": f"District {i % 17}",
        "status": "reported",
        "confidentiality": LEVELS[i % len(LEVELS)],
        "victims": [{"name": f"Benchmark victim {i}", "sex": "female", "age_group": "adult"}],
        "acts": [
            {
                "act_type": ACT_TYPES[i % len(ACT_TYPES)],
                "victim_index": 0,
                "perpetrators": [{"perpetrator": f"Benchmark unit {i % 5}", "role": "direct"}],
            }
        ],
        "sources": [{"source_type": "witness", "reliability": "B", "credibility": "2"}],
    }


def seed_events(base: str, token: str, count: int) -> list[int]:
    """``count`` events through the API; the ids of those an analyst may read."""
    readable: list[int] = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
        for i in range(count):
            r = client.post("/api/v1/violations/events", json=_event_json(i))
            if r.status_code != 201:
                raise SystemExit(f"seeding event {i}: {r.status_code} {r.text[:300]}")
            if LEVELS[i % len(LEVELS)] != "confidential":
                readable.append(int(r.json()["id"]))
    return readable


def violations_paths(event_ids: list[int]) -> list[str]:
    """What the readers open: the list with filters and pages, event pages, the JSON list."""
    paths = []
    for i, state in enumerate(SEED_STATES):
        paths += [
            "/violations",
            f"/violations?state={state}",
            f"/violations?act_type={ACT_TYPES[i % len(ACT_TYPES)]}&page=1",
            f"/violations?page={i % 3 + 1}",
            f"/violations/events/{event_ids[i % len(event_ids)]}",
            f"/violations/events/{event_ids[(i * 7 + 3) % len(event_ids)]}",
            f"/api/v1/violations/events?state={state}",
        ]
    return paths


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _form(i: int) -> dict[str, str]:
    return {
        "title": f"Entered during the load run {i}",
        "description": "Arrested at home at night; held without charge.",
        "start_date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "state_iso3": SEED_STATES[i % len(SEED_STATES)],
        "area": "Capital district",
        "status": "reported",
        "confidentiality": LEVELS[i % len(LEVELS)],
        "victims[0].kind": "person",
        "victims[0].name": f"Load victim {i}",
        "victims[0].contact": f"+000 555 {i:04d}",
        "victims[0].sex": "male",
        "victims[0].age_group": "adult",
        "victims[0].occupation": "journalist",
        "acts[0].act_type": "arbitrary_detention",
        "acts[0].victim_index": "0",
        "acts[0].perpetrator": "Benchmark unit 1",
        "acts[0].perpetrator_role": "direct",
        "sources[0].source_type": "witness",
        "sources[0].reporter_name": f"Load witness {i}",
        "sources[0].reliability": "C",
        "sources[0].credibility": "3",
        "sources[0].summary": "Neighbour saw the arrest.",
    }


def form_editor_loop(
    client: httpx.Client, stop: threading.Event, tally: Recorder, pause: float = 1.0
) -> None:
    """Enter events through the page form until ``stop``; each POST timed (303 = saved)."""
    for i in itertools.count():
        if stop.is_set():
            return
        problem = None
        began = time.perf_counter()
        try:
            page = client.get("/violations/new")
            found = _CSRF.search(page.text)
            if page.status_code != 200 or not found:
                problem = f"{page.status_code} GET /violations/new"
            else:
                began = time.perf_counter()  # the write alone
                r = client.post(
                    "/violations/new",
                    data={"csrf_token": found.group(1), **_form(i)},
                    follow_redirects=False,
                )
                if r.status_code != 303:
                    problem = f"{r.status_code} POST /violations/new"
        except httpx.HTTPError as exc:
            problem = f"{type(exc).__name__} POST /violations/new"
        tally.add((time.perf_counter() - began) * 1000, problem)
        time.sleep(pause)
