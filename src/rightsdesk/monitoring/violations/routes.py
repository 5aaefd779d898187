"""Pages and JSON API of violations documentation: the room's routers, composed."""

from fastapi import APIRouter

from rightsdesk.monitoring.violations import (
    routes_api,
    routes_attachments,
    routes_dossier,
    routes_export,
    routes_pages,
    routes_views,
)

router = APIRouter()
for part in (
    routes_api,
    routes_export,
    routes_attachments,
    routes_dossier,
    routes_views,
    routes_pages,
):
    router.include_router(part.router)
