"""The eight risk source formats and the one parser they share.

Each file is a table with one row per unit and year: a country (EWP, PTS, CIRIGHTS), a
conflict (UCDP armed conflicts), a dyad (UCDP battle deaths) or an actor's dyad (UCDP one-sided
violence). A ``Spec`` names the columns that identify the row (key, year, the state code and
name as the source writes them) and which columns are numbers; every other column is kept as
text. ``parse_records`` turns a file into ``Record`` objects, checking every number, so the
importers (``importers.py``) and the file-based panel (``panel.panel_from_files``) read the
files the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rightsdesk.core.errors import EncodingError, InputError
from rightsdesk.core.importing import iter_csv, read_text, sniff_header
from rightsdesk.interventions.risk.sources.codes import (
    code_iso3,
    cow_iso3,
    gw_codes,
    gw_to_cow,
    name_codes,
)

#: Cells that mean "no value" in these files (R writes NA).
MISSING = frozenset({"", "NA", "NaN", "nan", "N/A"})


@dataclass(frozen=True)
class Spec:
    """One source format."""

    kind: str
    label: str
    source: str
    source_url: str
    licence: str | None
    sniff: tuple[str, ...]  # header columns that together identify the format
    key: str  # column telling rows of one year apart (a code or an id)
    year: str
    code: str  # the state code column as the source writes it
    name: str  # the state (or location) name column
    system: Literal["cow", "gw"]
    #: numeric columns; None: every column except ``text`` and ``drop``
    numeric: frozenset[str] | None = None
    text: frozenset[str] = frozenset()
    drop: frozenset[str] = frozenset()  # e.g. R's unnamed row-number column
    fallback_iso3: str | None = None  # a column with an ISO-like code, for rows without COW
    encodings: tuple[str, ...] = ("utf-8",)


@dataclass
class Record:
    """One parsed row: its identity and its values (numbers as int/float, None when missing)."""

    line: int
    key: str
    year: int
    code: str
    name: str
    cow: int | None
    iso3: str | None
    values: dict[str, Any] = field(default_factory=dict)


def number(text: str) -> int | float | None:
    """A cell as a number (None when missing); ValueError when it is not one."""
    text = text.strip()
    if text in MISSING:
        return None
    try:
        return int(text)
    except ValueError:
        value = float(text)
    if math.isnan(value):
        return None
    if math.isinf(value):
        raise ValueError(text)
    return value


def _text(spec: Spec, path: Path) -> str:
    """The file's text in the first of the spec's encodings that decodes it (PTS is
    Windows-1252: "Türkiye")."""
    error: EncodingError | None = None
    for encoding in spec.encodings:
        try:
            return read_text(path, encoding)
        except EncodingError as exc:
            error = exc
    assert error is not None
    raise error


def _identity(spec: Spec, values: dict[str, Any], year: int) -> tuple[int | None, str | None]:
    """(COW code, ISO3) of a row from its state code; for UCDP the first location state."""
    raw = str(values.get(spec.code) if values.get(spec.code) is not None else "")
    if spec.system == "gw":
        codes = gw_codes(raw)
        if not codes:
            return None, None
        cow = gw_to_cow(codes[0], year)
        return cow, cow_iso3(cow)
    code = values.get(spec.code)
    if isinstance(code, int):
        return code, cow_iso3(code)
    iso3 = code_iso3(str(values.get(spec.fallback_iso3) or "")) if spec.fallback_iso3 else None
    if iso3 is None and (named := name_codes(str(values.get(spec.name) or ""))) is not None:
        return named
    return None, iso3


def _plan(spec: Spec, header: dict[str, str]) -> list[tuple[str, str, bool]]:
    """How to read each column of the file: its cleaned name and whether it is a number."""
    plan = []
    for raw in header:
        column = raw.strip().lstrip("\ufeff")
        if column in spec.drop or column == "":
            continue
        numeric = column not in spec.text if spec.numeric is None else column in spec.numeric
        plan.append((raw, column, numeric))
    return plan


def parse_records(spec: Spec, path: Path, advance: Any = None) -> list[Record]:
    """Every row of ``path`` as a Record; the first bad cell, a duplicate row or an empty file
    is an InputError naming the file, line and field."""
    content = _text(spec, path)
    required = (spec.key, spec.year, spec.code, spec.name)
    out: list[Record] = []
    seen: dict[tuple[str, int], int] = {}
    plan: list[tuple[str, str, bool]] | None = None  # (header cell, column, numeric)
    memo: dict[str, int | float | None] = {}  # cells repeat ("0", "1", "NA"): parse each once
    for row in iter_csv(path, required, text=content, progress=advance):
        if plan is None:
            plan = _plan(spec, row.values)
        cells = row.values
        values: dict[str, Any] = {}
        for raw, column, numeric in plan:
            cell = cells.get(raw) or ""
            if not numeric:
                values[column] = cell.strip() or None
                continue
            if cell in memo:
                values[column] = memo[cell]
                continue
            try:
                values[column] = memo[cell] = number(cell)
            except ValueError:
                raise InputError(
                    f"expected a number, got {cell.strip()[:40]!r}",
                    file=path,
                    line=row.line,
                    field=column,
                ) from None
        year = values.get(spec.year)
        if not isinstance(year, int) or not 1800 <= year <= 2100:
            raise InputError(
                f"expected a year (1800-2100), got {row.get(spec.year)[:20]!r}",
                file=path,
                line=row.line,
                field=spec.year,
            )
        name = str(values.get(spec.name) or "").strip()
        if not name:
            raise InputError("missing name", file=path, line=row.line, field=spec.name)
        code_value = values.get(spec.code)
        code = "" if code_value is None else str(code_value)
        key_value = values.get(spec.key)
        key = str(key_value) if key_value is not None else f"name:{name}"
        if key_value is None and spec.key != spec.code:
            raise InputError("missing identifier", file=path, line=row.line, field=spec.key)
        earlier = seen.get((key, year))
        if earlier is not None:
            raise InputError(
                f"a second row for {key} in {year} (the first is on line {earlier})",
                file=path,
                line=row.line,
                field=spec.key,
            )
        seen[(key, year)] = row.line
        cow, iso3 = _identity(spec, values, year)
        out.append(Record(row.line, key[:60], year, code[:40], name[:200], cow, iso3, values))
    if not out:
        raise InputError("the file has no data rows", file=path, line=2)
    return out


def _cols(*names: str) -> frozenset[str]:
    return frozenset(names)


UCDP_LICENCE = "CC BY 4.0"
EWP_URL = "https://github.com/EarlyWarningProject/2024-Statistical-Risk-Assessment"

SPECS: tuple[Spec, ...] = (
    Spec(
        kind="ewp-basedata",
        label="Early Warning Project base data: mass-killing onsets per country and year",
        source="Early Warning Project (USHMM), base data of the statistical risk assessment",
        source_url=EWP_URL,
        licence=None,
        sniff=("ewp_name", "ccode", "mk_onset_count", "datastartyear"),
        key="ccode",
        year="year",
        code="ccode",
        name="country",
        system="cow",
        text=_cols("country", "ewp_name", "mk_ongoing_code", "mk_ethnicflag"),
        drop=_cols(""),
    ),
    Spec(
        kind="ewp-predictors",
        label="Early Warning Project prepared predictors, per country and year",
        source="Early Warning Project (USHMM), prepared predictors of the risk model",
        source_url=EWP_URL,
        licence=None,
        sniff=("ewp_name", "ccode", "mk_onset_1or2", "battledeaths.log2"),
        key="ccode",
        year="year",
        code="ccode",
        name="ewp_name",
        system="cow",
        text=_cols("ewp_name"),
    ),
    Spec(
        kind="ewp-forecasts",
        label="Early Warning Project out-of-sample forecasts (1994 onwards)",
        source="Early Warning Project (USHMM), out-of-sample forecasts",
        source_url=EWP_URL,
        licence=None,
        sniff=("ewp_name", "ccode", "risk_prev", "maxrisk2"),
        key="ccode",
        year="year",
        code="ccode",
        name="ewp_name",
        system="cow",
        text=_cols("ewp_name"),
        drop=_cols(""),
    ),
    Spec(
        kind="pts",
        label="Political Terror Scale (Amnesty, Human Rights Watch, State Department scores)",
        source="Political Terror Scale",
        source_url="https://www.politicalterrorscale.org/Data/Download.html",
        licence=None,
        sniff=("PTS_A", "PTS_H", "PTS_S", "COW_Code_N"),
        key="Country",  # units without a COW code, and two Yugoslavias sharing 345
        year="Year",
        code="COW_Code_N",
        name="Country",
        system="cow",
        text=_cols("Country", "Country_OLD", "COW_Code_A", "WordBank_Code_A", "Region"),
        fallback_iso3="WordBank_Code_A",
        encodings=("utf-8", "cp1252"),
    ),
    Spec(
        kind="cirights",
        label="CIRIGHTS human rights scores (physical integrity, empowerment, workers' rights)",
        source="CIRIGHTS Data Project",
        source_url="https://cirights.com/",
        licence=None,
        sniff=("iso_a3", "cow", "physint_sum", "human_rights_score"),
        key="cow",
        year="year",
        code="cow",
        name="country",
        system="cow",
        text=_cols("country", "iso_a3"),
        fallback_iso3="iso_a3",
    ),
    Spec(
        kind="ucdp-battledeaths",
        label="UCDP Battle-Related Deaths, per conflict dyad and year",
        source="Uppsala Conflict Data Program, Battle-Related Deaths Dataset",
        source_url="https://ucdp.uu.se/downloads/",
        licence=UCDP_LICENCE,
        sniff=("dyad_id", "bd_best", "gwno_battle", "gwno_loc"),
        key="dyad_id",
        year="year",
        code="gwno_loc",
        name="location_inc",
        system="gw",
        numeric=_cols(
            "conflict_id",
            "dyad_id",
            "incompatibility",
            "year",
            "bd_best",
            "bd_low",
            "bd_high",
            "type_of_conflict",
            "version",
        ),
    ),
    Spec(
        kind="ucdp-acd",
        label="UCDP/PRIO Armed Conflict Dataset, per conflict and year",
        source="Uppsala Conflict Data Program / PRIO, Armed Conflict Dataset",
        source_url="https://ucdp.uu.se/downloads/",
        licence=UCDP_LICENCE,
        sniff=("conflict_id", "intensity_level", "cumulative_intensity", "gwno_loc"),
        key="conflict_id",
        year="year",
        code="gwno_loc",
        name="location",
        system="gw",
        numeric=_cols(
            "conflict_id",
            "incompatibility",
            "year",
            "intensity_level",
            "cumulative_intensity",
            "type_of_conflict",
            "start_prec",
            "start_prec2",
            "ep_end",
            "version",
        ),
    ),
    Spec(
        kind="ucdp-onesided",
        label="UCDP One-sided Violence, per actor and year",
        source="Uppsala Conflict Data Program, One-sided Violence Dataset",
        source_url="https://ucdp.uu.se/downloads/",
        licence=UCDP_LICENCE,
        sniff=("actor_id", "best_fatality_estimate", "is_government_actor", "gwno_location"),
        key="dyad_id",
        year="year",
        code="gwno_location",
        name="location",
        system="gw",
        numeric=_cols(
            "conflict_id",
            "dyad_id",
            "actor_id",
            "year",
            "best_fatality_estimate",
            "low_fatality_estimate",
            "high_fatality_estimate",
            "is_government_actor",
            "version",
        ),
    ),
)

SPEC_BY_KIND: dict[str, Spec] = {s.kind: s for s in SPECS}
#: the kinds of the panel's country-year sources and of the forecasts, for queries
KINDS: tuple[str, ...] = tuple(SPEC_BY_KIND)


def spec_for(path: Path, specs: Iterable[Spec] = SPECS) -> Spec | None:
    """The spec whose sniff columns are all in the file's first line."""
    for spec in specs:
        encoding = spec.encodings[-1]
        if sniff_header(path, spec.sniff, encoding=encoding):
            return spec
    return None
