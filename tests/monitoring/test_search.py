"""Search semantics (stemming, phrases, boolean operators, facets) on SQLite and PostgreSQL,
checked against plain-Python expectations computed from the same texts, and the same ids on
both stores."""

from __future__ import annotations

import os
import re
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.states import group_members
from rightsdesk.monitoring.recommendations.models import (
    Recommendation,
    RecommendationTheme,
    Response,
    Theme,
)
from rightsdesk.monitoring.recommendations.search import (
    TAXONOMY_FACETS,
    parse_query,
    search_ids,
    search_recommendations,
)
from tests.conftest import PG_ENV, StoreTemplate, make_settings
from tests.monitoring.conftest import do_import, head_copy, upr_file
from tests.store_templates import Build, StoreTemplates, pg_drop, ready


def load_subset(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    """400 real UPR Info rows (sessions 1-5) and the cycle-4 OHCHR list for Slovenia."""
    do_import(settings, "upr-info", head_copy(upr_file(shared_data), tmp_path / "s.csv", 401))
    docx = (
        shared_data
        / "monitoring"
        / "ohchr-thematic-lists"
        / "UPR48_Slovenia_Thematic_list_of_Recommendations.docx"
    )
    do_import(settings, "ohchr-thematic", docx)


SUBSET = "search-subset"  # the template of what load_subset imports


def build_subset(shared_data: Path) -> Build:
    """``load_subset`` into a template store (its cut file in the template's own folder)."""

    def build(settings: Settings) -> None:
        folder = Path(settings.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        load_subset(settings, shared_data, folder)

    return build


@pytest.fixture
def store_template(shared_data: Path) -> StoreTemplate:
    """The stores of this module start with ``load_subset`` done: imported once per test
    process and backend, each test gets its own copy (``tests/conftest.py``)."""
    return SUBSET, build_subset(shared_data)


@pytest.fixture
def loaded(store_template: StoreTemplate, settings: Settings, session: Session) -> Session:
    """A session on the test's own store holding ``load_subset``'s rows."""
    return session


def texts(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Recommendation.id, Recommendation.text)).all())


def matching(session: Session, pattern: str) -> set[int]:
    rx = re.compile(pattern, re.I)
    return {i for i, t in texts(session).items() if rx.search(t)}


WOMEN = r"\bwom[ae]n\b"
TORTURE = r"\btortur\w*"
DEATH_PENALTY = r"\bdeath\W+penalt(y|ies)\b"
CHILD = r"\bchild(ren)?\b"
EDUCATION = r"\beducat\w*"


def test_stemming(loaded: Session) -> None:
    women = matching(loaded, WOMEN)
    assert len(women) > 20
    # irregular plural: "woman" finds "women" and the reverse
    assert set(search_ids(loaded, "woman")) == women
    assert set(search_ids(loaded, "women")) == women
    torture = matching(loaded, TORTURE)
    assert matching(loaded, r"\btorture\b") - matching(loaded, r"\btortured\b")  # both forms
    assert set(search_ids(loaded, "tortured")) == torture
    assert set(search_ids(loaded, "TORTURE")) == torture


def test_phrase(loaded: Session) -> None:
    assert set(search_ids(loaded, '"death penalty"')) == matching(loaded, DEATH_PENALTY)
    phrase = set(search_ids(loaded, '"national plan"'))
    assert phrase == matching(loaded, r"\bnational\W+plans?\b")
    words = set(search_ids(loaded, "national plan"))
    assert phrase and phrase < words  # some texts have both words apart


def test_boolean_operators(loaded: Session) -> None:
    all_ids = set(texts(loaded))
    torture, phrase = matching(loaded, TORTURE), matching(loaded, DEATH_PENALTY)
    children, education = matching(loaded, CHILD), matching(loaded, EDUCATION)
    women = matching(loaded, WOMEN)
    assert set(search_ids(loaded, 'torture OR "death penalty"')) == torture | phrase
    assert set(search_ids(loaded, "children -education")) == children - education
    assert set(search_ids(loaded, "children NOT education")) == children - education
    assert set(search_ids(loaded, "children AND education")) == children & education
    assert set(search_ids(loaded, "NOT women")) == all_ids - women
    assert set(search_ids(loaded, "-women")) == all_ids - women
    assert set(search_ids(loaded, "women (torture OR children)")) == women & (torture | children)
    assert set(search_ids(loaded, "torture OR -women")) == torture | (all_ids - women)


def test_query_parsing_edge_cases(loaded: Session) -> None:
    assert parse_query("") is None
    assert parse_query("the of and") is None  # only stop words: no text condition
    assert len(search_ids(loaded, "the of")) == len(texts(loaded))
    # unbalanced quotes and brackets do not raise
    search_ids(loaded, '"death penalty')
    search_ids(loaded, "(women OR")
    search_ids(loaded, "women)")
    # FTS syntax characters are plain text, never operators
    search_ids(loaded, 'women* NEAR ^ : "a" {} ;--')


def test_facets_and_filters(loaded: Session) -> None:
    women = matching(loaded, WOMEN)
    result = search_recommendations(loaded, "women", {}, per_page=5)
    assert result.total == len(women)
    assert len(result.hits) == 5 and result.pages == -(-len(women) // 5)
    # response counts over all matches, not only this page
    responses = dict(loaded.execute(select(Response.recommendation_id, Response.response)).all())
    expected = Counter(responses[i] for i in women)
    assert {v.value: v.count for v in result.facets["response"]} == dict(expected)
    states = dict(loaded.execute(select(Recommendation.id, Recommendation.state_iso3)).all())
    assert {v.value: v.count for v in result.facets["state"]} == dict(
        Counter(states[i] for i in women)
    )
    assert "SVN" in {v.value for v in result.facets["state"]}
    assert {v.value for v in result.facets["mechanism"]} == {"UPR"}
    assert sum(v.count for v in result.facets["cycle"]) == len(women)
    # filters combine with the text query; several values of one filter are OR'ed
    noted = search_recommendations(loaded, "women", {"response": "noted"})
    assert noted.total == expected["noted"]
    svn = search_recommendations(loaded, "women", {"state": ["Slovenia"]})
    assert svn.total == sum(1 for i in women if states[i] == "SVN")
    both = search_recommendations(loaded, "women", {"state": ["SVN", "AFG"]})
    assert both.total == sum(1 for i in women if states[i] in ("SVN", "AFG"))
    everything = search_recommendations(loaded, "", {})
    groups = {v.value: v.count for v in everything.facets["group"]}
    assert set(groups) <= {"UN-AFRICA", "UN-APG", "UN-EEG", "UN-GRULAC", "UN-WEOG"}
    for code, n in groups.items():
        members = set(group_members(loaded, code))
        assert n == sum(1 for s in states.values() if s in members)
        filtered = search_recommendations(loaded, "", {"group": code}, per_page=1000)
        assert filtered.total == n and all(h.state_iso3 in members for h in filtered.hits)
    assert groups["UN-EEG"] >= 254  # Slovenia
    weog_from = search_recommendations(loaded, "", {"from_group": "UN-WEOG"}, per_page=1000)
    weog = set(group_members(loaded, "UN-WEOG"))
    assert weog_from.total > 0
    assert all(set(h.recommending) & weog for h in weog_from.hits)
    themed = search_recommendations(loaded, "", {"theme": "death penalty", "action": 5})
    assert themed.total > 0
    assert all(h.action_category == 5 and "Death penalty" in h.themes for h in themed.hits)
    from_fra = search_recommendations(loaded, "", {"from_state": "France"})
    assert from_fra.total > 0 and all("FRA" in h.recommending for h in from_fra.hits)
    sdg = search_recommendations(loaded, "", {"theme": "5 - Gender equality"})
    assert sdg.total > 0 and {h.state_iso3 for h in sdg.hits} == {"SVN"}
    # UPR Info's word "accepted" finds what is stored as supported
    accepted = search_recommendations(loaded, "women", {"response": "accepted"})
    assert accepted.total == expected["supported"] > 0
    assert [v.value for v in accepted.facets["response"] if v.selected] == ["supported"]


def test_one_facet_per_taxonomy(loaded: Session) -> None:
    """UPR Info issues, UHRI themes, SDG targets and affected persons are separate facets
    and fields: "Migrants" (a UHRI theme and a group of affected persons) is one chip per
    taxonomy, never twice in one list."""
    rows = loaded.execute(
        select(RecommendationTheme.recommendation_id, Theme.taxonomy, Theme.label).join(
            Theme, Theme.id == RecommendationTheme.theme_id
        )
    ).all()
    result = search_recommendations(loaded, "", {}, per_page=1000)
    assert "theme" not in result.facets
    for facet, taxonomy in TAXONOMY_FACETS.items():
        expected = Counter(label for _, t, label in set(rows) if t == taxonomy)
        assert {v.value: v.count for v in result.facets[facet]} == dict(expected), facet
        values = [v.value for v in result.facets[facet]]
        assert len(values) == len(set(values))
    assert {v.value for v in result.facets["issue"]} >= {"Death penalty", "Women's rights"}
    sdg = [v.value for v in result.facets["sdg"]]
    assert sdg[0].startswith("1 - ") and sdg == sorted(sdg, key=lambda x: int(x.split()[0]))
    migrants = {v.value for v in result.facets["uhri"]} & {
        v.value for v in result.facets["affected"]
    }
    assert "Migrants" in migrants
    # a filter per taxonomy: "Migrants" as affected persons only
    affected = search_recommendations(loaded, "", {"affected": "migrants"}, per_page=1000)
    want = {i for i, t, label in rows if t == "affected-persons" and label == "Migrants"}
    assert {h.id for h in affected.hits} == want
    assert all("Migrants" in h.affected_persons for h in affected.hits)
    # the hit's fields per taxonomy, and its chips each once
    for hit in result.hits:
        assert len(hit.themes) == len(set(hit.themes))
        assert set(hit.themes) == set(
            hit.issues + hit.uhri_themes + hit.sdgs + hit.affected_persons
        )
    both = [
        h for h in result.hits if "Migrants" in h.uhri_themes and "Migrants" in h.affected_persons
    ]
    assert both and all(h.themes.count("Migrants") == 1 for h in both)
    # an issue filter does not find SDG labels, and the reverse
    assert search_recommendations(loaded, "", {"issue": "5 - Gender equality"}).total == 0
    assert search_recommendations(loaded, "", {"sdg": "5 - Gender equality"}).total > 0


def test_highlight_and_order(loaded: Session) -> None:
    result = search_recommendations(loaded, "tortured", {}, per_page=50)
    assert all("<mark>" in str(h.snippet) for h in result.hits)
    marked = re.findall(r"<mark>(.*?)</mark>", " ".join(str(h.snippet) for h in result.hits))
    assert {m.casefold() for m in marked} <= {"torture", "tortured", "torturing", "tortures"}
    by_date = search_recommendations(loaded, "women", {}, order="date", per_page=500)
    sessions = [h.session or 0 for h in by_date.hits]
    assert sessions == sorted(sessions, reverse=True)
    page2 = search_recommendations(loaded, "women", {}, order="date", page=2, per_page=10)
    assert [h.id for h in page2.hits] == [h.id for h in by_date.hits[10:20]]


def test_markup_is_escaped(loaded: Session) -> None:
    rec = loaded.scalars(select(Recommendation).limit(1)).one()
    rec.text = "Protect women & girls from zyxtorture <img src=x onerror=alert(1)> now"
    loaded.commit()
    hits = search_recommendations(loaded, "zyxtorture", {}).hits
    assert [h.id for h in hits] == [rec.id]
    snippet = str(hits[0].snippet)
    assert "<mark>zyxtorture</mark>" in snippet
    assert "<img" not in snippet and "&amp;" in snippet


def test_bad_filters(loaded: Session) -> None:
    with pytest.raises(InputError, match="session"):
        search_recommendations(loaded, "", {"session": "five"})
    with pytest.raises(InputError, match="unknown state"):
        search_recommendations(loaded, "", {"state": "Atlantis"})
    with pytest.raises(InputError, match="unknown filter"):
        search_recommendations(loaded, "", {"colour": "red"})


QUERIES = [
    "women",
    "woman",
    "tortured",
    '"death penalty"',
    'torture OR "death penalty"',
    "children -education",
    "NOT women",
    "women AND (girls OR children)",
    "non-discrimination",
    "women's rights",
    "ratify NOT (convention OR protocol)",
    '"rights of the child"',
    "human rights defenders",
    "Roma OR minorities",
    "detention -torture",
]


def test_same_results_on_both_stores(
    shared_data: Path, tmp_path: Path, store_templates: StoreTemplates
) -> None:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip("needs PostgreSQL")
    sqlite = make_settings(f"sqlite:///{tmp_path / 'a.db'}", tmp_path)
    name = f"rdtest_{uuid.uuid4().hex[:12]}"
    pg = make_settings(make_url(base).set(database=name).render_as_string(False), tmp_path)
    found: dict[str, list[set[str]]] = {}
    try:
        for settings in (sqlite, pg):
            # init_store, then load_subset: a copy of the template the other tests start from
            store_templates.create(settings.database_url, SUBSET, build_subset(shared_data))
            ready(settings)
            with session_scope(settings.database_url) as s:
                keys = dict(s.execute(select(Recommendation.id, Recommendation.natural_key)).all())
                for q in QUERIES:
                    found.setdefault(q, []).append({keys[i] for i in search_ids(s, q)})
                    counts = search_recommendations(s, q, {"response": "accepted"}).facets
                    found.setdefault(q + " facets", []).append(
                        {f"{k}={v.value}:{v.count}" for k, vs in counts.items() for v in vs}
                    )
    finally:
        dispose_engine(sqlite.database_url)
        pg_drop(pg.database_url)
    for q, (a, b) in found.items():
        assert a == b, q
    assert all(found[q][0] for q in QUERIES)
