"""``event_input``: the page form's field names and the JSON shape give the same ``EventInput``;
every fault is reported under its field, all at once, without repeating the value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from starlette.datastructures import FormData

from rightsdesk.core.errors import InputError
from rightsdesk.monitoring.violations.event_input import (
    FieldErrors,
    parse_date_with_precision,
    parse_event_form,
    parse_event_json,
    period_end,
)

SECRET = "Zainab Secretname-Input"


def errors(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(FieldErrors) as caught:
        parse_event_json(data)
    assert SECRET not in str(caught.value)
    return caught.value.errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", (dt.date(2019, 1, 1), "year")),
        ("2019-03", (dt.date(2019, 3, 1), "month")),
        (" 2019-03-04 ", (dt.date(2019, 3, 4), "day")),
        ("", (None, "unknown")),
    ],
)
def test_dates_keep_their_precision(text: str, expected: tuple[Any, str]) -> None:
    assert parse_date_with_precision(text) == expected


@pytest.mark.parametrize("text", ["2019-13", "2019-02-30", "March 2019", "19", "0999"])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_date_with_precision(text)


def test_period_end_covers_the_precision() -> None:
    assert period_end(dt.date(2020, 2, 1), "month") == dt.date(2020, 2, 29)
    assert period_end(dt.date(2019, 12, 1), "month") == dt.date(2019, 12, 31)
    assert period_end(dt.date(2019, 1, 1), "year") == dt.date(2019, 12, 31)


def test_the_form_names_and_their_aliases() -> None:
    form = FormData(
        [
            ("title", " Detention in Sanaa "),
            ("start_date", "2019-03-04"),
            ("end_date", "2019"),  # the same year: not before the start
            ("state_iso3", "Yemen"),
            ("location_sensitive", "on"),
            ("place", "Prison block C"),
            ("victims[0].name", ""),  # a blank block, skipped
            ("victims[0].sex", "unknown"),
            ("victims-1-name", SECRET),
            ("victims-1-sex", "Female"),
            ("acts[0].act_type", "arbitrary_detention"),
            ("acts[0].victim", "1"),
            ("acts[0].perpetrator", "Political Security"),
            ("acts[0].perpetrator", "Col. Y"),
            ("acts[0].role", "ordered"),
            ("acts[1].act_type", ""),  # blank
            ("sources[0].reliability", "b"),  # a select alone does not make a source
            ("sources[1].citation", "Report A/HRC/1/2, para. 3"),
            ("sources[1].credibility", "2"),
        ]
    )
    event = parse_event_form(form)
    assert event.title == "Detention in Sanaa" and event.state_iso3 == "YEM"
    assert (event.start_precision, event.end_precision) == ("day", "year")
    assert event.location_sensitive and event.place == "Prison block C"
    assert [v.name for v in event.victims] == [SECRET] and event.victims[0].sex == "female"
    assert len(event.acts) == 1 and event.acts[0].victim_index == 0
    assert event.acts[0].perpetrators == [("Political Security", "ordered"), ("Col. Y", "direct")]
    assert len(event.sources) == 1
    assert (event.sources[0].reliability, event.sources[0].credibility) == ("F", "2")
    assert (event.confidentiality, event.status) == ("confidential", "reported")
    bad = FormData([("title", "x"), ("acts[2].act_type", "killing"), ("acts[2].perpetrator", "P")])
    with pytest.raises(FieldErrors) as caught:
        parse_event_form(FormData([*bad.multi_items(), ("acts[2].perpetrator_role", "boss")]))
    assert list(caught.value.errors) == ["acts[2].perpetrator_role"]  # the form's own name


def test_every_fault_is_named_at_once() -> None:
    found = errors(
        {
            "title": "",
            "start_date": "2019-05",
            "end_date": "2019-04",
            "state_iso3": "Korea",
            "latitude": 91,
            "longitude": None,
            "confidentiality": "confidential",
            "victims": [
                {"name": SECRET, "sex": "f", "confidentiality": "public", "group_size": 3},
                {"name": SECRET * 20},
            ],
            "acts": [{"act_type": "killing", "victim_index": 5}, {"description": "x"}],
            "sources": [{"summary": "s", "url": "javascript:alert(1)", "reliability": "Z"}],
        }
    )
    assert found == {
        "title": "is required",
        "end_date": "is before the start date",
        "state_iso3": found["state_iso3"],
        "latitude": "a number from -90 to 90",
        "victims[0].sex": "one of female, male, other, unknown",
        "victims[0].group_size": "only for a group victim",
        "victims[1].name": "at most 300 characters",
        "acts[0].victim_index": "names no victim of this event",
        "acts[1].act_type": "is required",
        "sources[0].url": "an http or https address",
        "sources[0].reliability": "one of A, B, C, D, E, F",
    }
    assert "several states" in found["state_iso3"]


def test_a_child_is_never_less_strict_than_its_event() -> None:
    event = parse_event_json(
        {
            "title": "x",
            "confidentiality": "confidential",
            "victims": [{"name": "a", "confidentiality": "public"}, {"name": "b"}],
            "sources": [{"summary": "s", "confidentiality": "strictly_confidential"}],
        }
    )
    assert [v.confidentiality for v in event.victims] == ["confidential", None]
    assert event.sources[0].confidentiality == "strictly_confidential"


def test_json_types_and_bounds() -> None:
    assert errors({"title": "x", "victims": "Anna"}) == {"victims": "must be a list of objects"}
    assert errors({"title": ["x"]}) == {"title": "must be text"}
    assert errors({"title": "x", "latitude": 10}) == {"longitude": "give both or neither"}
    assert errors({"title": "x", "location_sensitive": "maybe"}) == {
        "location_sensitive": "true or false"
    }
    assert errors({"title": "x", "start_date": "2999"}) == {"start_date": "is in the future"}
    assert errors({"title": "x", "end_date": "2019"}) == {
        "start_date": "is required when an end date is given"
    }
    assert errors({"title": "x", "description": "a\x00b"}) == {
        "description": "contains a NUL character"
    }
    assert errors({"title": "x", "victims": [{}] * 201}) == {"victims": "at most 200 in one event"}
    nested = {"title": "x", "acts": [{"act_type": "torture", "perpetrators": [{"role": "x"}]}]}
    assert errors(nested) == {
        "acts[0].perpetrators[0].perpetrator": "is required",
        "acts[0].perpetrators[0].role": (
            "one of direct, ordered, commanded, aided, failed_to_prevent, failed_to_punish, unknown"
        ),
    }
    event = parse_event_json(
        {"title": "x", "latitude": "36.2", "longitude": 37, "victims": [{"kind": "group"}]}
    )
    assert (event.latitude, event.longitude, event.victims) == (36.2, 37.0, [])
