"""Commands of designation dossiers and sanctions links:
``rightsdesk monitoring violations dossier`` and ``... link-sanctions``.

The command line acts as the store's operator (``Principal.cli``: an admin's reading rights,
audited under ``cli:<os user>``). A dossier written to a file is an export, audited with the
regime and counts; a dossier never holds a witness's or a victim's name, whoever asks.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    console,
    emit,
    err_console,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.store import check_ready

app = typer.Typer()

LINK_COLUMNS = ("entity_id", "caption", "status", "score", "decided_by", "designations")


class DossierFormat(StrEnum):
    json = "json"
    ftm = "ftm"
    pdf = "pdf"
    html = "html"


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all: a half-written dossier must not be sent."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}", field="--output") from None
    finally:
        partial.unlink(missing_ok=True)


@app.command("dossier")
@user_errors
def dossier(
    perpetrator_id: Annotated[int, typer.Argument(help="Perpetrator id.", min=1)],
    regime: Annotated[
        str, typer.Option("--regime", "-r", help="us-glomag, eu-ghrsr or uk-ghr.")
    ] = "us-glomag",
    output_format: Annotated[
        DossierFormat, typer.Option("--format", "-f", help="json, ftm, pdf or html.")
    ] = DossierFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """A designation proposal for a perpetrator under a human rights sanctions regime.

    The regime's criteria with the acts and rated sources supporting each, gaps, the strength
    of the evidence and where the person is already designated. ftm writes FollowTheMoney
    JSON lines (validated); pdf needs --output. Audited as an export.
    """
    from rightsdesk.monitoring.violations.access import Principal
    from rightsdesk.monitoring.violations.dossier_build import audit_export, build_dossier
    from rightsdesk.monitoring.violations.dossier_ftm import dossier_entities
    from rightsdesk.monitoring.violations.dossier_pdf import print_html, render_pdf

    if output_format is DossierFormat.pdf and output is None:
        raise InputError("a PDF needs --output FILE", field="--output")
    s = settings()
    check_ready(s)
    who = Principal.cli()
    with session_scope(s.database_url) as db:
        built = build_dossier(db, who, perpetrator_id, regime)
        if output_format is DossierFormat.json:
            text = json.dumps(built.to_dict(), ensure_ascii=False, indent=2) + "\n"
            data = text.encode()
        elif output_format is DossierFormat.ftm:
            lines = [
                json.dumps(e, ensure_ascii=False, sort_keys=True) for e in dossier_entities(built)
            ]
            data = ("\n".join(lines) + "\n").encode()
        elif output_format is DossierFormat.html:
            data = print_html(built).encode()
        else:
            data = render_pdf(built)
        if output is not None:
            _write(output, data)
        audit_export(db, who, built, output_format.value)
    if output is None:
        typer.echo(data.decode(), nl=False)
    else:
        strength = built.strength
        err_console.print(
            f"{output}: {built.regime.title}, {strength.criteria_met} of "
            f"{strength.criteria_total} criteria supported, {strength.acts} acts, "
            f"{strength.sources} sources ({strength.strong_sources} rated A/B and 1/2)"
        )


@app.command("link-sanctions")
@user_errors
def link_sanctions(
    perpetrator_id: Annotated[int, typer.Argument(help="Perpetrator id.", min=1)],
    confirm: Annotated[
        str | None, typer.Option("--confirm", help="Confirm the link to this entity id.")
    ] = None,
    reject: Annotated[
        str | None, typer.Option("--reject", help="Reject the link to this entity id.")
    ] = None,
    threshold: Annotated[
        float | None, typer.Option("--threshold", min=0.0, max=1.0, help="Screening score.")
    ] = None,
    output: FormatOpt = Output.table,
) -> None:
    """Suggest, confirm or reject links from a perpetrator to sanctions-list entities.

    Without --confirm or --reject, screens the perpetrator's name, aliases, birth date and
    nationality against the loaded lists and stores the hits as suggestions. Lists the links
    after (confirmed ones with their designations). Every screening and decision is audited.
    """
    from rightsdesk.monitoring.violations.access import Principal
    from rightsdesk.monitoring.violations.sanctions_links import (
        decide_link,
        link_views,
        suggest_links,
    )

    if confirm and reject:
        raise InputError("give --confirm or --reject, not both", field="--confirm")
    s = settings()
    check_ready(s)
    who = Principal.cli()
    with session_scope(s.database_url) as db:
        if confirm or reject:
            decision = "confirm" if confirm else "reject"
            decide_link(db, who, perpetrator_id, confirm or reject or "", decision)
        else:
            suggest_links(db, who, perpetrator_id, threshold)
        db.commit()
        views = link_views(db, who, perpetrator_id)
    rows = [
        {
            "entity_id": v.entity_id,
            "caption": v.caption,
            "status": v.status,
            "score": v.score,
            "decided_by": v.decided_by,
            "designations": "; ".join(
                f"{d.authority} {d.program} {d.listed_on or ''} "
                f"{'in force' if d.active else 'ended'}".replace("  ", " ")
                for d in v.designations
            ),
        }
        for v in views
    ]
    if not rows and output is Output.table:
        console.print("no sanctions-list entity matches this perpetrator")
    title = f"Sanctions links of perpetrator {perpetrator_id}"
    emit(rows, output, title=title, columns=LINK_COLUMNS, float_format="{:.2f}")
