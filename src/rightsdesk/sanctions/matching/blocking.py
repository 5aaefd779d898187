"""Keys under which a screening index files an entity, so that a query finds its candidates.

A query and an entity that could match share at least one key: a normalised name part (exact
and transliterated agreement), its metaphone (phonetic agreement and most typos), its consonant
skeleton (vowel-less transliterations such as Arabic "mhmd"), its romanisation-folded form
("Kadhafi"/"Qadhafi", "Mudzhahid"/"Mujahid"), the given name it is a short form of ("Bob" →
Robert), or a 4-letter prefix (typos late in the word). Keys are prefixed by their kind so
that they never collide.
"""

from __future__ import annotations

from rightsdesk.sanctions.matching.model import Prepared
from rightsdesk.sanctions.matching.nicknames import NICKNAMES


def blocking_keys(p: Prepared) -> set[str]:
    """Index keys of a prepared query or entity (initials and particles are left out)."""
    keys: set[str] = set()
    for name in p.names:
        keys.add("c:" + name.compact)
        for token in name.tokens:
            if len(token.text) < 2 or token.weight < 0.5:
                continue
            keys.add("t:" + token.text)
            keys.add("p:" + token.phonetic)
            if len(token.skeleton) >= 2:
                keys.add("s:" + token.skeleton)
            keys.add("r:" + token.roman)
            keys.update(f"n:{group}" for group in NICKNAMES.get(token.text, ()))
            if len(token.text) >= 6:
                keys.add("x:" + token.text[:4])
    return keys
