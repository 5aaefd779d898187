"""Pages and JSON API of the monitoring form: each room's router, composed."""

from fastapi import APIRouter

from rightsdesk.monitoring.classification.routes import router as classification
from rightsdesk.monitoring.recommendations.routes import router as recommendations
from rightsdesk.monitoring.tracking.routes import router as tracking
from rightsdesk.monitoring.violations.routes import router as violations

router = APIRouter()
for room in (recommendations, tracking, classification, violations):
    router.include_router(room)
