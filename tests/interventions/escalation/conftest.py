"""Fixtures of the escalation view's tests: small fakes of the other rooms' contracts (risk,
framework, register), an ``Inputs`` made of them, and a store template holding real sanctions
and UN decisions from the shared data folder (the programme registry, the EU Global Human
Rights regime, the Security Council vetoes, the Human Rights Council's resolutions), built
once per test process and copied per test."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_factory, session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.interventions.escalation.inputs import Inputs
from rightsdesk.sanctions.sources.programs_yaml import HUMAN_RIGHTS_KEYS

D = dt.date

#: (import kind, path under the shared data folder), in load order (the registry first, so
#: designations get their programme keys); the two marked files are cut (``_cut``)
REAL: tuple[tuple[str, str], ...] = (
    ("opensanctions-programs", "sanctions/opensanctions-programs"),
    ("eu-journal-csv", "sanctions/eu-journal/32020R1998.csv"),
    ("unsc-vetoes", "interventions/unsc-vetoes/unsc_vetoes_1946_sept2022.csv"),
    ("hrc-resolutions", "negotiation/hrc/resolutions.csv"),
)
TEMPLATE = "escalation-real"
#: the states the real-data tests read: programmes aimed at them, resolutions naming them
_TERRITORIES = ("- mm", "- sy", "- kp", "- cn", "- ru")
_TITLES = re.compile(r"myanmar|burma|syria|korea|china", re.IGNORECASE)


def _cut(kind: str, path: Path, folder: Path) -> Path:
    """What the template imports of ``path``: the programme registry restricted to the
    human-rights regimes and those aimed at the states the tests read, the Council's
    resolutions to those whose title could name them (the whole files take ten seconds
    more, on every test process). Written under ``folder``, never into the repository."""
    if kind == "opensanctions-programs":
        out = folder / "programs"
        out.mkdir(parents=True, exist_ok=True)
        for file in sorted(path.glob("*.yml")):
            text = file.read_text(encoding="utf-8")
            if file.stem in HUMAN_RIGHTS_KEYS or any(t in text for t in _TERRITORIES):
                shutil.copyfile(file, out / file.name)
        return min(out.glob("*.yml"))
    if kind == "hrc-resolutions":
        out = folder / "resolutions.csv"
        with path.open(newline="", encoding="utf-8") as src:
            reader = csv.DictReader(src)
            with out.open("w", newline="", encoding="utf-8") as dst:
                writer = csv.DictWriter(dst, fieldnames=list(reader.fieldnames or []))
                writer.writeheader()
                writer.writerows(r for r in reader if _TITLES.search(r["title"]))
        return out
    return path


def build_real(shared_data: Path) -> Callable[[Settings], None]:
    """The template's build: each file of ``REAL`` (or its cut) imported as
    ``rightsdesk import`` does."""

    def build(settings: Settings) -> None:
        folder = Path(settings.data_dir) / "escalation-cuts"
        for kind, rel in REAL:
            path = _cut(kind, shared_data / rel, folder)
            with session_scope(settings.database_url) as session:
                run_import(session, get_importer(kind), path, actor="test")

    return build


@dataclass(frozen=True)
class FakeRisk:
    """The fields of ``risk.public.RiskSummary`` the view reads."""

    level: str
    year: int = 2024
    risk: float = 0.12
    rank: int = 7
    n_ranked: int = 160
    iso3: str | None = "MMR"
    country: str = "Myanmar"
    drivers: list[tuple[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class FakeAssessment:
    """The fields of ``framework.public.AssessmentSummary`` the view reads."""

    version: int = 2
    assessed_on: dt.date = D(2026, 6, 1)
    author: str = "analyst"
    factors_rated: int = 14
    high_factors: list[str] = field(default_factory=list)
    iso3: str = "MMR"


@dataclass(frozen=True)
class FakeEntry:
    """A register entry (``register.public.RegisterEntry``)."""

    id: int
    kind: str
    title: str
    states: list[tuple[str, str]]
    start: dt.date | None
    end: dt.date | None = None
    status: str = "ongoing"
    identifier: str | None = None
    source: str = "editor (data up to 2026-11-30)"
    url: str | None = None


EVERYTHING = frozenset(
    {
        "latest_risk",
        "latest_assessment",
        "register_entries",
        "precedents",
        "register_coverage",
        "hr_designations",
        "regimes_on_state",
        "sanctions_coverage",
        "country_resolutions",
        "council_vetoes",
        "votes_coverage",
        "recommendations",
        "violations_count",
    }
)


def fake_inputs(
    risk: FakeRisk | None = None,
    assessment: FakeAssessment | None = None,
    entries: Sequence[FakeEntry] = (),
    precedents: Sequence[FakeEntry] = (),
    register_loaded: bool = True,
    **other: Any,
) -> Inputs:
    """Inputs answering from the fakes given; every source counts as loaded unless told."""

    def by_kind(_s: Session, kind: str, limit: int) -> list[FakeEntry]:
        found = [e for e in precedents if e.kind == kind]
        return sorted(found, key=lambda e: e.start or D.min, reverse=True)[:limit]

    coverage = [{"source": "Editors", "data_up_to": D(2026, 11, 30)}] if register_loaded else []
    inputs = Inputs(
        latest_risk=lambda _s, _i: risk,
        latest_assessment=lambda _s, _i: assessment,
        register_entries=lambda _s, iso3: [
            e for e in entries if any(c == iso3 for _, c in e.states)
        ],
        precedents=by_kind,
        register_coverage=lambda _s: coverage,
        available=EVERYTHING,
    )
    return replace(inputs, **other)


@pytest.fixture
def session_for(sqlite_settings: Settings) -> Iterator[Session]:
    """A session on an initialised SQLite store (states seeded, nothing imported)."""
    session = session_factory(sqlite_settings.database_url)()
    try:
        yield session
    finally:
        session.close()
