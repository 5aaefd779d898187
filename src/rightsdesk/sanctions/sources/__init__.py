"""The sanctions form's import formats, in load order: the programme registry first (so that
designations can be tied to registry keys), then the lists, then the GSP+ conventions."""

from __future__ import annotations

from rightsdesk.core.importing import Importer
from rightsdesk.sanctions.sources import conventions_importers, lists_a, lists_b, registry

IMPORTERS: list[Importer] = (
    registry.IMPORTERS + lists_a.IMPORTERS + lists_b.IMPORTERS + conventions_importers.IMPORTERS
)
