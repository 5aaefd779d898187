"""The state resolver: UN-style names, codes, historical states, and every name in the data."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import UnknownStateError
from rightsdesk.core.limits import StateNameError
from rightsdesk.core.resolver import get_resolver
from rightsdesk.core.states import (
    AmbiguousStateError,
    State,
    group_members,
    lookup_state,
    reference_states,
    resolve_state,
)
from rightsdesk.store import init_store

ClientFor = Callable[[str], TestClient]
"""The ``client_for`` fixture of tests/conftest.py: a logged-in client for a role."""


@pytest.mark.parametrize(
    ("query", "iso3"),
    [
        ("Iran (Islamic Republic of)", "IRN"),
        ("Türkiye", "TUR"),
        ("TURKIYE", "TUR"),
        ("turkey", "TUR"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Republic of Korea", "KOR"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("united states of america", "USA"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Micronesia (Federated States of)", "FSM"),
        ("Lao People's Democratic Republic", "LAO"),
        ("Viet Nam", "VNM"),
        ("Holy See", "VAT"),
        ("State of Palestine", "PSE"),
        ("Congo", "COG"),
        ("Democratic Republic of the Congo", "COD"),
        ("NO", "NOR"),
        ("nor", "NOR"),
        ("385", "NOR"),  # Correlates of War
        ("2", "USA"),
        ("USSR", "SUN"),
        ("Yugoslavia", "YUG"),
        ("Czechoslovakia", "CSK"),
        ("German Democratic Republic", "DDR"),
        ("Yemen Arab Republic", "YAR"),
        ("Democratic Yemen", "YMD"),
    ],
)
def test_resolves_un_style_names_and_codes(query: str, iso3: str) -> None:
    assert resolve_state(query) == iso3


def test_digits_that_are_not_decimal_do_not_crash() -> None:
    """Found by the API fuzz test: '²'.isdigit() is true but int('²') fails."""
    assert lookup_state("²") is None
    with pytest.raises(UnknownStateError):
        resolve_state("²")


def test_unknown_state_lists_candidates() -> None:
    with pytest.raises(UnknownStateError) as info:
        resolve_state("Narnia")
    assert info.value.candidates and "closest" in info.value.message
    with pytest.raises(UnknownStateError) as info:
        resolve_state("Norwya")
    assert info.value.candidates[0][0] == "NOR"


def test_reference_has_all_un_members_and_historical_states() -> None:
    refs = reference_states()
    members = [r for r in refs.values() if r.status == "member"]
    assert len(members) == 193
    assert {"SUN", "YUG", "CSK", "DDR", "YMD", "YAR"} <= set(refs)
    assert refs["PSE"].status == refs["VAT"].status == "observer"


def test_regional_groups_partition_the_members(session) -> None:
    groups = ["UN-AFRICA", "UN-APG", "UN-EEG", "UN-GRULAC", "UN-WEOG"]
    seen: list[str] = []
    for g in groups:
        seen += group_members(session, g)
    assert len(seen) == len(set(seen)) == 193
    assert "GBR" not in group_members(session, "EU")  # left in 2020
    assert len(group_members(session, "EU")) == 27


def _names_in_data(root: Path) -> dict[str, set[str]]:
    """Every state name or code the importers read, by source file."""
    import pandas as pd
    import pyreadr

    found: dict[str, set[str]] = {}
    t = root / "negotiation" / "treaties"
    found["un_hr_ratifications.csv"] = set(pd.read_csv(t / "un_hr_ratifications.csv").country_name)
    for f in sorted((t / "untreaties" / "treaties").glob("4-*.csv")):
        col = pd.read_csv(f).iloc[:, 0].dropna().astype(str)
        found[f.name] = {c.rstrip("0123456789 ,") for c in col}
    for f in sorted((t / "untreaties" / "declarations").glob("4-*.txt")):
        text = f.read_text(encoding="utf-8")
        found[f.name] = {
            line[1:].strip().rstrip("0123456789 ,")
            for line in text.splitlines()
            if line.startswith("#")
        }
    votes = next(iter(pyreadr.read_r(str(root / "negotiation/unvotes/un_votes.rda")).values()))
    pairs = votes[["country", "country_code"]].drop_duplicates()
    found["un_votes.rda codes"] = set(pairs.country_code.dropna())
    found["un_votes.rda names"] = set(pairs.country)
    hrc = pd.read_csv(root / "negotiation/hrc/votes_long.csv")
    found["hrc/votes_long.csv"] = set(hrc.iso3.dropna())
    for f in sorted((root / "monitoring/upr-info").glob("*.csv")):
        text = f.read_bytes().decode("mac_roman").replace("\r\n", "\n").replace("\r", "\n")
        rows = list(csv.DictReader(io.StringIO(text)))
        names = {r["To"] for r in rows if r.get("To")}
        for r in rows:
            names |= {n.strip() for n in (r.get("From") or "").split(",") if n.strip()}
        found[f.name] = names
    for f in sorted((root / "negotiation/statedept").glob("*.csv")):
        found[f.name] = set(pd.read_csv(f).COUNTRY.dropna())
    return found


@pytest.mark.slow
def test_every_state_name_in_the_data_resolves(shared_data: Path) -> None:
    # UPR Info marks a missing recommending state as "(Unknown)" (HTML-escaped): not a state.
    not_states = {"(Unknown)"}
    unresolved = {
        source: sorted(
            n for n in names if lookup_state(n) is None and html.unescape(n) not in not_states
        )
        for source, names in _names_in_data(shared_data).items()
    }
    unresolved = {k: v for k, v in unresolved.items() if v}
    assert unresolved == {}


# --- UN names, aliases, ambiguity (issue 8, part 6) ---------------------------------------


@pytest.mark.parametrize(
    ("iso3", "name", "official"),
    [
        ("VAT", "Holy See", "Holy See"),
        ("IRN", "Iran (Islamic Republic of)", "Islamic Republic of Iran"),
        ("PRK", "Democratic People's Republic of Korea", "Democratic People's Republic of Korea"),
        ("KOR", "Republic of Korea", "Republic of Korea"),
        ("TUR", "Türkiye", "Republic of Türkiye"),
        ("CIV", "Côte d'Ivoire", "Republic of Côte d'Ivoire"),
        ("FSM", "Micronesia (Federated States of)", "Federated States of Micronesia"),
        ("COD", "Democratic Republic of the Congo", "Democratic Republic of the Congo"),
        ("BOL", "Bolivia (Plurinational State of)", "Plurinational State of Bolivia"),
        ("VEN", "Venezuela (Bolivarian Republic of)", "Bolivarian Republic of Venezuela"),
        ("GBR", "United Kingdom", "United Kingdom of Great Britain and Northern Ireland"),
        ("VNM", "Viet Nam", "Socialist Republic of Viet Nam"),
    ],
)
def test_states_carry_their_un_names(iso3: str, name: str, official: str) -> None:
    ref = reference_states()[iso3]
    assert (ref.name, ref.official_name) == (name, official)


@pytest.mark.parametrize(
    ("alias", "iso3"),
    [
        ("Iran", "IRN"), ("North Korea", "PRK"), ("South Korea", "KOR"), ("DPRK", "PRK"),
        ("Turkey", "TUR"), ("Ivory Coast", "CIV"), ("Vatican", "VAT"), ("UK", "GBR"),
        ("USA", "USA"), ("Russia", "RUS"), ("Syria", "SYR"), ("Laos", "LAO"),
        ("Vietnam", "VNM"), ("Tanzania", "TZA"), ("Bolivia", "BOL"), ("Czech Republic", "CZE"),
        ("Swaziland", "SWZ"), ("Burma", "MMR"), ("Cape Verde", "CPV"), ("Macedonia", "MKD"),
        ("cote d'ivoire", "CIV"), ("IRAN (ISLAMIC REPUBLIC OF)", "IRN"),
    ],
)  # fmt: skip
def test_common_names_are_aliases(alias: str, iso3: str) -> None:
    assert resolve_state(alias) == iso3


def test_ambiguous_names_are_refused_with_candidates() -> None:
    with pytest.raises(AmbiguousStateError) as info:
        resolve_state("Korea")
    assert {c[0] for c in info.value.candidates} == {"PRK", "KOR"}
    assert info.value.exit_code == 65
    assert lookup_state("korea") is None  # never guessed
    assert resolve_state("Congo") == "COG"  # the UN short name of the Republic of the Congo


def test_fry_is_not_the_sfry() -> None:
    assert resolve_state("Federal Republic of Yugoslavia") == "SCG"
    assert resolve_state("FRY") == "SCG"
    assert resolve_state("Socialist Federal Republic of Yugoslavia") == "YUG"


def test_length_cap_before_matching() -> None:
    with pytest.raises(StateNameError):
        resolve_state("Korea " * 200)


def _states_cli(*args: str) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from rightsdesk.cli import app

    result = CliRunner().invoke(app, ["states", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_states_resolve_contract() -> None:
    assert _states_cli("resolve", "Vatican") == (0, "VAT\tHoly See\n", "")
    assert _states_cli("resolve", "Iran (Islamic Republic of)")[1] == (
        "IRN\tIran (Islamic Republic of)\n"
    )
    code, out, err = _states_cli("resolve", "Korea")
    assert code == 65 and out == ""
    assert "PRK\tDemocratic People's Republic of Korea" in err.splitlines()
    assert "KOR\tRepublic of Korea" in err.splitlines()
    code, out, err = _states_cli("resolve", "Narnia")
    assert code == 66 and out == "" and "Narnia" in err


def test_cli_states_list() -> None:
    code, out, _ = _states_cli("list", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    by_iso3 = {r["iso3"]: r for r in rows}
    assert by_iso3["VAT"]["name"] == "Holy See"
    assert by_iso3["GBR"]["official_name"] == "United Kingdom of Great Britain and Northern Ireland"
    code, out, _ = _states_cli()
    assert code == 0 and "Holy See" in out


def test_init_renames_states_of_an_existing_store(settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        session.get(State, "VAT").name = "Vatican City State"  # type: ignore[union-attr]
        session.get(State, "IRN").name = "Iran"  # type: ignore[union-attr]
    init_store(settings)
    with session_scope(settings.database_url) as session:
        assert session.get(State, "VAT").name == "Holy See"  # type: ignore[union-attr]
        assert session.get(State, "IRN").name == "Iran (Islamic Republic of)"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("query", "iso3"),
    [
        ("Iran (Islamic Republic of)", "IRN"),
        ("Turkey", "TUR"),
        ("Ivory Coast", "CIV"),
        ("DPRK", "PRK"),
        ("UK", "GBR"),
        ("Holy See", "VAT"),
    ],
)
def test_web_state_search_uses_the_resolver(client_for: ClientFor, query: str, iso3: str) -> None:
    viewer = client_for("viewer")
    page = viewer.get("/states", params={"q": query})
    assert page.status_code == 200
    links = re.findall(r'href="/states/([A-Z]{3})"', page.text)
    assert links and links[0] == iso3
    api = viewer.get("/api/v1/states", params={"q": query}).json()
    assert api[0]["iso3"] == iso3


def test_web_state_search_shows_the_candidates_of_an_ambiguous_name(
    client_for: ClientFor,
) -> None:
    viewer = client_for("viewer")
    page = viewer.get("/states", params={"q": "Korea"})
    assert 'id="state-ambiguous"' in page.text
    links = set(re.findall(r'href="/states/([A-Z]{3})"', page.text))
    assert {"PRK", "KOR"} <= links
    uk = re.findall(r'href="/states/([A-Z]{3})"', viewer.get("/states?q=UK").text)
    assert uk[0] == "GBR" and "UKR" in uk  # the United Kingdom first, Ukraine still listed


@pytest.mark.parametrize(
    ("iso3", "cow"),
    [
        ("DEU", 255),
        ("CZE", 316),  # country-converter gives Czechoslovakia's 315
        ("KIR", 946),  # its Gleditsch-Ward column says 970, COW's code of Nauru
        ("NRU", 970),
        ("TON", 955),
        ("TUV", 947),
        ("CSK", 315),
        ("SUN", 365),
    ],
)
def test_states_carry_correlates_of_war_codes(iso3: str, cow: int) -> None:
    """``cow_code`` is the Correlates of War code (COW state list), which PTS, CIRIGHTS and
    EWP key their rows by, not the Gleditsch-Ward code where the two systems differ."""
    assert reference_states()[iso3].cow_code == cow
    current = {"CSK": "CZE", "SUN": "RUS"}.get(iso3, iso3)  # a code shared with a successor
    assert get_resolver().lookup(cow) in {iso3, current}
