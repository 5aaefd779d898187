"""Pages and JSON API of the interventions form: each room's router, composed."""

from fastapi import APIRouter

from rightsdesk.interventions.escalation.routes import router as escalation
from rightsdesk.interventions.events.routes import router as events
from rightsdesk.interventions.framework.routes import router as framework
from rightsdesk.interventions.register.routes import router as register
from rightsdesk.interventions.risk.routes import router as risk
from rightsdesk.interventions.state_page import router as state_page

router = APIRouter()
for room in (risk, framework, events, register, escalation, state_page):
    router.include_router(room)
