"""Collective resolution of a file of entity pairs: records that recur are resolved together.

A pair decided on its own sees two records only. Entity-resolution systems (Senzing, the
OpenSanctions deduplication workflow) see every record at once, and a file of pairs often
holds the same record in many pairs (every pair within a family of confusable records). Three
things can then be known that no single pair shows:

* **linked through others**: Eddie Knight shares a social-security number with Edward Kusha,
  who is Eddie Kusha (same birth date, same house); so "Ed Knight" at Eddie Knight's address
  is Eddie Kusha too, though the pair (Ed Knight, Eddie Kusha) scores low on its own;
* **held apart**: Robbie Smith carries the driving licence of Robert Smith Sr (born 1954), so
  he is not Robert Smith born 1978, however alike their names and addresses;
* **ambiguous**: a "John Smith" at an address where two John Smiths live (born 1970 and
  1990) matches both by name and address, so he cannot be said to be either.

How: the pairs that reach the threshold are links; the stronger a link's evidence, the earlier
it is used (a shared identifier or the full birth date, then a shared address, contact or birth
year, then the name alone), the higher its score the earlier within a tier. A link on the name
alone decides its own pair but joins nothing: chains of alike names ("Al-Qaida", "Al-Qaida in
Iraq", "Islamic State in Iraq") would otherwise make one entity of many. Any other link joins
two clusters unless (a) some record of one and some record of the other are *incompatible* — a
hard conflict (another birth year, another number of one identifier kind, another gender, a
person and a company) in a pair that does not itself reach the threshold — or (b) one end is
ambiguous: it also links, as strongly, to a third cluster that could be its own but could not
be the other end's. A record's pairs keep their own score when the clusters agree with it; a
pair joined only through others gets the weakest link of the path that joins them; a pair held
apart gets at most ``HELD_APART``. A file whose records each appear in one pair is decided
exactly as pair by pair.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rightsdesk.sanctions.matching.evidence import DATE_AGREE, DATE_CONFLICT, Finding, findings
from rightsdesk.sanctions.matching.model import Prepared
from rightsdesk.sanctions.matching.score import DEFAULT_THRESHOLD, scored

# Score given to a pair that reaches the threshold on its own but that the other records
# show to be two entities: below any threshold a caller is likely to use, still telling
# that the pair alone looked alike.
HELD_APART = 0.5
HARD_CONFLICTS = frozenset({"identifier", "schema", "gender", "generation"})


def tier(found: Sequence[Finding]) -> int:
    """How strongly a link is corroborated: 3 a shared identifier or full birth date; 2 a
    shared address, contact or birth year; 1 the name alone."""
    agree = [f for f in found if f.outcome == "agree" and f.effect > 0]
    if any(f.kind == "identifier" or (f.kind == "birth_date" and f.effect >= DATE_AGREE)
           for f in agree):  # fmt: skip
        return 3
    if any(f.kind in ("address", "contact", "birth_date", "married_name") for f in agree):
        return 2
    return 1


def hard_conflict(found: Sequence[Finding]) -> Finding | None:
    """The finding, if any, that makes two records two entities whatever else they share."""
    for f in found:
        if f.outcome != "conflict":
            continue
        if f.kind in HARD_CONFLICTS or (f.kind == "birth_date" and f.effect <= DATE_CONFLICT):
            return f
    return None


@dataclass(frozen=True)
class Resolution:
    """The decision on one pair: its own score, the resolved score, and why they differ."""

    pair_score: float
    score: float
    match: bool
    reason: str


@dataclass
class _Link:
    left: str
    right: str
    score: float
    tier: int


class _Resolver:
    """Union-find over record keys, with the compatibility and ambiguity checks."""

    def __init__(self, records: dict[str, Prepared], threshold: float) -> None:
        self.records = records
        self.threshold = threshold
        self.parent = {key: key for key in records}
        self.members: dict[str, list[str]] = {key: [key] for key in records}
        self._conflicts: dict[tuple[str, str], Finding | None] = {}
        self.tree: dict[str, list[tuple[str, float]]] = defaultdict(list)

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def conflict(self, a: str, b: str) -> Finding | None:
        """A hard conflict between two records that their own pair does not overcome."""
        pair = (a, b) if a < b else (b, a)
        if pair not in self._conflicts:
            left, right = self.records[pair[0]], self.records[pair[1]]
            found = hard_conflict(findings(left, right))
            if found is not None and scored(left, right)[0] >= self.threshold:
                found = None
            self._conflicts[pair] = found
        return self._conflicts[pair]

    def incompatible(self, root_a: str, root_b: str) -> tuple[str, str, Finding] | None:
        for a in self.members[root_a]:
            for b in self.members[root_b]:
                if (found := self.conflict(a, b)) is not None:
                    return a, b, found
        return None

    def union(self, link: _Link) -> None:
        ra, rb = self.find(link.left), self.find(link.right)
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        self.tree[link.left].append((link.right, link.score))
        self.tree[link.right].append((link.left, link.score))

    def ambiguous(self, end: str, other: str, level: int, links: list[_Link]) -> str | None:
        """A record ``end`` also linked (as strongly) to a cluster that could be its own but
        not ``other``'s: the record that makes the link ambiguous, if any."""
        own, target = self.find(end), self.find(other)
        for link in links:
            if link.tier < level:
                continue
            third = link.right if link.left == end else link.left
            root = self.find(third)
            if root in (own, target):
                continue
            if self.incompatible(own, root) is None and self.incompatible(target, root):
                return third
        return None

    def bottleneck(self, a: str, b: str) -> float:
        """The weakest link on the path of used links from ``a`` to ``b`` (a tree)."""
        seen = {a: 1.0}
        queue = deque([a])
        while queue:
            node = queue.popleft()
            for nxt, weight in self.tree[node]:
                if nxt not in seen:
                    seen[nxt] = min(seen[node], weight)
                    queue.append(nxt)
        return seen.get(b, 0.0)


def record_key(entity: Any) -> str | None:
    """What an FtM entity dict is known by across pairs: its id, else its content (the same
    schema and properties on two lines are one record); None for what is not an object."""
    if not isinstance(entity, Mapping):
        return None
    value = entity.get("id")
    if isinstance(value, str | int) and str(value).strip():
        return str(value)
    content = json.dumps([entity.get("schema"), entity.get("properties")], sort_keys=True)
    return "content:" + hashlib.blake2b(content.encode(), digest_size=12).hexdigest()


def _shown(key: str) -> str:
    return key[3:] if key.startswith("id:") else "a record without id"


def _key(entity_id: str | None, index: int, side: str) -> str:
    return f"id:{entity_id}" if entity_id else f"pair:{index}:{side}"


def resolve_pairs(
    pairs: Sequence[tuple[str | None, Prepared, str | None, Prepared]],
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> list[Resolution]:
    """Decide every pair of (left id, left, right id, right) with all the others in view.

    Records are known by their entity id; a record without one stands for itself in its
    pair only. The first occurrence of an id is the one compared with other records.
    ``progress(done, total)`` is called as pairs are scored (the bulk of the time).
    """
    records: dict[str, Prepared] = {}
    keys: list[tuple[str, str]] = []
    own: list[tuple[float, list[Finding]]] = []
    for index, (left_id, left, right_id, right) in enumerate(pairs):
        a, b = _key(left_id, index, "l"), _key(right_id, index, "r")
        records.setdefault(a, left)
        records.setdefault(b, right)
        keys.append((a, b))
        own.append(scored(left, right))
        if progress is not None and (index % 500 == 499 or index == len(pairs) - 1):
            progress(index + 1, len(pairs))
    resolver = _Resolver(records, threshold)
    by_record: dict[str, list[_Link]] = defaultdict(list)
    links = []
    for index, ((a, b), (value, found)) in enumerate(zip(keys, own, strict=True)):
        if value >= threshold and a != b:
            link = _Link(a, b, value, tier(found))
            links.append((-link.tier, -value, index, link))
            by_record[a].append(link)
            by_record[b].append(link)
    links.sort(key=lambda item: item[:3])
    why: dict[tuple[str, str], str] = {}
    named: set[tuple[str, str]] = set()
    for level in (3, 2, 1):
        pending = [item[3] for item in links if item[3].tier == level]
        changed = True
        while changed and pending:  # a join can lift an ambiguity seen earlier: go again
            changed, waiting = False, []
            for link in pending:
                ra, rb = resolver.find(link.left), resolver.find(link.right)
                if ra == rb:
                    continue
                if (clash := resolver.incompatible(ra, rb)) is not None:
                    x, y, fact = clash
                    why[(link.left, link.right)] = (
                        f"held apart: {_shown(x)} and {_shown(y)} are two"
                        f" ({fact.kind} {fact.detail})"
                    )
                    continue
                third = resolver.ambiguous(
                    link.left, link.right, level, by_record[link.left]
                ) or resolver.ambiguous(link.right, link.left, level, by_record[link.right])
                if third is not None:
                    why[(link.left, link.right)] = (
                        f"ambiguous: also matches {_shown(third)}, who cannot be the other"
                    )
                    waiting.append(link)
                    continue
                if level > 1:
                    resolver.union(link)
                    changed = True
                else:  # the name alone decides its own pair but links nothing through it
                    named.add((link.left, link.right))
            pending = waiting
    out = []
    for (a, b), (value, _found) in zip(keys, own, strict=True):
        together = resolver.find(a) == resolver.find(b)
        if a == b:  # one id on both sides: nothing but the pair itself to go by
            out.append(Resolution(value, value, value >= threshold, "pair"))
        elif (a, b) in named or (together and value >= threshold):
            out.append(Resolution(value, value, True, "pair"))
        elif together:
            linked = round(resolver.bottleneck(a, b), 4)
            out.append(Resolution(value, linked, True, "linked through other records"))
        elif value >= threshold:
            reason = why.get((a, b)) or why.get((b, a)) or "held apart by other records"
            out.append(Resolution(value, min(value, HELD_APART), False, reason))
        else:
            out.append(Resolution(value, value, False, "pair"))
    return out
