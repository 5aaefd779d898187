"""Import formats of the risk room: the Early Warning Project's base data, predictors and
forecasts, the Political Terror Scale, CIRIGHTS and three UCDP datasets (``formats.SPECS``)."""

from rightsdesk.core.importing import Importer
from rightsdesk.interventions.risk.sources.importers import IMPORTERS as _RISK

IMPORTERS: list[Importer] = [*_RISK]
