"""Pages and JSON API of the monitoring form: each room's router, composed."""

from fastapi import APIRouter

from rightsdesk.monitoring.classification.routes import router as classification
from rightsdesk.monitoring.recommendations.routes import router as recommendations
from rightsdesk.monitoring.tracking.routes import router as tracking

router = APIRouter()
for room in (recommendations, tracking, classification):
    router.include_router(room)
