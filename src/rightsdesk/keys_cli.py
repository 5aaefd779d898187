"""``rightsdesk keys status`` and ``rightsdesk keys rotate``: the field encryption keys.

The rotation itself is ``core.security.keys``; this module loads every form's tables first, so
that the rotation sees every encrypted column of the store.
"""

from __future__ import annotations

from typing import Annotated

import typer

from rightsdesk.core.cli_support import console, user_errors
from rightsdesk.core.cli_support import settings as cli_settings
from rightsdesk.core.config import Settings
from rightsdesk.core.security import audit, crypto
from rightsdesk.core.security.keys import rotate, scan

app = typer.Typer(help="Field encryption keys: status and rotation.", no_args_is_help=True)


def _ready() -> Settings:
    from rightsdesk.forms import load_models
    from rightsdesk.store import check_ready

    load_models()
    s = cli_settings()
    check_ready(s)
    crypto.configure_encryption(s.secret_key, s.data_dir)
    return s


@app.command("status")
@user_errors
def status(
    check: Annotated[
        bool, typer.Option("--check", help="Also count the stored values under each key.")
    ] = False,
) -> None:
    """Where the field keys come from, how many there are and their fingerprints (never a key)."""
    s = _ready()
    ring = crypto.key_ring()
    where = {"file": str(ring.path), "environment": crypto.FIELD_KEYS_ENV}
    console.print(
        f"source: {where.get(ring.source, 'none (the key from the secret only)')}",
        highlight=False,
    )
    console.print(f"keys: {len(ring.keys)} (+ the key derived from the secret, for reading)")
    if ring.path is not None and ring.path.exists() and ring.path.stat().st_mode & 0o077:
        console.print(f"[red]warning: {ring.path} is readable by others; chmod 600 it[/red]")
    counts = scan(s) if check else None
    for number, key in enumerate(ring.all_keys, start=1):
        name = crypto.fingerprint(key)
        role = "writes" if key == ring.primary else "reads"
        origin = "secret" if key == ring.secret_key else f"key {number}"
        extra = f", {counts.by_key[name]} values" if counts else ""
        console.print(f"  {name}  {origin:<8} {role}{extra}", highlight=False)
    if counts and counts.unreadable:
        console.print(f"[red]{counts.unreadable} value(s) no key of the ring reads[/red]")
        raise typer.Exit(65)


@app.command("rotate")
@user_errors
def rotate_command(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Re-encrypt every encrypted value under a new key, then retire the old keys.

    One transaction, audited (counts per table, no values); on any error nothing changes.
    Back up the key file afterwards.
    """
    s = _ready()
    if not yes and not typer.confirm("re-encrypt every encrypted value with a new key?"):
        raise typer.Exit(1)
    report = rotate(s, audit.cli_actor())
    console.print(
        f"new key {report.fingerprint}: {report.values} value(s) re-encrypted in "
        f"{sum(1 for n in report.tables.values() if n)} table(s); {report.retired} old "
        f"key(s) retired from {s.data_dir / crypto.FIELD_KEYS_FILE}",
        highlight=False,
    )
    if report.late:
        console.print(f"{report.late} value(s) written during the rotation moved as well")
    console.print("Back up the key file with secret.key now; running servers take the key up.")
