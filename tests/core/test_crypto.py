"""Sensitive fields are stored encrypted: the raw column never holds the plain text."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text

from rightsdesk.core.security.crypto import EncryptedText, configure_encryption


def test_encrypted_text_round_trip(tmp_path: Path) -> None:
    configure_encryption("one secret")
    engine = create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    meta = MetaData()
    table = Table(
        "witness", meta, Column("id", Integer, primary_key=True), Column("name", EncryptedText())
    )
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(table), [{"id": 1, "name": "Witness A, Kasai"}, {"id": 2, "name": None}]
        )
        raw = conn.execute(text("SELECT name FROM witness WHERE id = 1")).scalar_one()
        assert "Kasai" not in raw and raw.startswith("gAAAA")
        assert conn.execute(select(table.c.name).where(table.c.id == 1)).scalar_one() == (
            "Witness A, Kasai"
        )
        assert conn.execute(select(table.c.name).where(table.c.id == 2)).scalar_one() is None
    configure_encryption("another secret")
    with engine.begin() as conn:
        value = conn.execute(select(table.c.name).where(table.c.id == 1)).scalar_one()
    assert value == "[encrypted with another key]"
    engine.dispose()
