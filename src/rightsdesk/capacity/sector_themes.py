"""Which recommendation themes a DAC sector serves: the bridge between aid and recommendations.

Donors code programmes by OECD DAC purpose (5-digit sector codes: 15160 human rights, 15130
legal and judicial development, 12220 basic health care, ...); UPR Info codes recommendations
by issue ("Justice", "Right to health", ...). Neither vocabulary knows the other, so this table
says, for each sector that plainly serves a human rights subject, which UPR Info issues it
serves. It is deliberately narrow: a sector is mapped only to issues its DAC definition names
(15160 "human rights" covers education in rights, national institutions, defenders, torture and
impunity, not every right), so a shared theme is evidence, not noise. Codes not listed here
(transport, banking, 99810 "sectors not specified"...) serve no theme.

A 3-digit category code (``151``) is matched by its first three digits only when no 5-digit
entry matches.
"""

from __future__ import annotations

__all__ = ["HUMAN_RIGHTS_SECTORS", "SECTOR_THEMES", "sector_themes", "theme_sectors"]

# the DAC sectors the issue calls human-rights related (the CRS "human rights aid" of a state)
HUMAN_RIGHTS_SECTORS = ("15160", "15150", "15170", "15180")

SECTOR_THEMES: dict[str, tuple[str, ...]] = {
    # 151 Government and civil society
    "15110": ("National plan of action",),
    "15111": ("Corruption",),
    "15113": ("Corruption",),
    "15130": ("Justice", "Impunity", "Detention"),
    "15150": (
        "Civil society",
        "Elections",
        "Freedom of association and peaceful assembly",
        "Human rights defenders",
    ),
    "15151": ("Elections",),
    "15152": ("Elections",),
    "15153": ("Freedom of the press", "Freedom of opinion and expression"),
    "15160": (
        "Human rights education and training",
        "NHRI",
        "Human rights defenders",
        "Torture and other CID treatment",
        "Impunity",
        "Human rights violations by state agents",
        "Enforced disappearances",
        "Extrajudicial executions",
        "Technical assistance and cooperation",
    ),
    "15170": ("Women's rights",),
    "15180": ("Women's rights", "Trafficking"),
    # 152 Conflict, peace and security
    "15210": ("Public security", "Human rights violations by state agents"),
    "15220": ("International humanitarian law",),
    "15230": ("International humanitarian law",),
    "15240": ("International humanitarian law",),
    "15261": ("Rights of the Child", "International humanitarian law"),
    # social sectors
    "11110": ("Right to education",),
    "11220": ("Right to education",),
    "11230": ("Right to education",),
    "11240": ("Right to education",),
    "11320": ("Right to education",),
    "12220": ("Right to health",),
    "12230": ("Right to health",),
    "12240": ("Right to health", "Rights of the Child"),
    "12250": ("Right to health",),
    "12261": ("Right to health",),
    "12262": ("Right to health",),
    "12263": ("Right to health", "HIV - Aids"),
    "13020": ("Right to health", "Women's rights"),
    "13030": ("Right to health", "Women's rights"),
    "13040": ("HIV - Aids",),
    "14030": ("Right to water",),
    "14031": ("Right to water",),
    "14032": ("Right to water",),
    "16010": ("ESC rights - general", "Poverty"),
    "16020": ("Labour",),
    "16030": ("Right to housing",),
    "16040": ("Right to housing",),
    "16050": ("ESC rights - general",),
    "31110": ("Right to food",),
    "31161": ("Right to food",),
    "43040": ("Right to land",),
    "41010": ("Environment",),
    "52010": ("Right to food",),
    # humanitarian aid
    "72010": ("Internally displaced persons", "Asylum-seekers - refugees"),
    "72040": ("Right to food",),
    "72050": ("Internally displaced persons",),
    "73010": ("Internally displaced persons",),
    "74010": ("Internally displaced persons",),
}
# 3-digit DAC categories (vocabulary 2, CRS columns "151", "152") and what they serve
_CATEGORY_THEMES: dict[str, tuple[str, ...]] = {
    "151": ("Justice", "Civil society", "Human rights education and training"),
    "152": ("Public security", "International humanitarian law"),
    "112": ("Right to education",),
    "122": ("Right to health",),
}


def sector_themes(code: str | None) -> tuple[str, ...]:
    """The UPR Info issues a DAC sector code serves (none for an unmapped or empty code)."""
    if not code:
        return ()
    code = code.strip()
    if code in SECTOR_THEMES:
        return SECTOR_THEMES[code]
    if len(code) == 3:
        return _CATEGORY_THEMES.get(code, ())
    return ()


def theme_sectors(theme: str) -> list[str]:
    """The 5-digit sectors that serve ``theme`` (what CRS aid counts toward it)."""
    return sorted(code for code, themes in SECTOR_THEMES.items() if theme in themes)
