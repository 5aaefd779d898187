"""Tables of the negotiation form."""

from rightsdesk.negotiation.models.treaties import *  # noqa: F403
from rightsdesk.negotiation.models.votes import *  # noqa: F403
