"""Alembic migrations: every schema change of the store, applied by `rightsdesk init`.

Core's revisions are in ``versions/``; each form keeps its own in ``rightsdesk.FORM.migrations``
(one branch label per form; ``rightsdesk.store`` describes the graph and how to add to it).
"""

from __future__ import annotations

from typing import Any

# What only the migrations create, per dialect: full-text search, which the models cannot
# declare. Autogenerate leaves these alone; tests/core/test_migrations.py checks that exactly
# these differ between the models and a store at head.
MIGRATION_ONLY: dict[str, frozenset[tuple[str, str]]] = {
    "sqlite": frozenset(
        ("table", name)
        for name in (
            "recommendation_fts",  # FTS5 and its shadow tables
            "recommendation_fts_config",
            "recommendation_fts_data",
            "recommendation_fts_docsize",
            "recommendation_fts_idx",
        )
    ),
    "postgresql": frozenset(
        {
            ("column", "recommendation.search_vector"),  # generated tsvector
            ("index", "ix_recommendation_search_vector"),  # its GIN index
        }
    ),
}
_SKIP = frozenset().union(*MIGRATION_ONLY.values())


def object_key(obj: Any, name: str | None, type_: str) -> tuple[str, str]:
    """How ``MIGRATION_ONLY`` names a schema object: (kind, name or "table.column")."""
    if type_ == "column":
        return (type_, f"{obj.table.name}.{name}")
    return (type_, str(name))


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Autogenerate's filter: everything but the migration-only objects."""
    return object_key(obj, name, type_) not in _SKIP
