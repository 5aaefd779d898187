"""Warm-up: heavy results computed when the data change, kept on disk for every process, with
progress any process can read (issue 10, item 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core import cache, warmup
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import NotFoundError
from rightsdesk.forms import FORMS
from tests.monitoring.conftest import do_import, head_copy, upr_file

runner = CliRunner()


def test_warm_runs_every_task_and_reports_progress(sqlite_settings: Settings) -> None:
    seen: list[str | None] = []
    calls: list[str] = []

    def heavy(session: Session, settings: Settings) -> None:
        seen.append(warmup.banner(settings))  # what a page shows meanwhile
        calls.append("heavy")

    def no_data(session: Session, settings: Settings) -> None:
        raise NotFoundError("no votes in the store")

    def broken(session: Session, settings: Settings) -> None:
        raise ValueError("a bug")

    tasks = [
        warmup.WarmTask("heavy", "a heavy figure", heavy),
        warmup.WarmTask("empty", "a figure without data", no_data),
        warmup.WarmTask("broken", "a failing figure", broken),
        warmup.WarmTask("slow", "a slow figure", heavy, quick=False),
    ]
    progress: list[tuple[int, int]] = []
    status = warmup.warm(sqlite_settings, tasks, lambda s: progress.append((s.done, s.total)))
    assert calls == ["heavy", "heavy"]  # the failing task did not stop the last one
    assert seen[0] == "preparing analyses: 0 of 4 (a heavy figure)"
    assert status.skipped == {"empty": "no votes in the store"}
    assert "ValueError" in status.failed["broken"]
    assert progress[0] == (0, 4) and progress[-1] == (4, 4)
    assert warmup.banner(sqlite_settings) is None  # finished: no banner
    assert warmup.is_warm(sqlite_settings)
    kept = warmup.read_status(sqlite_settings)
    assert kept is not None and kept.done == 4 and kept.complete
    # an import's warm-up runs the quick tasks only, and is not the complete warm-up
    quick = warmup.warm(sqlite_settings, tasks, quick_only=True)
    assert quick.total == 3 and not quick.complete
    assert not warmup.is_warm(sqlite_settings)


def test_an_import_makes_the_store_cold_again(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    noop = [warmup.WarmTask("noop", "nothing", lambda s, st: None)]
    warmup.warm(sqlite_settings, noop)
    assert warmup.is_warm(sqlite_settings)
    do_import(sqlite_settings, "upr-info", head_copy(upr_file(shared_data), tmp_path / "a.csv", 11))
    assert not warmup.is_warm(sqlite_settings)
    warmup.warm(sqlite_settings, noop)
    assert warmup.is_warm(sqlite_settings)


def test_results_kept_on_disk_serve_another_process(sqlite_settings: Settings) -> None:
    """What the warm-up (a CLI process) computed, a web worker reads instead of computing."""
    calls: list[int] = []

    def figure() -> dict[str, list[int]]:
        calls.append(1)
        return {"values": [1, 2, 3]}

    cache.clear()
    cache.configure(sqlite_settings.data_dir)
    with session_scope(sqlite_settings.database_url) as s:
        assert cache.cached(s, "figure", (), figure) == {"values": [1, 2, 3]}
    cache.clear()  # another process: nothing in memory...
    cache.configure(sqlite_settings.data_dir)  # ...the same data folder
    with session_scope(sqlite_settings.database_url) as s:
        assert cache.cached(s, "figure", (), figure) == {"values": [1, 2, 3]}
    assert calls == [1] and cache.stats["disk_hits"] == 1
    cache.clear()  # without a data folder: memory only, computed again
    with session_scope(sqlite_settings.database_url) as s:
        cache.cached(s, "figure", (), figure)
    assert calls == [1, 1]
    cache.clear()


def test_store_objects_go_to_disk_as_plain_rows(sqlite_settings: Settings) -> None:
    """A result listing store objects (the groupings of ``/blocs``) is kept on disk with
    their columns; one holding loaded relations stays in memory only."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from rightsdesk.core.groups import Grouping

    cache.clear()
    cache.configure(sqlite_settings.data_dir)
    with session_scope(sqlite_settings.database_url) as s:
        groups = list(s.scalars(select(Grouping).order_by(Grouping.code)))
        cache.cached(s, "groups", (), lambda: {"groups": groups})
        code, name = groups[0].code, groups[0].name
    assert cache.stats["disk_writes"] == 1
    cache.clear()
    cache.configure(sqlite_settings.data_dir)
    with session_scope(sqlite_settings.database_url) as s:
        kept: dict[str, list[Any]] = cache.cached(s, "groups", (), lambda: {"groups": []})
    assert cache.stats["disk_hits"] == 1
    assert (kept["groups"][0].code, kept["groups"][0].name) == (code, name)
    cache.clear()
    cache.configure(sqlite_settings.data_dir)
    with session_scope(sqlite_settings.database_url) as s:
        stmt = select(Grouping).options(selectinload(Grouping.members))
        related = list(s.scalars(stmt))
        cache.cached(s, "related", (), lambda: related)
    assert cache.stats["disk_writes"] == 0
    cache.clear()


def test_forms_declare_their_warm_up() -> None:
    names = [t.name for t in warmup.declared_tasks(FORMS)]
    assert {"positions", "blocs", "state-votes", "forecaster"} <= set(names)


def test_warm_command_on_a_store_without_votes(sqlite_settings: Settings) -> None:
    result = runner.invoke(
        app, ["--database", sqlite_settings.database_url, "warm", "--quick"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    quick = [t for t in warmup.declared_tasks(FORMS) if t.quick]
    assert f"of {len(quick)} in" in result.output  # the quick tasks only
    assert "skipped (no data for them)" in result.output  # positions: no votes


def test_an_upgrade_computes_and_warms_again(
    sqlite_settings: Settings, tmp_path: Path, monkeypatch: Any
) -> None:
    """Results on disk and the warm-up's record are keyed on the program's code: a figure an
    older release computed (before a bug fix or a retuned model) is never served by a newer
    one, and a warmed store is warmed again after an upgrade."""
    cache.clear()
    cache.configure(tmp_path)
    calls: list[int] = []

    def figure() -> int:
        with session_scope(sqlite_settings.database_url) as s:

            def work() -> int:
                calls.append(1)
                return len(calls)

            return cache.cached(s, "upgrade-figure", (), work)

    tasks = [warmup.WarmTask("figure", "a figure", lambda s, st: figure())]
    warmup.warm(sqlite_settings, tasks)
    assert warmup.is_warm(sqlite_settings) and calls == [1]
    with cache._LOCK:
        cache._RESULTS.clear()  # another process: only the disk is shared
    assert figure() == 1 and calls == [1]  # read from disk, same code
    assert cache.code_version() == cache.code_version() and len(cache.code_version()) == 16
    monkeypatch.setattr(cache, "code_version", lambda: "a-newer-release")
    assert not warmup.is_warm(sqlite_settings)  # the watcher warms again
    with cache._LOCK:
        cache._RESULTS.clear()
    assert figure() == 2  # computed anew, not read from the older release's file
    cache.clear()


def test_every_page_reads_the_results_kept_on_disk(
    client_for: Any, sqlite_settings: Settings
) -> None:
    """A web worker reads what the warm-up kept on disk whatever page it serves first (it
    used to look only when its first page was a votes or treaty page, so a worker opened on
    the risk ranking fitted the model again: 25 s per worker under load)."""
    client = client_for("viewer")
    results = Path(sqlite_settings.data_dir) / "results"
    cache.configure(None)  # as after another app in this process
    assert client.get("/interventions/framework").status_code == 200  # not an ETag path
    assert cache._DISK["dir"] == results
    cache.clear()
