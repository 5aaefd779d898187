"""The registry of importers from every form: `rightsdesk import` and `load` look here."""

from __future__ import annotations

from pathlib import Path

from rightsdesk.core.errors import UnknownFormatError
from rightsdesk.core.importing import Importer


def all_importers() -> list[Importer]:
    """Every known format, in the order ``load`` imports them (states-dependent ones first)."""
    from rightsdesk.monitoring.sources import IMPORTERS as MONITORING
    from rightsdesk.negotiation.sources import IMPORTERS as NEGOTIATION

    return [*NEGOTIATION, *MONITORING]


def get_importer(kind: str) -> Importer:
    for importer in all_importers():
        if importer.kind == kind:
            return importer
    kinds = ", ".join(i.kind for i in all_importers())
    raise UnknownFormatError(f"unknown import kind {kind!r}; known kinds: {kinds}")


def detect_importer(path: Path) -> Importer | None:
    """The importer that recognises ``path`` (``--kind auto``), or None."""
    for importer in all_importers():
        if importer.sniff(path):
            return importer
    return None
