"""UPR Info importer and reader: the real export (Mac Roman, bare CR), idempotency, clusters,
and malformed copies that must fail with file/line/field and leave the store unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import EncodingError, InputError, MissingColumnError
from rightsdesk.core.provenance import Dataset
from rightsdesk.forms import detect_importer
from rightsdesk.monitoring.recommendations.models import (
    Cluster,
    ClusterMember,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    Response,
    Theme,
)
from rightsdesk.monitoring.recommendations.sources.common import upr_cycle
from rightsdesk.monitoring.recommendations.sources.upr_info import read_upr_info
from tests.monitoring.conftest import count, do_import, head_copy, upr_file


def test_reader_decodes_mac_roman_and_validates(shared_data: Path) -> None:
    rows = list(read_upr_info(upr_file(shared_data)))
    assert len(rows) == 6094
    first = rows[0]
    assert (first.line, first.to_state, first.from_states) == (2, "Afghanistan", ["Austria"])
    assert (first.response, first.action, first.session) == ("accepted", 5, 5)
    assert first.issues == ["Rights of the Child", "Women's rights"]
    assert first.raw["To-Rgrp"] == "Asia"
    # byte 0x8e is "é" in Mac Roman
    assert any("Instance Equité" in r.text for r in rows)
    # "&#40;Unknown&#41;" rows of session 1 have no recommending state
    unknown = [r for r in rows if not r.from_states]
    assert len(unknown) == 9 and all(r.to_state == "Indonesia" for r in unknown)


def test_cycles() -> None:
    assert [upr_cycle(s) for s in (1, 12, 13, 26, 27, 40, 41, 48)] == [1, 1, 2, 2, 3, 3, 4, 4]


def test_import_subset_is_idempotent(
    settings: Settings, session: Session, shared_data: Path, tmp_path: Path
) -> None:
    path = head_copy(upr_file(shared_data, "sessions-14-17.csv"), tmp_path / "s14.csv", 301)
    first = do_import(settings, "upr-info", path)
    assert (first.rows_read, first.inserted, first.updated) == (300, 300, 0)
    again = do_import(settings, "upr-info", path, force=True)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 300)
    skipped = do_import(settings, "upr-info", path)
    assert skipped.skipped_file
    assert count(session, Recommendation) == 300
    rec = session.scalars(select(Recommendation).order_by(Recommendation.id)).first()
    assert rec is not None
    assert (rec.state_iso3, rec.session, rec.cycle, rec.action_category) == ("ARG", 14, 2, 5)
    assert [s.iso3 for s in rec.recommending_states] == ["PRT"]
    # one vocabulary: UPR Info's "Accepted" is stored as supported, the word kept
    assert [(r.response, r.source_word) for r in rec.responses] == [("supported", "accepted")]
    labels = sorted(t.theme.label for t in rec.themes)
    assert labels == ["International instruments", "Rights of the Child"]
    assert all(t.origin == "human" for t in rec.themes)
    # every theme is a UPR Info issue
    assert set(session.scalars(select(Theme.taxonomy))) == {"upr-info"}
    # identical texts (several states recommending the same) are clustered, and only those
    members = session.execute(
        select(ClusterMember.cluster_id, Recommendation.text_hash).join(Recommendation)
    ).all()
    assert members, "the first 300 rows of session 14 repeat some texts"
    by_cluster: dict[int, set[str]] = {}
    for cid, h in members:
        by_cluster.setdefault(cid, set()).add(h)
    assert all(len(h) == 1 for h in by_cluster.values())
    sizes = session.execute(
        select(func.count()).select_from(ClusterMember).group_by(ClusterMember.cluster_id)
    ).scalars()
    assert min(sizes) >= 2


def test_exact_duplicate_rows_stay_two_recommendations(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    """Tonga, session 15: the UK's "Ratify ICCPR and its Second Optional Protocol" appears
    twice in the export; the natural key keeps both, and a re-import finds both again."""
    source = upr_file(shared_data, "sessions-14-17.csv").read_bytes().split(b"\r")
    keep = [source[0]] + [line for line in source[1:] if line.startswith(b"Tonga,")]
    path = tmp_path / "tonga.csv"
    path.write_bytes(b"\r".join(keep))
    report = do_import(sqlite_settings, "upr-info", path)
    assert report.inserted == len(keep) - 1
    with session_scope(sqlite_settings.database_url) as session:
        dupes = session.scalars(
            select(Recommendation.id).where(
                Recommendation.text == "Ratify ICCPR and its Second Optional Protocol",
                Recommendation.state_iso3 == "TON",
            )
        ).all()
        assert len(dupes) == 2
    again = do_import(sqlite_settings, "upr-info", path, force=True)
    assert (again.inserted, again.updated) == (0, 0)


def test_whole_real_file(sqlite_settings: Settings, shared_data: Path) -> None:
    path = upr_file(shared_data)
    assert detect_importer(path) is not None
    assert detect_importer(path).kind == "upr-info"  # type: ignore[union-attr]
    report = do_import(sqlite_settings, "upr-info", path)
    assert (report.rows_read, report.inserted) == (6094, 6094)
    with session_scope(sqlite_settings.database_url) as session:
        assert count(session, Recommendation) == 6094
        assert count(session, Response) == 6094
        assert count(session, RecommendingState) == 6094 - 9
        assert count(session, Cluster) > 0
        themed = session.scalar(
            select(func.count(func.distinct(RecommendationTheme.recommendation_id)))
        )
        assert themed == 6094


def test_changed_row_is_updated(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    path = head_copy(upr_file(shared_data), tmp_path / "s.csv", 21)
    do_import(sqlite_settings, "upr-info", path)
    text = path.read_bytes().replace(b",Accepted,5,", b",Noted,5,", 1)
    path.write_bytes(text)
    report = do_import(sqlite_settings, "upr-info", path)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 19)


BROKEN = [
    # (description, transform of the file bytes, error type, line, field)
    (
        "bad Action",
        lambda b: b.replace(b",Accepted,5,", b",Accepted,7,", 1),
        InputError,
        2,
        "Action",
    ),
    (
        "non-numeric Action",
        lambda b: b.replace(b",Accepted,5,", b",Accepted,high,", 1),
        InputError,
        2,
        "Action",
    ),
    (
        "missing column",
        lambda b: b.replace(b"Action,", b"Act,", 1),
        MissingColumnError,
        1,
        "Action",
    ),
    (
        "unknown state",
        lambda b: b.replace(b"\rAfghanistan,", b"\rAtlantis,", 1),
        InputError,
        2,
        "To",
    ),
    (
        "unknown response",
        lambda b: b.replace(b",Accepted,5,", b",Maybe,5,", 1),
        InputError,
        2,
        "Response",
    ),
    (
        "non-UTF-8 bytes in an LF file",
        lambda b: b.replace(b"\r", b"\n").replace(b"Enact legislation", b"Enact l\xe9gislation", 1),
        EncodingError,
        2,
        None,
    ),
    ("control character", lambda b: b.replace(b"Enact", b"En\x00act", 1), EncodingError, 2, None),
]


@pytest.mark.parametrize(
    ("label", "transform", "error", "line", "field"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_malformed_copies(
    settings: Settings,
    session: Session,
    shared_data: Path,
    tmp_path: Path,
    label: str,
    transform,
    error,
    line,
    field,
) -> None:
    good = head_copy(upr_file(shared_data), tmp_path / "good.csv", 6)
    bad = tmp_path / "broken.csv"
    bad.write_bytes(transform(good.read_bytes()))
    datasets = count(session, Dataset)
    with pytest.raises(error) as info:
        do_import(settings, "upr-info", bad)
    exc = info.value
    assert isinstance(exc, InputError)
    assert exc.location.file is not None and Path(exc.location.file).name == "broken.csv"
    assert exc.location.line == line
    assert exc.location.field == field
    assert "broken.csv" in exc.message
    session.expire_all()
    assert count(session, Recommendation) == 0
    assert count(session, Dataset) == datasets
