"""Commands of the risk room, mounted at the top of ``rightsdesk interventions``:
``backtest`` (the model beside the Early Warning Project's own forecasts) and ``forecast``
(countries ranked from the data of a year, with the factors driving each one's risk).

Both read the store (imports of ``rightsdesk load``); without the EWP data they say which
import kinds to run and exit with ``core.errors``' code, never a traceback.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    console,
    emit,
    emit_json,
    err_console,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.store import check_ready

app = typer.Typer(no_args_is_help=True)


class BacktestOutput(StrEnum):
    table = "table"
    json = "json"


#: The keys of ``backtest --format json`` per side, in the table's order.
KEYS = ("auc", "average_precision", "top10_recall", "top20_recall", "top30_recall", "brier")
LABELS = {
    "auc": "AUC",
    "average_precision": "Average precision",
    "top10_recall": "Recall in top 10",
    "top20_recall": "Recall in top 20",
    "top30_recall": "Recall in top 30",
    "brier": "Brier score (lower\nis better)",
}


def json_shape(report: dict[str, Any]) -> dict[str, Any]:
    """The ``--format json`` object: model, ewp, difference, protocol, rows, onsets, years,
    model_spec (calibration and per-year rows are the API's and the page's)."""
    keep = ("model", "ewp", "difference", "protocol", "rows", "onsets", "years", "model_spec")
    return {k: report[k] for k in keep}


def _ci(pair: list[float]) -> str:
    return f"({pair[0]:.3f} to {pair[1]:.3f})"


def backtest_table(report: dict[str, Any]) -> Any:
    """The backtest as a Rich table: one row per metric, the model, EWP and the difference
    model - EWP, each with its 95% interval under the figure (fits an 80-column terminal)."""
    from rich.table import Table

    first, last = report["years"]
    table = Table(
        title=f"Mass-killing onset forecasts {first}-{last}: {report['rows']} country-years, "
        f"{report['onsets']} onsets",
        caption=f"Source: Early Warning Project panel and its out-of-sample forecasts; "
        f"outcomes up to {last}. Intervals: evaluation years resampled.",
    )
    table.add_column("Metric", no_wrap=True)
    for name in ("Model", "EWP", "Model - EWP"):
        table.add_column(f"{name}\n(95% CI)", justify="right", no_wrap=True)
    m, e, d = report["model"], report["ewp"], report["difference"]
    for k in KEYS:
        table.add_row(
            LABELS[k],
            f"{m[k]:.3f}\n{_ci(m[f'{k}_ci'])}",
            f"{e[k]:.3f}\n{_ci(e[f'{k}_ci'])}",
            f"{d[k]:+.3f}\n{_ci(d[f'{k}_ci'])}",
            end_section=True,
        )
    return table


@app.command()
@user_errors
def backtest(
    output: Annotated[
        BacktestOutput, typer.Option("--format", "-f", help="table or json.")
    ] = BacktestOutput.table,
) -> None:
    """The risk model's out-of-time backtest beside the Early Warning Project's forecasts.

    Both are scored on the same country-years (EWP's out-of-sample file, 1994 onwards), with
    year-block bootstrap 95% intervals and the paired difference."""
    from rightsdesk.interventions.risk.public import backtest_result

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        report = backtest_result(db)
    if output is BacktestOutput.json:
        emit_json(json_shape(report))
        return
    console.print(backtest_table(report))
    err_console.print(f"model: {report['model_spec']}", highlight=False, soft_wrap=True)
    err_console.print(report["protocol"], highlight=False, soft_wrap=True)


def _row(r: dict[Any, Any], output: Output) -> dict[str, Any]:
    """One ranked country as the commands print it (drivers as a list in JSON, joined by
    semicolons in a table or CSV)."""
    drivers: list[tuple[str, float]] = r["drivers"]
    iso3 = r["iso3"]
    return {
        "rank": int(r["rank"]),
        "country": str(r["country"]),
        "iso3": None if iso3 is None or iso3 != iso3 else str(iso3),  # NaN != NaN
        "risk": round(float(r["risk"]), 4),
        "level": str(r["level"]),
        "drivers": (
            [{"factor": f, "contribution": c} for f, c in drivers]
            if output is Output.json
            else "; ".join(f for f, _c in drivers)
        ),
    }


@app.command()
@user_errors
def forecast(
    year: Annotated[
        int | None,
        typer.Option("--year", help="Forecast from the data of this year (default: latest)."),
    ] = None,
    output: FormatOpt = Output.table,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Countries to list (0: all).")] = 30,
) -> None:
    """Countries ranked by their risk of a mass-killing onset in the two years after YEAR.

    The model is fitted only on outcomes known by the end of YEAR; each country comes with
    the factors that raise its risk most."""
    from rightsdesk.interventions.risk.public import forecast_for

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        result = forecast_for(db, year)
    shown = result.rows if limit <= 0 else result.rows.head(limit)
    rows = [_row(r, output) for r in shown.to_dict(orient="records")]
    if output is Output.json:
        emit_json(
            {
                "year": result.year,
                "forecast_for": [result.year + 1, result.year + 2],
                "fit_years": list(result.fit_years),
                "model": result.model,
                "countries": rows,
            }
        )
        return
    title = (
        f"Risk of a mass-killing onset in {result.year + 1}-{result.year + 2} "
        f"(data of {result.year}; fitted on {result.fit_years[0]}-{result.fit_years[1]})"
    )
    emit(rows, output, title=title, float_format="{:.4f}")
