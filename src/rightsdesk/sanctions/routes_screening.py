"""The screening page (/sanctions/screen: one query with explained hits, or a CSV file of
names screened and sent back) and its JSON twin (POST /api/v1/sanctions/screen).

Roles, and why: one query needs ``Viewer``: the lists are public and a practitioner who may
read them may check a name against them; every query is written to the audit log with who
asked (``screen_service``). A batch needs ``Analyst``, the role that may take data away in
bulk (as for every export): a file of thousands of names screened is a register of interest
in those people. Both are POSTs with the CSRF token, so no name travels in a URL.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import func, select

from rightsdesk.core.errors import InputError
from rightsdesk.sanctions.matching import SCREENING_THRESHOLD
from rightsdesk.sanctions.models import SanctionEntity, SanctionList
from rightsdesk.sanctions.screen_service import (
    ScreenRequest,
    ScreenResponse,
    audit_screening,
    run_query,
)
from rightsdesk.web.deps import Analyst, CsrfChecked, DbSession, Viewer, render
from rightsdesk.web.schemas import error_responses

router = APIRouter()
TAG = "sanctions"
#: largest CSV a batch upload may be (the app refuses any upload over 10 MB before this)
MAX_BATCH_BYTES = 5_000_000
#: most rows a batch from the page may hold (bigger batches: ``rightsdesk sanctions screen``)
MAX_BATCH_ROWS = 50_000


def _loaded(db: DbSession) -> int:
    return int(db.scalar(select(func.count(SanctionEntity.id))) or 0)


def _form_page(
    request: Request,
    db: DbSession,
    user: object,
    form: dict[str, str] | None = None,
    result: ScreenResponse | None = None,
    error: str | None = None,
    batch_error: str | None = None,
    status: int = 200,
) -> Response:
    response = render(
        request,
        "sanctions/screen.html",
        user,  # type: ignore[arg-type]
        form=form or {},
        result=result,
        error=error,
        batch_error=batch_error,
        loaded=_loaded(db),
        list_titles={k: t for k, t in db.execute(select(SanctionList.key, SanctionList.title))},
        default_threshold=SCREENING_THRESHOLD,
        can_batch=getattr(user, "role", "") in ("analyst", "editor", "admin"),
        max_rows=MAX_BATCH_ROWS,
    )
    response.status_code = status
    return response


@router.get("/sanctions/screen", include_in_schema=False)
def screen_page(request: Request, db: DbSession, user: Viewer) -> Response:
    return _form_page(request, db, user)


@router.post("/sanctions/screen", include_in_schema=False)
def screen_post(
    request: Request,
    db: DbSession,
    user: Viewer,
    _csrf: CsrfChecked,
    name: Annotated[str, Form(max_length=300)] = "",
    birth_date: Annotated[str, Form(max_length=40)] = "",
    nationality: Annotated[str, Form(max_length=100)] = "",
    gender: Annotated[str, Form(max_length=10)] = "",
    kind: Annotated[str, Form(alias="schema", max_length=40)] = "",
    threshold: Annotated[str, Form(max_length=10)] = "",
    include_delisted: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """One query from the form: the hits with their reasons, on the same page."""
    form = {
        "name": name,
        "birth_date": birth_date,
        "nationality": nationality,
        "gender": gender,
        "schema": kind,
        "threshold": threshold,
        "include_delisted": include_delisted,
    }
    try:
        level = float(threshold) if threshold.strip() else SCREENING_THRESHOLD
        if not 0.0 <= level <= 1.0:
            raise ValueError
    except ValueError:
        return _form_page(
            request, db, user, form, error="threshold: a number from 0 to 1", status=400
        )
    if not name.strip():
        return _form_page(request, db, user, form, error="name: type a name to screen", status=400)
    req = ScreenRequest(
        name=name,
        birth_date=birth_date or None,
        nationality=nationality or None,
        gender=gender or None,
        schema=kind or None,
        threshold=level,
        limit=10,
        include_delisted=bool(include_delisted),
    )
    try:
        result = run_query(db, user.name, req, "page")
    except InputError as exc:
        where = exc.location.field or "query"
        return _form_page(request, db, user, form, error=f"{where}: {exc.reason}", status=400)
    return _form_page(request, db, user, form, result=result)


def _upload_error(exc: InputError, filename: str) -> str:
    """The batch's error with the uploaded file's name, not the server's temporary path."""
    where = filename
    if exc.location.line:
        where += f", line {exc.location.line}"
    if exc.location.field:
        where += f", column {exc.location.field}"
    return f"{where}: {exc.reason}"


@router.post("/sanctions/screen/batch", include_in_schema=False)
def screen_batch(
    request: Request,
    db: DbSession,
    user: Analyst,
    _csrf: CsrfChecked,
    file: Annotated[UploadFile, File()],
    threshold: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """A CSV of names (``full_name``, optional ``first_name, middle_name, last_name, gender,
    date_of_birth, place_of_birth, nationality, schema``) screened against every loaded list;
    answered with the same CSV plus ``best_score, best_match_id, best_match_name, ...``
    (the contract of ``rightsdesk sanctions screen``). At most 5 MB and 50,000 rows."""
    from rightsdesk.sanctions.screening import load_index, screen_csv

    filename = "".join(c for c in (file.filename or "upload.csv") if c.isprintable())[:80]
    data = file.file.read(MAX_BATCH_BYTES + 1)
    problem = None
    if len(data) > MAX_BATCH_BYTES:
        mb = MAX_BATCH_BYTES // 1_000_000
        problem = f"{filename}: larger than {mb} MB; screen it with the command line"
    elif data.count(b"\n") > MAX_BATCH_ROWS + 1:
        problem = f"{filename}: more than {MAX_BATCH_ROWS:,} rows; screen it with the command line"
    try:
        level = float(threshold) if threshold.strip() else SCREENING_THRESHOLD
    except ValueError:
        level = -1.0
    if not 0.0 <= level <= 1.0:
        problem = "threshold: a number from 0 to 1"
    if problem:
        return _form_page(request, db, user, batch_error=problem, status=400)
    with tempfile.TemporaryDirectory(prefix="rd-screen-") as tmp:
        source, target = Path(tmp) / "input.csv", Path(tmp) / "screened.csv"
        source.write_bytes(data)
        try:
            report = screen_csv(load_index(db), source, target, level)
        except InputError as exc:
            return _form_page(
                request, db, user, batch_error=_upload_error(exc, filename), status=400
            )
        body = target.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    batch = {"file_sha256": digest, "rows": report.rows, "threshold": level}
    audit_screening(db, user.name, "batch", [batch], report.alerts)
    db.commit()
    stem = Path(filename).stem or "names"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:60]
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe}-screened.csv"'},
    )


@router.post(
    "/api/v1/sanctions/screen",
    tags=[TAG],
    response_model=ScreenResponse,
    response_model_by_alias=True,
    responses=error_responses(InputError),
)
def api_screen(db: DbSession, user: Viewer, req: ScreenRequest) -> ScreenResponse:
    """Screen one name (and optionally birth date, nationality, gender, schema) against every
    loaded list. Each hit explains its score: which listed name matched, how each name part
    aligned (exact, transliteration, typo, initial, phonetic, missing), which evidence
    counted, and the lists, programmes and designations in force. Audited (the query is
    written to the audit log with the caller's name)."""
    return run_query(db, user.name, req, "api")
