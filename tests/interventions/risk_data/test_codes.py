"""State codes: Gleditsch-Ward (UCDP) to COW (EWP) and ISO3, where the two systems differ."""

from __future__ import annotations

import pytest

from rightsdesk.interventions.risk.sources.codes import (
    code_iso3,
    cow_iso3,
    gw_codes,
    gw_iso3,
    gw_to_cow,
    name_codes,
)


@pytest.mark.parametrize(
    ("gw", "year", "cow", "iso3"),
    [
        (260, 1980, 255, "DEU"),  # German Federal Republic: EWP's Germany is COW 255
        (260, 2010, 255, "DEU"),
        (265, 1980, 265, "DDR"),
        (340, 2010, 345, "SRB"),  # GW Serbia = COW Yugoslavia/Serbia
        (345, 1995, 345, "SRB"),
        (678, 1985, 678, "YAR"),  # Yemen Arab Republic before unification
        (678, 1995, 679, "YEM"),  # GW keeps 678 for unified Yemen; COW starts 679
        (680, 1985, 680, "YMD"),
        (365, 1980, 365, "RUS"),
        (816, 2000, 816, "VNM"),
        (626, 2015, 626, "SSD"),
        (347, 2010, 347, "XKX"),
        (316, 2000, 316, "CZE"),
        (970, 2000, 946, "KIR"),  # GW 970-973 are four Pacific states COW numbers otherwise
        (971, 2000, 970, "NRU"),
        (972, 2000, 955, "TON"),
        (973, 2000, 947, "TUV"),
    ],
)
def test_gw_to_cow_and_iso3(gw: int, year: int, cow: int, iso3: str) -> None:
    assert gw_to_cow(gw, year) == cow
    assert gw_iso3(gw, year) == iso3


def test_cow_codes_the_resolver_lacks() -> None:
    assert cow_iso3(260) == "DEU"
    assert cow_iso3(315) == "CSK"
    assert cow_iso3(316) == "CZE"
    assert cow_iso3(817) is None  # Republic of Vietnam: no state, source code and name kept
    assert cow_iso3(2) == "USA"
    # COW, not Gleditsch-Ward: PTS and CIRIGHTS write Nauru 970 and Kiribati 946
    assert [cow_iso3(c) for c in (946, 947, 955, 970)] == ["KIR", "TUV", "TON", "NRU"]


def test_units_named_without_a_code() -> None:
    """PTS writes the Soviet Union without any code; COW, EWP and CIRIGHTS keep it as 365."""
    assert name_codes("Soviet Union") == (365, "SUN")
    assert name_codes(" soviet union ") == (365, "SUN")
    assert name_codes("Gaza (Hamas)") is None  # kept with its own name, no state


def test_location_lists_and_fallback_codes() -> None:
    assert gw_codes("625, 626") == [625, 626]
    assert gw_codes("") == []
    assert code_iso3("WBG") == "PSE"
    assert code_iso3("NA") is None and code_iso3("-99") is None
    assert code_iso3("srb") == "SRB"
