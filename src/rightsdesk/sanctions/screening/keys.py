"""The keys the screening index files names under: the matcher's blocking keys, plus
one-deletion keys of each name part, so that a typo anywhere in a part still finds its name.

The matcher's keys (token, metaphone, consonant skeleton, 4-letter prefix) all begin with the
part's first letters: "Amhadi" for "Ahmadi" or "Abqer" for "Baqer" share none of them, and a
query whose only other part is "Mohammad" then ranks the listed name among hundreds of other
Mohammads. The symmetric-deletion keys (SymSpell's idea) give two parts one edit apart at
least one common key ("amhadi" and "ahmadi" both lose a letter to "amadi"), whatever letter
the edit touched, at the cost of about one key per letter.
"""

from __future__ import annotations

from rightsdesk.sanctions.matching import Prepared, blocking_keys

__all__ = ["DELETE_MIN", "screening_keys"]

#: Parts shorter than this get no deletion keys: "li" and "ali" one deletion apart are noise.
DELETE_MIN = 4


def screening_keys(p: Prepared) -> set[str]:
    """Blocking keys of a prepared query or entity name, with its one-deletion keys."""
    keys = blocking_keys(p)
    for name in p.names:
        for token in name.tokens:
            text = token.text
            if len(text) < DELETE_MIN or token.numeric or token.weight < 0.5:
                continue
            keys.add("d:" + text)
            for i in range(len(text)):
                keys.add("d:" + text[:i] + text[i + 1 :])
    return keys
