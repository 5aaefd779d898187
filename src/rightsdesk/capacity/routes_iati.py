"""``GET /api/v1/capacity/iati.xml``: programmes as an IATI 2.03 activity file.

Readers may take it (``Viewer``): it holds what the programme pages show. Like every export
of the workbench it is written to the audit log with its criteria, so who took which
programmes can be reproduced.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from rightsdesk.capacity.iati_export import ProgrammeFilter, export_iati
from rightsdesk.core.errors import InputError, NotFoundError, UnknownStateError
from rightsdesk.web.deps import DbSession, Viewer
from rightsdesk.web.schemas import error_responses

router = APIRouter()

XML_TYPE = "application/xml"


def _responses() -> dict[int | str, dict[str, Any]]:
    out = error_responses(NotFoundError, UnknownStateError, InputError)
    out[200] = {"description": "An IATI 2.03 activity file.", "content": {XML_TYPE: {}}}
    return out


@router.get(
    "/api/v1/capacity/iati.xml",
    tags=["capacity"],
    response_class=Response,
    responses=_responses(),
)
def iati_xml(
    db: DbSession,
    user: Viewer,
    recipient: Annotated[
        str | None, Query(max_length=100, description="State ISO3 or name.")
    ] = None,
    donor: Annotated[
        str | None, Query(max_length=100, description="Organisation identifier.")
    ] = None,
    sector: Annotated[str | None, Query(max_length=20, description="Sector code (15160).")] = None,
    id: Annotated[list[int] | None, Query(description="Programme ids.")] = None,
) -> Response:
    """The matching programmes as an IATI 2.03 activity file (amounts in their currency);
    404 when none matches."""
    export = export_iati(
        db, ProgrammeFilter.given(db, recipient, donor, sector, id), actor=user.name
    )
    db.commit()  # the audit entry of the export
    headers = {"Content-Disposition": 'attachment; filename="iati-activities.xml"'}
    return Response(export.xml, media_type=XML_TYPE, headers=headers)
