"""``rightsdesk backup FILE`` and ``rightsdesk restore FILE --yes`` (mounted on the root)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rightsdesk.backup import StoreSummary, backup, restore
from rightsdesk.backup_attachments import beside
from rightsdesk.core.cli_support import console, settings, user_errors
from rightsdesk.core.errors import RightsdeskError
from rightsdesk.store import pending

#: Commands merged into the root command (``app.add_typer(backup_app)``, without a name).
backup_app = typer.Typer()


class ConfirmationRequired(RightsdeskError):
    """A command that replaces data was run without ``--yes``."""

    code = "confirmation-required"
    exit_code = 64  # EX_USAGE


def _print(summary: StoreSummary, verbose: bool) -> None:
    audit = "intact" if summary.audit_intact else "NOT intact"
    files = f", {summary.attachment_files:,} attachment files" if summary.attachment_files else ""
    console.print(
        f"{len(summary.tables)} tables, {summary.rows:,} rows{files}; schema "
        f"{', '.join(summary.revisions) or '-'}; audit log {audit}, "
        f"{summary.audit_entries} entries, head {summary.audit_head}",
        highlight=False,
        soft_wrap=True,
    )
    if verbose:
        table = Table()
        table.add_column("table")
        table.add_column("rows", justify="right")
        for name, count in summary.tables.items():
            table.add_row(name, f"{count:,}")
        console.print(table)


@backup_app.command("backup")
@user_errors
def backup_command(
    file: Annotated[Path, typer.Argument(help="Backup file to write (replaced if it exists).")],
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Rows per table.")] = False,
) -> None:
    """Write a consistent copy of the store, safe while the server runs.

    SQLite's online backup, pg_dump for PostgreSQL; the attachment files the store references
    go, checked by SHA-256, into the folder FILE.attachments beside it (keep both together).
    Prints rows per table and the audit head, to compare after a restore.
    """
    s = settings()
    summary = backup(s, file)
    written = file.expanduser().absolute()
    console.print(f"backup written: {written}", highlight=False)
    if summary.attachment_files:
        console.print(f"attachment files: {beside(written)}", highlight=False, soft_wrap=True)
    _print(summary, verbose)


@backup_app.command("restore")
@user_errors
def restore_command(
    file: Annotated[Path, typer.Argument(help="Backup file made by `rightsdesk backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: the store is replaced by the backup.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Rows per table.")] = False,
) -> None:
    """Replace the store with a backup (checked first); stop the server before (SQLite).

    The file must be a rightsdesk store at a schema this release knows, made with the same
    secret key; every attachment file its tables reference must be in FILE.attachments with
    the recorded SHA-256, or nothing is replaced.
    """
    s = settings()
    if not yes:
        raise ConfirmationRequired(
            f"restore replaces everything in {s.database_url} with {file}; "
            "run again with --yes to confirm"
        )
    summary = restore(s, file)
    console.print(f"store restored from {file}: {s.database_url}", highlight=False)
    _print(summary, verbose)
    if pending(s.database_url):
        console.print("the backup predates this release's schema: run `rightsdesk init`")
