"""The text index the forecast's similarity features read: a TF-IDF vectoriser fitted on the
texts before a session and the vectors of the session's look-back window.

Why kept: fitting the vectoriser on every earlier title and description was most of the time
of a forecast, and every draft of one session needs the same index. It is kept on the vote
history for the last session asked; a trained forecaster builds the one of the next session,
so the saved model carries it and the first forecast of a new process does not fit it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rightsdesk.negotiation.positions.features import VoteHistory


def text_index(hist: VoteHistory, session: int, window: int) -> tuple[Any, Any]:
    """(vectoriser fitted on the texts before ``session``, transposed vectors of the texts of
    the ``window`` sessions before it)."""
    key = (session, window)
    cached = hist.__dict__.get("_text_index")
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    from sklearn.feature_extraction.text import TfidfVectorizer

    calls = hist.calls
    past = (calls["session"] < session).to_numpy()
    win = past & (calls["session"] >= session - window).to_numpy()
    vec = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1)
    vec.fit(calls.loc[past, "text"])
    window_texts = vec.transform(calls.loc[win, "text"]).T
    hist.__dict__["_text_index"] = (key, vec, window_texts)
    return vec, window_texts
