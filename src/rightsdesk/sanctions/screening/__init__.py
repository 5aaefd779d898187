"""Screening names against every loaded sanctions list (issue 11, item 3).

``load_index(session)`` gives the index of the store's current data (built once per data
version, kept in memory and in the data folder); ``screen(index, Query(...))`` returns the
explained hits of one query; ``screen_csv`` screens a CSV file of names (locally, optionally
with forked workers); ``screening.spark`` runs the same batch on Spark. The matcher itself
(names, evidence, explanations) is ``sanctions.matching``. Alerts default to
``SCREENING_THRESHOLD`` (0.80), stricter than the matcher's pair threshold (0.62): one query
meets every listed name, so namesakes reach a given score far more often than in one pair.

Modules: ``records`` (what a hit shows of an entity, read from the store), ``index`` (prepared
names and the inverted index of blocking keys), ``search`` (candidates, scores, hits),
``batch_input`` (the CSV contract), ``batch`` (CSV in, CSV out), ``spark``, ``warmup``.
"""

from __future__ import annotations

from rightsdesk.sanctions.matching import SCREENING_THRESHOLD
from rightsdesk.sanctions.screening.batch import BatchReport, check_csv, screen_csv, screen_row
from rightsdesk.sanctions.screening.batch_input import INPUT_COLUMNS, OUTPUT_COLUMNS, row_query
from rightsdesk.sanctions.screening.index import (
    ScreeningIndex,
    build_index,
    index_from_records,
    load_index,
)
from rightsdesk.sanctions.screening.records import DesignationRef, EntityRecord, ProgramRef
from rightsdesk.sanctions.screening.search import Hit, best_match, screen, screen_prepared

__all__ = [
    "INPUT_COLUMNS",
    "OUTPUT_COLUMNS",
    "SCREENING_THRESHOLD",
    "BatchReport",
    "DesignationRef",
    "EntityRecord",
    "Hit",
    "ProgramRef",
    "ScreeningIndex",
    "best_match",
    "build_index",
    "check_csv",
    "index_from_records",
    "load_index",
    "row_query",
    "screen",
    "screen_csv",
    "screen_prepared",
    "screen_row",
]
