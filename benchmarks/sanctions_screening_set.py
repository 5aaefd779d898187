"""The data of ``sanctions_screening.py``: a benchmark store loaded with the real importers,
and screening sets generated from it deterministically (a seed).

Listed names: each UN-listed person's main name, varied as screening meets it in practice:
one typo (a letter substituted, dropped, doubled or two letters swapped), a respelling (the
transliteration variants of Arabic and Russian names: Mohammed/Muhammad, Abdel/Abdul, kh/h,
ou/u, ...), the name written in Cyrillic (ICU Latin→Cyrillic), the parts reordered (surname
first), the given names as initials. The index must find the person they came from.

Not-listed names: people on the OFAC and EU lists who are *not* on the UN list, screened
against an index of the UN list only. They are real names of the same origins as the listed
ones (the hard case: "Mohammed" and "Al-..." everywhere), which synthetic or Western names
would not be. Some are the same people as UN entries under another record (lists overlap);
those are excluded when they share a birth date and two name parts with a UN person, or have
exactly a UN person's name; what overlap remains counts as false alerts (conservative).
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rightsdesk.core.config import Settings, load_settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import all_importers, get_importer
from rightsdesk.sanctions.matching import Query
from rightsdesk.sanctions.screening import EntityRecord
from rightsdesk.store import init_store

UN_LIST = "un_sc_sanctions"
#: (import kind, path under the data folder); a folder is imported file by file unless the
#: importer reads the folder as one set (the programme registry).
LOAD = [
    ("opensanctions-programs", "sanctions/opensanctions-programs"),
    ("un-sc-consolidated", "sanctions/un/consolidated-2026-02-27.xml"),
    ("ofac-sdn-csv", "sanctions/ofac/sdn-2024-05-03.csv"),
    ("eu-journal-csv", "sanctions/eu-journal"),
]
RESPELL = [
    ("mohammed", "muhammad"),
    ("muhammad", "mohamed"),
    ("mohamed", "mohammad"),
    ("ahmed", "ahmad"),
    ("ahmad", "ahmed"),
    ("abdul", "abdel"),
    ("abdel", "abdul"),
    ("abd al", "abdul"),
    ("hussein", "husain"),
    ("hussain", "hussein"),
    ("kh", "h"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("yy", "y"),
    ("iy", "i"),
    ("dj", "j"),
    ("q", "k"),
    ("aa", "a"),
    ("ei", "ey"),
    ("sh", "sch"),
    ("ii", "i"),
    ("v", "w"),
    ("j", "dzh"),
]
#: Groups of the labelled name pairs made of people who are not on sanctions lists.
GENERAL_GROUPS = ("nk_checks", "nk_unit_tests")
PARTICLE = re.compile(r"^(al|el|bin|ibn|abu|abd|bint|ben)$", re.I)


def build_store(data: Path, folder: Path) -> tuple[Settings, list[str]]:
    """A fresh SQLite store in ``folder`` with every list of ``LOAD`` whose importer exists,
    imported with ``run_import`` one file per transaction (as ``rightsdesk import``)."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = load_settings(
        database_url=f"sqlite:///{folder / 'bench.db'}",
        data_dir=folder / "data",
        secret_key="benchmark-secret-" + "x" * 32,
    )
    init_store(settings)
    known = {i.kind for i in all_importers()}
    loaded: list[str] = []
    for kind, rel in LOAD:
        if kind not in known:
            loaded.append(f"{kind}: importer missing, skipped")
            continue
        path = data / rel
        importer = get_importer(kind)
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        if path.is_dir() and kind == "opensanctions-programs":
            files = files[:1]  # the registry importer reads the whole folder
        for file in files:
            with session_scope(settings.database_url) as session:
                run_import(session, importer, file, actor="benchmark")
        loaded.append(f"{kind}: {len(files)} file(s)")
    return settings, loaded


@dataclass(frozen=True)
class Case:
    """One query of a screening set, the entity it should find (None: not listed)."""

    query: Query
    kind: str  # exact, typo, respelling, cyrillic, reordered, initials, not-listed, ...
    expect: str | None


def _typo(rng: random.Random, name: str) -> str:
    tokens = name.split()
    long = [i for i, t in enumerate(tokens) if len(t) >= 4 and not PARTICLE.match(t)]
    if not long:
        return name
    i = rng.choice(long)
    t = tokens[i]
    j = rng.randrange(2, len(t) - 1)  # never the first two letters: typos seldom hit them
    how = rng.choice(("sub", "del", "dup", "swap"))
    if how == "sub":
        t = t[:j] + rng.choice("aeioulnrstkm") + t[j + 1 :]
    elif how == "del":
        t = t[:j] + t[j + 1 :]
    elif how == "dup":
        t = t[:j] + t[j] + t[j:]
    else:
        t = t[: j - 1] + t[j] + t[j - 1] + t[j + 1 :]
    tokens[i] = t
    return " ".join(tokens)


def _respell(rng: random.Random, name: str) -> str | None:
    low = name.lower()
    rules = [(a, b) for a, b in RESPELL if a in low]
    if not rules:
        return None
    for a, b in rng.sample(rules, k=min(2, len(rules))):
        low = low.replace(a, b, 1)
    return low.title()


def _cyrillic(name: str) -> str | None:
    """The name as a Russian text would write it (BGN/PCGN, with the letters BGN leaves
    out mapped as Russian does: j → дж, w → в, q → к, a lone h → х, c → к but "ch" → ч).
    (Until 2026-12-02 "ch" became "kh" → х here, "Chol" Хол, which no Russian text writes:
    recall on Cyrillic was measured on those too.)"""
    try:
        import icu  # type: ignore[import-untyped]
    except ImportError:  # PyICU comes with followthemoney; without it, no such variant
        return None
    text = name.lower().replace("j", "dzh").replace("w", "v").replace("q", "k")
    text = re.sub(r"(?<![kszc])h", "kh", text).replace("x", "ks")
    text = re.sub(r"c(?!h)", "k", text)  # "ch" stays for ICU (ч): "Chol" is Чол, not Хол
    out = icu.Transliterator.createInstance("Latin-Russian/BGN").transliterate(text.title())
    return str(out)


def _reordered(name: str) -> str | None:
    tokens = name.split()
    if len(tokens) < 2:
        return None
    return " ".join([tokens[-1], *tokens[:-1]])


def _initials(name: str) -> str | None:
    tokens = name.split()
    if len(tokens) < 3:
        return None
    return " ".join([f"{tokens[0][0]}.", *tokens[1:]])


def listed_cases(records: Sequence[EntityRecord], seed: int) -> list[Case]:
    """Variants of each UN-listed person's main name (name only: no date, no country)."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for r in records:
        if r.schema != "Person" or UN_LIST not in r.lists or not r.caption.strip():
            continue
        name = " ".join(r.caption.split())
        variants = {
            "exact": name,
            "typo": _typo(rng, name),
            "respelling": _respell(rng, name),
            "cyrillic": _cyrillic(name),
            "reordered": _reordered(name),
            "initials": _initials(name),
        }
        for kind, text in variants.items():
            if text and (kind == "exact" or text != name):
                cases.append(Case(Query("Person", (text,)), kind, r.entity_id))
    return cases


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", text.lower()) if len(t) > 2}


def not_listed_cases(records: Sequence[EntityRecord]) -> tuple[list[Case], int]:
    """Persons of the other lists who are not UN-listed, and how many were excluded as
    probably the same person as a UN entry."""
    un = [r for r in records if UN_LIST in r.lists and r.schema == "Person"]
    exact = {frozenset(_tokens(n)) for r in un for n in r.query.names}
    by_date: dict[str, list[set[str]]] = {}
    for r in un:
        tokens = set().union(*(_tokens(n) for n in r.query.names))
        for d in r.query.birth_dates:
            by_date.setdefault(d[:10], []).append(tokens)
    cases: list[Case] = []
    excluded = 0
    for r in records:
        if r.schema != "Person" or UN_LIST in r.lists or not r.caption.strip():
            continue
        tokens = set().union(*(_tokens(n) for n in r.query.names))
        same_name = any(frozenset(_tokens(n)) in exact for n in r.query.names)
        same_date = any(
            len(tokens & other) >= 2
            for d in r.query.birth_dates
            for other in by_date.get(d[:10], [])
        )
        if same_name or same_date:
            excluded += 1
            continue
        # the EU files write aliases inside the name ("Wajih (a.k.a. Wajeeh) MAHMUD"); a
        # customer file would not: the parenthesised part is dropped
        name = " ".join(re.sub(r"\([^)]*\)", " ", r.caption).split())
        cases.append(Case(Query("Person", (name,)), "not-listed", None))
    return cases, excluded


def general_cases(data: Path, records: Sequence[EntityRecord]) -> list[Case]:
    """People of a general population, not UN-listed: the person names of the labelled
    name-matching pairs' general groups (``nk_checks``, ``nk_unit_tests``: politicians and
    everyday names with their typos; the other groups are built from sanctions lists, UN
    entries among them, so they are left out) and the Senzing demo's customers. A name spelt
    exactly like a UN-listed one is left out too."""
    un = {
        frozenset(_tokens(n))
        for r in records
        if UN_LIST in r.lists and r.schema == "Person"
        for n in r.query.names
    }
    names: dict[str, None] = {}
    pairs = data / "sanctions" / "name-matching" / "nomenklatura-name-bench-cases.csv"
    with pairs.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["schema"] == "Person" and row["case_group"] in GENERAL_GROUPS:
                names.setdefault(row["name1"].strip(), None)
                names.setdefault(row["name2"].strip(), None)
    customers = data / "sanctions" / "name-matching" / "senzing-demo" / "customers.csv"
    with customers.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            first, last = row["PRIMARY_NAME_FIRST"].strip(), row["PRIMARY_NAME_LAST"].strip()
            full = row["PRIMARY_NAME_FULL"].strip() or f"{first} {last}".strip()
            if full and row["RECORD_TYPE"] == "PERSON":
                names.setdefault(full, None)
    return [
        Case(Query("Person", (name,)), "general", None)
        for name in names
        if name and frozenset(_tokens(name)) not in un
    ]


def batch_names(records: Sequence[EntityRecord], size: int, seed: int) -> list[str]:
    """``size`` names for the throughput batch: 2% variants of listed names (all lists),
    98% recombinations of given names and surnames of listed people (the names a bank's
    customer file holds in the regions sanctions focus on: the hard case for blocking)."""
    rng = random.Random(seed)
    people = [" ".join(r.caption.split()) for r in records if r.schema == "Person"]
    people = [p for p in people if len(p.split()) >= 2]
    firsts = [p.split()[0] for p in people]
    lasts = [p.split()[-1] for p in people]
    middles = [t for p in people for t in p.split()[1:-1]]
    out: list[str] = []
    for _ in range(size):
        if rng.random() < 0.02:
            out.append(_typo(rng, rng.choice(people)))
            continue
        parts = [rng.choice(firsts)]
        if middles and rng.random() < 0.4:
            parts.append(rng.choice(middles))
        parts.append(rng.choice(lasts))
        out.append(" ".join(parts).title())
    return out
