"""Revision 0023 mends the state codes of risk records stored before it (four Pacific states
filed under their Gleditsch-Ward codes, PTS's uncoded Soviet Union), on both stores, and
leaves every other row as it was."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import insert, select, text

from rightsdesk.core.db import Base, get_engine
from rightsdesk.forms import load_models
from rightsdesk.store import alembic_config, upgrade

pytestmark = pytest.mark.usefixtures("shared_data")

# (source, key, name, cow, iso3) as the earlier importer stored them
BEFORE = [
    ("pts", "Nauru", "Nauru", 970, "KIR"),
    ("pts", "Kiribati", "Kiribati", 946, None),
    ("cirights", "955", "Tonga", 955, None),
    ("cirights", "947", "Tuvalu", 947, None),
    ("pts", "Soviet Union", "Soviet Union", None, None),
    ("pts", "Gaza (Hamas)", "Gaza (Hamas)", None, None),
    ("pts", "Syria", "Syrian Arab Republic", 652, "SYR"),
    ("ucdp-onesided", "100", "Kiribati", 970, "KIR"),  # GW 970, stored as if COW
    ("ucdp-onesided", "101", "Nauru", 971, None),
    ("ucdp-acd", "102", "Syria", 652, "SYR"),
]
AFTER = {
    ("pts", "Nauru"): (970, "NRU"),
    ("pts", "Kiribati"): (946, "KIR"),
    ("cirights", "955"): (955, "TON"),
    ("cirights", "947"): (947, "TUV"),
    ("pts", "Soviet Union"): (365, "SUN"),
    ("pts", "Gaza (Hamas)"): (None, None),
    ("pts", "Syria"): (652, "SYR"),
    ("ucdp-onesided", "100"): (946, "KIR"),
    ("ucdp-onesided", "101"): (970, "NRU"),
    ("ucdp-acd", "102"): (652, "SYR"),
}


def test_stored_codes_are_mended(store_url: str) -> None:
    load_models()
    cfg = alembic_config(store_url)
    engine = get_engine(store_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0022_int_events")
    table = Base.metadata.tables["int_risk_record"]
    with engine.begin() as conn:
        conn.execute(
            insert(table),
            [
                {
                    "source": s,
                    "key": k,
                    "year": 1990,
                    "code": "",
                    "name": n,
                    "cow": c,
                    "iso3": i,
                    "values": {"x": 1},
                }
                for s, k, n, c, i in BEFORE
            ],
        )
    upgrade(store_url)
    with engine.connect() as conn:
        got = {
            (r.source, r.key): (r.cow, r.iso3)
            for r in conn.execute(select(table.c.source, table.c.key, table.c.cow, table.c.iso3))
        }
        assert got == AFTER
        heads = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    assert "0024_int_events_aggregated" in heads  # the branch head, past 0023
