"""rightsdesk: a workbench for human rights diplomacy.

The six forms of the work (negotiation, advocacy, sanctions, monitoring, capacity
building, interventions) share one store and one data model, found in ``core``.
"""

__version__ = "0.1.0"
