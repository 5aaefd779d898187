"""Commands of the negotiation form: ``rightsdesk negotiation treaties | votes | positions ...``.

Each room owns its Typer app; this module composes them, the way ``routes`` composes the rooms'
routers. The older paths keep working, hidden from ``--help``: ``rightsdesk negotiation
agreement | cohesion | mismatches | ideal-points | backtest | forecast`` (the same commands)
and ``rightsdesk treaties ...`` (``treaties_app``, mounted at the root as an alias).
"""

from __future__ import annotations

import typer

from rightsdesk.negotiation.positions.cli import app as positions_app
from rightsdesk.negotiation.treaties.cli import app as treaties_app
from rightsdesk.negotiation.votes.cli import app as votes_app

__all__ = ["app", "treaties_app"]

app = typer.Typer(
    help="Treaties, UN votes and blocs, state positions and vote forecasts.", no_args_is_help=True
)
app.add_typer(treaties_app, name="treaties")
app.add_typer(votes_app, name="votes")
app.add_typer(positions_app, name="positions")

#: Commands that stood directly under ``rightsdesk negotiation`` before the rooms.
ALIASES: dict[str, typer.Typer] = {
    "agreement": votes_app,
    "cohesion": votes_app,
    "mismatches": votes_app,
    "ideal-points": positions_app,
    "backtest": positions_app,
    "forecast": positions_app,
}


def _mount_aliases() -> None:
    for name, room in ALIASES.items():
        found = [c for c in room.registered_commands if c.name == name]
        if len(found) != 1 or found[0].callback is None:
            raise LookupError(f"no command {name!r} to alias")
        app.command(name, hidden=True, help=found[0].help)(found[0].callback)


_mount_aliases()
