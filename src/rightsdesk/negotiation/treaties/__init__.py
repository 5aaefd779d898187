"""Treaties room: the 18 core human rights instruments, ratifications and reservations.

``models`` (tables), ``instruments`` (the catalogue), ``matrix`` and ``service`` (questions over
the store), ``sources/`` (UN Treaty Collection importers), ``cli``, ``routes``, ``schemas``.
"""
