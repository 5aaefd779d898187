"""Align the parts of two names and turn the alignment into a name score.

Parts are paired greedily, best pair first, whatever their order ("Putin Vladimir" aligns with
"Vladimir Putin"); parts left over on both sides may still pair once two neighbours are joined
("Patr ushev" ~ "Patrushev"). Each side's *coverage* is the weighted share of its parts that
found a partner (weighted by how much a part says: a family name more than "bin" or an
initial). When only one side has parts left over (an extra middle name, a patronymic, a
"Trust" in a company name), the name is a subset of the other and the score leans on the
better-covered side, for people more than for organisations (whose extra words often name
another company of a group). When both sides have parts left over, the names contradict each
other ("al-Tikriti" vs "al-Mosuli"): a fixed penalty per unit of contradicting weight is
subtracted, so one different family name sinks a long name as surely as a short one. In Arabic
names the side of "bin" matters: "Omar bin Abdullah" (Omar, son of Abdullah) is not "Abdullah
bin Omar". When the only parts that agree are frequent given names (``Token.common``: "Ahmad
Hasan") and a full part of one name has no partner ("Karimi"), the score is scaled down
(``COMMON_ONLY``): such pairs are namesakes far more often than one person; two names made
only of one or two common parts and spelt differently are scaled by ``COMMON_NAME``. When what
one name leaves out lies between an agreeing first and last part (father's and grandfather's
names dropped), the better-covered side counts more (``INNER_SHARE``). A *qualifier* (a
patronymic, a country in a company name) weighs little when missing but contradicts fully when
the other name holds a different one. An organisation's acronym ("PLA") aligns with all the
parts it abbreviates.
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz.distance import OSA, Levenshtein

from rightsdesk.sanctions.matching.lineage import lineage_differs, swapped_parts
from rightsdesk.sanctions.matching.model import PreparedName, Token
from rightsdesk.sanctions.matching.tokens import (
    ACRONYM,
    EXACT,
    JOINED,
    MISSING,
    PREFIX,
    SWAPPED,
    TYPO,
    allowed_edits,
    compare_tokens,
)


class Pair(NamedTuple):
    """Query part index ``q`` aligned with candidate part index ``c`` (-1: no partner)."""

    q: int
    c: int
    similarity: float
    kind: str


class Alignment(NamedTuple):
    """The outcome of aligning two names."""

    score: float
    pairs: tuple[Pair, ...]


# Weight of the better-covered side when only one side has parts left over.
SUBSET_SHARE_PERSON = 0.55
INNER_SHARE = 0.7  # ... when what is left over lies between agreeing first and last parts
SUBSET_SHARE_ORG = 0.3
CONFLICT_PENALTY = 0.25  # per unit of weight left over on both sides
STRONG_PART = 0.88  # at least one aligned part must be this close, else only typos agree
WEAK_ONLY = 0.8  # ... and the score is scaled by this
INITIALS_ONLY = 0.5  # only initials agree: "N. N." says next to nothing about a name
NUMBER_CONFLICT = 0.75  # "Fund 1" vs "Fund 2": numbers on both sides that do not agree
JOINED_SCORE = 0.97  # the names agree once spaces are ignored ("Xi Jinping" ~ "Xi Jin Ping")
COMPACT_MIN_LENGTH = 8
TRUNCATED = 0.65  # a last part that is the start of the other's last part
LEGAL_FORM_CONFLICT = 0.1  # both names carry a legal form, and not the same one
LINEAGE_SWAP = 0.2  # a part on the other side of "bin": the father's name is not the son's
ACRONYM_SCORE = 0.9  # "PLA" ~ "People's Liberation Army"
LAST_TYPO = 0.7  # the one part left on each side differs in one letter, the first one
LAST_TYPO_AGREED = 2  # ... when at least this many other parts agree
RARE_WEIGHT = 0.8  # a part this heavy (4+ letters) that is not common says who someone is
COMMON_ONLY = 0.7  # only common parts agree ("Ahmad Hasan"), and a full part of one name
# ("Karimi") has no partner: namesakes who share frequent given names, not one person
MANY_COMMON = 3  # ... unless this many parts agree: few namesakes share three or more
COMMON_NAME = 0.75  # both names are made only of common parts, two at most ("Muhammad Ali"),
# and written differently: the name alone points at thousands of people, and a respelling of
# it more often at another of them than at the listed one (an alias written exactly as the
# list writes it still scores 1)


def align_names(q: PreparedName, c: PreparedName, person: bool) -> Alignment:
    """Align the parts of name ``q`` with those of name ``c``.

    ``person`` allows initials and short forms ("J." ~ "John", "Ben" ~ "Benjamin") and leans
    more on the better-covered side. Two companies whose names both carry a legal form, and
    not the same one ("AG" vs "GmbH"), lose ``LEGAL_FORM_CONFLICT``.
    """
    found = _align(q, c, person)
    if q.legal_forms and c.legal_forms and not q.legal_forms & c.legal_forms:
        return Alignment(max(found.score - LEGAL_FORM_CONFLICT, 0.0), found.pairs)
    return found


def _align(q: PreparedName, c: PreparedName, person: bool) -> Alignment:
    """The alignment and score of two names, legal forms aside."""
    qt, ct = q.tokens, c.tokens
    if q.key == c.key and not lineage_differs(q, c):
        order_q = sorted(range(len(qt)), key=lambda i: qt[i].text)
        order_c = sorted(range(len(ct)), key=lambda j: ct[j].text)
        return Alignment(
            1.0,
            tuple(
                Pair(i, j, 1.0, compare_tokens(qt[i], ct[j], person)[1])
                for i, j in zip(order_q, order_c, strict=True)
            ),
        )
    if q.compact == c.compact:
        return Alignment(JOINED_SCORE, _joined_pairs(q, c, JOINED_SCORE))
    candidates: list[tuple[float, float, int, int, str]] = []
    for i, a in enumerate(qt):
        for j, b in enumerate(ct):
            sim, kind = compare_tokens(a, b, person)
            if sim:
                candidates.append((sim, a.weight + b.weight, i, j, kind))
    candidates.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[Pair] = []
    if not person and (q.acronym or c.acronym):
        pairs = _acronym(q, c, used_q, used_c)
    deferred = []  # short forms pair last: "Patr ushev" should join before "patr" ~ "patrushev"
    for candidate in candidates:
        sim, _w, i, j, kind = candidate
        if kind == PREFIX:
            deferred.append(candidate)
        elif i not in used_q and j not in used_c:
            used_q.add(i)
            used_c.add(j)
            pairs.append(Pair(i, j, sim, kind))
    if q.patronymic > 0 and c.patronymic > 0:
        pairs = _check_lineage(q, c, pairs)
    if len(used_q) < len(qt) and len(used_c) < len(ct):
        pairs.extend(_join_leftovers(qt, used_q, ct, used_c, flip=False))
        pairs.extend(_join_leftovers(ct, used_c, qt, used_q, flip=True))
        for sim, _w, i, j, kind in deferred:
            if i not in used_q and j not in used_c:
                used_q.add(i)
                used_c.add(j)
                pairs.append(Pair(i, j, sim, kind))
        pairs.extend(_truncated_tail(qt, used_q, ct, used_c))
        if len(qt) - len(used_q) == 1 and len(ct) - len(used_c) == 1:
            pairs.extend(_last_typo(qt, used_q, ct, used_c))
    pairs.extend(Pair(i, -1, 0.0, MISSING) for i in range(len(qt)) if i not in used_q)
    pairs.extend(Pair(-1, j, 0.0, MISSING) for j in range(len(ct)) if j not in used_c)
    score = _score(q, c, pairs, person)
    if (
        len(qt) != len(ct)
        and min(len(q.compact), len(c.compact)) >= COMPACT_MIN_LENGTH
        and not (q.has_number or c.has_number)
    ):
        compact = Levenshtein.normalized_similarity(q.compact, c.compact) * JOINED_SCORE
        if compact >= 0.88 and compact > score:
            return Alignment(compact, _joined_pairs(q, c, compact))
    return Alignment(score, tuple(pairs))


def _check_lineage(q: PreparedName, c: PreparedName, pairs: list[Pair]) -> list[Pair]:
    """Weaken the parts of a link "X bin Y" of ``q`` that ``c`` holds as "Y bin X"."""
    swapped = swapped_parts(q, c, {p.q: p.c for p in pairs if p.q >= 0 and p.c >= 0})
    if not swapped:
        return pairs
    return [
        p._replace(similarity=p.similarity * LINEAGE_SWAP, kind=SWAPPED) if p.q in swapped else p
        for p in pairs
    ]


def _joined_pairs(q: PreparedName, c: PreparedName, similarity: float) -> tuple[Pair, ...]:
    """Parts shared as they are, then the rest marked as agreeing once spaces are ignored."""
    free = {j: t.text for j, t in enumerate(c.tokens)}
    pairs = []
    for i, token in enumerate(q.tokens):
        j = next((j for j, text in free.items() if text == token.text), -1)
        if j >= 0:
            del free[j]
            pairs.append(Pair(i, j, 1.0, EXACT))
        else:
            pairs.append(Pair(i, -1, similarity, JOINED))
    pairs.extend(Pair(-1, j, similarity, JOINED) for j in free)
    return tuple(pairs)


def _truncated_tail(
    qt: tuple[Token, ...], used_q: set[int], ct: tuple[Token, ...], used_c: set[int]
) -> list[Pair]:
    """A last part cut short by a fixed-width field: "... Belkassem Dr" ~ "... Drissi"."""
    i, j = len(qt) - 1, len(ct) - 1
    if i in used_q or j in used_c or qt[i].numeric or ct[j].numeric:
        return []
    a, b = qt[i].text, ct[j].text
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) < 2 or not long.startswith(short) or len(qt) < 3 and len(ct) < 3:
        return []
    used_q.add(i)
    used_c.add(j)
    return [Pair(i, j, TRUNCATED, PREFIX)]


def _acronym(q: PreparedName, c: PreparedName, used_q: set[int], used_c: set[int]) -> list[Pair]:
    """A part of one name that spells the first letters of the other: "PLA" ~ "People's
    Liberation Army". Only for organisations (a person's "Al" is no acronym)."""
    for short, long, flip in ((q, c, False), (c, q, True)):
        if not long.acronym or len(short.tokens) >= len(long.tokens):
            continue
        for i, token in enumerate(short.tokens):
            if token.text == long.acronym and not token.numeric:
                parts = [j for j, t in enumerate(long.tokens) if not t.particle and not t.numeric]
                (used_c if flip else used_q).add(i)
                (used_q if flip else used_c).update(parts)
                if flip:
                    return [Pair(j, i, ACRONYM_SCORE, ACRONYM) for j in parts]
                return [Pair(i, j, ACRONYM_SCORE, ACRONYM) for j in parts]
    return []


def _last_typo(
    qt: tuple[Token, ...], used_q: set[int], ct: tuple[Token, ...], used_c: set[int]
) -> list[Pair]:
    """The single part left unpaired on each side differs by one letter, the first one
    ("Ssad" ~ "Asad"): a typo the token comparison refuses on its own (most names that
    differ in their first letter are other names) but that two or more other agreeing parts
    vouch for. (Three would spare a few Korean namesakes, "Kang Sun Nam" / "Jang Sung Nam",
    at the cost of more real typos missed; five letters at least would spare "Tong Hyok Ri"
    / "Ri Song Hyok" but lose labelled typos such as "Son Yong Hyok" / "Son Jong Hyok".)"""
    if len(qt) - len(used_q) != 1 or len(ct) - len(used_c) != 1 or len(used_q) < LAST_TYPO_AGREED:
        return []
    left_q = [i for i in range(len(qt)) if i not in used_q]
    left_c = [j for j in range(len(ct)) if j not in used_c]
    a, b = qt[left_q[0]], ct[left_c[0]]
    if a.numeric or b.numeric or a.particle or b.particle or min(len(a.text), len(b.text)) < 4:
        return []
    if a.text[1:] != b.text[1:] and OSA.distance(a.text, b.text, score_cutoff=1) > 1:
        return []
    used_q.add(left_q[0])
    used_c.add(left_c[0])
    return [Pair(left_q[0], left_c[0], LAST_TYPO, TYPO)]


def _join_leftovers(
    side: tuple[Token, ...],
    used_side: set[int],
    other: tuple[Token, ...],
    used_other: set[int],
    flip: bool,
) -> list[Pair]:
    """Pair two adjacent unpaired parts of ``side`` with one unpaired part of ``other``."""
    found: list[Pair] = []
    for i in range(len(side) - 1):
        if i in used_side or i + 1 in used_side:
            continue
        joined = side[i].text + side[i + 1].text
        for j, token in enumerate(other):
            if j in used_other or token.numeric:
                continue
            budget = max(allowed_edits(len(joined)) - 1, 0)  # the join itself is a change
            distance = Levenshtein.distance(joined, token.text, score_cutoff=budget)
            if distance <= budget:
                sim = 1.0 - distance / max(len(joined), len(token.text))
                used_side.update((i, i + 1))
                used_other.add(j)
                for k in (i, i + 1):
                    found.append(Pair(j, k, sim, JOINED) if flip else Pair(k, j, sim, JOINED))
                break
    return found


def _score(q: PreparedName, c: PreparedName, pairs: list[Pair], person: bool) -> float:
    """Combine the coverages of both names into one score (see the module docstring)."""
    qt, ct = q.tokens, c.tokens
    got_q = [0.0] * len(qt)
    got_c = [0.0] * len(ct)
    strongest = 0.0
    for qi, cj, sim, kind in pairs:
        if qi < 0 or cj < 0:
            continue
        value = qt[qi].weight * sim
        if value > got_q[qi]:
            got_q[qi] = value
        value = ct[cj].weight * sim
        if value > got_c[cj]:
            got_c[cj] = value
        if sim > strongest and (kind == JOINED or len(qt[qi].text) > 1):
            strongest = sim
    cov_q, cov_c = sum(got_q) / q.total, sum(got_c) / c.total
    share = SUBSET_SHARE_PERSON if person else SUBSET_SHARE_ORG
    if person and (_inner_only(got_q, got_c) or _inner_only(got_c, got_q)):
        share = INNER_SHARE
    if cov_q > cov_c:
        score = share * cov_q + (1.0 - share) * cov_c
    else:
        score = share * cov_c + (1.0 - share) * cov_q
    left_q, left_c = 0.0 in got_q, 0.0 in got_c
    if left_q and left_c:
        # A part on each side that the other lacks is a contradiction ("al-Tikriti" vs
        # "al-Mosuli"), however many other parts agree: subtract its weight, not a share.
        # An initial that fits no part of the other name contradicts it as much as a name.
        unmatched_q = sum(_conflict_weight(t) for t, g in zip(qt, got_q, strict=True) if not g)
        unmatched_c = sum(_conflict_weight(t) for t, g in zip(ct, got_c, strict=True) if not g)
        score -= CONFLICT_PENALTY * min(unmatched_q, unmatched_c)
    if person and (left_q or left_c) and _common_only(qt, got_q, ct, got_c, pairs):
        score *= COMMON_ONLY
    elif person and q.common_only and c.common_only:
        score *= COMMON_NAME
    if strongest == 0.0:
        score *= INITIALS_ONLY
    elif strongest < STRONG_PART:
        score *= WEAK_ONLY
    if q.has_number and c.has_number and _numbers_conflict(qt, got_q, ct, got_c):
        score *= NUMBER_CONFLICT
    return max(score, 0.0)


def _common_only(
    qt: tuple[Token, ...],
    got_q: list[float],
    ct: tuple[Token, ...],
    got_c: list[float],
    pairs: list[Pair],
) -> bool:
    """Only common parts agree ("Ahmad Hasan"), fewer than ``MANY_COMMON`` of them, and a
    full part of one name ("Karimi") found no partner: the rule behind ``COMMON_ONLY``."""
    full_agree = 0
    for qi, cj, _sim, _kind in pairs:
        if qi < 0 or cj < 0:
            continue
        a, b = qt[qi], ct[cj]
        if a.weight >= RARE_WEIGHT and b.weight >= RARE_WEIGHT:
            if not (a.common or b.common):
                return False  # a rare part agrees: the name says who it is
            full_agree += 1
    if full_agree >= MANY_COMMON:
        return False
    return any(
        not g and t.weight >= RARE_WEIGHT
        for tokens, got in ((qt, got_q), (ct, got_c))
        for t, g in zip(tokens, got, strict=True)
    )


def _inner_only(got: list[float], other: list[float]) -> bool:
    """Only middle parts of one name are left over, between a first and a last part that
    agree, and nothing of the other name: "Ayman al-Zawahiri" for Aiman Muhammed Rabi
    al-Zawahiri, a short form that leaves out the father's and grandfather's names. (A part
    added in front, "Ali Saddam Hussein", names a son, so it gets no such lean.)"""
    return len(got) > 2 and bool(got[0]) and bool(got[-1]) and 0.0 in got and 0.0 not in other


def all_common(tokens: tuple[Token, ...]) -> bool:
    """The name's full parts (``RARE_WEIGHT``) are one or two, all common ("Ali Mohammed")."""
    full = 0
    for t in tokens:
        if t.weight >= RARE_WEIGHT:
            if not t.common:
                return False
            full += 1
    return 0 < full < MANY_COMMON


def _conflict_weight(token: Token) -> float:
    """Weight of an unpaired part in a contradiction (numbers have their own rule): an
    initial or a qualifier (patronymic, country) that fits no part of the other name
    contradicts it as much as a full name part, though either alone weighs little."""
    if token.numeric:
        return 0.0
    return 1.0 if len(token.text) == 1 or token.qualifier else token.weight


def _numbers_conflict(
    qt: tuple[Token, ...], got_q: list[float], ct: tuple[Token, ...], got_c: list[float]
) -> bool:
    """Both names hold a number that found no partner: "Bong 5" vs "Bong 6"."""
    return any(t.numeric and not g for t, g in zip(qt, got_q, strict=True)) and any(
        t.numeric and not g for t, g in zip(ct, got_c, strict=True)
    )


__all__ = ["Alignment", "Pair", "align_names", "all_common"]
