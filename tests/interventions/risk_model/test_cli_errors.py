"""Without the EWP data the commands say which imports to run, with the not-found exit code
of ``core.errors``, and the service functions return nothing rather than fail."""

from __future__ import annotations

from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.interventions.risk import public


def test_commands_name_the_missing_imports(sqlite_settings: Settings) -> None:
    runner = CliRunner()
    db = ["--database", sqlite_settings.database_url]
    for command in (["backtest"], ["forecast", "--year", "2020"]):
        out = runner.invoke(app, [*db, "interventions", *command])
        assert out.exit_code == 66, out.output
        assert "ewp-predictors" in out.output and "Traceback" not in out.output
    with session_scope(sqlite_settings.database_url) as session:
        assert public.ranking(session) == []
        assert public.latest_risk(session, "SDN") is None
        assert public.risk_trend(session, "SDN") == []
        assert public.state_section(session, "SDN", None) is None
