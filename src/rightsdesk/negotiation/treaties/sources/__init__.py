"""Importers of treaty formats, one module per format; ``IMPORTERS`` in ``rightsdesk load`` order
(the newest source first: its facts win whichever is imported first)."""

from rightsdesk.core.importing import Importer
from rightsdesk.negotiation.treaties.sources import untc, untreaties

IMPORTERS: list[Importer] = [*untc.IMPORTERS, *untreaties.IMPORTERS]
