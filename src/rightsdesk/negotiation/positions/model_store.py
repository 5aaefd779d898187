"""One trained forecaster per store, body and data version, kept in the data folder and shared
by the command line, the API and the pages.

Why: training takes about a minute for the General Assembly. Trained per call (as before), the
CLI was slow and, trained separately per process, the CLI and the web could disagree about the
same draft. Now the model is trained once per data version, written to
``DATA/models/forecaster-<hash>.pickle`` (the hash covers store, body and data signature, so
an import of new votes makes a new file and a stale model is never served) and read back by
every process: the same inputs give the same numbers everywhere.

The command line trains in the foreground with a progress bar. A page or API request never
waits a minute silently: it starts the training in a background thread and answers at once
"training the model, about N s" (``ModelTrainingError``, HTTP 503 with ``Retry-After``); the
forecast page refreshes itself until the model is there.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.cache import code_version
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import BusyError
from rightsdesk.core.limits import safe_cache_name
from rightsdesk.core.states import regional_group_map
from rightsdesk.negotiation.positions.forecast import Forecaster
from rightsdesk.negotiation.positions.ideal_points import IdealPointFit
from rightsdesk.negotiation.positions.vote_matrix import data_signature, vote_data
from rightsdesk.negotiation.votes.frames import body_codes
from rightsdesk.negotiation.votes.models import RollCall, StateVote

#: Trainings done by this process (tests check that a second call reuses the saved model).
TRAINED = {"count": 0}
#: Seconds a training is assumed to take before one was timed.
DEFAULT_SECONDS = 60
#: Bodies whose members are a grouping of the store, when it lists them (HRC terms).
MEMBER_GROUPINGS = {"hrc": "HRC", "chr": "CHR", "hrc+chr": "HRC"}

_LOCK = threading.Lock()
_MEMORY: dict[tuple[str, str, str], Forecaster] = {}
_RUNNING: dict[tuple[str, str, str], threading.Thread] = {}
_FAILED: dict[tuple[str, str, str], str] = {}


class ModelTrainingError(BusyError):
    """The forecast model of this data version is being trained; ask again shortly."""

    code = "model-training"

    def __init__(self, body: str, seconds: int) -> None:
        super().__init__(
            f"training the {body} forecast model for the current votes, about {seconds} s; "
            "ask again shortly (it is trained once per import)"
        )
        self.seconds = seconds


def _models_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "models"


def model_file(settings: Settings, body: str, sig: str) -> Path:
    """Where the trained model of a store, body and data signature is kept (and of this
    program's code: an upgrade trains again, ``cache.code_version``)."""
    name = safe_cache_name(
        settings.database_url, body, sig, code_version(), prefix="forecaster", suffix=".pickle"
    )
    return _models_dir(settings) / name


def _timing_file(settings: Settings) -> Path:
    return _models_dir(settings) / "training-seconds.json"


def training_estimate(settings: Settings, body: str) -> int:
    """Seconds the last training of this body took (a default before the first)."""
    try:
        seconds = json.loads(_timing_file(settings).read_text()).get(body)
    except (OSError, ValueError):
        return DEFAULT_SECONDS
    return int(seconds) if isinstance(seconds, int | float) else DEFAULT_SECONDS


def _record_time(settings: Settings, body: str, seconds: float) -> None:
    path = _timing_file(settings)
    try:
        times = json.loads(path.read_text()) if path.is_file() else {}
        times[body] = max(1, round(seconds))
        path.write_text(json.dumps(times))
    except (OSError, ValueError):
        pass


def current_members(session: Session, body: str) -> list[str]:
    """The states that vote on the body's next text: the grouping's members today where the
    store lists them (Human Rights Council terms), else the members of its latest session
    (states with a vote or a recorded absence there; never a non-member)."""
    code = MEMBER_GROUPINGS.get(body)
    if code is not None:
        try:
            from rightsdesk.core.groups import members_at

            listed = members_at(session, code, date.today())
        except Exception:  # a store without membership periods: use the votes
            listed = []
        if listed:
            return listed
    codes = body_codes(body)
    latest = session.scalar(select(func.max(RollCall.session)).where(RollCall.body.in_(codes)))
    if latest is None:
        return []
    stmt = (
        select(StateVote.iso3)
        .join(RollCall, RollCall.id == StateVote.roll_call_id)
        .where(RollCall.body.in_(codes), RollCall.session == latest)
        .where(StateVote.vote != "non-member")
        .distinct()
    )
    return sorted(session.scalars(stmt))


def _slim(model: Forecaster) -> Forecaster:
    """Keep only what drafts need: the vote history's long frame shrinks to the columns a
    later ideal-point fit reads, so the file stays small and loads fast."""
    keep = [c for c in ("roll_call_id", "iso3", "vote", "session", "year") if c in model.hist.frame]
    slim = model.hist.frame[keep].copy()
    for col in ("iso3", "vote"):
        slim[col] = slim[col].astype("category")
    model.hist.frame = slim
    return model


def train(
    session: Session,
    settings: Settings,
    body: str,
    progress: Callable[[int, int], None] | None = None,
) -> Forecaster:
    """Train the body's forecaster on the store's votes and save it (atomically)."""
    import pickle

    sig = data_signature(session, body)
    started = time.perf_counter()
    frame = vote_data(session, settings, body, include_absent=True, sig=sig)
    if frame.empty:
        from rightsdesk.core.errors import NotFoundError

        raise NotFoundError(f"no {body} votes in the store; import them with `rightsdesk load`")
    model = Forecaster(
        frame,
        regional_group_map(session),
        members=current_members(session, body),
        progress=progress,
    )
    model = _slim(model)
    with _LOCK:
        TRAINED["count"] += 1
    _record_time(settings, body, time.perf_counter() - started)
    path = model_file(settings, body, sig)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
        # plain pickle (protocol 5 keeps the arrays whole): joblib's reader is written in
        # Python and took 1.3 s of CPU to read a General Assembly model back, pickle 0.1 s
        tmp.write_bytes(pickle.dumps(model, protocol=5))
        tmp.replace(path)
    except OSError:
        pass  # a read-only data folder: kept in memory for this process only
    with _LOCK:
        _MEMORY[(settings.database_url, body, sig)] = model
    return model


def load(session: Session, settings: Settings, body: str) -> Forecaster | None:
    """The trained model of the current data version, from memory or the data folder."""
    import pickle

    sig = data_signature(session, body)
    key = (settings.database_url, body, sig)
    with _LOCK:
        found = _MEMORY.get(key)
    if found is not None:
        return found
    path = model_file(settings, body, sig)
    if not path.is_file():
        return None
    try:
        model = pickle.loads(path.read_bytes())
    except Exception:  # a damaged or foreign file: train again
        path.unlink(missing_ok=True)
        return None
    if not isinstance(model, Forecaster):
        return None
    with _LOCK:
        for old in [k for k in _MEMORY if k[:2] == key[:2]]:
            del _MEMORY[old]
        _MEMORY[key] = model
    return model


def forecaster_for(
    session: Session,
    settings: Settings,
    body: str,
    progress: Callable[[int, int], None] | None = None,
) -> Forecaster:
    """The body's model for the current votes: saved or in memory, else trained now."""
    return load(session, settings, body) or train(session, settings, body, progress)


def _background(settings: Settings, body: str, key: tuple[str, str, str]) -> None:
    try:
        with session_scope(settings.database_url) as session:
            train(session, settings, body)
    except Exception as exc:  # reported to the next request, not lost
        with _LOCK:
            _FAILED[key] = str(exc)
    finally:
        with _LOCK:
            _RUNNING.pop(key, None)


def ready_or_training(session: Session, settings: Settings, body: str) -> Forecaster:
    """The model if it is ready; else start training it in the background (once) and raise
    ``ModelTrainingError`` saying how long it should take. For requests, which must not hang."""
    model = load(session, settings, body)
    if model is not None:
        return model
    key = (settings.database_url, body, data_signature(session, body))
    with _LOCK:
        failed = _FAILED.pop(key, None)
        if failed is None and key not in _RUNNING:
            thread = threading.Thread(
                target=_background, args=(settings, body, key), daemon=True, name="train-model"
            )
            _RUNNING[key] = thread
            thread.start()
    if failed is not None:
        from rightsdesk.core.errors import InputError

        raise InputError(f"the forecast model could not be trained: {failed}")
    raise ModelTrainingError(body, training_estimate(settings, body))


def training_now(settings: Settings, body: str) -> bool:
    """Whether a background training of this body is running in this process."""
    with _LOCK:
        return any(k[0] == settings.database_url and k[1] == body for k in _RUNNING)


def wait_for_training(timeout: float = 600.0) -> None:
    """Wait until no background training runs (tests, and a clean shutdown)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _LOCK:
            threads = list(_RUNNING.values())
        if not threads:
            return
        threads[0].join(max(0.0, deadline - time.monotonic()))


def fit_file(settings: Settings, body: str, issue: str | None, sig: str | None) -> Path:
    """Where the ideal-point fit of a store, body, issue and data signature is kept; with
    ``sig`` None, the body's latest fit (whatever its data version), the warm start of the
    next refit. A fit for a signature is also keyed on the code (``cache.code_version``); the
    warm start is not, since any earlier fit is a good starting point."""
    parts = [settings.database_url, body, issue or "all", sig or "latest"]
    if sig is not None:
        parts.append(code_version())
    return _models_dir(settings) / safe_cache_name(*parts, prefix="ideal-points", suffix=".pkl")


def save_fit(
    settings: Settings, body: str, issue: str | None, sig: str, fit: IdealPointFit
) -> None:
    """Keep a fit beside the forecast models, as this data version's and as the latest."""
    import pickle

    data = pickle.dumps(fit, protocol=pickle.HIGHEST_PROTOCOL)
    for path in (fit_file(settings, body, issue, sig), fit_file(settings, body, issue, None)):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        except OSError:
            return  # a read-only data folder only costs a refit next time


def load_fit(
    settings: Settings, body: str, issue: str | None, sig: str | None
) -> IdealPointFit | None:
    """The saved fit of this data version (``sig``; None: the latest), if there is one."""
    import pickle

    path = fit_file(settings, body, issue, sig)
    try:
        fit = pickle.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign file: fit again
        path.unlink(missing_ok=True)
        return None
    return fit if isinstance(fit, IdealPointFit) else None


def forget() -> None:
    """Drop the models held in memory (tests: the next call reads the saved file)."""
    with _LOCK:
        _MEMORY.clear()
