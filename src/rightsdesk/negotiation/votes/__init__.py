"""Votes room: UN resolutions, roll calls and state votes; agreement between states, bloc
cohesion.

``models`` (tables), ``frames`` (votes as DataFrames: the one read path of every analysis),
``agreement`` (the measures), ``service`` (what the pages and the API ask), ``sources/``
(unvotes and HRC importers), ``cli``, ``routes``, ``schemas``.
"""
