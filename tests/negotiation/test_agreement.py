"""Agreement, cohesion and defection measures on a small hand-made vote table.

Every expected value below is worked out by hand in the comments, from this table
(``-`` = B did not vote on roll call 5):

    roll call  year   A        B        C
    1          2000   yes      yes      no
    2          2000   no       abstain  no
    3          2000   yes      no       abstain
    4          2001   abstain  abstain  yes
    5          2001   yes      -        yes
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.negotiation.votes import agreement as ag

TABLE = {
    1: (2000, "yes", "yes", "no"),
    2: (2000, "no", "abstain", "no"),
    3: (2000, "yes", "no", "abstain"),
    4: (2001, "abstain", "abstain", "yes"),
    5: (2001, "yes", None, "yes"),
}


@pytest.fixture
def votes() -> pd.DataFrame:
    rows = []
    for rc, (year, *cast) in TABLE.items():
        for iso3, vote in zip(("AAA", "BBB", "CCC"), cast, strict=True):
            if vote is not None:
                rows.append({"roll_call_id": rc, "year": year, "iso3": iso3, "vote": vote})
    # an absence must be ignored by every measure
    rows.append({"roll_call_id": 5, "year": 2001, "iso3": "BBB", "vote": "absent"})
    return pd.DataFrame(rows)


def test_coincidence_counts_yes_no_votes_only(votes: pd.DataFrame) -> None:
    scores, counts = ag.agreement_matrix(votes, "coincidence")
    # A-B: rc1 yes/yes identical, rc3 yes/no opposite; rc2 (B abstains), rc4 (both abstain)
    #      and rc5 (B absent) are left out -> 1 / (1 + 1) = 0.5 on 2 votes
    assert scores.loc["AAA", "BBB"] == pytest.approx(0.5)
    assert counts.loc["AAA", "BBB"] == 2
    # A-C: rc1 opposite, rc2 no/no identical, rc5 yes/yes identical; rc3, rc4 have an
    #      abstention -> 2 / 3
    assert scores.loc["AAA", "CCC"] == pytest.approx(2 / 3)
    assert counts.loc["AAA", "CCC"] == 3
    # B-C: only rc1 counts (yes/no, opposite) -> 0 / 1 = 0
    assert scores.loc["BBB", "CCC"] == pytest.approx(0.0)
    # symmetric
    assert scores.loc["CCC", "AAA"] == scores.loc["AAA", "CCC"]


def test_voeten_counts_abstention_as_half(votes: pd.DataFrame) -> None:
    scores, counts = ag.agreement_matrix(votes, "voeten")
    # A-B over rc1-4: 1 (yes/yes) + 0.5 (no/abstain) + 0 (yes/no) + 1 (abstain/abstain)
    #      = 2.5 / 4 = 0.625
    assert scores.loc["AAA", "BBB"] == pytest.approx(0.625)
    assert counts.loc["AAA", "BBB"] == 4
    # A-C over rc1-5: 0 + 1 + 0.5 (yes/abstain) + 0.5 (abstain/yes) + 1 = 3 / 5 = 0.6
    assert scores.loc["AAA", "CCC"] == pytest.approx(0.6)
    # B-C over rc1-4: 0 + 0.5 + 0.5 + 0.5 = 1.5 / 4 = 0.375
    assert scores.loc["BBB", "CCC"] == pytest.approx(0.375)


def test_agreement_with_lists_partners_closest_first(votes: pd.DataFrame) -> None:
    out = ag.agreement_with(votes, "AAA", measure="coincidence")
    assert list(out["partner"]) == ["CCC", "BBB"]  # 2/3 before 1/2
    row = out.set_index("partner").loc["CCC"]
    # A-C: same = rc2 + rc5 = 2, opposite = rc1 = 1, partial = rc3 + rc4 = 2
    assert (row["same"], row["opposite"], row["partial"], row["votes"]) == (2, 1, 2, 3)
    only_b = ag.agreement_with(votes, "AAA", ["BBB"], "voeten")
    assert list(only_b["partner"]) == ["BBB"]
    assert only_b["agreement"].iloc[0] == pytest.approx(0.625)
    # min_votes leaves out partners with too few shared votes (A-B rests on 2)
    assert list(ag.agreement_with(votes, "AAA", min_votes=3)["partner"]) == ["CCC"]


def test_agreement_over_time_per_year(votes: pd.DataFrame) -> None:
    out = ag.agreement_over_time(votes, "AAA", ["CCC"], "voeten")
    by_year = dict(zip(out["year"], out["agreement"], strict=True))
    # 2000: rc1 0 + rc2 1 + rc3 0.5 = 1.5 / 3 = 0.5; 2001: rc4 0.5 + rc5 1 = 1.5 / 2 = 0.75
    assert by_year == {2000: pytest.approx(0.5), 2001: pytest.approx(0.75)}


def test_hnr_agreement_index(votes: pd.DataFrame) -> None:
    members = ["AAA", "BBB", "CCC"]
    per_call = ag.hnr_by_roll_call(votes, members).set_index("roll_call_id")["cohesion"]
    # AI = (max - (total - max) / 2) / total
    # rc1 Y2 N1: (2 - 0.5) / 3 = 0.5 ; rc2 N2 A1: 0.5 ; rc3 Y1 N1 A1: (1 - 1) / 3 = 0
    # rc4 A2 Y1: 0.5 ; rc5 Y2 (B absent): (2 - 0) / 2 = 1
    assert per_call.to_dict() == {
        1: pytest.approx(0.5),
        2: pytest.approx(0.5),
        3: pytest.approx(0.0),
        4: pytest.approx(0.5),
        5: pytest.approx(1.0),
    }
    overall = ag.cohesion(votes, members, by=None)
    assert overall["cohesion"].iloc[0] == pytest.approx(0.5)  # (0.5+0.5+0+0.5+1)/5
    yearly = ag.cohesion(votes, members).set_index("year")
    assert yearly.loc[2000, "cohesion"] == pytest.approx(1 / 3)  # (0.5+0.5+0)/3
    assert yearly.loc[2001, "cohesion"] == pytest.approx(0.75)  # (0.5+1)/2
    assert yearly.loc[2000, "roll_calls"] == 3
    assert list(yearly.columns) == ["members", "roll_calls", "cohesion", "voters"]
    assert set(yearly["members"]) == {3}  # no periods: the members given


def test_defection_from_group_plurality(votes: pd.DataFrame) -> None:
    out = ag.defections(votes, ["AAA", "BBB", "CCC"]).set_index("iso3")
    # group line: rc1 yes (C defects), rc2 no (B defects), rc3 tie 1-1-1 (skipped),
    # rc4 abstain (C defects), rc5 yes (nobody defects)
    assert list(out.index) == ["CCC", "BBB", "AAA"]
    assert (out.loc["CCC", "votes"], out.loc["CCC", "defections"]) == (4, 2)
    assert out.loc["CCC", "rate"] == pytest.approx(0.5)
    assert (out.loc["BBB", "votes"], out.loc["BBB", "defections"]) == (3, 1)
    assert (out.loc["AAA", "votes"], out.loc["AAA", "defections"]) == (4, 0)


def test_group_line_skips_ties(votes: pd.DataFrame) -> None:
    line = ag.group_line(votes, ["AAA", "BBB", "CCC"])
    assert line.to_dict() == {1: "yes", 2: "no", 4: "abstain", 5: "yes"}


def test_pairs_without_common_votes_are_nan() -> None:
    frame = pd.DataFrame(
        [
            {"roll_call_id": 1, "iso3": "AAA", "vote": "yes"},
            {"roll_call_id": 2, "iso3": "BBB", "vote": "no"},
        ]
    )
    scores, counts = ag.agreement_matrix(frame, "coincidence")
    assert math.isnan(scores.to_numpy()[scores.index.get_loc("AAA"), scores.columns.get_loc("BBB")])
    assert counts.loc["AAA", "BBB"] == 0


def test_bad_arguments_are_user_errors(votes: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="measure"):
        ag.agreement_matrix(votes, "kappa")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        ag.agreement_with(votes, "ZZZ")
    with pytest.raises(InputError, match="vote"):
        ag.vote_matrix(votes.drop(columns=["vote"]))


# --- membership over time ------------------------------------------------------------------
# The same table with dates, and a group whose membership changes:
#   AAA member throughout; BBB joins 2001-01-01; CCC leaves 2000-06-01 (exclusive end).
# Roll calls 1-2 are dated 2000-03-01, 3 is 2000-10-01, 4-5 are 2001-05-01.

DATES = {1: "2000-03-01", 2: "2000-03-01", 3: "2000-10-01", 4: "2001-05-01", 5: "2001-05-01"}


@pytest.fixture
def dated(votes: pd.DataFrame) -> pd.DataFrame:
    return votes.assign(date=pd.to_datetime(votes["roll_call_id"].map(DATES)))


@pytest.fixture
def periods() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC"],
            "start": pd.to_datetime(pd.Series([None, "2001-01-01", "1990-01-01"])),
            "end": pd.to_datetime(pd.Series([None, None, "2000-06-01"])),
        }
    )


def test_votes_count_only_within_membership(dated: pd.DataFrame, periods: pd.DataFrame) -> None:
    kept = ag.at_membership(dated, periods)
    by_state = kept.groupby("iso3")["roll_call_id"].apply(sorted).to_dict()
    # A: all five; B: only rc4 (rc5 is an absence, kept but not a cast vote); C: rc1, rc2
    assert by_state["AAA"] == [1, 2, 3, 4, 5]
    assert by_state["BBB"] == [4, 5]
    assert by_state["CCC"] == [1, 2]


def test_cohesion_with_members_at_each_date(dated: pd.DataFrame, periods: pd.DataFrame) -> None:
    yearly = ag.cohesion(dated, ["AAA", "BBB", "CCC"], "year", periods).set_index("year")
    # 2000: rc1 A yes, C no -> (1 - 0.5) / 2 = 0.25; rc2 A no, C no -> 1; rc3 A alone -> 1
    assert yearly.loc[2000, "cohesion"] == pytest.approx((0.25 + 1 + 1) / 3)
    # 2001: rc4 A abstain, B abstain -> 1; rc5 A yes (B absent) -> 1
    assert yearly.loc[2001, "cohesion"] == pytest.approx(1.0)
    # members at the dates: A and C on 2000-03-01 (C left before rc3), A and B in 2001
    assert yearly.loc[2000, "members"] == 2 and yearly.loc[2001, "members"] == 2


def test_no_defector_outside_its_membership(dated: pd.DataFrame, periods: pd.DataFrame) -> None:
    out = ag.defections(dated, ["AAA", "BBB", "CCC"], periods).set_index("iso3")
    # C was judged on rc1 only (rc2 it agreed; rc1 A yes vs C no is a tie, no line): no rc
    # after it left; B only on rc4 (joined 2001), where it voted with A
    assert out.loc["BBB", "votes"] == 1 and out.loc["BBB", "defections"] == 0
    assert out.loc["CCC", "votes"] == 1  # rc2 only (rc1 is a 1-1 tie)
    line = ag.group_line(dated, ["AAA", "BBB", "CCC"], periods)
    assert line.to_dict() == {2: "no", 3: "yes", 4: "abstain", 5: "yes"}
