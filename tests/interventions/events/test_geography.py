"""FIPS 10-4 place codes and CAMEO actor codes to ISO 3166 alpha-3."""

from __future__ import annotations

import pycountry
import pytest

from rightsdesk.interventions.events.geography import (
    cameo_to_iso3,
    fips_table,
    fips_to_iso3,
)

TRICKY = {
    "UK": "GBR",
    "GM": "DEU",
    "CH": "CHN",
    "SZ": "CHE",
    "RS": "RUS",
    "KS": "KOR",
    "KN": "PRK",
    "IS": "ISR",
    "WE": "PSE",
    "GZ": "PSE",
    "EZ": "CZE",
    "SP": "ESP",
    "AS": "AUS",
    "AU": "AUT",
    "BM": "MMR",
    "CG": "COD",
    "CF": "COG",
    "OD": "SSD",
    "SU": "SDN",
    "YM": "YEM",
    "RI": "SRB",
    "RB": "SRB",
    "MJ": "MNE",
    "KV": "XKX",
    "SF": "ZAF",
    "SW": "SWE",
    "SN": "SGP",
    "NI": "NGA",
    "NG": "NER",
    "IV": "CIV",
    "IZ": "IRQ",
    "JA": "JPN",
    "TU": "TUR",
    "TX": "TKM",
    "TI": "TJK",
    "LO": "SVK",
    "LG": "LVA",
    "LH": "LTU",
    "EN": "EST",
    "BO": "BLR",
    "BU": "BGR",
    "UP": "UKR",
    "RP": "PHL",
    "VM": "VNM",
    "CE": "LKA",
    "BG": "BGD",
    "CB": "KHM",
    "MU": "OMN",
    "BA": "BHR",
    "PO": "PRT",
    "EI": "IRL",
    "DA": "DNK",
    "HO": "HND",
    "ES": "SLV",
    "NU": "NIC",
    "NS": "SUR",
    "PU": "GNB",
    "GV": "GIN",
    "UV": "BFA",
    "WA": "NAM",
    "WZ": "SWZ",
    "BC": "BWA",
    "LT": "LSO",
    "ZI": "ZWE",
    "ZA": "ZMB",
    "MI": "MWI",
    "MA": "MDG",
    "CD": "TCD",
    "CT": "CAF",
    "TO": "TGO",
    "TP": "STP",
    "EK": "GNQ",
    "VT": "VAT",
    "AN": "AND",
    "MN": "MCO",
    "TT": "TLS",
    "WI": "ESH",
}


@pytest.mark.parametrize(("fips", "iso3"), sorted(TRICKY.items()))
def test_tricky_fips_codes(fips: str, iso3: str) -> None:
    assert fips_to_iso3(fips) == iso3


def test_blank_unknown_and_stateless_codes_map_to_none() -> None:
    for code in ("", None, "XX", "PG", "PF", "OS", "ZN"):
        assert fips_to_iso3(code) is None
    assert fips_to_iso3(" uk ") == "GBR"


def test_the_table_is_complete_and_valid() -> None:
    table = fips_table()
    codes = [row[0] for row in table]
    assert len(codes) == len(set(codes)) >= 250
    iso3s = {row[1] for row in table if row[1]}
    assert all(pycountry.countries.get(alpha_3=c) or c == "XKX" for c in iso3s)
    # every ISO 3166 country but the two FIPS 10-4 never had (Aland, Caribbean Netherlands)
    missing = {c.alpha_3 for c in pycountry.countries} - iso3s
    assert missing == {"ALA", "BES"}


def test_every_code_of_the_real_export_is_known(export_path: object) -> None:
    from pathlib import Path

    assert isinstance(export_path, Path)
    seen: set[str] = set()
    for line in export_path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        seen.update(c for c in (cells[37], cells[45], cells[53]) if c)
    assert {c for c in seen if fips_to_iso3(c) is None} == set()


def test_cameo_actor_codes() -> None:
    assert cameo_to_iso3("USA") == "USA"
    assert cameo_to_iso3("ROM") == "ROU"
    assert cameo_to_iso3("TMP") == "TLS"
    assert cameo_to_iso3("ZAR") == "COD"
    assert cameo_to_iso3("PSE") == "PSE"
    assert cameo_to_iso3("EUR") is None  # a region, no state
    assert cameo_to_iso3("AFR") is None
    assert cameo_to_iso3("") is None
