"""Pages and JSON API of the risk room, composed: the ranking and evaluation pages
(``routes_pages``) and the JSON API (``routes_api``)."""

from fastapi import APIRouter

from rightsdesk.interventions.risk.routes_api import router as api
from rightsdesk.interventions.risk.routes_pages import router as pages

router = APIRouter()
router.include_router(pages)
router.include_router(api)
