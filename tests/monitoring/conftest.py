"""What the monitoring tests share: the real UPR Info exports of the shared data folder,
cut-down copies of them, imports into a test store, and small classifiers fitted on real rows.

Helpers are plain functions (tests import them from here); the stores themselves come from the
fixtures of ``tests/conftest.py``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import ImportReport, iter_csv, run_import
from rightsdesk.forms import get_importer
from rightsdesk.monitoring.classification.classifier import FitConfig, TrainingData, split_themes

QUICK = FitConfig(char_ngrams=False)  # word features only: models fit in seconds
UprRow = dict[str, str]


def upr_file(shared_data: Path, name: str = "sessions-1-5.csv") -> Path:
    return shared_data / "monitoring" / "upr-info" / name


def head_copy(source: Path, target: Path, lines: int) -> Path:
    """The header and the first ``lines - 1`` records of a bare-CR export, bytes unchanged."""
    target.write_bytes(b"\r".join(source.read_bytes().split(b"\r")[:lines]))
    return target


def do_import(settings: Settings, kind: str, path: Path, force: bool = False) -> ImportReport:
    with session_scope(settings.database_url) as session:
        return run_import(session, get_importer(kind), path, actor="test", force=force)


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def read_rows(path: Path) -> list[UprRow]:
    """Rows of a UPR Info export as dicts (Mac Roman, bare CR), header order kept."""
    return [r.values for r in iter_csv(path, ["Text"], encoding="mac_roman")]


def training(rows: list[UprRow]) -> TrainingData:
    return TrainingData(
        [r["Text"] for r in rows],
        [split_themes(r["Issue"]) for r in rows],
        [int(r["Action"]) for r in rows],
        [int(r["Session"]) for r in rows],
    )


def spread(rows: list[UprRow], n: int) -> list[UprRow]:
    """Every k-th row, so a small sample still covers every session of the file."""
    step = max(1, len(rows) // n)
    return rows[::step][:n]


def seed_store(session: Session, rows: list[UprRow], labelled: bool = True) -> list[int]:
    """Store rows as recommendations to Norway, with human themes and action when asked."""
    from rightsdesk.monitoring.recommendations.models import (
        Recommendation,
        RecommendationTheme,
        Theme,
    )

    themes = {t.label: t for t in session.query(Theme).filter(Theme.taxonomy == "upr-info")}
    ids: list[int] = []
    for i, row in enumerate(rows):
        text = row["Text"]
        rec = Recommendation(
            natural_key=hashlib.sha1(f"{i}|{labelled}|{text}".encode()).hexdigest(),
            mechanism="UPR",
            text=text,
            text_hash=hashlib.sha1(text.encode()).hexdigest(),
            state_iso3="NOR",
            session=int(row["Session"]),
            action_category=int(row["Action"]) if labelled else None,
        )
        session.add(rec)
        session.flush()
        ids.append(rec.id)
        if not labelled:
            continue
        for label in split_themes(row["Issue"]):
            if label not in themes:
                themes[label] = Theme(taxonomy="upr-info", label=label)
                session.add(themes[label])
                session.flush()
            session.add(
                RecommendationTheme(
                    recommendation_id=rec.id, theme_id=themes[label].id, origin="human"
                )
            )
    session.flush()
    return ids
