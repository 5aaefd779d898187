"""Monthly pressure per state: the deduplicated root events of each CAMEO root the desk
follows, their share of all events and their average Goldstein score, with DuckDB over the
narrow Parquet files.

The rule, the same on DuckDB and on Spark (``spark_aggregate.py`` runs this very SQL):

1. Only root events (``IsRootEvent = 1``: coded from a document's lead paragraph).
2. One event per deduplication key ``(SQLDATE, Actor1Code, Actor2Code, EventCode,
   ActionGeo_CountryCode, ActionGeo_ADM1Code, ActionGeo_FeatureID)``: the same day, the
   same two actors (full CAMEO actor codes), the same action, the same place. GDELT codes a
   story once per source that reports it, under new GLOBALEVENTIDs; this collapses them, and
   also one event ingested twice. Blank fields count as equal.
3. Placed in a state three ways: ``action`` (where it happened: FIPS 10-4 ``ActionGeo``
   country code to ISO3), ``actor1``/``actor2`` (CAMEO country of either side to ISO3).
   Events that no state can be given are left out.
4. Per (perspective, state, month of SQLDATE): ``total`` = all such events; per root
   (``EventRootCode``, and base code ``163`` sanctions on its own): ``events``, ``share`` =
   events / total, ``goldstein`` = mean Goldstein score. Scores are summed as whole tenths
   (GDELT gives one decimal), so both engines add integers and agree to the last digit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rightsdesk.core.errors import InputError
from rightsdesk.interventions.events.geography import cameo_to_iso3_map, fips_to_iso3_map
from rightsdesk.interventions.events.schema import ROOTS

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

#: Columns of the aggregation's output, in order; ``root`` "all" rows carry the total.
OUTPUT = ("perspective", "iso3", "month", "root", "events", "tenths")
DEDUP_KEY = (
    "SQLDATE",
    "Actor1Code",
    "Actor2Code",
    "EventCode",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_FeatureID",
)
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_CODE = re.compile(r"^[A-Z0-9]{2,3}$")


def code_rows() -> list[tuple[str, str, str]]:
    """The code table the query joins: (system, code, iso3) for FIPS places and CAMEO actors
    (letters and digits only, checked: the table is written into SQL as literals)."""
    rows = [("fips", code, iso3) for code, iso3 in fips_to_iso3_map().items() if iso3]
    rows += [("cameo", code, iso3) for code, iso3 in cameo_to_iso3_map().items()]
    if not all(_CODE.match(c) and _CODE.match(i) for _s, c, i in rows):  # pragma: no cover
        raise ValueError("a country code that is not letters and digits")
    return rows


def aggregate_parts(
    source: str, month_expr: str, months: Sequence[str] | None = None
) -> tuple[str, str, str]:
    """The aggregation as three SQL statements, each reading the one before by name:
    ``ev`` (deduplicated root events of ``source``), ``placed`` (each event with its state
    from each perspective, joining the relation ``codes`` of ``code_rows``) and the final
    counts. ``month_expr`` formats SQLDATE as YYYY-MM in the engine's dialect; only standard
    SQL that DuckDB and Spark SQL both read. Both engines materialise the first two (DuckDB
    as temporary tables, Spark as cached views) rather than run one query with CTEs."""
    where = ""
    if months:
        bad = [m for m in months if not _MONTH.match(m)]
        if bad:
            raise InputError(f"not a month (YYYY-MM): {bad[0]!r}", field="month")
        where = " AND " + month_expr + " IN (" + ", ".join(f"'{m}'" for m in months) + ")"
    key = ", ".join(DEDUP_KEY)
    roots = ", ".join(f"'{r}'" for r in ROOTS if len(r) == 2)
    ev = f"""
  SELECT {month_expr} AS month, ActionGeo_CountryCode AS place,
         min(Actor1CountryCode) AS a1, min(Actor2CountryCode) AS a2,
         min(EventRootCode) AS root, min(EventBaseCode) AS base,
         min(CAST(round(GoldsteinScale * 10) AS BIGINT)) AS tenths
  FROM {source}
  WHERE IsRootEvent = 1 AND SQLDATE IS NOT NULL{where}
  GROUP BY {key}"""  # noqa: S608 - names and validated months only, no user text
    placed = """
  SELECT 'action' AS perspective, c.iso3, e.month, e.root, e.base, e.tenths
  FROM ev e JOIN codes c ON c.system = 'fips' AND c.code = e.place
  UNION ALL
  SELECT 'actor1' AS perspective, c.iso3, e.month, e.root, e.base, e.tenths
  FROM ev e JOIN codes c ON c.system = 'cameo' AND c.code = e.a1
  UNION ALL
  SELECT 'actor2' AS perspective, c.iso3, e.month, e.root, e.base, e.tenths
  FROM ev e JOIN codes c ON c.system = 'cameo' AND c.code = e.a2"""
    final = f"""
SELECT perspective, iso3, month, root, count(*) AS events, sum(tenths) AS tenths
FROM placed WHERE root IN ({roots}) GROUP BY perspective, iso3, month, root
UNION ALL
SELECT perspective, iso3, month, '163' AS root, count(*) AS events, sum(tenths) AS tenths
FROM placed WHERE base = '163' GROUP BY perspective, iso3, month
UNION ALL
SELECT perspective, iso3, month, 'all' AS root, count(*) AS events, sum(tenths) AS tenths
FROM placed GROUP BY perspective, iso3, month"""  # noqa: S608 - constants only
    return ev, placed, final


def aggregate_sql(source: str, month_expr: str, months: Sequence[str] | None = None) -> str:
    """``aggregate_parts`` as one query with CTEs (for reading; the engines run the parts)."""
    ev, placed, final = aggregate_parts(source, month_expr, months)
    return f"WITH ev AS ({ev}\n),\nplaced AS ({placed}\n)\n{final}"


def sorted_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The raw output in one order with plain integer columns (comparable across engines)."""
    out = frame[list(OUTPUT)].astype(
        {"events": "int64", "tenths": "int64", "perspective": str, "iso3": str, "month": str}
    )
    return out.sort_values(list(OUTPUT[:4])).reset_index(drop=True)


def aggregate_duckdb(
    parquet: Iterable[Path],
    months: Sequence[str] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pd.DataFrame:
    """The raw aggregation (``OUTPUT`` columns) of the narrow Parquet files ``parquet``."""
    import duckdb
    import pandas as pd

    files = [str(p) for p in parquet]
    if not files:
        return pd.DataFrame(columns=list(OUTPUT))
    con = con or duckdb.connect()
    # a VALUES list, not a registered pandas frame: DuckDB threads scanning a Python object
    # need the GIL, and a benchmark run of 10 million rows hung on it once
    values = ", ".join(f"('{s}', '{c}', '{i}')" for s, c, i in code_rows())
    con.execute(
        "CREATE OR REPLACE TEMP TABLE codes AS SELECT * FROM (VALUES "  # noqa: S608
        + values
        + ") AS t(system, code, iso3)"
    )
    source = "read_parquet(" + repr(files) + ")"
    ev, placed, final = aggregate_parts(source, "strftime(SQLDATE, '%Y-%m')", months)
    # step by step into temporary tables: the same three statements as one query with CTEs
    # hung DuckDB 1.5.6 (no CPU, threads waiting) on 10 million rows; staged they take
    # seconds, as on Spark
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE ev AS {ev}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE placed AS {placed}")
        frame = con.execute(final).df()
    finally:
        con.execute("DROP TABLE IF EXISTS placed")
        con.execute("DROP TABLE IF EXISTS ev")
    return sorted_frame(frame)


def figures(frame: pd.DataFrame) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(monthly rows, volume rows) for the store: shares and mean Goldstein from the raw
    counts, rounded the same way for every engine."""
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in frame.to_dict(orient="records")
    ]
    totals = {
        (r["perspective"], r["iso3"], r["month"]): int(r["events"])
        for r in records
        if r["root"] == "all"
    }
    volume = [
        {"perspective": p, "iso3": i, "month": m, "total": t} for (p, i, m), t in totals.items()
    ]
    monthly = [
        {
            "perspective": r["perspective"],
            "iso3": r["iso3"],
            "month": r["month"],
            "root": r["root"],
            "events": int(r["events"]),
            "share": round(int(r["events"]) / totals[(r["perspective"], r["iso3"], r["month"])], 6),
            "goldstein": round(int(r["tenths"]) / int(r["events"]) / 10, 4),
        }
        for r in records
        if r["root"] != "all"
    ]
    return monthly, volume
