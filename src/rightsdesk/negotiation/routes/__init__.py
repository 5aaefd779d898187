"""Pages and JSON API of the negotiation form."""

from fastapi import APIRouter

from rightsdesk.negotiation.routes import forecasts, treaties, votes

router = APIRouter()
router.include_router(treaties.router)
router.include_router(votes.router)
router.include_router(forecasts.router)
