"""monitoring: recommendations, responses, themes, clusters, pledges, implementation tracking

Full-text search is created here too, per dialect: an FTS5 table with the porter tokenizer kept
in sync by triggers on SQLite; a generated ``tsvector`` column (English configuration) with a
GIN index on PostgreSQL. ``monitoring.search`` hides the difference.

Revision ID: 0004_monitoring
Revises:
Depends on: 0001_core (branch monitoring starts here)
Create Date: 2026-11-24 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_monitoring"
down_revision: str | Sequence[str] | None = None  # the base of the monitoring branch
branch_labels: str | Sequence[str] | None = ("monitoring",)
depends_on: str | Sequence[str] | None = "0001_core"


def upgrade() -> None:
    op.create_table(
        "recommendation_cluster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_cluster")),
        sa.UniqueConstraint("key", name=op.f("uq_recommendation_cluster_key")),
    )
    op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taxonomy", sa.String(length=30), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme")),
        sa.UniqueConstraint("taxonomy", "label", name=op.f("uq_theme_taxonomy")),
    )
    op.create_table(
        "recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("natural_key", sa.String(length=40), nullable=False),
        sa.Column("mechanism", sa.String(length=60), nullable=False),
        sa.Column("document_symbol", sa.String(length=100), nullable=True),
        sa.Column("paragraph", sa.String(length=20), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("state_iso3", sa.String(length=3), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=True),
        sa.Column("session", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("action_category", sa.Integer(), nullable=True),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "action_category IS NULL OR (action_category BETWEEN 1 AND 5)",
            name=op.f("ck_recommendation_action_range"),
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_recommendation_dataset_id_dataset")
        ),
        sa.ForeignKeyConstraint(
            ["state_iso3"], ["state.iso3"], name=op.f("fk_recommendation_state_iso3_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation")),
        sa.UniqueConstraint("natural_key", name=op.f("uq_recommendation_natural_key")),
    )
    op.create_index(
        op.f("ix_recommendation_dataset_id"), "recommendation", ["dataset_id"], unique=False
    )
    op.create_index(
        op.f("ix_recommendation_mechanism"), "recommendation", ["mechanism"], unique=False
    )
    op.create_index(op.f("ix_recommendation_session"), "recommendation", ["session"], unique=False)
    op.create_index(
        op.f("ix_recommendation_state_iso3"), "recommendation", ["state_iso3"], unique=False
    )
    op.create_index(
        op.f("ix_recommendation_text_hash"), "recommendation", ["text_hash"], unique=False
    )
    op.create_table(
        "voluntary_pledge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("natural_key", sa.String(length=40), nullable=False),
        sa.Column("state_iso3", sa.String(length=3), nullable=False),
        sa.Column("session", sa.Integer(), nullable=True),
        sa.Column("cycle", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("issues", sa.Text(), nullable=True),
        sa.Column("action_category", sa.Integer(), nullable=True),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_voluntary_pledge_dataset_id_dataset")
        ),
        sa.ForeignKeyConstraint(
            ["state_iso3"], ["state.iso3"], name=op.f("fk_voluntary_pledge_state_iso3_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voluntary_pledge")),
        sa.UniqueConstraint("natural_key", name=op.f("uq_voluntary_pledge_natural_key")),
    )
    op.create_index(
        op.f("ix_voluntary_pledge_dataset_id"), "voluntary_pledge", ["dataset_id"], unique=False
    )
    op.create_index(
        op.f("ix_voluntary_pledge_state_iso3"), "voluntary_pledge", ["state_iso3"], unique=False
    )
    op.create_table(
        "cluster_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["recommendation_cluster.id"],
            name=op.f("fk_cluster_member_cluster_id_recommendation_cluster"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_cluster_member_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_member")),
        sa.UniqueConstraint("recommendation_id", name=op.f("uq_cluster_member_recommendation_id")),
    )
    op.create_index(
        op.f("ix_cluster_member_cluster_id"), "cluster_member", ["cluster_id"], unique=False
    )
    op.create_table(
        "implementation_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_iso3", sa.String(length=3), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("responsible_institutions", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(recommendation_id IS NULL) <> (cluster_id IS NULL)",
            name=op.f("ck_implementation_record_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["recommendation_cluster.id"],
            name=op.f("fk_implementation_record_cluster_id_recommendation_cluster"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_implementation_record_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["state_iso3"], ["state.iso3"], name=op.f("fk_implementation_record_state_iso3_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_implementation_record")),
        sa.UniqueConstraint("state_iso3", "cluster_id", name="uq_implementation_record_cluster"),
        sa.UniqueConstraint(
            "state_iso3", "recommendation_id", name=op.f("uq_implementation_record_state_iso3")
        ),
    )
    op.create_index(
        op.f("ix_implementation_record_state_iso3"),
        "implementation_record",
        ["state_iso3"],
        unique=False,
    )
    op.create_table(
        "recommendation_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommendation_response_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_response")),
        sa.UniqueConstraint(
            "recommendation_id", "source", name=op.f("uq_recommendation_response_recommendation_id")
        ),
    )
    op.create_index(
        op.f("ix_recommendation_response_response"),
        "recommendation_response",
        ["response"],
        unique=False,
    )
    op.create_table(
        "recommendation_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommendation_theme_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f("fk_recommendation_theme_theme_id_theme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_theme")),
        sa.UniqueConstraint(
            "recommendation_id", "theme_id", name=op.f("uq_recommendation_theme_recommendation_id")
        ),
    )
    op.create_index(
        op.f("ix_recommendation_theme_theme_id"), "recommendation_theme", ["theme_id"], unique=False
    )
    op.create_table(
        "recommending_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["iso3"], ["state.iso3"], name=op.f("fk_recommending_state_iso3_state")
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommending_state_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommending_state")),
        sa.UniqueConstraint(
            "recommendation_id", "iso3", name=op.f("uq_recommending_state_recommendation_id")
        ),
    )
    op.create_index(
        op.f("ix_recommending_state_iso3"), "recommending_state", ["iso3"], unique=False
    )
    op.create_table(
        "implementation_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.Column("value", sa.String(length=200), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["implementation_record.id"],
            name=op.f("fk_implementation_indicator_record_id_implementation_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_implementation_indicator")),
    )
    op.create_index(
        op.f("ix_implementation_indicator_record_id"),
        "implementation_indicator",
        ["record_id"],
        unique=False,
    )
    op.create_table(
        "planned_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["implementation_record.id"],
            name=op.f("fk_planned_action_record_id_implementation_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_action")),
    )
    op.create_index(
        op.f("ix_planned_action_record_id"), "planned_action", ["record_id"], unique=False
    )
    op.create_table(
        "progress_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("evidence_links", sa.Text(), nullable=True),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["implementation_record.id"],
            name=op.f("fk_progress_report_record_id_implementation_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_report")),
    )
    op.create_index(
        op.f("ix_progress_report_record_id"), "progress_report", ["record_id"], unique=False
    )

    _full_text_search()


def _full_text_search() -> None:
    """The search index of recommendation texts, kept in sync by the database itself."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE recommendation_fts USING fts5(text, content='recommendation', "
            "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER recommendation_fts_ai AFTER INSERT ON recommendation BEGIN "
            "INSERT INTO recommendation_fts(rowid, text) VALUES (new.id, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER recommendation_fts_ad AFTER DELETE ON recommendation BEGIN "
            "INSERT INTO recommendation_fts(recommendation_fts, rowid, text) "
            "VALUES ('delete', old.id, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER recommendation_fts_au AFTER UPDATE OF text ON recommendation BEGIN "
            "INSERT INTO recommendation_fts(recommendation_fts, rowid, text) "
            "VALUES ('delete', old.id, old.text); "
            "INSERT INTO recommendation_fts(rowid, text) VALUES (new.id, new.text); END"
        )
    else:
        op.execute(
            "ALTER TABLE recommendation ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
        )
        op.execute(
            "CREATE INDEX ix_recommendation_search_vector ON recommendation "
            "USING gin (search_vector)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("recommendation_fts_ai", "recommendation_fts_ad", "recommendation_fts_au"):
            op.execute(sa.text("DROP TRIGGER IF EXISTS " + trigger))
        op.execute("DROP TABLE IF EXISTS recommendation_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_recommendation_search_vector")
        op.execute("ALTER TABLE recommendation DROP COLUMN IF EXISTS search_vector")
    op.drop_index(op.f("ix_progress_report_record_id"), table_name="progress_report")
    op.drop_table("progress_report")
    op.drop_index(op.f("ix_planned_action_record_id"), table_name="planned_action")
    op.drop_table("planned_action")
    op.drop_index(
        op.f("ix_implementation_indicator_record_id"), table_name="implementation_indicator"
    )
    op.drop_table("implementation_indicator")
    op.drop_index(op.f("ix_recommending_state_iso3"), table_name="recommending_state")
    op.drop_table("recommending_state")
    op.drop_index(op.f("ix_recommendation_theme_theme_id"), table_name="recommendation_theme")
    op.drop_table("recommendation_theme")
    op.drop_index(op.f("ix_recommendation_response_response"), table_name="recommendation_response")
    op.drop_table("recommendation_response")
    op.drop_index(op.f("ix_implementation_record_state_iso3"), table_name="implementation_record")
    op.drop_table("implementation_record")
    op.drop_index(op.f("ix_cluster_member_cluster_id"), table_name="cluster_member")
    op.drop_table("cluster_member")
    op.drop_index(op.f("ix_voluntary_pledge_dataset_id"), table_name="voluntary_pledge")
    op.drop_index(op.f("ix_voluntary_pledge_state_iso3"), table_name="voluntary_pledge")
    op.drop_table("voluntary_pledge")
    op.drop_index(op.f("ix_recommendation_dataset_id"), table_name="recommendation")
    op.drop_index(op.f("ix_recommendation_mechanism"), table_name="recommendation")
    op.drop_index(op.f("ix_recommendation_session"), table_name="recommendation")
    op.drop_index(op.f("ix_recommendation_state_iso3"), table_name="recommendation")
    op.drop_index(op.f("ix_recommendation_text_hash"), table_name="recommendation")
    op.drop_table("recommendation")
    op.drop_table("theme")
    op.drop_table("recommendation_cluster")
