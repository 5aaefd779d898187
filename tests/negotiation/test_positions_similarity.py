"""The forecast's text index: fitted once per session and carried by a saved model, so the
first forecast of a new process does not refit it (it was most of that forecast's time)."""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

import numpy as np

from rightsdesk.negotiation.positions.features import ForecastOptions, VoteHistory
from rightsdesk.negotiation.positions.similarity import text_index

if TYPE_CHECKING:
    from tests.negotiation.conftest import SyntheticVotes


def test_the_index_is_fitted_once_per_session(synthetic_votes: SyntheticVotes) -> None:
    hist = VoteHistory.from_frame(synthetic_votes(sessions=4, per_session=20, seed=1))
    window = ForecastOptions().similarity_window
    vec, texts = text_index(hist, 5, window)
    again = text_index(hist, 5, window)
    assert again[0] is vec and again[1] is texts
    earlier = text_index(hist, 3, window)  # another session: fitted on fewer texts
    assert earlier[0] is not vec
    assert earlier[1].shape[1] < texts.shape[1]
    assert set(earlier[0].vocabulary_) <= set(vec.vocabulary_)


def test_a_pickled_history_carries_the_index_and_gives_the_same_vectors(
    synthetic_votes: SyntheticVotes,
) -> None:
    hist = VoteHistory.from_frame(synthetic_votes(sessions=3, per_session=20, seed=2))
    vec, texts = text_index(hist, 4, 10)
    copy = pickle.loads(pickle.dumps(hist, protocol=5))
    assert "_text_index" in copy.__dict__
    vec2, texts2 = text_index(copy, 4, 10)
    draft = ["Right to development and nuclear disarmament"]
    assert np.allclose(
        (vec.transform(draft) @ texts).toarray(), (vec2.transform(draft) @ texts2).toarray()
    )
