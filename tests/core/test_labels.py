"""Words for codes (issue 10): one vocabulary for pages, CLI tables and exports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from rightsdesk.core.labels import (
    axis_title,
    body_label,
    dataset_name,
    group_label,
    period_label,
    short_source,
    state_label,
    table_label,
    vote_type_label,
    vote_value_label,
)
from rightsdesk.reports.charts import group_chart_spec, line_chart_spec


def test_bodies_vote_types_and_groups_in_words() -> None:
    assert body_label("hrc") == "Human Rights Council"
    assert body_label("unga") == "General Assembly"
    assert body_label("unsc") == "Security Council"
    assert body_label("HRC") == "Human Rights Council"
    assert vote_type_label("without-vote") == "adopted without a vote"
    assert vote_type_label("not-considered").startswith("not considered")
    assert vote_value_label("abstain") == "abstained"
    assert vote_value_label("non-member") == "not a member of the body"
    assert group_label("UN-APG") == "Asia-Pacific Group"
    assert group_label("UN-GRULAC") == "Latin American and Caribbean Group"
    assert group_label("OIC") == "Organisation of Islamic Cooperation"  # from groupings.csv


def test_states_by_name_with_the_code_where_useful() -> None:
    assert state_label("CRI") == "Costa Rica"
    assert state_label("cri", with_code=True) == "Costa Rica (CRI)"
    assert state_label("SUN") == "Soviet Union"  # historical states too


def test_unknown_codes_come_back_unchanged() -> None:
    for fn in (body_label, vote_type_label, group_label, state_label, table_label):
        assert fn("zz-unknown") in ("zz-unknown", "zz-unknown".replace("_", " "))
        assert fn(None) == ""


def test_periods_and_sources() -> None:
    assert period_label(date(2008, 4, 7), date(2013, 10, 31), years=True) == "2008–2013"
    assert period_label("2008-04-07", "2013-10-31") == "2008-04-07 to 2013-10-31"
    assert period_label(None, None) == "undated"

    @dataclass
    class Ds:
        source: str
        file_name: str
        period_start: date | None
        period_end: date | None

    ds = Ds("UN Treaty Collection, chapter IV (repository x/y)", "un.csv", date(1966, 3, 7), None)
    assert short_source(ds.source) == "UN Treaty Collection, chapter IV"
    assert dataset_name(ds) == "UN Treaty Collection, chapter IV: un.csv (1966)"
    assert table_label("user") == "user accounts"


def test_chart_axes_and_legends_use_words() -> None:
    assert axis_title("ai").startswith("Agreement index")
    assert axis_title("roll_calls") == "Roll calls"
    rows = [{"year": 2000, "agreement": 0.5, "partner": "FRA"}]
    spec = json.dumps(line_chart_spec(rows, "year", "agreement", "partner", "t"))
    assert '"title": "Agreement (share of votes cast the same way)"' in spec
    assert "France" in spec and '"FRA"' not in spec
    by_group = [{"group": "UN-APG", "yes": 3, "no": 1, "abstain": 0, "absent": 0}]
    bars = json.dumps(group_chart_spec(by_group))
    assert "Asia-Pacific Group" in bars and "UN-APG" not in bars
