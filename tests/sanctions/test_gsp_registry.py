"""The GSP+ registry (Regulation (EU) No 978/2012, Annex VIII) and the R data reader, without
a store: 27 conventions in the right parts, aliases, and the fast .rda reader agreeing with
the ``rdata`` package on a file ``rdata`` wrote."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from rightsdesk.core.errors import InputError
from rightsdesk.negotiation.treaties.instruments import instrument_ref
from rightsdesk.sanctions.gsp import CONVENTIONS, convention, convention_keys, resolve_convention
from rightsdesk.sanctions.sources.manyenviron_rda import TITLES, normalise_title
from rightsdesk.sanctions.sources.rda_reader import RValue, UnsupportedRData, read_rda


def test_annex_viii_has_27_conventions_in_two_parts() -> None:
    assert len(CONVENTIONS) == 27
    assert len(set(convention_keys())) == 27
    groups = Counter(c.group for c in CONVENTIONS)
    assert groups == {"un-hr": 7, "ilo": 8, "environment": 8, "governance": 4}
    assert Counter(c.part for c in CONVENTIONS) == {"A": 15, "B": 12}
    ilo = {c.key for c in CONVENTIONS if c.group == "ilo"}
    assert ilo == {"C029", "C087", "C098", "C100", "C105", "C111", "C138", "C182"}
    env = {c.key for c in CONVENTIONS if c.group == "environment"}
    assert env == set(TITLES.values())  # every environmental agreement has a manyenviron title
    assert convention("KYOTO").annex_year == 1998 and convention("UNCAC").adopted == 2003
    # the Annex's numbering: Genocide first, C138 (13) before C111 (14), UNFCCC 20, UNCAC 27
    items = {c.key: c.item for c in CONVENTIONS}
    assert (items["GENOCIDE"], items["C138"], items["C111"]) == (1, 13, 14)
    assert (items["CITES"], items["UNFCCC"], items["KYOTO"], items["UNCAC"]) == (16, 20, 23, 27)


def test_un_conventions_map_to_the_treaties_catalogue() -> None:
    """Six of the seven UN conventions are read from the treaties data; the Genocide
    Convention is not among the 18 core instruments, so it is recorded."""
    from_treaties = [c for c in CONVENTIONS if c.known_from == "treaties"]
    assert [c.key for c in from_treaties] == ["ICERD", "ICCPR", "ICESCR", "CEDAW", "CAT", "CRC"]
    for c in from_treaties:
        assert c.treaty_short is not None
        assert instrument_ref(c.treaty_short).adopted.year == c.adopted
    assert convention("GENOCIDE").known_from == "recorded"


@pytest.mark.parametrize(
    ("text", "key"),
    [("c138", "C138"), ("ILO C29", "C029"), ("Kyoto Protocol", "KYOTO"), ("uncac", "UNCAC")],
)
def test_aliases_resolve(text: str, key: str) -> None:
    assert resolve_convention(text) == key


def test_unknown_convention_names_the_keys() -> None:
    with pytest.raises(InputError) as err:
        resolve_convention("C999", file="x.csv", line=4)
    assert "C999" in err.value.message and "UNCAC" in err.value.message
    assert err.value.location.line == 4 and err.value.location.field == "convention"


def test_titles_are_matched_without_place_names() -> None:
    basel = "Basel Convention On The Control Of Transboundary Movements Of Hazardous Wastes And "
    assert TITLES[normalise_title(basel + "Their Disposal")] == "BASEL"
    lrtap = "Protocol To The 1979 Convention On Long-Range Transboundary Air Pollution On "
    assert normalise_title(lrtap + "Persistent Organic Pollutants") not in TITLES


def test_fast_reader_agrees_with_rdata(tmp_path: Path) -> None:
    """A list of data frames written by ``rdata`` reads back the same, NA included."""
    import rdata

    frame = pd.DataFrame(
        {
            "Title": ["Convention On Biological Diversity", None, "Kyoto Protocol"],
            "stateID": ["GIN", "USA", "CAN"],
            "n": [1, 2, 3],
            "x": [0.5, float("nan"), 2.0],
        }
    )
    path = tmp_path / "m.rda"
    rdata.write_rda(path, {"memberships": {"ECOLEX_MEM": frame}})
    objects = read_rda(path)
    memberships = objects["memberships"]
    assert isinstance(memberships, RValue) and memberships.names() == ["ECOLEX_MEM"]
    ecolex = memberships.value[0]
    columns = dict(zip(ecolex.names(), ecolex.value, strict=True))
    assert columns["Title"].value == ["Convention On Biological Diversity", None, "Kyoto Protocol"]
    assert columns["stateID"].value == ["GIN", "USA", "CAN"]
    assert columns["n"].value == [1, 2, 3]
    assert columns["x"].value[0] == 0.5 and columns["x"].value[2] == 2.0


def test_fast_reader_refuses_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.rda"
    path.write_bytes(b"not R at all" * 10)
    with pytest.raises(UnsupportedRData):
        read_rda(path)


def test_registry_years_precede_the_regulation() -> None:
    """Every convention was adopted before the regulation of 25 October 2012 listed it."""
    regulation = dt.date(2012, 10, 25)
    assert all(1900 < c.adopted <= regulation.year for c in CONVENTIONS)


def _small_manyenviron(path: Path) -> None:
    """A manyenviron-shaped file written by ``rdata``: four rows of the real file's shapes
    (a ratification, a signature only, a withdrawal, the EU's code) and one other treaty."""
    import rdata

    na = None
    frame = pd.DataFrame(
        {
            "Title": [
                "Convention On Biological Diversity",
                "Kyoto Protocol To The United Nations Framework Convention On Climate Change",
                "Kyoto Protocol To The United Nations Framework Convention On Climate Change",
                "Basel Convention On The Control Of Transboundary Movements Of Hazardous "
                "Wastes And Their Disposal",
                "Revised Convention On The Navigation Of The Rhine",
            ],
            "stateID": ["GIN", "USA", "CAN", "EUE", "BEL"],
            "stateSignature": ["1192-06-12", "1998-11-12", "1998-04-29", "1989-03-22", na],
            "Rat": ["1993-05-07", na, "2002-12-17", "1994-02-07", na],
            "Force": ["1993-12-29", na, "2005-02-16", "1994-05-08", "1869-07-01"],
            "End": [na, na, "2012-12-15", na, na],
        }
    )
    rdata.write_rda(path, {"memberships": {"ECOLEX_MEM": frame}})


def test_both_readers_give_the_same_statuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast reader and the ``rdata`` fallback (used when the fast one meets a part of
    R's format it does not know) parse the same file to the same statuses."""
    from rightsdesk.sanctions.sources import manyenviron_rda

    path = tmp_path / "manyenviron-memberships.rda"
    _small_manyenviron(path)
    fast = manyenviron_rda.parse_memberships(path)

    def unsupported(_: Path) -> None:
        raise UnsupportedRData("pretend")

    monkeypatch.setattr(manyenviron_rda, "read_rda", unsupported)
    slow = manyenviron_rda.parse_memberships(path)
    assert fast.records == slow.records and fast.warnings == slow.warnings
    got = {(r.iso3, r.convention): (r.status, r.date) for r in fast.records}
    assert got == {
        ("GIN", "CBD"): ("ratified", dt.date(1993, 5, 7)),
        ("USA", "KYOTO"): ("signed", dt.date(1998, 11, 12)),
        ("CAN", "KYOTO"): ("denounced", dt.date(2012, 12, 15)),
    }
    assert fast.skipped == 1 and any("1192-06-12" in w for w in fast.warnings)
