"""Property-based safety of the IATI activity import (the rule of issue 9 applied to IATI):
a damaged copy of the real CAFOD file either fails with a user error naming the file and leaves
the store as it was, or imports and keeps every stored programme; reordered and partial copies
import and change nothing they restate identically; a repeated activity is refused.

Each example imports into a store already holding the real file, inside a transaction that is
rolled back afterwards (as the CLI does on an error), once on SQLite and once on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.capacity.models import Programme, Sector, Transaction
from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_factory
from rightsdesk.core.errors import RightsdeskError
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.forms import get_importer
from rightsdesk.store import init_store
from tests.capacity.conftest import activity_file, import_file
from tests.conftest import PG_ENV, PG_HINT, make_settings
from tests.core.import_mutations import BINARY_MUTATIONS, mutate_binary

CAFOD = "cafod-drc-v1.00.xml"
PROPERTY = hsettings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SEEDS = st.integers(0, 2**32 - 1)
State = tuple[tuple[tuple[str, str], ...], int, int]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def cafod_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared_data: Path
) -> Iterator[Settings]:
    """A store holding the real CAFOD file."""
    from rightsdesk.core.scratch import scratch_database

    tmp = tmp_path_factory.mktemp("iati-props")

    def load(url: str) -> Settings:
        s = make_settings(url, tmp)
        init_store(s)
        import_file(s, "iati-activities", activity_file(shared_data, CAFOD))
        return s

    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'props.db'}"
        yield load(url)
        dispose_engine(url)
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(PG_HINT)
    with scratch_database(base, "rdiati") as url:
        yield load(url)
        dispose_engine(url)


def state(session: Session) -> State:
    titles = session.execute(select(Programme.natural_key, Programme.title)).all()
    sectors = session.scalar(select(func.count()).select_from(Sector)) or 0
    transactions = session.scalar(select(func.count()).select_from(Transaction)) or 0
    return tuple(sorted((str(k), str(t)) for k, t in titles)), int(sectors), int(transactions)


def attempt(settings: Settings, path: Path) -> tuple[ImportReport | RightsdeskError, State]:
    """Import ``path`` (forced) and roll back; the outcome and the store's state in between."""
    session = session_factory(settings.database_url)()
    try:
        try:
            report: ImportReport | RightsdeskError = run_import(
                session, get_importer("iati-activities"), path, actor="test", force=True
            )
        except RightsdeskError as exc:
            report = exc
            session.rollback()
        during = state(session)
    finally:
        session.rollback()
        session.close()
    return report, during


def blocks(text: str) -> tuple[str, list[str], str]:
    """The file's head, its activities (each with its line break) and its tail."""
    starts = [m.start() for m in re.finditer(r"  <iati-activity ", text)]
    end = text.rindex("</iati-activity>") + len("</iati-activity>\n")
    items = [text[a:b] for a, b in zip(starts, [*starts[1:], end], strict=True)]
    return text[: starts[0]], items, text[end:]


@PROPERTY
@given(how=st.sampled_from(BINARY_MUTATIONS), seed=SEEDS)
def test_damage_fails_cleanly_or_keeps_every_programme(
    cafod_store: Settings, shared_data: Path, tmp_path: Path, how: str, seed: int
) -> None:
    with session_factory(cafod_store.database_url)() as session:
        before = state(session)
    damaged = tmp_path / f"damaged-{how}.xml"
    damaged.write_bytes(
        mutate_binary(activity_file(shared_data, CAFOD).read_bytes(), how, random.Random(seed))
    )
    outcome, during = attempt(cafod_store, damaged)
    if isinstance(outcome, RightsdeskError):
        assert str(damaged) in outcome.message or damaged.name in outcome.message
        assert during == before
    else:
        kept = {key for key, _ in during[0]}
        assert {key for key, _ in before[0]} <= kept  # nothing the file lost is deleted
    with session_factory(cafod_store.database_url)() as session:
        assert state(session) == before


@PROPERTY
@given(how=st.sampled_from(["shuffle", "subset", "duplicate"]), seed=SEEDS)
def test_reordered_partial_and_repeated_copies(
    cafod_store: Settings, shared_data: Path, tmp_path: Path, how: str, seed: int
) -> None:
    rng = random.Random(seed)
    head, items, tail = blocks(activity_file(shared_data, CAFOD).read_text(encoding="utf-8"))
    if how == "shuffle":
        rng.shuffle(items)
    elif how == "subset":
        items = rng.sample(items, rng.randint(1, len(items) - 1))
    else:
        items.insert(rng.randrange(len(items) + 1), rng.choice(items))
    path = tmp_path / f"{how}.xml"
    path.write_text(head + "".join(items) + tail, encoding="utf-8")
    with session_factory(cafod_store.database_url)() as session:
        before = state(session)
    outcome, during = attempt(cafod_store, path)
    if how == "duplicate":
        assert isinstance(outcome, RightsdeskError)
        assert "appears twice in the file" in outcome.message
        assert during == before
        return
    assert isinstance(outcome, ImportReport)
    assert (outcome.rows_read, outcome.unchanged, outcome.inserted, outcome.updated) == (
        len(items),
        len(items),
        0,
        0,
    )
    assert during == before
