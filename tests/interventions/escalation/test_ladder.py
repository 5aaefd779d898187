"""The ladder as package data: ordered, complete, cited, and coherent with the risk levels,
the register's kinds and the evidence the view knows."""

from __future__ import annotations

import pytest

from rightsdesk.interventions.escalation.ladder import (
    EVIDENCE,
    LADDER,
    LEVELS,
    level_rank,
    option,
)


def test_steps_escalate_in_order() -> None:
    assert [o.step for o in LADDER] == list(range(1, len(LADDER) + 1))
    assert len({o.key for o in LADDER}) == len(LADDER)
    ranks = [level_rank(o.min_level) for o in LADDER]
    assert ranks == sorted(ranks), "a milder option must not need a higher risk level"
    assert LADDER[0].key == "demarche" and LADDER[-1].key == "peacekeeping"


def test_every_option_is_described_and_cited() -> None:
    for o in LADDER:
        assert o.min_level in LEVELS
        assert o.title and o.what and o.who and o.actors
        assert o.sources, f"{o.key} cites no source"
        assert set(o.evidence) <= set(EVIDENCE)
        # an option the data cannot show says so instead of reading as "never used"
        assert o.register_kinds or o.evidence or o.not_recorded


def test_coercive_options_need_high_risk() -> None:
    coercive = [o for o in LADDER if o.coercive]
    assert {o.key for o in coercive} == {
        "targeted-sanctions",
        "arms-embargo",
        "court",
        "peacekeeping",
    }
    assert all(level_rank(o.min_level) >= level_rank("high") for o in coercive)
    assert all(not o.coercive for o in LADDER if o.min_level == "lower")


def test_register_kinds_exist_in_the_register() -> None:
    models = pytest.importorskip("rightsdesk.interventions.register.models")
    kinds = set(getattr(models, "KINDS", {}))
    used = {k for o in LADDER for k in o.register_kinds}
    assert used <= kinds, f"unknown register kinds: {sorted(used - kinds)}"


def test_the_guides_name_the_sanctions_regimes_and_courts() -> None:
    sanctions = " ".join(s.label for s in option("targeted-sanctions").sources)
    assert "2020/1998" in sanctions and "Magnitsky" in sanctions and "2020/680" in sanctions
    court = " ".join(s.label for s in option("court").sources)
    assert "Rome Statute" in court and "Crime of Genocide, art. IX" in court
    assert level_rank(None) == 0 and level_rank("nonsense") == 0
    with pytest.raises(KeyError):
        option("invasion")
