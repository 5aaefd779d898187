"""The country-year panel the risk model learns from, built from the imported risk sources
(or straight from the files, for development and the benchmark).

One row per (COW code, year) of the Early Warning Project's prepared predictors (1960 on),
with EWP's onset of the year (``mk_onset``, from the base data), the target (an onset in
``year + 1`` or ``year + 2``; NaN while those years are not yet observed), every EWP predictor
except the outcome-derived ones (``OUTCOME_COLUMNS``), and extra features from PTS, CIRIGHTS
and UCDP, each LAGGED by its publication delay: the value in row ``year`` is what had been
published by the end of ``year``. All three publish a year's figures during the following year
(UCDP in June, PTS and CIRIGHTS with the human rights reports of the spring), so row ``year``
carries their values of ``year - 1`` (``FEATURE_SOURCES`` says it per column). Within a
source's years a country-year without a UCDP record is 0 (no conflict recorded); outside them
(UCDP ACD ends 2019 in the file at hand) it is NaN, never a guessed 0.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.core.provenance import Dataset, finished
from rightsdesk.core.resolver import reference_states
from rightsdesk.interventions.risk.models import RiskRecord
from rightsdesk.interventions.risk.sources.codes import gw_codes, gw_to_cow
from rightsdesk.interventions.risk.sources.formats import KINDS, SPEC_BY_KIND, Record, spec_for
from rightsdesk.interventions.risk.sources.formats import parse_records as _parse

__all__ = [
    "FEATURE_SOURCES",
    "FORECAST_COLUMNS",
    "OUTCOME_COLUMNS",
    "build_frames",
    "data_version",
    "load_ewp_forecasts",
    "load_panel",
    "panel_from_files",
    "state_names",
]

#: Predictor-file columns derived from later outcomes: dropped (the target comes from the
#: base data), since a model fed them would see the future.
OUTCOME_COLUMNS: tuple[str, ...] = ("mk_onset_1or2", "mk_onset_1", "mk_onset_2")

#: Extra feature column -> (source kind, lag in years). Lag 1: row ``year`` holds the
#: source's value of ``year - 1``, the latest published by the end of ``year``.
FEATURE_SOURCES: dict[str, tuple[str, int]] = {
    "pts_a": ("pts", 1),  # Amnesty International reports, 1 (best) to 5
    "pts_h": ("pts", 1),  # Human Rights Watch reports
    "pts_s": ("pts", 1),  # US State Department reports
    "pts_max": ("pts", 1),  # the worst of the three scores available
    "ciri_physint": ("cirights", 1),  # physical integrity index 0 (worst) to 8
    "ciri_kill": ("cirights", 1),  # extrajudicial killing 0 (frequent) to 2 (none)
    "ciri_disap": ("cirights", 1),
    "ciri_tort": ("cirights", 1),
    "ciri_polpris": ("cirights", 1),
    "ciri_bbatrocity": ("cirights", 1),
    "ciri_speech": ("cirights", 1),
    "ciri_assn": ("cirights", 1),
    "ciri_elecsd": ("cirights", 1),
    "ciri_injud": ("cirights", 1),
    "ucdp_bd_best": ("ucdp-battledeaths", 1),  # battle deaths in the state (best estimate)
    "ucdp_bd_log2": ("ucdp-battledeaths", 1),  # log2(1 + battle deaths)
    "ucdp_conflicts": ("ucdp-acd", 1),  # armed conflicts located in the state
    "ucdp_war": ("ucdp-acd", 1),  # 1 when one of them reached 1,000 battle deaths
    "ucdp_osv_deaths": ("ucdp-onesided", 1),  # one-sided violence deaths, all actors
    "ucdp_osv_gov_deaths": ("ucdp-onesided", 1),  # ... by the government
    "ucdp_osv_log2": ("ucdp-onesided", 1),  # log2(1 + one-sided deaths)
}

#: Columns of ``load_ewp_forecasts``.
FORECAST_COLUMNS: tuple[str, ...] = (
    "year",
    "ccode",
    "iso3",
    "country",
    "mk_onset",
    "risk_prev",
    "rank_prev",
    "risk_two_years_prior",
    "rank_two_years_prior",
    "maxrisk2",
    "minrank2",
)

#: CIRIGHTS column of each ``ciri_*`` feature.
_CIRI = {
    "ciri_physint": "physint_sum",
    "ciri_kill": "kill",
    "ciri_disap": "disap",
    "ciri_tort": "tort",
    "ciri_polpris": "polpris",
    "ciri_bbatrocity": "bbatrocity",
    "ciri_speech": "speech",
    "ciri_assn": "assn",
    "ciri_elecsd": "elecsd",
    "ciri_injud": "injud",
}

Records = dict[str, list[Record]]
_cache: dict[tuple[str, str], tuple[pd.DataFrame, pd.DataFrame]] = {}


# --- reading ---------------------------------------------------------------------------------


def _stored_records(session: Session) -> Records:
    """The stored rows of every risk source, as the parser gives them."""
    out: Records = defaultdict(list)
    stmt = select(
        RiskRecord.source,
        RiskRecord.key,
        RiskRecord.year,
        RiskRecord.code,
        RiskRecord.name,
        RiskRecord.cow,
        RiskRecord.iso3,
        RiskRecord.values,
    ).where(RiskRecord.source.in_(KINDS))
    for source, key, year, code, name, cow, iso3, values in session.execute(stmt):
        out[source].append(Record(0, key, year, code, name, cow, iso3, values))
    return out


def data_version(session: Session) -> str:
    """A short hash that changes whenever a risk source is imported anew (a finished Dataset
    of a risk kind) or its rows change count: the cache key of fitted models and backtests."""
    ids = session.execute(
        select(Dataset.kind, func.max(Dataset.id), func.count())
        .where(Dataset.kind.in_(KINDS), finished())
        .group_by(Dataset.kind)
    ).all()
    rows = session.execute(
        select(RiskRecord.source, func.count(), func.max(RiskRecord.dataset_id)).group_by(
            RiskRecord.source
        )
    ).all()
    text = repr(sorted(tuple(r) for r in ids)) + repr(sorted(tuple(r) for r in rows))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_panel(session: Session) -> pd.DataFrame:
    """The panel from the store (see the module docstring); empty frame when the EWP base data
    or predictors are not imported. Cached per ``data_version``: callers get a copy."""
    return _frames(session)[0].copy()


def load_ewp_forecasts(session: Session) -> pd.DataFrame:
    """EWP's own out-of-sample forecasts (``FORECAST_COLUMNS``), from the store."""
    return _frames(session)[1].copy()


def _frames(session: Session) -> tuple[pd.DataFrame, pd.DataFrame]:
    key = (str(session.get_bind().engine.url), data_version(session))
    if key not in _cache:
        _cache.clear()
        _cache[key] = build_frames(_stored_records(session))
    return _cache[key]


def panel_from_files(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(panel, EWP forecasts) parsed straight from the files under ``data_dir`` (the shared
    data folder, its ``interventions`` folder, or any folder holding the eight files), with
    the importers' parser: the same frames ``load_panel`` and ``load_ewp_forecasts`` give."""
    root = data_dir / "interventions" if (data_dir / "interventions").is_dir() else data_dir
    records: Records = {}
    for path in sorted(root.rglob("*.csv")):
        spec = spec_for(path)
        if spec is not None and spec.kind not in records:
            records[spec.kind] = _parse(spec, path)
    for kind in ("ewp-basedata", "ewp-predictors"):
        if kind not in records:
            raise InputError(f"no {SPEC_BY_KIND[kind].label} file found", file=root)
    return build_frames(records)


# --- building ---------------------------------------------------------------------------------


def _frame(records: Iterable[Record]) -> pd.DataFrame:
    rows = [{**r.values, "_cow": r.cow, "_iso3": r.iso3, "_year": r.year} for r in records]
    return pd.DataFrame(rows)


def build_frames(records: Records) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(panel, EWP forecasts) from parsed or stored records of each source kind."""
    base = _frame(records.get("ewp-basedata", []))
    pred = _frame(records.get("ewp-predictors", []))
    if base.empty or pred.empty:
        return pd.DataFrame(), _forecasts(records)
    onsets = base[["ccode", "year", "mk_onset"]].astype({"ccode": int, "year": int})
    panel = pred.drop(columns=[c for c in (*OUTCOME_COLUMNS, "mk_onset") if c in pred])
    panel = panel.merge(onsets, on=["ccode", "year"], how="left")
    panel["mk_onset"] = panel["mk_onset"].fillna(0).astype(int)
    panel["target"] = _target(onsets, panel)
    panel["iso3"] = panel["_iso3"]
    panel["country"] = state_names(panel["iso3"], panel["ewp_name"], panel["year"])
    panel = panel.drop(columns=["_cow", "_iso3", "_year"])
    panel["ccode"] = panel["ccode"].astype(int)
    panel["year"] = panel["year"].astype(int)
    to_ccode = _ccode_lookup(panel)
    for extra in (_pts(records, to_ccode), _ciri(records, to_ccode), _ucdp(records)):
        if extra.empty:
            continue
        extra = extra.assign(year=extra["year"] + 1)  # every lag is 1 (FEATURE_SOURCES)
        panel = panel.merge(extra, on=["ccode", "year"], how="left")
    for column in FEATURE_SOURCES:
        if column not in panel:
            panel[column] = math.nan
    first = ["ccode", "iso3", "country", "year", "mk_onset", "target"]
    rest = [c for c in panel.columns if c not in first]
    panel = panel[first + rest].sort_values(["ccode", "year"]).reset_index(drop=True)
    return panel, _forecasts(records)


#: Names of a state's earlier years, where COW and EWP keep one code across a change of state:
#: (ISO3, last year) -> name, the earliest period first.
_EARLIER_NAMES: dict[str, tuple[tuple[int, str], ...]] = {
    "RUS": ((1991, "Soviet Union"),),
    "SRB": ((1991, "Yugoslavia"), (2005, "Serbia and Montenegro")),
    "DEU": ((1990, "Federal Republic of Germany"),),
    "VNM": ((1975, "Democratic Republic of Vietnam"),),
}


def state_names(iso3: pd.Series, ewp_names: pd.Series, years: pd.Series) -> pd.Series:
    """The name rightsdesk gives each state everywhere (the UN's short name: "Viet Nam",
    "Kyrgyzstan", "Myanmar"), not EWP's ("Democratic Republic of Vietnam" for today's Viet
    Nam, "Kyrgystan", "Burma/Myanmar"), and as of the row's year where one code spans a change
    of state (COW 365 is the Soviet Union to 1991); EWP's own name where the unit is no
    current state (Czechoslovakia, the Republic of Vietnam). The panel keeps EWP's in
    ``ewp_name``."""
    refs = reference_states()

    def name(code: object, ewp: object, year: int) -> str:
        if not isinstance(code, str) or code not in refs or refs[code].status == "historical":
            return str(ewp)
        for last, earlier in _EARLIER_NAMES.get(code, ()):
            if year <= last:
                return earlier
        return refs[code].name

    names = [name(*row) for row in zip(iso3, ewp_names, years.astype(int), strict=True)]
    return pd.Series(names, index=ewp_names.index, dtype=object)


def _target(onsets: pd.DataFrame, panel: pd.DataFrame) -> pd.Series:
    """Onset in year+1 or year+2: 1 if the base data records one; 0 if both years are within
    the base data's years and none is recorded (a state that ended counts as 0); NaN else."""
    last = int(onsets["year"].max())
    onset = {(int(c), int(y)): int(o or 0) for c, y, o in onsets.itertuples(index=False)}
    values: list[float] = []
    for ccode, year in zip(panel["ccode"].astype(int), panel["year"].astype(int), strict=True):
        if onset.get((ccode, year + 1)) == 1 or onset.get((ccode, year + 2)) == 1:
            values.append(1.0)
        elif year + 2 <= last:
            values.append(0.0)
        else:
            values.append(math.nan)
    return pd.Series(values, index=panel.index, dtype=float)


def _ccode_lookup(panel: pd.DataFrame) -> dict[str, int]:
    """ISO3 -> the panel's COW code (its latest), for source rows without a usable COW code."""
    latest = panel.sort_values("year").dropna(subset=["iso3"])
    return {str(i): int(c) for i, c in zip(latest["iso3"], latest["ccode"], strict=True)}


def _country_frame(
    records: Sequence[Record], to_ccode: dict[str, int], columns: dict[str, str], worst: str
) -> pd.DataFrame:
    """Country-year values of a COW-keyed source (PTS, CIRIGHTS), keyed by panel ccode; rows
    the source splits where the panel has one state (PTS "Serbia" without a COW code beside
    "Serbia and Montenegro") are joined by their worst value (``worst``: "max" or "min")."""
    known = set(to_ccode.values())
    rows = []
    for r in records:
        ccode = r.cow if r.cow in known else to_ccode.get(r.iso3 or "")
        if ccode is None:
            continue
        rows.append(
            {"ccode": ccode, "year": r.year, **{c: r.values.get(s) for c, s in columns.items()}}
        )
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows)
    for column in columns:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame.groupby(["ccode", "year"], as_index=False).agg(worst)


def _pts(records: Records, to_ccode: dict[str, int]) -> pd.DataFrame:
    columns = {"pts_a": "PTS_A", "pts_h": "PTS_H", "pts_s": "PTS_S"}
    frame = _country_frame(records.get("pts", []), to_ccode, columns, "max")  # 5 is worst
    if not frame.empty:
        frame["pts_max"] = frame[["pts_a", "pts_h", "pts_s"]].max(axis=1)
    return frame


def _ciri(records: Records, to_ccode: dict[str, int]) -> pd.DataFrame:
    return _country_frame(records.get("cirights", []), to_ccode, _CIRI, "min")  # 0 is worst


def _located(records: Sequence[Record], column: str) -> Iterable[tuple[int, Record]]:
    """(COW code, record) for every state a UCDP record is located in."""
    for r in records:
        for gw in gw_codes(str(r.values.get(column) or r.code)):
            yield gw_to_cow(gw, r.year), r


def _ucdp(records: Records) -> pd.DataFrame:
    """Country-year UCDP features: sums over the records located in each state (a record
    located in several states counts fully in each), 0 within a source's years where none is,
    NaN outside them."""
    parts: list[pd.DataFrame] = []
    specs = (
        ("ucdp-battledeaths", "gwno_battle", _battle),
        ("ucdp-acd", "gwno_loc", _conflict),
        ("ucdp-onesided", "gwno_location", _onesided),
    )
    for kind, column, values in specs:
        rows = records.get(kind, [])
        if not rows:
            continue
        sums: dict[tuple[int, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for cow, r in _located(rows, column):
            for name, value in values(r).items():
                cell = sums[(cow, r.year)]
                cell[name] = max(cell[name], value) if name == "ucdp_war" else cell[name] + value
        years = range(min(r.year for r in rows), max(r.year for r in rows) + 1)
        cows = {cow for cow, _ in sums} | _all_cows(records)
        names = list(values(rows[0]))
        grid = [
            {"ccode": c, "year": y, **{n: sums.get((c, y), {}).get(n, 0.0) for n in names}}
            for c in cows
            for y in years
        ]
        parts.append(pd.DataFrame(grid).set_index(["ccode", "year"]))
    if not parts:
        return pd.DataFrame()
    frame = pd.concat(parts, axis=1).reset_index()
    if "ucdp_bd_best" in frame:
        frame["ucdp_bd_log2"] = (frame["ucdp_bd_best"] + 1).map(math.log2)
    if "ucdp_osv_deaths" in frame:
        frame["ucdp_osv_log2"] = (frame["ucdp_osv_deaths"] + 1).map(math.log2)
    return frame


def _all_cows(records: Records) -> set[int]:
    return {int(r.values["ccode"]) for r in records.get("ewp-predictors", [])}


def _num(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _battle(r: Record) -> dict[str, float]:
    return {"ucdp_bd_best": _num(r.values.get("bd_best"))}


def _conflict(r: Record) -> dict[str, float]:
    return {"ucdp_conflicts": 1.0, "ucdp_war": float(r.values.get("intensity_level") == 2)}


def _onesided(r: Record) -> dict[str, float]:
    deaths = _num(r.values.get("best_fatality_estimate"))
    government = r.values.get("is_government_actor") == 1
    return {"ucdp_osv_deaths": deaths, "ucdp_osv_gov_deaths": deaths if government else 0.0}


def _forecasts(records: Records) -> pd.DataFrame:
    rows = records.get("ewp-forecasts", [])
    if not rows:
        return pd.DataFrame(columns=list(FORECAST_COLUMNS))
    frame = _frame(rows)
    frame["iso3"] = frame["_iso3"]
    frame["country"] = state_names(frame["iso3"], frame.pop("ewp_name"), frame["year"])
    frame["ccode"] = frame["ccode"].astype(int)
    frame["year"] = frame["year"].astype(int)
    for column in FORECAST_COLUMNS:
        if column not in frame:
            frame[column] = math.nan
    out = frame[list(FORECAST_COLUMNS)].sort_values(["year", "ccode"]).reset_index(drop=True)
    return out.astype({"risk_prev": float, "risk_two_years_prior": float, "maxrisk2": float})
