"""Training and suggesting in the background, started by an admin from the review page.

Why: on a new store the review queue is empty until someone runs ``rightsdesk monitoring
train`` and ``monitoring suggest``; a desk officer with an admin account but no shell could
not fill it. The page now starts the same two steps in a background thread and shows their
progress. Training takes about a minute on the full UPR Info data, so the request never waits
for it.

The job's state is written to a small JSON file beside the model (``DATA/models/``), so every
web worker (and a later process) reports the same progress, whichever one started the job.
A job whose process died is recognised by its heartbeat going stale and may be started again.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import ConflictError, InputError, RightsdeskError
from rightsdesk.core.security import audit
from rightsdesk.monitoring.classification.classifier import (
    META_FILE,
    FitConfig,
    model_dir,
    save_classifier,
)
from rightsdesk.monitoring.classification.service import generate, training_data

__all__ = [
    "STATUS_FILE",
    "JobStatus",
    "job_status",
    "request_refresh",
    "run_refresh",
    "start_refresh",
]

STATUS_FILE = "refresh-status.json"
#: Steps of a run, in order, as the page names them.
STEPS = ("reading the labelled recommendations", "training the model", "storing suggestions")
#: A running job writes its heartbeat at least this often; older than STALE it is dead.
HEARTBEAT_S = 5.0
STALE_S = 120.0
DEFAULT_TRAIN_S = 60

_LOCK = threading.Lock()


@dataclass
class JobStatus:
    """What the page shows about the last training-and-suggestion run of this data folder."""

    state: str = "idle"  # idle, running, done, failed
    step: int = 0  # index into STEPS while running
    actor: str = ""
    started_at: str = ""
    finished_at: str = ""
    heartbeat: float = 0.0
    expected_s: int = DEFAULT_TRAIN_S
    message: str = ""
    theme_suggestions: int = 0
    action_suggestions: int = 0

    @property
    def running(self) -> bool:
        return self.state == "running" and time.time() - self.heartbeat < STALE_S

    @property
    def step_name(self) -> str:
        return STEPS[min(self.step, len(STEPS) - 1)]

    @property
    def elapsed_s(self) -> int:
        if not self.started_at:
            return 0
        end = datetime.fromisoformat(self.finished_at) if self.finished_at else datetime.now(UTC)
        return max(0, int((end - datetime.fromisoformat(self.started_at)).total_seconds()))

    @property
    def percent(self) -> int:
        """A rough progress figure: steps done, training counted by its expected time."""
        if self.state == "done":
            return 100
        if self.step == 0:
            return 5
        if self.step == 1:
            share = min(0.95, self.elapsed_s / max(1, self.expected_s))
            return int(10 + 75 * share)
        return 90


def _path(data_dir: Path) -> Path:
    return model_dir(data_dir) / STATUS_FILE


def job_status(data_dir: Path) -> JobStatus:
    """The last run's status (``idle`` when none ran); a dead run reads as failed."""
    try:
        raw = json.loads(_path(data_dir).read_text(encoding="utf-8"))
        status = JobStatus(**{k: v for k, v in raw.items() if k in JobStatus.__annotations__})
    except (OSError, ValueError, TypeError):
        return JobStatus()
    if status.state == "running" and not status.running:
        status.state, status.message = "failed", "the run stopped without finishing"
    return status


def _write(data_dir: Path, status: JobStatus) -> None:
    path = _path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    status.heartbeat = time.time()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(asdict(status)), encoding="utf-8")
    tmp.replace(path)


def _expected_seconds(data_dir: Path) -> int:
    """How long the last training took (from the model's metadata), for the progress bar."""
    try:
        meta: dict[str, Any] = json.loads(
            (model_dir(data_dir) / META_FILE).read_text(encoding="utf-8")
        )
        return max(5, int(float(meta.get("fit_seconds", DEFAULT_TRAIN_S)) * 1.2))
    except (OSError, ValueError, TypeError):
        return DEFAULT_TRAIN_S


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _same_kind(data_dir: Path) -> FitConfig:
    """The settings of a retrain from the page: the action model the saved one uses (an admin
    who chose the encoder keeps it), the linear one when the encoder cannot run here."""
    from rightsdesk.monitoring.classification.encoder import available

    try:
        meta = json.loads((model_dir(data_dir) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return FitConfig()
    kind = meta.get("action_model") if isinstance(meta, dict) else None
    return FitConfig(action_model="encoder" if kind == "encoder" and available() else "linear")


def run_refresh(settings: Settings, status: JobStatus) -> JobStatus:
    """Train on the store's human labels, save the model, store suggestions: the work of
    ``monitoring train`` then ``monitoring suggest``, reporting each step to the status file.
    """
    from rightsdesk.monitoring.classification.training import fit  # scikit-learn: heavy

    data_dir = settings.data_dir
    beat = threading.Event()

    def heartbeat() -> None:
        while not beat.wait(HEARTBEAT_S):
            _write(data_dir, status)

    ticker = threading.Thread(target=heartbeat, name="refresh-heartbeat", daemon=True)
    ticker.start()
    try:
        with session_scope(settings.database_url) as session:
            data = training_data(session)
        if not data.texts:
            raise InputError(
                "no recommendation has a human label yet: import UPR Info files first "
                "(`rightsdesk import upr-info FILE`)"
            )
        status.step = 1
        _write(data_dir, status)
        clf = fit(data, _same_kind(data_dir))
        save_classifier(clf, data_dir)
        status.step = 2
        _write(data_dir, status)
        with session_scope(settings.database_url) as session:
            meta = clf.metadata
            audit.record(
                session,
                status.actor,
                "train",
                "classification-model",
                str(meta["version"]),
                after={k: meta[k] for k in ("training_rows_themes", "training_rows_actions")},
            )
            report = generate(session, clf, actor=status.actor)
        status.state, status.finished_at = "done", _now()
        status.theme_suggestions = report.theme_suggestions
        status.action_suggestions = report.action_suggestions
        status.message = (
            f"model {report.model_version}: {report.theme_suggestions} theme and "
            f"{report.action_suggestions} action suggestions for {report.recommendations} "
            "recommendations"
        )
    except RightsdeskError as exc:
        status.state, status.finished_at, status.message = "failed", _now(), str(exc)
    except Exception as exc:  # a background thread has nobody to raise to: report it
        status.state, status.finished_at = "failed", _now()
        status.message = f"{type(exc).__name__}: {exc}"
    finally:
        beat.set()
        _write(data_dir, status)
    return status


def start_refresh(settings: Settings, actor: str, background: bool = True) -> JobStatus:
    """Start training and suggestion unless a run is already going (ConflictError).

    ``background=False`` runs in the caller's thread (tests, scripts) and returns when done.
    """
    with _LOCK:
        current = job_status(settings.data_dir)
        if current.running:
            raise ConflictError(
                f"training started by {current.actor} at {current.started_at} is still "
                f"running ({current.step_name})"
            )
        status = JobStatus(
            state="running",
            actor=actor,
            started_at=_now(),
            expected_s=_expected_seconds(settings.data_dir),
        )
        _write(settings.data_dir, status)
    if not background:
        return run_refresh(settings, status)
    threading.Thread(
        target=run_refresh, args=(settings, status), name="classification-refresh", daemon=True
    ).start()
    return status


def request_refresh(session: Session, settings: Settings, actor: str) -> JobStatus:
    """An admin's request from the page: audited (who started it, when) and committed before
    the run starts, so the log shows the request even if the run later fails."""
    current = job_status(settings.data_dir)
    if current.running:
        raise ConflictError(
            f"training started by {current.actor} at {current.started_at} is still running"
        )
    audit.record(
        session, actor, "start-training", "classification-model", None, after={"suggest": True}
    )
    session.commit()
    return start_refresh(settings, actor)
