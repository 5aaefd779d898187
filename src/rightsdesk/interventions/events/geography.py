"""GDELT's country codes as ISO 3166-1 alpha-3, the key of every state in rightsdesk.

Two code systems meet in a GDELT event. Places (``ActionGeo_CountryCode``,
``Actor1Geo_CountryCode`` ...) carry FIPS 10-4 codes, which look like ISO alpha-2 but are not:
``UK`` is the United Kingdom, ``GM`` Germany, ``CH`` China, ``SZ`` Switzerland, ``AS``
Australia and ``AU`` Austria. No installed library knows FIPS 10-4, so the full table is
package data (``data/fips10_4.csv``: code, ISO3, name, note). Territories without an ISO code
of their own map to their sovereign (Clipperton to FRA, Akrotiri to GBR); the West Bank and
Gaza to the State of Palestine (PSE); Kosovo to XKX as rightsdesk's states call it; disputed
islands and the oceans to no state.

Actors (``Actor1CountryCode``) carry CAMEO's three-letter codes: ISO alpha-3 for states, a few
older codes (``ROM`` for Romania, ``TMP`` for East Timor, ``ZAR`` for Zaire), and regions
(``AFR``, ``EUR``, ``MEA`` ...) that are no state.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import Final

#: CAMEO country codes that are not the state's current ISO alpha-3 code.
CAMEO_ALIASES: Final[dict[str, str]] = {
    "ROM": "ROU",
    "TMP": "TLS",
    "ZAR": "COD",
    "KSV": "XKX",
    "KOS": "XKX",
    "SCG": "SRB",
    "YUG": "SRB",
    "ANT": "NLD",
    "BUR": "MMR",
    "GER": "DEU",
}


@cache
def fips_table() -> tuple[tuple[str, str | None, str, str], ...]:
    """Every FIPS 10-4 country code: (code, ISO3 or None, name, note)."""
    text = resources.files(__package__).joinpath("data/fips10_4.csv").read_text("utf-8")
    return tuple(
        (row["fips"], row["iso3"] or None, row["name"], row["note"])
        for row in csv.DictReader(io.StringIO(text))
    )


@cache
def fips_to_iso3_map() -> dict[str, str | None]:
    """FIPS 10-4 code -> ISO3 (None for places that are no state)."""
    return {code: iso3 for code, iso3, _name, _note in fips_table()}


def fips_to_iso3(code: str | None) -> str | None:
    """The ISO3 code of a FIPS 10-4 country code; None for blank, unknown or stateless."""
    if not code:
        return None
    return fips_to_iso3_map().get(code.strip().upper())


@cache
def cameo_to_iso3_map() -> dict[str, str]:
    """CAMEO actor country code -> ISO3, for every code that names a state: ISO alpha-3
    codes as they are (those of ISO 3166 and rightsdesk's own, such as XKX) and the aliases."""
    import pycountry

    codes = {c.alpha_3: c.alpha_3 for c in pycountry.countries}
    codes.update({iso3: iso3 for _c, iso3, _n, _note in fips_table() if iso3})
    codes.update(CAMEO_ALIASES)
    return codes


def cameo_to_iso3(code: str | None) -> str | None:
    """The ISO3 code of a CAMEO actor country code; None for blank codes and regions."""
    if not code:
        return None
    return cameo_to_iso3_map().get(code.strip().upper())
