"""Pages and JSON API of the negotiation form: each room's router, composed into one."""

from fastapi import APIRouter

from rightsdesk.negotiation.positions.routes import router as positions_router
from rightsdesk.negotiation.treaties.routes import router as treaties_router
from rightsdesk.negotiation.votes.integrity_routes import router as integrity_router
from rightsdesk.negotiation.votes.routes import router as votes_router

router = APIRouter()
router.include_router(treaties_router)
router.include_router(integrity_router)  # before votes: /votes/integrity is no roll call id
router.include_router(votes_router)
router.include_router(positions_router)
