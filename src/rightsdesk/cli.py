"""The `rightsdesk` command: the Typer root that mounts each form's commands.

Exit codes scripts can rely on: 0 success, 1 general user error, 64 usage (unknown kind),
65 bad input data, 66 not found, 77 permission/authentication, 78 configuration.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from rightsdesk.backup_cli import backup_app
from rightsdesk.core.cli_support import (
    console,
    err_console,
    set_database_option,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, RightsdeskError, UnknownFormatError
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.core.security.audit import cli_actor
from rightsdesk.core.security.cli import audit_app, users_app
from rightsdesk.core.states_cli import app as states_app
from rightsdesk.lazy_cli import FormsGroup
from rightsdesk.store import check_ready, init_store

app = typer.Typer(
    name="rightsdesk",
    help="rightsdesk: a workbench for human rights diplomacy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=FormsGroup,  # each form's commands, imported when used
)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(states_app, name="states")
app.add_typer(backup_app)  # `backup` and `restore`, at the top level


@app.callback()
def root(
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            "-d",
            help="SQLAlchemy URL or SQLite file (overrides RIGHTSDESK_DATABASE_URL).",
        ),
    ] = None,
) -> None:
    """rightsdesk: treaties, votes, recommendations, sanctions and more, on one store."""
    set_database_option(database)


@app.command()
@user_errors
def init() -> None:
    """Create the store or migrate it to the newest schema, and load the states. Safe to repeat."""
    s = settings()
    states, links = init_store(s)
    console.print(f"store ready: {s.database_url} ({states} states, {links} new group links)")


def _summary(reports: list[ImportReport]) -> None:
    """A table of counts per file, then the importers' notes (kept out of the table to stay
    readable on a laptop terminal)."""
    table = Table(title="import summary")
    table.add_column("file", overflow="fold")
    table.add_column("kind", no_wrap=True)
    for col in ("inserted", "updated", "unchanged", "rejected", "deleted"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in reports:
        table.add_row(
            Path(r.path).name,
            r.kind,
            str(r.inserted),
            str(r.updated),
            str(r.unchanged),
            str(r.rejected),
            str(r.deleted),
        )
    console.print(table)
    for r in reports:
        for message in r.messages[:3]:
            console.print(f"  {Path(r.path).name}: {message}", highlight=False, soft_wrap=True)
        if len(r.messages) > 3:
            console.print(
                f"  {Path(r.path).name}: ... {len(r.messages) - 3} more notes "
                "(see the dataset page)",
                highlight=False,
            )
    if reports and not any(r.changed for r in reports):
        console.print("nothing changed: the store already holds these data")


def _import_paths(
    pairs: list[tuple[str, Path]], force: bool = False, replace: bool = False, yes: bool = False
) -> list[ImportReport]:
    """Import every (kind, path) in ONE transaction: all or nothing."""
    from rightsdesk.forms import get_importer

    s = settings()
    check_ready(s)
    reports: list[ImportReport] = []
    total = sum(p.stat().st_size for _k, p in pairs if p.is_file())
    show = total > 2_000_000 and err_console.is_terminal
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not show,
    ) as progress:
        task = progress.add_task("importing", total=total)
        with session_scope(s.database_url) as session:
            for kind, path in pairs:
                progress.update(task, description=f"{kind}: {path.name}")
                reports.append(
                    run_import(
                        session,
                        get_importer(kind),
                        path,
                        actor=cli_actor(),
                        progress=lambda n: progress.advance(task, n),
                        force=force,
                        replace=replace,
                        yes=yes,
                    )
                )
    return reports


@app.command("import")
@user_errors
def import_(
    args: Annotated[
        list[str],
        typer.Argument(
            help="KIND then the files (or only files when --kind is given).",
            metavar="[KIND] PATH...",
        ),
    ],
    kind_option: Annotated[
        str | None,
        typer.Option("--kind", help="Format of the files; 'auto' recognises each file."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Re-read files already imported unchanged.")] = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Full replacement: also delete stored rows the file does not list "
            "(refused above 5% of a table's rows unless --yes).",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", help="With --replace: delete even more than 5% of the rows.")
    ] = False,
) -> None:
    """Import files of one kind in one transaction: all or nothing, idempotent.

    `rightsdesk import untc-ratifications FILE` and `rightsdesk import --kind auto FILE...`
    are equivalent ways to name the format. A file only adds and updates rows; rows it does
    not list are deleted only with --replace.
    """
    from rightsdesk.forms import detect_importer

    if kind_option is None:
        if len(args) < 2:
            raise UnknownFormatError(
                "name the kind and at least one file: "
                "rightsdesk import KIND PATH... (or --kind auto PATH...)"
            )
        kind, names = args[0], args[1:]
    else:
        kind, names = kind_option, args
    pairs: list[tuple[str, Path]] = []
    for name in names:
        path = Path(name)
        if not path.exists():
            raise InputError("no such file", file=path)
        if kind == "auto":
            found = detect_importer(path)
            if found is None:
                raise UnknownFormatError(
                    "no importer recognises this file; name its kind", file=path
                )
            pairs.append((found.kind, path))
        else:
            pairs.append((kind, path))
    if yes and not replace:
        raise RightsdeskError("--yes only makes sense with --replace")
    _summary(_import_paths(pairs, force, replace, yes))


@app.command()
@user_errors
def load(
    directory: Annotated[
        Path | None,
        typer.Argument(help="Folder to scan (default: RIGHTSDESK_SHARED_DATA or ../shared/data)."),
    ] = None,
) -> None:
    """Import every dataset recognised under a folder, skipping files already imported."""
    from rightsdesk.forms import detect_importer

    s = settings()
    root_dir = directory or s.shared_data
    if not root_dir.is_dir():
        raise InputError("no such folder", file=root_dir)
    pairs: list[tuple[str, Path]] = []
    for path in sorted(p for p in root_dir.rglob("*") if p.is_file()):
        found = detect_importer(path)
        if found is not None:
            pairs.append((found.kind, path))
    if not pairs:
        console.print(f"no recognised dataset under {root_dir}")
        return
    from rightsdesk.forms import all_importers

    order = {imp.kind: i for i, imp in enumerate(all_importers())}
    pairs.sort(key=lambda kp: (order.get(kp[0], 99), str(kp[1])))
    _summary(_import_paths(pairs))


@app.command()
@user_errors
def setup(
    data: Annotated[Path | None, typer.Option(help="Folder of open data to import.")] = None,
    admin: Annotated[str, typer.Option(help="Name of the first admin account.")] = "admin",
) -> None:
    """First run: initialise the store, import the open data found, create the admin account."""
    from rightsdesk.core.errors import NotFoundError
    from rightsdesk.core.security.users import create_user, get_user

    s = settings()
    init_store(s)
    folder = data or s.shared_data
    if folder.is_dir():
        load(folder)
    else:
        console.print(f"no data folder at {folder}; import files later with `rightsdesk load`")
    with session_scope(s.database_url) as session:
        try:
            get_user(session, admin)
            exists = True
        except NotFoundError:
            exists = False
        if not exists:
            password = s.admin_password or secrets.token_urlsafe(12)
            create_user(session, admin, "admin", password, actor="setup")
            if s.admin_password:
                console.print(
                    f"admin account {admin!r} created (password from RIGHTSDESK_ADMIN_PASSWORD)"
                )
            else:
                console.print(
                    f"admin account {admin!r} created; password (shown once): [bold]{password}[/]"
                )
        else:
            console.print(f"admin account {admin!r} already exists")


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes; default: the number of CPU cores."),
    ] = None,
) -> None:
    """Serve the web workbench and the JSON API (FastAPI under uvicorn)."""
    import os

    import uvicorn

    from rightsdesk.web.app import create_app

    s = settings()
    check_ready(s)
    count = workers or os.cpu_count() or 1
    console.print(
        f"rightsdesk workbench on http://{host}:{port}/ (store: {s.database_url}; "
        f"{count} worker{'s' if count > 1 else ''})"
    )
    # proxy_headers=False: the app decides which X-Forwarded-For to believe
    # (RIGHTSDESK_TRUSTED_PROXIES); uvicorn's default would believe any local client.
    options = {"host": host, "port": port, "log_level": "warning", "proxy_headers": False}
    if count == 1:
        uvicorn.run(create_app(s), **options)  # type: ignore[arg-type]
        return
    # each worker process builds its own app from the environment: pass the store on
    os.environ["RIGHTSDESK_DATABASE_URL"] = s.database_url
    uvicorn.run(
        "rightsdesk.web.app:app_from_env",
        factory=True,
        workers=count,
        **options,  # type: ignore[arg-type]
    )


def main() -> None:
    app()
