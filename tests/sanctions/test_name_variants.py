"""Aliases the EU Official Journal writes inside a name are split into FtM aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightsdesk.sanctions.sources.eu_journal import parse_eu_journal
from rightsdesk.sanctions.sources.name_variants import split_name


@pytest.mark.parametrize(
    ("written", "name", "aliases"),
    [
        (
            "Major General Wajih (a.k.a. Wajeeh) MAHMUD",
            "Major General Wajih MAHMUD",
            [("alias", "Major General Wajeeh MAHMUD")],
        ),
        (
            "Alexander (Alexandr) Petrovich KALASHNIKOV",
            "Alexander Petrovich KALASHNIKOV",
            [("alias", "Alexandr Petrovich KALASHNIKOV")],
        ),
        (
            "Yuriy Viktorovich SIVOKONENKO (a.k.a. Yuriy SIVOKONENKO, Yury SYVOKONENKO)",
            "Yuriy Viktorovich SIVOKONENKO",
            [("alias", "Yuriy SIVOKONENKO"), ("alias", "Yury SYVOKONENKO")],
        ),
        (
            "Igor Nikolaevich BEZLER (a.k.a. Bes (devil))",
            "Igor Nikolaevich BEZLER",
            [("weakAlias", "Bes")],
        ),
        (
            "Acme Trading (formerly Acme Shipping Co)",
            "Acme Trading",
            [("previousName", "Acme Shipping Co")],
        ),
        ("John SMITH (deceased)", "John SMITH", []),
        ("Plain NAME", "Plain NAME", []),
        ("Unbalanced (NAME", "Unbalanced (NAME", []),
    ],
)
def test_aliases_in_parentheses(written: str, name: str, aliases: list[tuple[str, str]]) -> None:
    assert split_name(written) == (name, aliases)


def test_a_second_group_varies_its_own_word() -> None:
    main, aliases = split_name("Mohammad (a.k.a. Muhammad) Yahiya (a.k.a. Yahya) MOALLA")
    assert main == "Mohammad Yahiya MOALLA"
    assert ("alias", "Mohammad Yahya MOALLA") in aliases
    assert ("alias", "Muhammad Yahiya MOALLA") in aliases


def test_the_real_journal_names_are_split(shared_data: Path) -> None:
    parsed, notes = parse_eu_journal(shared_data / "sanctions" / "eu-journal" / "32012R0036.csv")
    assert parsed is not None
    wajih = [e for e in parsed.entities if "Wajih MAHMUD" in " ".join(e.properties["name"])]
    assert wajih, "the Journal's 'Wajih (a.k.a. Wajeeh) MAHMUD' is listed"
    props = wajih[0].properties
    assert not any("(" in n for n in props["name"])
    assert any("Wajeeh MAHMUD" in a for a in props.get("alias", []))
    assert any("split" in note for note in notes)
