"""Every table of every form, imported in one place so the metadata (and Alembic) sees them all."""

import rightsdesk.monitoring.models
import rightsdesk.monitoring.suggestion_models
import rightsdesk.negotiation.models  # noqa: F401
from rightsdesk.core.db import Base
from rightsdesk.core.provenance import Dataset
from rightsdesk.core.security.models import ApiToken, AuditEntry, LoginAttempt, User
from rightsdesk.core.states import Grouping, GroupMembership, State

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Base",
    "Dataset",
    "GroupMembership",
    "Grouping",
    "LoginAttempt",
    "State",
    "User",
]
