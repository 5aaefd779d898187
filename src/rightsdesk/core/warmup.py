"""Warm-up: the heavy analyses computed when the data change, not on a page's first visit.

Some pages need seconds of work (ideal points behind ``/positions``, bloc cohesion, a state's
agreement figures, the forecast model). Their results are kept per data version
(``core.cache``, on disk too; the forecaster and the positions fits in ``DATA/models``), so
the work only has to happen once per import; the warm-up makes that once happen right after
the import instead of on some user's first click.

A form names its warm-up tasks in its declaration (``Form.warmups``: ``"module:attribute"``
of a list of ``WarmTask``); each task calls the form's own public service functions. The CLI
runs them after ``rightsdesk import``/``load`` with a progress bar (or on demand:
``rightsdesk warm``); ``rightsdesk serve`` runs them in a background thread whenever the
imported data differ from the last warm-up. Progress is written to ``DATA/warmup.json`` so
every process (the web workers showing the banner "preparing analyses: 3 of 6", another
CLI) sees it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.core import cache
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import RightsdeskError
from rightsdesk.core.forms import Form, load_ref

log = logging.getLogger(__name__)

#: A status file not updated for this long belongs to a process that died mid-warm-up.
STALE_SECONDS = 15 * 60
#: How often ``watch`` compares the store's data version with the last warm-up's.
WATCH_SECONDS = 20.0


@dataclass(frozen=True)
class WarmTask:
    """One heavy result to compute ahead: ``run(session, settings)`` calls a service function
    whose result is kept per data version (its return value is ignored)."""

    name: str
    label: str
    run: Callable[[Session, Settings], object]
    #: False for the long ones (every state's page, training the forecaster): the server's
    #: background warm-up and ``rightsdesk warm`` run them, an import's warm-up does not.
    quick: bool = True


@dataclass
class WarmStatus:
    """Where the warm-up of one data version stands (``DATA/warmup.json``)."""

    version: str
    total: int
    done: int = 0
    current: str = ""
    started: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)
    finished: float | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    pid: int = field(default_factory=os.getpid)
    complete: bool = True  # every declared task ran (not only the quick ones)

    @property
    def running(self) -> bool:
        """Whether a live warm-up is writing this status (not one that finished or died)."""
        return self.finished is None and time.time() - self.updated < STALE_SECONDS

    def banner(self) -> str:
        """The line pages show while it runs."""
        doing = f" ({self.current})" if self.current else ""
        return f"preparing analyses: {self.done} of {self.total}{doing}"


def declared_tasks(forms: Iterable[Form]) -> list[WarmTask]:
    """Every form's warm-up tasks, in the forms' order (``rightsdesk.forms.FORMS``)."""
    tasks: list[WarmTask] = []
    for form in forms:
        for ref in form.warmups:
            tasks.extend(load_ref(ref))
    return tasks


def status_file(settings: Settings) -> Path:
    return Path(settings.data_dir) / "warmup.json"


def read_status(settings: Settings) -> WarmStatus | None:
    """The last warm-up's status, or None (never run, or an unreadable file)."""
    try:
        data = json.loads(status_file(settings).read_text(encoding="utf-8"))
        return WarmStatus(**data)
    except (OSError, ValueError, TypeError):
        return None


def write_status(settings: Settings, status: WarmStatus) -> None:
    status.updated = time.time()
    path = status_file(settings)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(asdict(status)), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only data folder: the warm-up still fills the caches
        tmp.unlink(missing_ok=True)


def imports_version(session: Session) -> str:
    """The version a warm-up is for: the imported data (edits do not change the heavy figures
    enough to warm again; pages recompute what an edit touches) and the program's code (an
    upgrade keys its results anew, ``cache.code_version``, so they are warmed again)."""
    return f"{cache.data_version(session, edits=False)}@{cache.code_version()}"


def banner(settings: Settings) -> str | None:
    """ "preparing analyses: 3 of 6 (...)" while a warm-up runs, else None (one small file read)."""
    status = read_status(settings)
    return status.banner() if status is not None and status.running else None


def is_warm(settings: Settings) -> bool:
    """Whether the last finished warm-up ran every task for the store's current imports."""
    status = read_status(settings)
    if status is None or status.finished is None or not status.complete:
        return False
    with session_scope(settings.database_url) as session:
        return status.version == imports_version(session)


Progress = Callable[[WarmStatus], None]

_RUN_LOCK = threading.Lock()


def warm(
    settings: Settings,
    tasks: list[WarmTask],
    progress: Progress | None = None,
    quick_only: bool = False,
) -> WarmStatus:
    """Run every task once for the current data, in this thread, reporting after each.

    A task whose data are missing (a ``RightsdeskError``: no votes imported) is skipped with
    its message; one that fails otherwise is logged and the others still run. One warm-up at
    a time per process; a second caller waits for the first and then finds the results kept.
    """
    cache.configure(settings.data_dir)
    chosen = [t for t in tasks if t.quick or not quick_only]
    with _RUN_LOCK:
        with session_scope(settings.database_url) as session:
            version = imports_version(session)
        status = WarmStatus(version=version, total=len(chosen))
        status.complete = len(chosen) == len(tasks)
        write_status(settings, status)
        for task in chosen:
            status.current = task.label
            write_status(settings, status)
            if progress is not None:
                progress(status)
            began = time.perf_counter()
            try:
                with session_scope(settings.database_url) as session:
                    task.run(session, settings)
            except RightsdeskError as exc:
                status.skipped[task.name] = exc.message
            except Exception as exc:  # one analysis failing must not stop the others
                log.exception("warm-up task %s failed", task.name)
                status.failed[task.name] = f"{type(exc).__name__}: {exc}"
            status.seconds[task.name] = round(time.perf_counter() - began, 3)
            status.done += 1
        status.current = ""
        status.finished = time.time()
        write_status(settings, status)
        if progress is not None:
            progress(status)
        return status


def warm_in_background(settings: Settings, tasks: list[WarmTask]) -> threading.Thread | None:
    """Start ``warm`` in a daemon thread unless one is running in this process."""
    if _RUN_LOCK.locked() or not tasks:
        return None
    thread = threading.Thread(
        target=_quiet_warm, args=(settings, tasks), name="rightsdesk-warmup", daemon=True
    )
    thread.start()
    return thread


def _quiet_warm(settings: Settings, tasks: list[WarmTask]) -> None:
    try:
        warm(settings, tasks)
    except Exception:  # the store went away: the next watch round tries again
        log.exception("warm-up failed")


def watch(
    settings: Settings,
    tasks: list[WarmTask],
    every: float = WATCH_SECONDS,
    stop: threading.Event | None = None,
) -> threading.Thread:
    """A daemon thread that warms whenever the imported data differ from the last warm-up
    (at server start, and after an import made by another process). ``stop`` ends it."""
    halt = stop or threading.Event()

    def loop() -> None:
        while not halt.is_set():
            try:
                idle = not _RUN_LOCK.locked() and not _someone_warming(settings)
                if idle and not is_warm(settings):
                    warm(settings, tasks)
            except Exception:  # never let the watcher die: log and look again later
                log.exception("warm-up watch failed")
            halt.wait(every)

    thread = threading.Thread(target=loop, name="rightsdesk-warmup-watch", daemon=True)
    thread.start()
    return thread


def _someone_warming(settings: Settings) -> bool:
    """Whether another live process (a CLI import) is warming now."""
    status = read_status(settings)
    return status is not None and status.running and status.pid != os.getpid()


def summary(status: WarmStatus) -> list[dict[str, Any]]:
    """One row per task: seconds and outcome (what ``rightsdesk warm`` prints)."""
    rows = []
    for name, seconds in status.seconds.items():
        outcome = "ok"
        if name in status.skipped:
            outcome = f"skipped: {status.skipped[name]}"
        elif name in status.failed:
            outcome = f"failed: {status.failed[name]}"
        rows.append({"task": name, "seconds": seconds, "outcome": outcome})
    return rows
