"""Web pages and JSON API of the capacity form, assembled from its rooms' routers."""

from __future__ import annotations

from fastapi import APIRouter

from rightsdesk.capacity import (
    routes_crs,
    routes_edit,
    routes_iati,
    routes_links,
    routes_programmes,
)

router = APIRouter()
for _room in (routes_programmes, routes_edit, routes_iati, routes_crs, routes_links):
    router.include_router(_room.router)
