"""Rewards and conditionality: the 27 conventions the EU's GSP+ trade preferences are
conditional on, each state's standing towards them, and the arrangements it benefits from.

- ``conventions``: the registry (Regulation (EU) No 978/2012, Annex VIII);
- ``conformity``: the table of states x conventions, every cell with its source and date;
- ``record``: one status entered by an editor (web, CLI), audited;
- ``incentives``: GSP / GSP+ / EBA periods and ``state_incentives`` for the state page.
"""

from __future__ import annotations

from rightsdesk.sanctions.gsp.conformity import (
    CELL_STATUSES,
    Cell,
    Evidence,
    StateConformity,
    conformity,
    state_conformity,
)
from rightsdesk.sanctions.gsp.conventions import (
    CONVENTIONS,
    GROUPS,
    REGULATION,
    Convention,
    convention,
    convention_keys,
    resolve_convention,
)
from rightsdesk.sanctions.gsp.incentives import (
    SCHEMES,
    IncentiveRef,
    StateIncentives,
    incentives_of,
    state_incentives,
)
from rightsdesk.sanctions.gsp.record import StatusInput, set_status

__all__ = [
    "CELL_STATUSES",
    "CONVENTIONS",
    "GROUPS",
    "REGULATION",
    "SCHEMES",
    "Cell",
    "Convention",
    "Evidence",
    "IncentiveRef",
    "StateConformity",
    "StateIncentives",
    "StatusInput",
    "conformity",
    "convention",
    "convention_keys",
    "incentives_of",
    "resolve_convention",
    "set_status",
    "state_conformity",
    "state_incentives",
]
