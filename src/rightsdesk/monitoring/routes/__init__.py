"""Pages and JSON API of the monitoring form."""

from fastapi import APIRouter

from rightsdesk.monitoring.routes import recommendations, review

router = APIRouter()
router.include_router(recommendations.router)
router.include_router(review.router)
