"""Importers of UN vote formats, one module per source; ``IMPORTERS`` in ``rightsdesk load`` order
(resolutions before the votes that refer to them)."""

from rightsdesk.core.importing import Importer
from rightsdesk.negotiation.votes.sources import hrc, undata, undl, unvotes, vetoes

IMPORTERS: list[Importer] = [
    *unvotes.IMPORTERS,
    *hrc.IMPORTERS,
    *undata.IMPORTERS,
    *undl.IMPORTERS,
    *vetoes.IMPORTERS,
]
