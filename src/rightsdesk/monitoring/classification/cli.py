"""Commands ``rightsdesk monitoring train | classify | suggest | action-categories``.

Other tools rely on the shape of these commands (names, options, output columns): change
them only together with those tools.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from rightsdesk.core.cli_support import FormatOpt, Output, console, emit, settings, user_errors
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import iter_csv, read_text
from rightsdesk.core.security import audit
from rightsdesk.core.security.audit import cli_actor
from rightsdesk.monitoring.classification.classifier import (
    THEME_SEPARATOR,
    FitConfig,
    join_themes,
    load_classifier,
    save_classifier,
)
from rightsdesk.monitoring.classification.encoder import require as require_encoder
from rightsdesk.monitoring.classification.scale import ACTION_SCALE, action_words, scale_in_data
from rightsdesk.monitoring.classification.service import generate, training_data
from rightsdesk.monitoring.classification.training import ACTION_MODELS, fit
from rightsdesk.monitoring.recommendations.sources.common import decode_legacy_text
from rightsdesk.store import check_ready

app = typer.Typer(
    help="Themes and action categories of recommendations, by a model and reviewed.",
    no_args_is_help=True,
)

ISSUES_COLUMN = "predicted_issues"
ACTION_COLUMN = "predicted_action"


@app.command()
@user_errors
def train(
    action_model: Annotated[
        str,
        typer.Option(
            "--action-model",
            help="linear: about a minute to fit, 0.909 accurate out of time; encoder: a "
            "fine-tuned transformer, 0.928, about 30 min on 2 cores for the full UPR Info data "
            "(needs `bash scripts/install.sh encoder`).",
        ),
    ] = "linear",
) -> None:
    """Fit the theme and action-category models on the human labels of the store.

    Uses UPR Info themes given by people (not by a model) and the stored action categories;
    thresholds are tuned on the latest sessions held out of a first fit. The model goes to
    DATA_DIR/models/ with a JSON file describing it (version, labels, sizes, sessions).
    """
    if action_model not in ACTION_MODELS:
        raise InputError(
            f"--action-model: unknown model {action_model!r}; use one of {', '.join(ACTION_MODELS)}"
        )
    if action_model == "encoder":
        require_encoder()
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        data = training_data(session)
    if not data.texts:
        raise InputError(
            "the store holds no human-labelled recommendation to learn from; "
            "import UPR Info files first (`rightsdesk import upr-info FILE`)"
        )
    config = FitConfig(action_model=action_model)
    if action_model == "encoder":
        with Progress(*Progress.get_default_columns(), console=console) as bar:
            task = bar.add_task("fine-tuning the action encoder", total=None)
            clf = fit(
                data, config, lambda step, steps: bar.update(task, completed=step, total=steps)
            )
    else:
        with console.status("training (about a minute on the full UPR Info data)"):
            clf = fit(data, config)
    path = save_classifier(clf, s.data_dir)
    meta = clf.metadata
    with session_scope(s.database_url) as session:
        audit.record(
            session,
            cli_actor(),
            "train",
            "classification-model",
            str(meta["version"]),
            after={k: meta[k] for k in ("training_rows_themes", "training_rows_actions")},
        )
    table = Table(title=f"model {meta['version']} saved to {path.parent}")
    table.add_column("what")
    table.add_column("value")
    table.add_row("themes learnt", str(len(meta["theme_labels"])))
    table.add_row("themes too rare to learn", ", ".join(meta["skipped_rare_labels"]) or "-")
    table.add_row("rows with themes", str(meta["training_rows_themes"]))
    table.add_row("rows with an action category", str(meta["training_rows_actions"]))
    table.add_row(
        "action categories learnt", "; ".join(action_words(a) for a in meta["actions"]) or "-"
    )
    table.add_row("sessions", _span(meta["sessions_used"]))
    table.add_row("thresholds tuned on sessions", _span(meta["threshold_sessions"]))
    table.add_row("action model", str(meta["action_model"]))
    table.add_row("training time", f"{meta['fit_seconds']} s")
    console.print(table)


def _span(sessions: list[int]) -> str:
    if not sessions:
        return "-"
    return f"{sessions[0]}-{sessions[-1]}" if len(sessions) > 1 else str(sessions[0])


def decode_input(path: Path, encoding: str) -> str:
    """The text of an input file: UTF-8, or Mac Roman for UPR Info's own exports.

    UPR Info's exports come from a classic Mac tool (bare CR line endings, Mac Roman accents);
    ``auto`` reads them exactly as the importer does, so a file classifies the same way it
    imports. Any other file that is not UTF-8 is refused with the line of the first bad byte.
    """
    if not path.is_file():
        raise InputError("no such file", file=path)
    if encoding == "auto":
        return decode_legacy_text(path)
    try:
        return read_text(path, encoding)
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r}", file=path) from exc


def _header(path: Path, content: str) -> list[str]:
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff"), newline=""))
    try:
        return [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise InputError("the file is empty or not CSV", file=path, line=1) from exc


@app.command()
@user_errors
def classify(
    input_file: Annotated[
        Path, typer.Argument(metavar="INPUT.csv", help="Recommendations in UPR Info's format.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")],
    encoding: Annotated[
        str,
        typer.Option(
            help="Encoding of INPUT: 'auto' (UTF-8, or Mac Roman for UPR Info's "
            "bare-CR exports) or a Python codec name."
        ),
    ] = "auto",
) -> None:
    """Predict the themes and action category of every recommendation of a CSV file.

    INPUT needs a Text column; its Issue and Action columns, if any, are ignored for the
    prediction and copied like every other column. Any line ending works (UPR Info's bare CR
    too). OUTPUT (UTF-8) has every input column plus:

    predicted_issues: UPR Info themes spelled as in the training data, separated by a comma
    without space (",") exactly like UPR Info's Issue column; at least one per row.

    predicted_action: UPR Info action category, a number from 1 to 5: 1 = minimal action,
    2 = continuing, 3 = considering, 4 = general, 5 = specific action
    (`rightsdesk monitoring action-categories` explains the scale).

    Needs a model: run `rightsdesk monitoring train` first.
    """
    s = settings()
    check_ready(s)
    clf = load_classifier(s.data_dir)
    content = decode_input(input_file, encoding)
    header = _header(input_file, content)
    rows = list(iter_csv(input_file, ["Text"], text=content))
    for row in rows:
        if not row.get("Text"):
            raise InputError(
                "empty recommendation text", file=input_file, line=row.line, field="Text"
            )
    predictions = clf.predict([row.get("Text") for row in rows])
    columns = header + [c for c in (ISSUES_COLUMN, ACTION_COLUMN) if c not in header]
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row, pred in zip(rows, predictions, strict=True):
            values = dict(row.values)
            values[ISSUES_COLUMN] = join_themes(pred.themes)
            values[ACTION_COLUMN] = str(pred.action)
            writer.writerow([values.get(c, "") for c in columns])
    console.print(
        f"{len(rows)} recommendations classified with model {clf.metadata.get('version')} "
        f"-> {output} (themes separated by {THEME_SEPARATOR!r})"
    )


@app.command()
@user_errors
def suggest(
    min_confidence: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Leave out suggestions below this.")
    ] = 0.0,
) -> None:
    """Store model suggestions for recommendations lacking human themes or action category.

    The suggestions wait in the review queue (/review, /api/v1/suggestions) until an editor
    accepts or rejects them; nothing becomes a label without a person's review.
    """
    s = settings()
    check_ready(s)
    clf = load_classifier(s.data_dir)
    with session_scope(s.database_url) as session:
        report = generate(session, clf, actor=cli_actor(), min_confidence=min_confidence)
    console.print(
        f"model {report.model_version}: {report.theme_suggestions} theme and "
        f"{report.action_suggestions} action suggestions for {report.recommendations} "
        f"recommendations ({report.already_asked} already asked before, skipped)"
    )


@app.command("action-categories")
@user_errors
def action_categories(output: FormatOpt = Output.table) -> None:
    """Explain UPR Info's action category (1-5): each step in words, with how many stored
    recommendations have it and the verbs they most often open with."""
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        rows = scale_in_data(session)
    emit(
        [
            {
                "category": row.category.words,
                "meaning": row.category.explanation,
                "recommendations": row.count,
                "opening words": ", ".join(verb for verb, _n in row.openings)
                or ", ".join(row.category.verbs),
            }
            for row in rows
        ],
        output,
        title=f"UPR Info action categories ({len(ACTION_SCALE)} steps)",
    )
