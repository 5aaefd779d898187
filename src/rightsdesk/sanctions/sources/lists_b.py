"""Importers of this room (helper H2): the EU journal extraction CSVs and FollowTheMoney
JSON lines (see ``eu_journal`` and ``ftm_jsonl``)."""

from __future__ import annotations

from rightsdesk.core.importing import Importer
from rightsdesk.sanctions.sources.eu_journal import EuJournalImporter
from rightsdesk.sanctions.sources.ftm_jsonl import FtmJsonlImporter

IMPORTERS: list[Importer] = [EuJournalImporter(), FtmJsonlImporter()]
