"""Migrations per form: the revision graph, the schema it builds against every model, and the
in-place upgrade of a store made by the release before the form registry; on both stores."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import CheckConstraint, Connection, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError

from rightsdesk import store
from rightsdesk.core import states
from rightsdesk.core.db import Base, get_engine, session_scope
from rightsdesk.core.security import audit
from rightsdesk.forms import FORMS, load_models, migration_folders
from rightsdesk.migrations import MIGRATION_ONLY, include_object, object_key
from rightsdesk.store import alembic_config, init_store, pending, redundant_stamps, upgrade
from tests.conftest import make_settings

# What the release before the form registry left in alembic_version: three heads, because
# 0002_treaties and 0003_votes both revised 0001_core then.
TODAYS_STAMPS = {"0002_treaties", "0003_votes", "0005_suggestions"}


def _script(url: str = "sqlite://") -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(url))


def _stamps(url: str) -> set[str]:
    with get_engine(url).connect() as conn:
        return set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


# --- the graph ----------------------------------------------------------------------------


def test_one_branch_per_form_each_based_on_core() -> None:
    script = _script()
    forms_with_tables = [f for f in FORMS if f.migrations]
    assert [f.name for f in forms_with_tables] == [
        "negotiation",
        "monitoring",
        "sanctions",
        "capacity",
        "interventions",
    ]
    assert all(f.migrations is None for f in FORMS if f.planned)
    labels = ["core"] + [f.name for f in forms_with_tables]
    heads = {label: script.get_revision(f"{label}@head") for label in labels}
    assert sorted(script.get_heads()) == sorted(rev.revision for rev in heads.values() if rev)
    assert {label: rev.revision for label, rev in heads.items() if rev} == {
        "core": "0012_dataset_periods",
        "negotiation": "0014_vetoes",
        "monitoring": "0018_violations",
        "capacity": "0016_capacity",
        "sanctions": "0017_sanctions",
        "interventions": "0024_int_events_aggregated",
    }
    folders = dict(
        zip(["core"] + [f.name for f in forms_with_tables], migration_folders(), strict=True)
    )
    for revision in script.walk_revisions():
        (label,) = revision.branch_labels  # one branch each, no revision shared
        assert Path(revision.path).parent == folders[label], revision.revision
        if revision.down_revision is None and label != "core":  # a form's base
            assert revision.dependencies == "0001_core"
    for label in labels:  # linear within a branch: one base, one head
        members = [r for r in script.walk_revisions() if label in r.branch_labels]
        assert sum(r.down_revision is None for r in members) == 1
        assert sum(r.is_head for r in members) == 1
    assert {r.revision for r in script.walk_revisions()} >= TODAYS_STAMPS  # ids kept


def test_redundant_stamps() -> None:
    script = _script()
    assert redundant_stamps(script, TODAYS_STAMPS) == {"0002_treaties"}
    assert redundant_stamps(script, {"0001_core", "0003_votes"}) == {"0001_core"}
    assert redundant_stamps(script, script.get_heads()) == set()
    assert redundant_stamps(script, ()) == set()


def test_revision_folders_are_shipped() -> None:
    """The wheel's package data includes every form's revisions (pyproject.toml)."""
    for package, name in [
        ("rightsdesk.negotiation.migrations", "0003_votes.py"),
        ("rightsdesk.monitoring.migrations", "0005_suggestions.py"),
    ]:
        assert (resources.files(package) / name).is_file()
    assert (resources.files("rightsdesk") / "migrations/versions/0006_audit_chain.py").is_file()
    assert (resources.files("rightsdesk") / "migrations/script.py.mako").is_file()


# --- the schema against the models ---------------------------------------------------------


def _object_key(diff: tuple[Any, ...]) -> tuple[str, str] | None:
    kind = diff[0]
    if kind in ("add_table", "remove_table"):
        return object_key(diff[1], diff[1].name, "table")
    if kind in ("add_column", "remove_column"):
        return object_key(diff[3], diff[3].name, "column")
    if kind in ("add_index", "remove_index"):
        return object_key(diff[1], diff[1].name, "index")
    return None


def test_schema_matches_every_model(settings: Any) -> None:
    """After ``upgrade heads``: every table, column (type, nullability, server default), index,
    unique and foreign key constraint of every form's models is in the database, and nothing
    else but the full-text search objects the migrations add."""
    load_models()
    engine = get_engine(settings.database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        diffs = compare_metadata(context, Base.metadata)
    # compare_metadata gives lists of changes for column modifications; flatten them
    flat = [d for group in diffs for d in (group if isinstance(group, list) else [group])]
    expected = MIGRATION_ONLY[engine.dialect.name]
    unexpected = [d for d in flat if _object_key(d) not in expected]
    assert unexpected == []
    # the ignored objects exist: the exclusions hide nothing else
    assert {_object_key(d) for d in flat} == expected
    with engine.connect() as conn:  # and autogenerate, filtered as env.py does, finds nothing
        opts = {"compare_type": True, "compare_server_default": True}
        context = MigrationContext.configure(conn, opts={**opts, "include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []

    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:  # check constraints, which alembic does not compare
        declared = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
        found = {c["name"] for c in inspector.get_check_constraints(table.name)}
        assert found == declared, table.name


# --- a store made by the release before the form registry ----------------------------------


def _build_todays_store(url: str) -> None:
    """Today's schema (0001 to 0005, not 0006) with the version rows today's graph stamped."""
    cfg = alembic_config(url)
    with get_engine(url).begin() as conn:
        cfg.attributes["connection"] = conn
        for target in ("0003_votes", "0005_suggestions"):  # not the newer revisions
            command.upgrade(cfg, target)
        conn.execute(text("DELETE FROM alembic_version"))
        for rev in sorted(TODAYS_STAMPS):
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": rev})


def _add_rows(conn: Connection) -> None:
    """A little of everything, through the tables the models declare."""
    t = Base.metadata.tables
    conn.execute(
        insert(t["user_account"]),
        [{"name": "ana", "role": "admin", "password_hash": "$argon2id$x", "active": True}],
    )
    ds = conn.execute(
        insert(t["dataset"]).returning(t["dataset"].c.id),
        {
            "kind": "test",
            "source": "made by hand",
            "file_name": "x.csv",
            "sha256": "0" * 64,
            "rows_read": 3,
            "inserted": 3,
            "updated": 0,
            "unchanged": 0,
            "rejected": 0,
        },
    ).scalar_one()
    conn.execute(
        insert(t["ratification"]),
        [
            {
                "iso3": "FRA",
                "instrument_short": "ICCPR",
                "status": "party",
                "signature_date": date(1966, 12, 16),
                "consent_date": date(1980, 11, 4),
                "consent_type": "accession",
                "source_kind": "test",
                "dataset_id": ds,
            },
            {
                "iso3": "CUB",
                "instrument_short": "CAT",
                "status": "signatory",
                "signature_date": date(1986, 1, 27),
                "consent_date": None,
                "consent_type": None,
                "source_kind": "test",
                "dataset_id": None,
            },
        ],
    )
    session_id = conn.execute(
        insert(t["vote_session"]).returning(t["vote_session"].c.id),
        {"body": "unga", "label": "74", "number": 74, "year": 2019, "dataset_id": ds},
    ).scalar_one()
    resolution_id = conn.execute(
        insert(t["resolution"]).returning(t["resolution"].c.id),
        {
            "body": "unga",
            "source_key": "A/RES/74/1",
            "session_id": session_id,
            "symbol": "A/RES/74/1",
            "title": "A resolution",
            "date": date(2019, 12, 18),
            "adoption": "recorded",
        },
    ).scalar_one()
    roll_call_id = conn.execute(
        insert(t["roll_call"]).returning(t["roll_call"].c.id),
        {
            "resolution_id": resolution_id,
            "source": "test",
            "source_id": "1",
            "body": "unga",
            "session": 74,
            "date": date(2019, 12, 18),
            "yes_official": 2,
        },
    ).scalar_one()
    conn.execute(
        insert(t["state_vote"]),
        [
            {"roll_call_id": roll_call_id, "iso3": "FRA", "vote": "yes"},
            {"roll_call_id": roll_call_id, "iso3": "CUB", "vote": "no"},
        ],
    )
    rec_id = conn.execute(
        insert(t["recommendation"]).returning(t["recommendation"].c.id),
        {
            "natural_key": "upr-4-fra-1",
            "mechanism": "UPR",
            "text": "Ratify the Optional Protocol to the Convention against Torture",
            "text_hash": "a" * 40,
            "state_iso3": "FRA",
            "cycle": 4,
            "dataset_id": ds,
        },
    ).scalar_one()
    conn.execute(
        insert(t["recommendation_response"]),
        {"recommendation_id": rec_id, "response": "supported", "source": "test"},
    )
    conn.execute(
        insert(t["suggestion"]),
        {
            "recommendation_id": rec_id,
            "kind": "theme",
            "label": "Torture",
            "confidence": 0.9,
            "model_version": "t1",
        },
    )


def _snapshot(
    url: str, columns: dict[str, list[str]] | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model table, in primary-key order: the columns the store has (or
    those named in ``columns``: a later revision adds some)."""
    out = {}
    engine = get_engine(url)
    present = inspect(engine)
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if not present.has_table(table.name):
                continue
            names = (columns or {}).get(table.name) or [
                c["name"] for c in present.get_columns(table.name) if c["name"] in table.c
            ]
            cols = [table.c[name] for name in names]
            order = list(table.primary_key.columns) or cols
            out[table.name] = [tuple(r) for r in conn.execute(select(*cols).order_by(*order))]
    return out


def _snapshot_columns(url: str, table: str) -> list[str]:
    model = Base.metadata.tables[table]
    return [c["name"] for c in inspect(get_engine(url)).get_columns(table) if c["name"] in model.c]


def _legacy_seed_groupings(session: Any) -> int:
    """Today's seeding of groupings: memberships by year only (no date columns yet)."""
    from rightsdesk.core.groups import read_data_csv

    rows = read_data_csv("groupings.csv")
    for code in dict.fromkeys(r["grouping"] for r in rows):
        first = next(r for r in rows if r["grouping"] == code)
        session.execute(
            text("INSERT INTO grouping (code, name, kind) VALUES (:c, :n, :k)"),
            {"c": code, "n": first["name"], "k": first["kind"]},
        )
    for r in rows:
        session.execute(
            text(
                "INSERT INTO group_membership (grouping_code, iso3, start_year, end_year) "
                "VALUES (:g, :i, :s, :e)"
            ),
            {
                "g": r["grouping"],
                "i": r["iso3"],
                "s": int(r["start_date"][:4]) if r["start_date"] else None,
                "e": int(r["end_date"][:4]) if r["end_date"] else None,
            },
        )
    return len(rows)


def _legacy_record(
    session: Any,
    actor: str,
    action: str,
    entity: str,
    entity_id: Any = None,
    before: Any = None,
    after: Any = None,
    note: Any = None,
) -> None:
    """An audit entry as the release before keyed chaining wrote it: no ``scheme`` column, a
    plain SHA-256 chain."""
    from rightsdesk.core.db import utcnow
    from rightsdesk.core.security.models import AuditEntry

    table = AuditEntry.__table__
    last = session.execute(
        select(table.c.hash).order_by(table.c.id.desc()).limit(1)
    ).scalar_one_or_none()
    entry = AuditEntry(
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=before,
        after=after,
        note=note,
        prev_hash=last or audit.GENESIS,
    )
    entry.hash = audit.entry_hash(entry, scheme=audit.SCHEME_SHA256)
    values = {
        c.name: getattr(entry, c.name) for c in table.columns if c.name not in ("id", "scheme")
    }
    session.execute(insert(AuditEntry).values(values))


def _kept_rows(url: str, kept: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """The rows of the tables snapshotted before, less what newer migrations add on purpose
    (0010_un_symbols adds the Security Council as a voting body)."""
    after = {k: v for k, v in _snapshot(url, kept).items() if k in before}
    after["vote_body"] = [row for row in after["vote_body"] if row[0] != "unsc"]
    return after


def test_todays_store_upgrades_in_place(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_models()
    _build_todays_store(store_url)
    engine = get_engine(store_url)
    assert "prev_hash" not in {
        col
        for uq in inspect(engine).get_unique_constraints("audit_entry")
        for col in uq["column_names"]
    }
    assert pending(store_url)
    settings = make_settings(store_url, tmp_path)
    with monkeypatch.context() as m:  # what today's `init` did on today's schema: the seeds
        m.setattr(store, "upgrade", lambda url: None)
        m.setattr(store, "refresh_periods", lambda session: 0)  # newer than today's code
        m.setattr(audit, "record", _legacy_record)  # today's code: unkeyed entries
        m.setattr(states, "seed_groupings", _legacy_seed_groupings)  # no membership dates
        init_store(settings)
    with engine.begin() as conn:
        _add_rows(conn)
    with session_scope(store_url) as s:
        for i in range(3):
            _legacy_record(s, "test", "update", "thing", i, before={"v": i}, after={"v": i + 1})
    before = _snapshot(store_url)
    kept = {name: list(_snapshot_columns(store_url, name)) for name in before}
    for name in (
        "state",
        "user_account",
        "dataset",
        "audit_entry",
        "instrument",
        "ratification",
        "resolution",
        "roll_call",
        "state_vote",
        "recommendation",
        "recommendation_response",
        "suggestion",
    ):
        assert before[name], name

    upgrade(store_url)
    assert _kept_rows(store_url, kept, before) == before
    # what `rightsdesk init` does after an update: a no-op on the data, except the reference
    # membership periods, which it replaces with dated ones (issue 8: members at each vote)
    before.pop("group_membership")
    init_store(settings)
    assert _kept_rows(store_url, kept, before) == before
    with session_scope(store_url) as s:
        assert len(states.members_at(s, "EU", date(1985, 6, 1))) == 10
    assert not pending(store_url)
    assert _stamps(store_url) == set(_script(store_url).get_heads())

    with session_scope(store_url) as s:
        report = audit.verify_chain(s)
    assert report.ok and report.checked == len(before["audit_entry"])
    # the log is still append-only (SQLite rebuilt the table for the new constraint) ...
    for stmt in ("UPDATE audit_entry SET actor = 'mallory'", "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(stmt))
    # ... and can no longer fork
    assert "prev_hash" in {
        col
        for uq in inspect(engine).get_unique_constraints("audit_entry")
        for col in uq["column_names"]
    }
    # the full-text index survived the upgrade
    query = (
        "SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH 'torture'"
        if engine.dialect.name == "sqlite"
        else "SELECT id FROM recommendation "
        "WHERE search_vector @@ plainto_tsquery('english', 'torture')"
    )
    with engine.connect() as conn:
        found = list(conn.execute(text(query)).scalars())
    assert found == [row[0] for row in before["recommendation"]]


def test_a_forked_chain_stops_the_upgrade(store_url: str) -> None:
    """A chain forked by concurrent writers of an earlier release cannot take the unique link:
    the upgrade stops, names the entries and leaves the store as it was."""
    _build_todays_store(store_url)
    engine = get_engine(store_url)
    entry = {"at": "2026-01-01 00:00:00", "actor": "a", "action": "x", "entity": "e"}
    with engine.begin() as conn:
        for n, prev in enumerate([audit.GENESIS, "1" * 64, "1" * 64]):
            conn.execute(
                text(
                    "INSERT INTO audit_entry (at, actor, action, entity, prev_hash, hash) "
                    "VALUES (:at, :actor, :action, :entity, :prev, :hash)"
                ),
                {**entry, "prev": prev, "hash": str(n + 1) * 64},
            )
    with pytest.raises(RuntimeError, match=r"audit log is forked: entries #2, #3"):
        upgrade(store_url)
    assert _stamps(store_url) == TODAYS_STAMPS
    assert pending(store_url)
