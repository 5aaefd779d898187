"""The parts behind the violations pages that need no store: reading the filters from a URL,
the facet and page links, the words for codes, and the chart specs (what goes into a spec is
in the page's source, so the map's points must never come from a flagged location)."""

from __future__ import annotations

import datetime as dt

import pytest

from rightsdesk.monitoring.violations.charts import (
    MAX_POINTS,
    MapPoint,
    TimelineRow,
    events_map_spec,
    month_domain,
    timeline_spec,
)
from rightsdesk.monitoring.violations.models import (
    DATE_PRECISIONS,
    EVENT_STATUSES,
    INVOLVEMENT_ROLES,
    RESPONSE_KINDS,
    SOURCE_CREDIBILITY,
    SOURCE_RELIABILITY,
)
from rightsdesk.monitoring.violations.pages_filters import (
    facet_values,
    parse_query,
    period_bound,
    url_builder,
)
from rightsdesk.monitoring.violations.pages_words import WORDS, word


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2019", False, dt.date(2019, 1, 1)),
        ("2019", True, dt.date(2019, 12, 31)),
        ("2020-02", True, dt.date(2020, 2, 29)),
        ("2019-03-04", True, dt.date(2019, 3, 4)),
    ],
)
def test_a_period_bound_reads_a_year_a_month_or_a_day(
    text: str, end: bool, expected: dt.date
) -> None:
    assert period_bound(text, end) == expected


@pytest.mark.parametrize("text", ["March", "2019-13", "2019-02-30", "19", "2019/03"])
def test_a_bad_period_bound_says_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match=r"year|month|day"):
        period_bound(text, end=False)


def test_the_query_keeps_what_was_typed_and_explains_what_it_left_out() -> None:
    query = parse_query(
        {"from": "2020", "to": "2019", "status": "lost", "perpetrator": "x1", "q": "  Aleppo "}
    )
    assert query.filters.date_from == dt.date(2020, 1, 1) and query.filters.date_to is None
    assert set(query.problems) == {"to", "status", "perpetrator"}
    assert query.filters.status is None and query.filters.perpetrator is None
    assert query.filters.q == "Aleppo" and query.values["to"] == "2019"
    assert query.active and parse_query({"page": "3"}).page == 3
    assert not parse_query({"page": "-1"}).active and parse_query({"page": "x"}).page == 1


def test_links_toggle_one_value_per_filter_and_the_year_sets_the_period() -> None:
    query = parse_query({"state": "SYR", "level": "public", "page": "2"})
    url = url_builder(query, "/violations")
    assert url(toggle=("state", "IRQ")) == "/violations?state=IRQ&level=public"
    assert url(toggle=("state", "SYR")) == "/violations?level=public"
    assert url(toggle=("year", "2019")) == "/violations?state=SYR&level=public&from=2019&to=2019"
    assert url("/violations/map", page=3) == "/violations/map?state=SYR&level=public&page=3"
    years = url_builder(parse_query({"from": "2019", "to": "2019"}), "/violations")
    assert years(toggle=("year", "2019")) == "/violations"
    rows = facet_values(
        "year",
        [("2019", "2019", 3), ("2020", "2020", 1)],
        parse_query({"from": "2019", "to": "2019"}),
    )
    assert [v.selected for v in rows] == [True, False]


def test_every_code_the_tables_allow_has_its_words() -> None:
    for vocabulary, codes in (
        ("status", EVENT_STATUSES),
        ("role", INVOLVEMENT_ROLES),
        ("response", RESPONSE_KINDS),
        ("precision", DATE_PRECISIONS),
        ("reliability", SOURCE_RELIABILITY),
        ("credibility", SOURCE_CREDIBILITY),
    ):
        assert set(WORDS[vocabulary]) == set(codes), vocabulary
    assert word("reliability", "B") == "usually reliable"
    assert word("role", "failed_to_punish") == "failed to punish it"
    assert word("source_type", "new_kind") == "new kind" and word("status", None) == ""


def test_the_timeline_spec_stacks_events_by_month_and_type() -> None:
    assert timeline_spec([], "t") is None
    rows = [TimelineRow(month="2019-03", act_type="Torture", events=2)]
    spec = timeline_spec(rows, "Events")
    assert spec is not None and spec["mark"]["type"] == "bar"
    assert spec["data"]["values"] == [{"month": "2019-03", "act_type": "Torture", "events": 2}]
    assert spec["encoding"]["color"]["title"] == "Violation type"


def test_the_map_spec_shades_states_and_dots_only_the_points_given() -> None:
    assert events_map_spec({}, [], "t") is None
    point = MapPoint(id=7, title="A", place="Aleppo", when="2019", latitude=36.2, longitude=37.1)
    spec = events_map_spec({"SYR": 3}, [point] * (MAX_POINTS + 5), "Events", {"SYR": "Syria"})
    assert spec is not None
    shades, dots = spec["layer"][1], spec["layer"][-1]
    assert shades["transform"][0]["from"]["data"]["values"][0]["value"] == 3
    assert len(dots["data"]["values"]) == MAX_POINTS and dots["mark"]["type"] == "circle"
    assert "fit" in spec["projection"]  # a few states: fitted to them, not the world
    assert len(events_map_spec({"SYR": 1}, [], "t")["layer"]) == 2  # type: ignore[index]


def test_the_time_axis_spans_a_year_at_least() -> None:
    assert month_domain(["2019-03"]) == ["2018-10-01", "2019-10-01"]
    assert month_domain(["2019-12", "2020-01"]) == ["2019-07-01", "2020-07-01"]
    assert month_domain(["2018-11", "2021-02"]) == ["2018-11-01", "2021-03-01"]
