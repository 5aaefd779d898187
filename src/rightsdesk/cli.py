"""The `rightsdesk` command: the Typer root that mounts each form's commands.

Exit codes scripts can rely on: 0 success, 1 general user error, 64 usage (unknown kind),
65 bad input data, 66 not found, 77 permission/authentication, 78 configuration.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rightsdesk.core.cli_support import (
    console,
    err_console,
    set_database_option,
    settings,
    user_errors,
)
from rightsdesk.core.errors import InputError, RightsdeskError, UnknownFormatError
from rightsdesk.lazy_cli import FormsGroup

if TYPE_CHECKING:
    from rightsdesk.core.config import Settings
    from rightsdesk.core.importing import ImportReport

# Start-up time matters (``rightsdesk --help`` answers in well under a second): SQLAlchemy,
# pandas, Alembic and the forms' commands are imported inside the commands that use them.
app = typer.Typer(
    name="rightsdesk",
    help="rightsdesk: a workbench for human rights diplomacy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # the root's help and usage errors in plain text: Rich's help renderer alone costs more
    # start-up time than the rest of ``rightsdesk --help`` (each command's help stays Rich)
    rich_markup_mode=None,
    cls=FormsGroup,  # each form's commands, and users/audit/states/backup, imported when used
)


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
    from rightsdesk.store import init_store

    s = settings()
    states, links = init_store(s)
    console.print(f"store ready: {s.database_url} ({states} states, {links} new group links)")


def short_name(path: str, width: int = 30) -> str:
    """A file's name cut in the middle to ``width`` characters ("sessions-1…tions.csv"), so
    the import summary keeps one line per file in an 80-column terminal."""
    name = Path(path).name
    if len(name) <= width:
        return name
    tail = (width - 1) // 2
    return f"{name[: width - 1 - tail]}…{name[-tail:]}"


def _summary(reports: list[ImportReport], verbose: bool = False) -> None:
    """A table of row counts per file (fits 80 columns: short names; the kind and every note
    with ``--verbose``), the totals, then the importers' notes."""
    from rich.table import Table

    table = Table(title="import summary: rows per file", title_justify="left")
    table.add_column("file", overflow="fold", min_width=12)
    if verbose:
        table.add_column("kind", overflow="fold")
    for col in ("new", "changed", "same", "rejected", "deleted"):
        table.add_column(col, justify="right", no_wrap=True)
    totals = [0, 0, 0, 0, 0]
    for r in reports:
        counts = [r.inserted, r.updated, r.unchanged, r.rejected, r.deleted]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        name = r.path if verbose else short_name(r.path)
        kind = [r.kind] if verbose else []
        table.add_row(name, *kind, *(f"{n:,}" for n in counts))
    if len(reports) > 1:
        table.add_section()
        table.add_row(
            f"{len(reports)} files", *([""] if verbose else []), *(f"{n:,}" for n in totals)
        )
    console.print(table)
    shown = None if verbose else 2
    hidden = 0
    for r in reports:
        notes = r.messages if shown is None else r.messages[:shown]
        hidden += len(r.messages) - len(notes)
        for message in notes:
            console.print(f"  {short_name(r.path)}: {message}", highlight=False, soft_wrap=True)
    if hidden:
        console.print(f"  ... {hidden} more notes (--verbose shows them all)", highlight=False)
    if reports and not any(r.changed for r in reports):
        console.print("nothing changed: the store already holds these data")


def _import_paths(
    pairs: list[tuple[str, Path]], force: bool = False, replace: bool = False, yes: bool = False
) -> list[ImportReport]:
    """Import every (kind, path) in ONE transaction: all or nothing."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from rightsdesk.core.db import session_scope
    from rightsdesk.core.importing import run_import
    from rightsdesk.core.security.audit import cli_actor
    from rightsdesk.forms import get_importer
    from rightsdesk.store import check_ready

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


def warm_up(s: Settings, quick_only: bool) -> None:
    """Compute the heavy analyses of the current data now (``core.warmup``), with a progress
    bar on standard error, then one line saying what is ready."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from rightsdesk.core import warmup
    from rightsdesk.forms import FORMS

    tasks = warmup.declared_tasks(FORMS)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
    ) as progress:
        bar = progress.add_task("preparing analyses", total=None)

        def report(status: warmup.WarmStatus) -> None:
            doing = status.current or "done"
            progress.update(
                bar,
                completed=status.done,
                total=status.total,
                description=f"preparing analyses: {doing}",
            )

        status = warmup.warm(s, tasks, report, quick_only=quick_only)
    seconds = sum(status.seconds.values())
    ready = status.done - len(status.skipped) - len(status.failed)
    line = f"analyses ready: {ready} of {status.total} in {seconds:.1f} s"
    if status.skipped:
        line += f"; {len(status.skipped)} skipped (no data for them)"
    if status.failed:
        line += f"; {len(status.failed)} failed ({', '.join(status.failed)}; see the log)"
    if not status.complete:
        line += "; the slow ones (`rightsdesk warm`) run in the background of `rightsdesk serve`"
    err_console.print(line, highlight=False, soft_wrap=True)


def _after_import(reports: list[ImportReport], warm: bool) -> None:
    if warm and any(r.changed for r in reports):
        warm_up(settings(), quick_only=True)


VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Full file names, kinds and every note.")
]
WarmOpt = Annotated[
    bool,
    typer.Option(
        "--warm/--no-warm",
        help="After a change, compute the heavy analyses now (positions, blocs) so pages "
        "answer at once.",
    ),
]


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
    verbose: VerboseOpt = False,
    warm: WarmOpt = True,
) -> None:
    """Import files of one kind in one transaction: all or nothing, idempotent.

    `rightsdesk import untc-ratifications FILE` and `rightsdesk import --kind auto FILE...`
    are equivalent ways to name the format. A file only adds and updates rows; rows it does
    not list are deleted only with --replace. After a change the heavy analyses are computed
    (`--no-warm` leaves that to `rightsdesk warm` or the server).
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
    reports = _import_paths(pairs, force, replace, yes)
    _summary(reports, verbose)
    _after_import(reports, warm)


@app.command()
@user_errors
def load(
    directory: Annotated[
        Path | None,
        typer.Argument(help="Folder to scan (default: RIGHTSDESK_SHARED_DATA or ../shared/data)."),
    ] = None,
    verbose: VerboseOpt = False,
    warm: WarmOpt = True,
) -> None:
    """Import every dataset recognised under a folder, skipping files already imported."""
    from rightsdesk.forms import all_importers, detect_importer

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
    order = {imp.kind: i for i, imp in enumerate(all_importers())}
    pairs.sort(key=lambda kp: (order.get(kp[0], 99), str(kp[1])))
    reports = _import_paths(pairs)
    _summary(reports, verbose)
    _after_import(reports, warm)


@app.command("warm")
@user_errors
def warm_command(
    quick: Annotated[
        bool,
        typer.Option("--quick", help="Only the quick analyses (what an import warms)."),
    ] = False,
) -> None:
    """Compute the heavy analyses now, so pages answer at once.

    What it computes: ideal points, bloc cohesion, vote checks, each state's agreement
    figures and the forecast model, for the current data. Imports do the quick ones;
    `rightsdesk serve` does all of them in the background after any import. Run this to
    have everything ready before the server starts.
    """
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    warm_up(s, quick_only=quick)


@app.command()
@user_errors
def setup(
    data: Annotated[Path | None, typer.Option(help="Folder of open data to import.")] = None,
    admin: Annotated[str, typer.Option(help="Name of the first admin account.")] = "admin",
) -> None:
    """First run: initialise the store, import the open data found, create the admin account."""
    from rightsdesk.core.db import session_scope
    from rightsdesk.core.errors import NotFoundError
    from rightsdesk.core.security.users import create_user, get_user
    from rightsdesk.store import init_store

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
    warm: Annotated[
        bool,
        typer.Option(
            "--warm/--no-warm",
            help="Compute the heavy analyses in the background whenever the data changed.",
        ),
    ] = True,
) -> None:
    """Serve the web workbench and the JSON API (FastAPI under uvicorn)."""
    import os

    import uvicorn

    from rightsdesk.core import warmup
    from rightsdesk.forms import FORMS
    from rightsdesk.store import check_ready
    from rightsdesk.web.app import create_app

    s = settings()
    check_ready(s)
    count = workers or os.cpu_count() or 1
    console.print(
        f"rightsdesk workbench on http://{host}:{port}/ (store: {s.database_url}; "
        f"{count} worker{'s' if count > 1 else ''})"
    )
    # one worker: build the app (which imports scikit-learn and pandas) before the warm-up
    # thread starts, so the two threads never import the same packages at once (a circular
    # package import in two threads ends in _DeadlockError)
    app = create_app(s) if count == 1 else None
    if warm:  # in this process; results go to DATA, which every worker reads
        warmup.watch(s, warmup.declared_tasks(FORMS))
    # proxy_headers=False: the app decides which X-Forwarded-For to believe
    # (RIGHTSDESK_TRUSTED_PROXIES); uvicorn's default would believe any local client.
    options = {"host": host, "port": port, "log_level": "warning", "proxy_headers": False}
    if app is not None:
        uvicorn.run(app, **options)  # type: ignore[arg-type]
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
