"""The ICC's own numbers for the situations and cases of the ABA ICC project's files.

The ABA files name situations and cases by web slug only ("uganda", "the-prosecutor-v-ongwen");
the Court writes "ICC-02/04" and "ICC-02/04-01/15". These are the Court's record numbers as its
website and filings give them. A slug missing here (a preliminary examination, which the
Court numbers only once a chamber is seized) is imported with no identifier; an editor can add
one on the entry's page.
"""

from __future__ import annotations

#: Situation slug -> ICC situation number.
SITUATIONS: dict[str, str] = {
    "democratic-republic-of-the-congo": "ICC-01/04",
    "uganda": "ICC-02/04",
    "central-african-republic": "ICC-01/05",
    "sudan": "ICC-02/05",
    "kenya": "ICC-01/09",
    "libya": "ICC-01/11",
    "cote-divoire": "ICC-02/11",
    "mali": "ICC-01/12",
    "comoros": "ICC-01/13",
    "central-african-republic_2": "ICC-01/14",
    "georgia": "ICC-01/15",
    "burundi": "ICC-01/17",
    "afghanistan": "ICC-02/17",
    "palestine": "ICC-01/18",
    "venezuela-i": "ICC-02/18",
    "philippines": "ICC-01/21",
    "ukraine": "ICC-01/22",
}

#: Case slug -> ICC case number.
CASES: dict[str, str] = {
    "the-prosecutor-v-lubanga": "ICC-01/04-01/06",
    "the-prosecutor-v-katanga": "ICC-01/04-01/07",
    "the-prosecutor-v-chui": "ICC-01/04-02/12",
    "the-prosecutor-v-ntaganda": "ICC-01/04-02/06",
    "the-prosecutor-v-mbarushimana": "ICC-01/04-01/10",
    "the-prosecutor-v-mudacumura": "ICC-01/04-01/12",
    "the-prosecutor-v-kony-et-al": "ICC-02/04-01/05",
    "the-prosecutor-v-ongwen": "ICC-02/04-01/15",
    "the-prosecutor-v-bemba": "ICC-01/05-01/08",
    "the-prosecutor-v-bemba-et-al": "ICC-01/05-01/13",
    "the-prosecutor-v-harun-and-kushayb": "ICC-02/05-01/07",
    "prosecutor-v--abd-al-rahman": "ICC-02/05-01/20",
    "the-prosecutor-v-al-bashir": "ICC-02/05-01/09",
    "the-prosecutor-v-abu-garda": "ICC-02/05-02/09",
    "the-prosecutor-v-banda": "ICC-02/05-03/09",
    "the-prosecutor-v-hussein": "ICC-02/05-01/12",
    "the-prosecutor-v-ruto-and-sang": "ICC-01/09-01/11",
    "the-prosecutor-v-uhuru-muigai-kenyatta": "ICC-01/09-02/11",
    "the-prosecutor-v-walter-osapiri-barasa": "ICC-01/09-01/13",
    "the-prosecutor-v-paul-gicheru": "ICC-01/09-01/15",
    "the-prosecutor-v--bett": "ICC-01/09-01/15",
    "the-prosecutor-vs-s-gadaffi-and-senussi": "ICC-01/11-01/11",
    "the-prosecutor-v---khaled": "ICC-01/11-01/13",
    "the-prosecutor-v-simone-gbagbo": "ICC-02/11-01/12",
    "the-prosecutor-v-gbagbo-and-ble-goude": "ICC-02/11-01/15",
    "the-prosecutor-v-al-faqi-al-mahdi": "ICC-01/12-01/15",
}
