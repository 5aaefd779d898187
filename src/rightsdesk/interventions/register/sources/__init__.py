"""Import formats of the register room: UN peacekeeping operations, the ABA ICC project's
tree, the ICJ list of cases, and the documented CSV of responses entered by editors.

Security Council vetoes are imported once, by the negotiation form (``unsc-vetoes``); the
register reads them through that form's services.
"""

from rightsdesk.core.importing import Importer
from rightsdesk.interventions.register.sources.icc import IccAbaImporter
from rightsdesk.interventions.register.sources.icj import IcjImporter
from rightsdesk.interventions.register.sources.peacekeeping import PeacekeepingImporter
from rightsdesk.interventions.register.sources.responses_csv import ResponsesCsvImporter

IMPORTERS: list[Importer] = [
    PeacekeepingImporter(),
    IccAbaImporter(),
    IcjImporter(),
    ResponsesCsvImporter(),
]
