"""State codes of the risk sources: Correlates of War (EWP, PTS, CIRIGHTS) and Gleditsch-Ward
(UCDP), turned into ISO3 keys and into the COW code the Early Warning Project panel is keyed by.

Why not only ``core.resolver``: its COW table is built from country-converter's Gleditsch-Ward
column with a few corrections, which is right for current states but lacks codes of the
historical units these panels carry (COW 260 German Federal Republic, 817 Republic of Vietnam)
and a few sources leave a unit uncoded (PTS's Soviet Union). The few differences are
written here by hand, each with its reason; everything else goes through the resolver.
"""

from __future__ import annotations

from functools import cache

from rightsdesk.core.resolver import get_resolver, reference_states

#: COW codes the resolver answers wrongly or not at all for these panels.
COW_ISO3: dict[int, str | None] = {
    260: "DEU",  # German Federal Republic (West Germany), continued by Germany
    315: "CSK",  # Czechoslovakia to 1992
    316: "CZE",  # Czech Republic from 1993
    817: None,  # Republic of Vietnam (South Vietnam), 1954-1975: no ISO3 state
    730: None,  # Korea before 1948
}

#: Gleditsch-Ward codes whose COW code differs. GW keeps one code for a state across a
#: change that COW splits, and the reverse; the EWP panel follows COW.
GW_TO_COW: dict[int, int] = {
    260: 255,  # GW German Federal Republic (1949-, unified Germany after 1990) = COW 255 in EWP
    340: 345,  # GW Serbia (2006-) = COW 345 (Yugoslavia/Serbia, one unit in COW and EWP)
    970: 946,  # GW Kiribati = COW 946 (COW 970 is Nauru)
    971: 970,  # GW Nauru = COW 970
    972: 955,  # GW Tonga = COW 955
    973: 947,  # GW Tuvalu = COW 947
}

#: Units a COW-keyed source writes without any code, by name: (COW code, ISO3). PTS leaves the
#: Soviet Union (1976-1991) uncoded; COW, EWP and CIRIGHTS keep it as 365, continued by Russia.
NAME_CODES: dict[str, tuple[int, str]] = {
    "soviet union": (365, "SUN"),
}


def gw_to_cow(gw: int, year: int) -> int:
    """The COW code of a Gleditsch-Ward state code in ``year``.

    GW 678 is Yemen (Arab Republic) before unification and Yemen after; COW ends 678 in 1989
    and starts 679 in 1990, so the year decides.
    """
    if gw == 678:
        return 679 if year >= 1990 else 678
    return GW_TO_COW.get(gw, gw)


@cache
def cow_iso3(cow: int) -> str | None:
    """ISO3 key of a COW code (historical states keep their own: CSK, DDR, YAR, YMD), or None
    where no state of rightsdesk stands for it (the source's own code and name are kept)."""
    if cow in COW_ISO3:
        return COW_ISO3[cow]
    return get_resolver().cow.get(cow)


def name_codes(name: str) -> tuple[int, str] | None:
    """(COW code, ISO3) of a unit a source names but does not code (``NAME_CODES``)."""
    return NAME_CODES.get(name.strip().casefold())


def gw_iso3(gw: int, year: int) -> str | None:
    """ISO3 key of a Gleditsch-Ward code in ``year``."""
    return cow_iso3(gw_to_cow(gw, year))


def code_iso3(code: str) -> str | None:
    """ISO3 of a code a source writes beside its COW code (PTS ``WordBank_Code_A``, CIRIGHTS
    ``iso_a3``): used only where the COW code is missing. Placeholders such as ``NA`` or
    ``-99`` give None."""
    text = code.strip().upper()
    if len(text) != 3 or not text.isalpha():
        return None
    if text in reference_states():
        return text
    return {"WBG": "PSE", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "KSV": "XKX"}.get(text)


def gw_codes(text: str) -> list[int]:
    """The Gleditsch-Ward codes of a UCDP location cell (``"625, 626"``: both states)."""
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if part.isdigit():
            out.append(int(part))
    return out
