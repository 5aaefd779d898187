"""The reference data: the UN Framework of Analysis (2014) as the package ships it."""

from __future__ import annotations

import pytest

from rightsdesk.core.errors import InputError
from rightsdesk.interventions.framework.reference import (
    CRIMES,
    check_rating,
    framework,
    indicator,
)

SPECIFIC_CRIMES = {
    9: "genocide",
    10: "genocide",
    11: "crimes against humanity",
    12: "crimes against humanity",
    13: "war crimes",
    14: "war crimes",
}


def test_fourteen_factors_eight_common_six_specific() -> None:
    factors = framework().factors
    assert [f.number for f in factors] == list(range(1, 15))
    assert [f.number for f in factors if f.group == "common"] == list(range(1, 9))
    assert [f.number for f in factors if f.group == "specific"] == list(range(9, 15))
    assert all(f.crime is None for f in factors if f.group == "common")


def test_each_specific_factor_names_its_crime() -> None:
    assert {f.number: f.crime for f in framework().factors if f.crime} == SPECIFIC_CRIMES
    assert set(SPECIFIC_CRIMES.values()) == set(CRIMES)


def test_titles_follow_the_document() -> None:
    titles = {f.number: f.title for f in framework().factors}
    assert titles[1] == "Situations of armed conflict or other forms of instability"
    assert titles[6] == "Absence of mitigating factors"
    assert titles[8] == "Triggering factors"
    assert titles[10] == "Signs of an intent to destroy in whole or in part a protected group"
    assert titles[12] == "Signs of a plan or policy to attack any civilian population"
    assert titles[14] == "Serious threats to humanitarian or peacekeeping operations"


def test_indicators_are_numbered_without_gaps() -> None:
    for f in framework().factors:
        assert len(f.indicators) >= 5, f.number
        assert [i.code for i in f.indicators] == [
            f"{f.number}.{n}" for n in range(1, len(f.indicators) + 1)
        ]
        assert all(i.factor == f.number and i.text.endswith(".") for i in f.indicators)
    codes = [i.code for i in framework().indicators]
    assert len(codes) == len(set(codes))


def test_the_file_cites_the_document_and_says_what_to_check() -> None:
    fw = framework()
    assert "Framework of Analysis for Atrocity Crimes" in fw.citation and "2014" in fw.citation
    assert fw.url.startswith("https://www.un.org/")
    assert fw.wording_checked is False  # until someone checks it against the PDF
    assert any(i.check for i in fw.indicators)


def test_indicator_lookup_and_its_errors() -> None:
    assert indicator("7.14").text.startswith("Increased inflammatory rhetoric")
    with pytest.raises(InputError, match=r"unknown indicator '1.99'; risk factor 1 has 1.1 to"):
        indicator("1.99")
    with pytest.raises(InputError, match="unknown indicator '15.1'"):
        indicator("15.1")


def test_ratings_accept_words_and_codes() -> None:
    assert check_rating("Not present") == "not-present"
    assert check_rating("HIGH") == "high"
    with pytest.raises(InputError, match="unknown rating 'severe'"):
        check_rating("severe")
