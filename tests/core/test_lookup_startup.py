"""A simple lookup starts fast (issue 10, item 4): ``rightsdesk states resolve NAME`` imports
neither pandas, SQLAlchemy, Pydantic nor country-converter, and the reference tables it reads
as plain text hold what those libraries would give."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.refdata import coco_table, iso3166_countries

HEAVY = ("pandas", "numpy", "sqlalchemy", "pydantic", "country_converter", "pycountry", "altair")

PROBE = """
import runpy, sys
sys.argv = ["rightsdesk", *sys.argv[1:]]
try:
    runpy.run_module("rightsdesk", run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print("LOADED", ",".join(heavy), "EXIT", code, file=sys.stderr)
"""


def _run(*args: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("LOADED")]
    assert line, done.stderr
    return done.stdout, line[-1]


@pytest.mark.parametrize(
    ("name", "out", "code"),
    [
        ("France", "FRA\tFrance", 0),
        ("Iran (Islamic Republic of)", "IRN\tIran (Islamic Republic of)", 0),
        ("Korea", "", 65),
        ("Narnia", "", 66),
    ],
)
def test_states_resolve_loads_no_heavy_library(name: str, out: str, code: int) -> None:
    stdout, loaded = _run("states", "resolve", name)
    assert stdout.strip() == out
    assert loaded == f"LOADED  EXIT {code}", loaded


def test_typer_still_checks_values_that_need_it() -> None:
    """Text parameters pass through; a number is still checked (Typer's own coercion)."""
    runner = CliRunner()
    bad = runner.invoke(app, ["users", "token", "someone", "--expires-days", "many"])
    assert bad.exit_code == 2 and "--expires-days" in bad.output and "integer" in bad.output
    ok = runner.invoke(app, ["states", "resolve", "NO"])
    assert ok.exit_code == 0 and ok.output == "NOR\tNorway\n"


def test_coco_table_is_country_converters_data() -> None:
    import country_converter as coco

    for obsolete in (False, True):
        frame = coco.CountryConverter(include_obsolete=obsolete).data
        ours = coco_table(include_obsolete=obsolete)
        assert len(ours) == len(frame)
        theirs = {str(r["ISO3"]): r for r in frame.to_dict("records")}
        assert {r["ISO3"] for r in ours} == set(theirs)
        for row in ours:
            other = theirs[row["ISO3"]]
            for column in ("name_short", "name_official", "regex", "ISO2", "continent"):
                assert row[column] == str(other[column]), (row["ISO3"], column)
            for column in ("UNmember", "GWcode"):
                value = other[column]
                expected = "" if value is None or value != value else str(int(value))
                assert row[column].split(".")[0] == expected, (row["ISO3"], column)


def test_iso3166_is_pycountrys_list() -> None:
    import pycountry

    ours = iso3166_countries()
    assert len(ours) == len(pycountry.countries)
    for country in pycountry.countries:
        entry = ours[country.alpha_3]
        for attr in ("name", "official_name", "common_name"):
            assert entry.get(attr) == getattr(country, attr, None)
