"""Commands for accounts, API tokens and the audit log: ``rightsdesk users ...``, ``rightsdesk
audit ...``. Every change is audited with the operating-system user (``audit.cli_actor``)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated, Any

import typer

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    console,
    emit,
    err_console,
    settings,
    stdin_is_terminal,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.core.security import audit
from rightsdesk.core.security.audit import cli_actor
from rightsdesk.core.security.sessions import aware
from rightsdesk.store import check_ready

users_app = typer.Typer(help="Accounts and API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="Login name.")]


def _url() -> str:
    s = settings()
    check_ready(s)
    return s.database_url


def _read_password(prompt: bool) -> str:
    if stdin_is_terminal() and prompt:
        return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")


def _when(value: datetime | None) -> str | None:
    return None if value is None else aware(value).strftime("%Y-%m-%d %H:%M:%SZ")


# --- users ---------------------------------------------------------------------------------


@users_app.command("add")
@user_errors
def users_add(
    name: NameArg,
    role: Annotated[
        str, typer.Option(help="admin, editor, analyst, collector or viewer.")
    ] = "viewer",
) -> None:
    """Create an account; the password comes from a prompt, or standard input in scripts.

    Names are normalised: case-folded, trimmed, 1 to 64 letters, digits and ._-@.
    """
    from rightsdesk.core.security.users import create_user

    url = _url()
    password = _read_password(prompt=True)
    with session_scope(url) as session:
        user = create_user(session, name, role, password, actor=cli_actor())
        created = user.name
    console.print(f"user {created} created with role {role}", highlight=False)


@users_app.command("list")
@user_errors
def users_list(output: FormatOpt = Output.table) -> None:
    """Accounts: name, role, active, failed logins in the last 15 minutes, created."""
    from rightsdesk.core.security.users import failures, list_users

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        rows = [
            {
                "name": u.name,
                "role": u.role,
                "active": u.active,
                "recent_failures": failures(session, u.name),
                "locked": failures(session, u.name) >= s.login_rate_limit,
                "created": _when(u.created_at),
            }
            for u in list_users(session)
        ]
    emit(rows, output, title="users", columns=list(rows[0]) if rows else ["name"])


@users_app.command("passwd")
@user_errors
def users_passwd(name: NameArg) -> None:
    """Set a new password (prompt, or standard input in scripts); ends the user's sessions."""
    from rightsdesk.core.security.users import set_password

    url = _url()
    password = _read_password(prompt=True)
    with session_scope(url) as session:
        user = set_password(session, name, password, actor=cli_actor())
        who = user.name
    console.print(f"password of {who} changed; their browser sessions ended", highlight=False)


@users_app.command("role")
@user_errors
def users_role(
    name: NameArg,
    role: Annotated[str, typer.Argument(help="admin, editor, analyst, collector or viewer.")],
) -> None:
    """Change the role of an account."""
    from rightsdesk.core.security.users import set_role

    with session_scope(_url()) as session:
        user = set_role(session, name, role, actor=cli_actor())
        who = user.name
    console.print(f"{who} is now {role}", highlight=False)


@users_app.command("deactivate")
@user_errors
def users_deactivate(name: NameArg) -> None:
    """Stop an account: no login, its sessions end and its API tokens stop working."""
    from rightsdesk.core.security.users import set_active

    with session_scope(_url()) as session:
        who = set_active(session, name, False, actor=cli_actor()).name
    console.print(f"user {who} deactivated", highlight=False)


@users_app.command("activate")
@user_errors
def users_activate(name: NameArg) -> None:
    """Let a deactivated account log in again (its revoked sessions stay revoked)."""
    from rightsdesk.core.security.users import set_active

    with session_scope(_url()) as session:
        who = set_active(session, name, True, actor=cli_actor()).name
    console.print(f"user {who} activated", highlight=False)


@users_app.command("unlock")
@user_errors
def users_unlock(name: NameArg) -> None:
    """Lift a login lockout: forget the account's recent failed logins."""
    from rightsdesk.core.security.users import unlock

    with session_scope(_url()) as session:
        removed = unlock(session, name, actor=cli_actor())
    console.print(f"unlocked ({removed} failed attempts forgotten)", highlight=False)


# --- tokens --------------------------------------------------------------------------------


@users_app.command("token")
@user_errors
def users_token(
    name: NameArg,
    expires_days: Annotated[
        int | None, typer.Option("--expires-days", help="Stop working after N days (1-3650).")
    ] = None,
) -> None:
    """Print a new API token for the JSON API (shown once; only its hash is stored)."""
    from rightsdesk.core.security.users import create_token

    with session_scope(_url()) as session:
        row, token = create_token(session, name, actor=cli_actor(), expires_days=expires_days)
        token_id, expires = row.id, _when(row.expires_at)
    print(token, flush=True)
    err_console.print(
        f"token #{token_id}" + (f", expires {expires}" if expires else ", does not expire"),
        highlight=False,
    )


@users_app.command("tokens")
@user_errors
def users_tokens(name: NameArg, output: FormatOpt = Output.table) -> None:
    """List a user's API tokens: id, created, expires, last used, revoked."""
    from rightsdesk.core.security.users import list_tokens

    with session_scope(_url()) as session:
        rows = [
            {
                "id": t.id,
                "created": _when(t.created),
                "expires": _when(t.expires),
                "last_used": _when(t.last_used),
                "revoked": t.revoked,
                "expired": t.expired,
            }
            for t in list_tokens(session, name)
        ]
    columns = ["id", "created", "expires", "last_used", "revoked", "expired"]
    emit(rows, output, title=f"API tokens of {name}", columns=columns)


@users_app.command("revoke")
@user_errors
def users_revoke(token_id: Annotated[int, typer.Argument(help="Token id (users tokens).")]) -> None:
    """Revoke an API token by its id; it stops working at once."""
    from rightsdesk.core.security.users import revoke_token

    with session_scope(_url()) as session:
        revoke_token(session, token_id, actor=cli_actor())
    console.print(f"token #{token_id} revoked", highlight=False)


# --- audit ---------------------------------------------------------------------------------


@audit_app.command("verify")
@user_errors
def audit_verify(
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            help="A checkpoint (COUNT:HEAD or HEAD, from `audit checkpoint`) the log must reach.",
        ),
    ] = None,
) -> None:
    """Check the keyed hash chain of the audit log; exit 1 and name the first tampered entry.

    With --expect, also exit 1 if the log no longer reaches that checkpoint (newest entries
    deleted, all entries deleted, or the log rebuilt).
    """
    if expect is not None:
        audit.parse_expect(expect)  # a malformed checkpoint is a usage error (65), not tampering
    with session_scope(_url()) as session:
        report = audit.verify_chain(session, expect=expect)
    if report.ok:
        legacy = (
            f" ({report.unkeyed} unkeyed, from before keyed chaining)" if report.unkeyed else ""
        )
        reached = ", checkpoint reached" if expect else ""
        console.print(
            f"audit log intact: {report.checked} entries verified{legacy}{reached}",
            highlight=False,
        )
        return
    if report.first_bad_id is not None:
        err_console.print(
            f"[bold red]audit log tampered:[/] entry #{report.first_bad_id}: "
            f"{report.reason} ({report.checked} entries before it verified)",
            highlight=False,
        )
    else:
        err_console.print(
            f"[bold red]audit log tampered:[/] {report.reason} "
            f"({report.checked} entries verified, head {report.head[:12]}...)",
            highlight=False,
        )
    raise typer.Exit(1)


@audit_app.command("checkpoint")
@user_errors
def audit_checkpoint(
    output: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Print the entry count and head hash (`COUNT HEAD`) to keep outside the database."""
    if output not in ("text", "json"):
        from rightsdesk.core.errors import InputError

        raise InputError("--format is text or json", field="format")
    with session_scope(_url()) as session:
        point = audit.checkpoint(session)
    if output == "json":
        data: dict[str, Any] = {
            "count": point.count,
            "head": point.head,
            "expect": f"{point.count}:{point.head}",
        }
        typer.echo(json.dumps(data))
    else:
        typer.echo(str(point))
