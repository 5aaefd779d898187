"""Heavy results computed once per data version, and ETag/304 keyed by it (issue 9, item 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rightsdesk.core import cache
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security import audit
from tests.monitoring.conftest import do_import, head_copy, upr_file


def _compute(settings: Settings, calls: list[int]) -> int:
    with session_scope(settings.database_url) as s:

        def work() -> int:
            calls.append(1)
            return len(calls)

        return cache.cached(s, "test-figure", ("x",), work)


def test_a_result_is_reused_until_an_import_or_edit(
    settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    cache.clear()
    calls: list[int] = []
    source = upr_file(shared_data)
    do_import(settings, "upr-info", head_copy(source, tmp_path / "a.csv", 11))
    assert _compute(settings, calls) == 1
    assert _compute(settings, calls) == 1  # same version: reused
    assert _compute(settings, calls) == 1
    do_import(settings, "upr-info", head_copy(source, tmp_path / "b.csv", 21))
    assert _compute(settings, calls) == 2  # an import bumps the version
    assert _compute(settings, calls) == 2
    with session_scope(settings.database_url) as s:
        audit.record(s, "ed", "update", "thing", 1, after={"x": 1})
    assert _compute(settings, calls) == 3  # so does an audited edit
    with session_scope(settings.database_url) as s:
        audit.record(s, "ed", "login", "user", "ed", after={"address": "127.0.0.1"})
        audit.record_export(s, "ed", "recommendations", 10)
    assert _compute(settings, calls) == 3  # logins and exports change no figure
    with session_scope(settings.database_url) as s:
        v1 = cache.data_version(s)
        v2 = cache.data_version(s)
    assert v1 == v2


def test_etag_round_trip(client_for: Any, sqlite_settings: Settings) -> None:
    client = client_for("viewer")
    for path in ("/api/v1/states/NOR", "/states/NOR"):
        first = client.get(path)
        assert first.status_code == 200, path
        etag = first.headers["etag"]
        assert first.headers["cache-control"] == "private, no-cache"
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.content == b"" and again.headers["etag"] == etag
        other = client.get(path + "?x=1", headers={"If-None-Match": etag})
        assert other.status_code == 200  # another URL, another tag
    path = "/api/v1/states/NOR"
    etag = client.get(path).headers["etag"]
    with session_scope(sqlite_settings.database_url) as s:
        audit.record(s, "ed", "update", "thing", 1, after={"x": 1})
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    # another user (another session) never gets this user's tag honoured
    stranger = client_for("viewer")
    assert stranger.get(path, headers={"If-None-Match": changed.headers["etag"]}).status_code == 200
    # pages outside the data pages keep no-store and carry no ETag
    home = client.get("/")
    assert home.headers["cache-control"] == "no-store" and "etag" not in home.headers


def test_vote_figures_ignore_edits_and_recommendation_imports(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    """Vote analytics depend on vote data only: an edit or a recommendations import leaves
    their version (and cached results) as they are."""
    url = sqlite_settings.database_url
    with session_scope(url) as s:
        before = cache.data_version(s, edits=False, ignore=cache.NOT_VOTES)
        full = cache.data_version(s)
    do_import(sqlite_settings, "upr-info", head_copy(upr_file(shared_data), tmp_path / "c.csv", 11))
    with session_scope(url) as s:
        audit.record(s, "ed", "update", "thing", 1, after={"x": 1})
    with session_scope(url) as s:
        assert cache.data_version(s, edits=False, ignore=cache.NOT_VOTES) == before
        assert cache.data_version(s) != full


def _csrf_in(page: str) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:300]
    return found.group(1)


def test_pages_are_kept_per_user_and_version(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    """Issue 9 item 4: a data page is built once per user, URL and data version, then served
    from the worker's page cache, with the asking session's own CSRF token; a logged-out
    session is never served from it; an import rebuilds, an edit rebuilds only the pages that
    show edited data."""
    from rightsdesk.web.etags import PAGES

    PAGES.clear()
    alice = client_for("analyst")
    first = alice.get("/states/NOR")
    assert first.status_code == 200 and PAGES.misses == 1 and PAGES.hits == 0
    again = alice.get("/states/NOR")
    assert again.status_code == 200 and PAGES.hits == 1
    assert again.text == first.text
    # another user builds their own page; the same user's pages never serve another user
    bob = client_for("analyst")
    bob_page = bob.get("/states/NOR")
    assert PAGES.misses == 2
    assert _csrf_in(bob_page.text) != _csrf_in(first.text)
    assert _csrf_in(bob.get("/states/NOR").text) == _csrf_in(bob_page.text)  # kept, own token
    # logged out: the kept page is not served, the login page is
    token = _csrf_in(first.text)
    alice.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    out = alice.get("/states/NOR", follow_redirects=False)
    assert out.status_code in (302, 303, 307) and "login" in out.headers["location"]
    # an edit changes state pages but not vote pages; an import changes both
    votes_before = bob.get("/votes")
    hits = PAGES.hits
    assert bob.get("/votes").status_code == 200 and PAGES.hits == hits + 1
    with session_scope(sqlite_settings.database_url) as s:
        audit.record(s, "ed", "update", "thing", 1, after={"x": 1})
    misses = PAGES.misses
    bob.get("/votes")
    assert PAGES.misses == misses  # vote pages ignore edits
    bob.get("/states/NOR")
    assert PAGES.misses == misses + 1  # the state page shows edited records
    do_import(sqlite_settings, "upr-info", head_copy(upr_file(shared_data), tmp_path / "u.csv", 5))
    bob.get("/states/NOR")
    assert PAGES.misses == misses + 2
    assert votes_before.status_code == 200


def test_simultaneous_first_asks_compute_once(sqlite_settings: Settings) -> None:
    """Fifty clients opening the same heavy page after an import used to start fifty
    computations of it (the load benchmark timed out on /blocs); now they wait for one."""
    import threading
    import time

    cache.clear()
    calls: list[int] = []
    start = threading.Barrier(8)
    results: list[int] = []

    def work() -> int:
        calls.append(1)
        time.sleep(0.5)
        return 42

    def ask() -> None:
        with session_scope(sqlite_settings.database_url) as s:
            start.wait()
            results.append(cache.cached(s, "slow-figure", ("y",), work))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8
    assert len(calls) == 1


def test_pages_built_during_a_warm_up_show_it_and_are_not_kept(
    client_for: Any, sqlite_settings: Settings
) -> None:
    """While the warm-up runs, pages say so; once it ends, the same URL is built again
    without the banner (neither the page cache nor a 304 brings the banner back)."""
    import time

    from rightsdesk.core import warmup

    client = client_for("viewer")
    status = warmup.WarmStatus(version="d1", total=6, done=3, current="bloc cohesion")
    warmup.write_status(sqlite_settings, status)
    during = client.get("/states/NOR")
    assert during.status_code == 200
    assert "preparing analyses: 3 of 6 (bloc cohesion)" in during.text
    status.finished = time.time()
    warmup.write_status(sqlite_settings, status)
    after = client.get("/states/NOR", headers={"If-None-Match": during.headers["etag"]})
    assert after.status_code == 200 and "preparing analyses" not in after.text
    assert after.headers["etag"] != during.headers["etag"]


def test_interventions_pages_kept_except_those_that_audit_reads(client_for: Any) -> None:
    """Under load the ranking, register and escalation are served from the page cache (they
    were rebuilt for every one of fifty clients); the state risk page and the framework pages
    are not kept, since each view of a confidential violation event on them must be audited."""
    client = client_for("viewer")
    for path in ("/interventions", "/interventions/register", "/api/v1/interventions/register"):
        first = client.get(path)
        assert first.status_code == 200, path
        again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, path
    for path in ("/interventions/states/NOR", "/interventions/framework"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "etag" not in page.headers and page.headers["cache-control"] == "no-store"
