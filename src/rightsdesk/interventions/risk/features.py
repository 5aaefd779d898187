"""Which panel columns the risk model may read, and what each one means in plain words.

The Early Warning Project's predictor file (``prepared2024predictors``) holds its predictors
*and* columns derived from the outcome (``mk_onset_1or2`` is the very target, ``mk_onset_1``,
``mk_onset_2`` its halves, ``mk_onset`` the onset of the row's own year). Those must never be
features: ``feature_columns`` refuses them even if a panel carries them. Extra sources arrive
from ``risk/panel.py`` as ``pts_*``, ``ciri_*`` and ``ucdp_*`` columns, already lagged by their
publication delay (the value in row ``year`` is what was published by the end of ``year``).

The EWP predictor file is a 2025 vintage: its V-Dem based columns (``pol_killing_approved``,
``freediscussion``, ``even_civilrights``, ...) are the revised V-Dem series of that release,
not the values an analyst had in, say, 1995. EWP's own out-of-sample forecasts
(``FOOSforecasts``) were computed on the same vintage, so the comparison is like for like, but
both backtests are somewhat kinder than real time would have been.
"""

from __future__ import annotations

import pandas as pd

#: Identifiers of a panel row; never features.
ID_COLUMNS = ("ccode", "iso3", "country", "ewp_name")

#: Columns derived from the outcome (the target and its parts): never features.
OUTCOME_COLUMNS = ("mk_onset_1or2", "mk_onset_1", "mk_onset_2", "mk_onset", "target")

#: EWP's predictors, in the order of its coefficient file, with their plain-language labels.
EWP_LABELS: dict[str, str] = {
    "widetargeting": "Ongoing mass killing with wide targeting",
    "narrowtargeting": "Ongoing mass killing with narrow targeting",
    "v2csgender_binary": "Women's civil society participation restricted",
    "v2mecenefm_binary": "Government censors the media",
    "partyban.new.0": "No political parties banned",
    "partyban.new.1": "Some political parties banned",
    "partyban.new.2": "All opposition parties banned",
    "minorityrule": "Rule by an ethnic minority",
    "judicialreform": "Judiciary purged or reformed by government",
    "religiousfreedom": "Religious freedom",
    "pol_killing_approved": "Political killings approved",
    "freediscussion": "Freedom of discussion",
    "social_inequality": "Social group inequality",
    "even_civilrights": "Civil liberties equal across groups",
    "repress_civilsoc": "Civil society repressed",
    "social_power_dist": "Power distributed by social group",
    "ses_power_dist": "Power distributed by socio-economic position",
    "popsize.log2": "Population (log2)",
    "gdppcgrowth": "GDP per capita growth",
    "un_imr_sqrt": "Infant mortality (square root)",
    "efindex": "Ethnic fractionalisation",
    "discrimpop": "Share of population discriminated against",
    "reg.na": "Region: North America",
    "reg.eap": "Region: East Asia and Pacific",
    "reg.sca": "Region: South and Central Asia",
    "reg.mna": "Region: Middle East and North Africa",
    "reg.eur": "Region: Europe",
    "ios.iccpr1": "Party to the ICCPR First Optional Protocol",
    "battledeaths.log2": "Battle deaths (log2)",
    "coup.try.5yr": "Coup attempt in the last five years",
    "mk_ongoing_count_log2": "Ongoing mass killings (log2 count)",
    "mean_mk_onset_interaction": "Mass-killing history (EWP interaction term)",
    "mk_onset_prev_year": "Mass-killing onset in the previous year",
    "newcountry": "Newly independent state",
    "mk_ever": "Mass killing in the past",
    "year_sq": "Year (squared)",
    "year": "Year",
    "countryage.new.log2": "Age of the state (log2)",
    "includesnonstate": "Past mass killing by non-state actors",
}

#: EWP's predictors (every column above).
EWP_FEATURES: tuple[str, ...] = tuple(EWP_LABELS)

#: Prefixes of the extra, publication-lagged sources that ``risk/panel.py`` adds.
EXTRA_PREFIXES: dict[str, str] = {
    "pts_": "Political Terror Scale",
    "ciri_": "CIRIGHTS",
    "ucdp_": "UCDP",
}


def is_extra(column: str) -> bool:
    """Whether a column comes from an extra, publication-lagged source."""
    return column.startswith(tuple(EXTRA_PREFIXES))


def feature_columns(panel: pd.DataFrame, extras: bool = True) -> list[str]:
    """The model's inputs present in ``panel``: EWP's predictors, then (``extras``) the
    ``pts_``/``ciri_``/``ucdp_`` columns in name order. Outcome-derived columns never pass,
    whatever their name: a column equal to the target under another name would be leakage,
    which the out-of-time test (``tests/interventions/risk_model``) guards against."""
    columns = [c for c in EWP_FEATURES if c in panel.columns]
    if extras:
        columns += sorted(str(c) for c in panel.columns if is_extra(str(c)))
    return [c for c in columns if c not in OUTCOME_COLUMNS and c not in ID_COLUMNS]


#: Labels of the extra sources' columns (``risk.panel.FEATURE_SOURCES``), each a year late.
EXTRA_LABELS: dict[str, str] = {
    "pts_a": "Political Terror Scale from Amnesty reports (1 best to 5), year before",
    "pts_h": "Political Terror Scale from Human Rights Watch reports, year before",
    "pts_s": "Political Terror Scale from US State Department reports, year before",
    "pts_max": "Political Terror Scale, worst of the three, year before",
    "ciri_physint": "CIRIGHTS physical integrity index (0 worst to 8), year before",
    "ciri_kill": "CIRIGHTS extrajudicial killing (0 frequent to 2 none), year before",
    "ciri_disap": "CIRIGHTS disappearances, year before",
    "ciri_tort": "CIRIGHTS torture, year before",
    "ciri_polpris": "CIRIGHTS political imprisonment, year before",
    "ciri_bbatrocity": "CIRIGHTS atrocities by the state, year before",
    "ciri_speech": "CIRIGHTS freedom of speech, year before",
    "ciri_assn": "CIRIGHTS freedom of assembly and association, year before",
    "ciri_elecsd": "CIRIGHTS electoral self-determination, year before",
    "ciri_injud": "CIRIGHTS independence of the judiciary, year before",
    "ucdp_bd_best": "Battle deaths in the state (UCDP), year before",
    "ucdp_bd_log2": "Battle deaths in the state (UCDP, log2), year before",
    "ucdp_conflicts": "Armed conflicts in the state (UCDP/PRIO), year before",
    "ucdp_war": "A war (1,000+ battle deaths) in the state (UCDP/PRIO), year before",
    "ucdp_osv_deaths": "One-sided violence deaths (UCDP), year before",
    "ucdp_osv_gov_deaths": "One-sided violence deaths by the government (UCDP), year before",
    "ucdp_osv_log2": "One-sided violence deaths (UCDP, log2), year before",
}


def label(column: str) -> str:
    """A newcomer's label for a feature ("Battle deaths (log2)"); an extra source's column
    reads "<source>: <column words>"."""
    if column in EWP_LABELS:
        return EWP_LABELS[column]
    if column in EXTRA_LABELS:
        return EXTRA_LABELS[column]
    for prefix, source in EXTRA_PREFIXES.items():
        if column.startswith(prefix):
            words = column[len(prefix) :].replace("_", " ").replace(".", " ").strip()
            return f"{source}: {words}"
    return column.replace("_", " ")
