"""The US State Department's 2019 voting coincidence table, reproduced straight from the
unvotes R data files (no store), with the report's rules: calendar year 2019, recorded
General Assembly plenary votes, agreement with the United States.

The published COINCIDENCE column equals (same + partial/2) / (same + opposite + partial)
(checked on the table itself below), which is Voeten's index; the classic State Department
ratio same / (same + opposite) is compared with the table's own SAME and OPPOSITE counts.
The remaining gap comes from 10 votes of early 2019 (resumed 73rd session) that the unvotes
data does not hold: the report counts 100 votes, unvotes 90.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rightsdesk.negotiation.votes import agreement as ag
from rightsdesk.negotiation.votes.frames import read_unvotes
from rightsdesk.negotiation.votes.sources.unvotes import resolve_countries


@pytest.fixture(scope="module")
def published(shared_data: Path) -> pd.DataFrame:
    path = shared_data / "negotiation" / "statedept" / "us-voting-coincidence-2019.csv"
    return pd.read_csv(path, keep_default_na=False)


@pytest.fixture(scope="module")
def votes_2019(shared_data: Path) -> pd.DataFrame:
    folder = shared_data / "negotiation" / "unvotes"
    votes, calls, _issues = read_unvotes(folder)
    calls = calls[calls["date"].dt.year == 2019]
    votes = votes[votes["rcid"].isin(set(calls["rcid"]))].reset_index(drop=True)
    dates = votes["rcid"].map(dict(zip(calls["rcid"], calls["date"], strict=True)))
    return pd.DataFrame(
        {
            "roll_call_id": votes["rcid"].astype("int64"),
            "iso3": resolve_countries(votes, dates, folder / "un_votes.rda"),
            "vote": votes["vote"],
        }
    )


def test_published_column_is_voeten_rule(published: pd.DataFrame) -> None:
    same, opp, part = published["SAME"], published["OPPOSITE"], published["PARTIAL"]
    voeten_rule = (same + part / 2) / (same + opp + part)
    classic = same / (same + opp)
    assert (voeten_rule - published["COINCIDENCE"]).abs().median() < 0.005
    assert (classic - published["COINCIDENCE"]).abs().median() > 0.02


def test_2019_reproduction(votes_2019: pd.DataFrame, published: pd.DataFrame) -> None:
    assert votes_2019["roll_call_id"].nunique() == 90
    voeten = ag.agreement_with(votes_2019, "USA", measure="voeten")
    both = published.merge(voeten, left_on="ISO", right_on="partner")
    assert len(both) == 192
    mad = (both["agreement"] - both["COINCIDENCE"]).abs().mean()
    corr = np.corrcoef(both["agreement"], both["COINCIDENCE"])[0, 1]
    assert mad <= 0.03
    assert corr >= 0.98
    # the counts follow the report's: same (incl. both abstaining), opposite, partial
    israel = both.set_index("ISO").loc["ISR"]
    assert israel["same"] <= israel["SAME"] and israel["opposite"] <= israel["OPPOSITE"]


def test_2019_classic_ratio(votes_2019: pd.DataFrame, published: pd.DataFrame) -> None:
    classic = ag.agreement_with(votes_2019, "USA", measure="coincidence")
    ratio = published["SAME"] / (published["SAME"] + published["OPPOSITE"])
    both = published.assign(ratio=ratio).merge(classic, left_on="ISO", right_on="partner")
    assert (both["agreement"] - both["ratio"]).abs().mean() <= 0.03
    assert np.corrcoef(both["agreement"], both["ratio"])[0, 1] >= 0.95
