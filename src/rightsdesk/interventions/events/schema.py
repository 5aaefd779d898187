"""The GDELT 2.0 event export format (61 tab-separated columns, no header) and the CAMEO roots
the desk follows.

Why an explicit schema: DuckDB's sniffer would guess types from a sample and could read an
event code such as ``043`` as the number 43; GDELT's codebook asks for codes as text. Naming
every column with its type also lets DuckDB parse in parallel without a sniffing pass, and a
row whose date does not parse is rejected with its line instead of turning the column into
text.
"""

from __future__ import annotations

from typing import Final

#: (name, DuckDB type) of the 61 columns, in file order (GDELT 2.0 Event Codebook, Sep 2016).
COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("GLOBALEVENTID", "BIGINT"),
    ("SQLDATE", "DATE"),
    ("MonthYear", "INTEGER"),
    ("Year", "INTEGER"),
    ("FractionDate", "DOUBLE"),
    *(
        (f"Actor{n}{part}", "VARCHAR")
        for n in (1,)
        for part in (
            "Code",
            "Name",
            "CountryCode",
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type1Code",
            "Type2Code",
            "Type3Code",
        )
    ),
    *(
        (f"Actor{n}{part}", "VARCHAR")
        for n in (2,)
        for part in (
            "Code",
            "Name",
            "CountryCode",
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type1Code",
            "Type2Code",
            "Type3Code",
        )
    ),
    ("IsRootEvent", "TINYINT"),
    ("EventCode", "VARCHAR"),
    ("EventBaseCode", "VARCHAR"),
    ("EventRootCode", "VARCHAR"),
    ("QuadClass", "TINYINT"),
    ("GoldsteinScale", "DOUBLE"),
    ("NumMentions", "INTEGER"),
    ("NumSources", "INTEGER"),
    ("NumArticles", "INTEGER"),
    ("AvgTone", "DOUBLE"),
    *(
        (f"{geo}Geo_{part}", kind)
        for geo in ("Actor1", "Actor2", "Action")
        for part, kind in (
            ("Type", "TINYINT"),
            ("FullName", "VARCHAR"),
            ("CountryCode", "VARCHAR"),
            ("ADM1Code", "VARCHAR"),
            ("ADM2Code", "VARCHAR"),
            ("Lat", "DOUBLE"),
            ("Long", "DOUBLE"),
            ("FeatureID", "VARCHAR"),
        )
    ),
    ("DATEADDED", "BIGINT"),
    ("SOURCEURL", "VARCHAR"),
)
NAMES: Final[tuple[str, ...]] = tuple(name for name, _ in COLUMNS)
if len(COLUMNS) != 61:  # pragma: no cover - a wrong edit here breaks every ingest at once
    raise RuntimeError("the GDELT 2.0 event format has 61 columns")

#: The columns the monthly aggregation reads: the narrow Parquet holds only these (plus the
#: id), so the aggregation scans a fraction of the bytes of the full export.
NARROW: Final[tuple[str, ...]] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "Actor1Code",
    "Actor2Code",
    "Actor1CountryCode",
    "Actor2CountryCode",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "GoldsteinScale",
    "NumSources",
    "Actor1Geo_CountryCode",
    "Actor2Geo_CountryCode",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_FeatureID",
    "DATEADDED",
)

#: The CAMEO roots that matter to diplomacy, with plain labels (CAMEO manual 1.1b3). ``163``
#: is a base code, not a root: "impose embargo, boycott or sanctions", counted inside ``16``
#: and shown on its own too. (The ``cameoCodeTable.tsv`` shipped beside the data labels 163
#: "halt negotiations"; the events themselves follow the manual: every 163 event of the
#: 2015-02-18 export carries the sanctions Goldstein score, -8.0, not -6.5.)
ROOTS: Final[dict[str, str]] = {
    "02": "appeal",
    "10": "demand",
    "11": "disapprove",
    "13": "threaten",
    "16": "reduce relations",
    "163": "sanctions",
    "17": "coerce",
    "18": "assault",
    "19": "fight",
    "20": "mass violence",
}

#: Whose country a state-month is counted for: where the event took place (the default), or
#: the country of the acting (``actor1``) or the receiving (``actor2``) side.
PERSPECTIVES: Final[dict[str, str]] = {
    "action": "ActionGeo_CountryCode",
    "actor1": "Actor1CountryCode",
    "actor2": "Actor2CountryCode",
}
