"""The screening index: every loaded entity prepared once, and an inverted index of the
matcher's blocking keys, kept per data version.

Preparing ~25,000 entities (transliteration, phonetic keys) takes seconds; a query must take a
millisecond. So the index is built once per data version (``core.cache``: in memory for the
process, pickled under ``DATA/results`` for the other processes, warmed after an import by the
form's warm-up task) and every query reuses it. It holds only plain values (numpy arrays,
frozen dataclasses), so it pickles to disk and broadcasts to Spark executors unchanged.

Candidate generation reads the inverted index: each blocking key (a normalised token, its
phonetic key, its consonant skeleton, ... whatever ``matching.blocking_keys`` yields) lists the
*names* that have it, with an inverse-document-frequency weight, so that names sharing rare
keys with the query rise first and "al" or "company" count for little. The index is by name,
not by entity: an OFAC entry with twelve aliases is then scored on the one or two aliases that
look like the query, not on all twelve (the matcher's score of an entity is the best of its
names' scores, with the same evidence, so nothing is lost).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from rightsdesk.core import cache
from rightsdesk.sanctions.matching import Prepared, PreparedName, prepare
from rightsdesk.sanctions.screening.keys import screening_keys
from rightsdesk.sanctions.screening.records import EntityRecord, read_entities

__all__ = [
    "COMPATIBLE",
    "KINDS",
    "ScreeningIndex",
    "build_index",
    "code_version",
    "index_from_records",
    "load_index",
    "rerank_text",
]

#: The matcher's kinds of entity (``Prepared.kind``), coded as small integers in the index.
KINDS = ("person", "organization", "entity", "vessel", "other")
#: Name of the cached result (``core.cache``); its arguments hold ``code_version()``.
CACHE_NAME = "sanctions.screening.index"


@dataclass
class ScreeningIndex:
    """Prepared entities, their names as separately scorable items, and the inverted index
    over the names' keys (``keys.screening_keys``)."""

    records: list[EntityRecord]
    items: list[Prepared]  # per matched name: the entity's Prepared with that one name
    item_entity: npt.NDArray[np.int32]  # entity position of each item
    entity_items: npt.NDArray[np.int32]  # items of entity e: entity_items[e]:entity_items[e+1]
    item_weights: npt.NDArray[np.float64]  # summed idf of each item's keys
    item_texts: list[str]  # each item's name as ``rerank_text`` writes it
    masks: dict[str, npt.NDArray[np.bool_]]  # query kind -> items it may match (active)
    masks_all: dict[str, npt.NDArray[np.bool_]]  # the same, delisted entities included
    postings: dict[str, tuple[npt.NDArray[np.int32], float]]  # key -> (items, idf)
    lists: tuple[str, ...] | None = None  # the lists it was restricted to (None: all)
    built_seconds: float = 0.0
    stats: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.records)

    def entity(self, position: int) -> Prepared:
        """The entity at ``position`` with all its matched names, as the explanation of a hit
        compares them (the names the index scored, so the hit's score is the batch's)."""
        start, end = int(self.entity_items[position]), int(self.entity_items[position + 1])
        names = tuple(item.names[0] for item in self.items[start:end])
        return replace(self.items[start], names=names)


#: Which kinds of listed entity a query of each kind may match: a person query never pays
#: for scoring vessels and companies; "entity" (a bare LegalEntity) may be either.
COMPATIBLE = {
    "person": ("person", "entity", "other"),
    "organization": ("organization", "entity", "other"),
    "entity": ("person", "organization", "entity", "other"),
    "vessel": ("vessel", "other", "entity"),
    "other": KINDS,
}


def matchable_names(p: Prepared, caption: str) -> tuple[PreparedName, ...]:
    """The names of ``p`` that may match alone: a person's one-word alias ("Hassan",
    "Bilal", which the UN marks "good" quality) is left out, as weak aliases are, since it
    would alert on every Hassan; the list's main name (``caption``) always stays."""
    if p.kind != "person" or len(p.names) == 1:
        return p.names
    kept = tuple(
        n
        for n in p.names
        if n.original == caption or sum(1 for t in n.tokens if t.weight >= 0.5) >= 2
    )
    return kept or p.names


def index_from_records(
    records: Sequence[EntityRecord], lists: Sequence[str] | None = None
) -> ScreeningIndex:
    """Prepare each record's names and index their keys."""
    began = time.perf_counter()
    prepared = [prepare(r.query) for r in records]
    items: list[Prepared] = []
    owners: list[int] = []
    item_keys: list[set[str]] = []
    starts = [0]
    members: dict[str, list[int]] = defaultdict(list)
    for position, p in enumerate(prepared):
        for name in matchable_names(p, records[position].caption):
            item = replace(p, names=(name,)) if len(p.names) > 1 else p
            keys = screening_keys(item)
            for key in keys:
                members[key].append(len(items))
            item_keys.append(keys)
            items.append(item)
            owners.append(position)
        starts.append(len(items))
    total = max(1, len(items))
    # idf: a key on every name is worth ~0, one on a single name ~log(total)
    weights = {k: math.log(1.0 + total / len(v)) for k, v in members.items()}
    postings = {k: (np.asarray(v, dtype=np.int32), weights[k]) for k, v in members.items()}
    item_entity = np.asarray(owners, dtype=np.int32)
    kinds = np.asarray([p.kind if p.kind in KINDS else "other" for p in prepared])
    active = np.asarray([r.active for r in records], dtype=np.bool_)
    masks_all = {
        kind: np.isin(kinds, allowed)[item_entity] if len(items) else np.zeros(0, np.bool_)
        for kind, allowed in COMPATIBLE.items()
    }
    return ScreeningIndex(
        records=list(records),
        items=items,
        item_entity=item_entity,
        entity_items=np.asarray(starts, dtype=np.int32),
        item_weights=np.asarray(
            [math.fsum(weights[k] for k in keys) for keys in item_keys], dtype=np.float64
        ),
        item_texts=[rerank_text(item.names[0]) for item in items],
        masks={k: m & active[item_entity] for k, m in masks_all.items()},
        masks_all=masks_all,
        postings=postings,
        lists=tuple(lists) if lists is not None else None,
        built_seconds=time.perf_counter() - began,
        stats={"entities": len(records), "names": len(items), "keys": len(postings)},
    )


@lru_cache(maxsize=1)
def rerank_text(name: PreparedName) -> str:
    """A name as the cheap candidate stage compares it: its parts with romanisation variants
    folded ("Qadhafi" → "kadhafi", "Akhwan" → "ahvan"), sorted. Compared as written, a listed
    "Mohammed Muammar Qadhafi" loses its place among hundreds of other Mohammeds to a query
    spelt "Muhammad ... Kadhafi" before the matcher, which folds the same variants, sees it."""
    return " ".join(sorted(t.roman for t in name.tokens))


def code_version() -> str:
    """A digest of the matcher's and the screening's source: an index pickled by another
    version of the code (other prepared fields, other keys) is never read back."""
    digest = hashlib.sha256()
    for package in ("matching", "screening"):
        folder = Path(__file__).resolve().parent.parent / package
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_index(session: Session, lists: Sequence[str] | None = None) -> ScreeningIndex:
    """Read the stored entities (all, or those on ``lists``) and index them; uncached: use
    ``load_index`` everywhere but in tests and benchmarks that time the build."""
    began = time.perf_counter()
    index = index_from_records(read_entities(session, lists), lists)
    index.built_seconds = time.perf_counter() - began
    return index


def load_index(session: Session, lists: Sequence[str] | None = None) -> ScreeningIndex:
    """The index of the store's current data, built at most once per data version.

    Kept in this process's memory and pickled under the data folder (when ``core.cache`` is
    configured with one), so a web worker or a second command reads it instead of building.
    Callers share it and must not change it.
    """
    chosen = tuple(sorted(lists)) if lists is not None else None
    return cache.cached(
        session,
        CACHE_NAME,
        (chosen, code_version()),
        lambda: build_index(session, lists),
        edits=False,  # no edit changes a list entity: only imports do
        ignore=other_kinds(),  # nor does an import of UN votes or IATI activities
    )


@lru_cache(maxsize=1)
def other_kinds() -> tuple[str, ...]:
    """Import kinds that write no list entity nor programme: every form's but the sanctions
    lists' and the programme registry's (the GSP+ conventions count as others too)."""
    from rightsdesk.forms import all_importers
    from rightsdesk.sanctions.sources import lists_a, lists_b, registry

    mine = {i.kind for i in registry.IMPORTERS + lists_a.IMPORTERS + lists_b.IMPORTERS}
    return tuple(sorted({i.kind for i in all_importers()} - mine))
