"""Web pages and JSON API of the sanctions form, assembled from its rooms' routers."""

from __future__ import annotations

from fastapi import APIRouter

from rightsdesk.sanctions import (
    routes_gsp,
    routes_lists,
    routes_match_api,
    routes_pairs_api,
    routes_screening,
)

router = APIRouter()
for _room in (routes_lists, routes_screening, routes_match_api, routes_pairs_api, routes_gsp):
    router.include_router(_room.router)
