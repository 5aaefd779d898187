"""A section that a form adds to a shared page (the state page).

Forms name their panel functions ``(session, iso3) -> Panel | None`` in their ``FORM``
declaration; ``rightsdesk.forms.state_panels`` calls them in order. A panel that shows records
with confidentiality levels takes a ``reader`` keyword too (the logged-in user) and shows
only what that reader may see; the state page is never cached across users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    title: str
    template: str  # a Jinja2 template fragment rendered inside the state page
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50
