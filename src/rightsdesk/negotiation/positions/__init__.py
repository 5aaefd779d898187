"""Positions room: states' ideal points, vote forecasts on drafts, and their out-of-time record.

No tables of its own: it reads votes through ``votes.frames``. ``ideal_points`` (the model),
``features`` and ``forecast`` (the vote forecaster), ``backtest`` (its evaluation), ``service``
(fitted models cached per store), ``cli``, ``routes``, ``schemas``.
"""
