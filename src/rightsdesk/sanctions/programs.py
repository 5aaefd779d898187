"""From the programme code a list writes to the registry key: OFAC's ``GLOMAG`` is
``US-GLOMAG``, the UN list type ``DRC`` is ``UN-SC1533``, the EU's ``EU-HR`` is itself.

The registry (``SanctionProgram``, imported from OpenSanctions' programme files) gives each
programme its key and the aliases the lists use. A code can be ambiguous: ``DPRK`` is an
alias of both the UK's and OFAC's North Korea programmes, ``UNSCR 1533`` of the EU's and the
UK's DRC regimes. The authority that issued the list then decides: it may be given as an
issuer code (``us_ofac``), an OpenSanctions dataset or list key (``us_ofac_sdn``,
``un_sc_sanctions``) or in words (``OFAC``, ``UN Security Council``, ``Council of the
European Union``). A code that stays ambiguous maps to nothing rather than to a guess.

The UN Consolidated List names its regimes by list type (``Al-Qaida``, ``DRC``, ``GB``)
which the registry does not carry as aliases; ``UN_LIST_TYPES`` supplies them, checked
against the titles of the fifteen ``UN-SC*`` programmes.

``remap_designations`` re-derives ``Designation.program_key`` for every stored designation;
the registry import calls it at its end, so lists imported before the registry (or before a
newer registry) get their keys.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.sanctions.models import Designation, SanctionProgram

__all__ = [
    "UN_LIST_TYPES",
    "ProgramResolver",
    "program_resolver",
    "remap_designations",
    "resolve_program",
]

#: UN Consolidated List ``UN_LIST_TYPE`` values → registry keys (issuer zz_unsc).
UN_LIST_TYPES: dict[str, str] = {
    "Al-Qaida": "UN-SCISIL",  # ISIL (Da'esh) & Al-Qaida, resolutions 1267/1989/2253
    "CAR": "UN-SC2127",
    "DPRK": "UN-SC1718",
    "DRC": "UN-SC1533",
    "GB": "UN-SC2048",  # Guinea-Bissau
    "Haiti": "UN-SC2653",
    "Iran": "UN-SC1737",
    "Iraq": "UN-SC1518",
    "Libya": "UN-SC1970",
    "Somalia": "UN-SC2713",  # the 751 regime, renamed Al-Shabaab by resolution 2713 (2023)
    "SouthSudan": "UN-SC2206",
    "Sudan": "UN-SC1591",
    "Taliban": "UN-SC1988",
    "Yemen": "UN-SC2140",
}

#: Words naming an authority → issuer codes of the registry (lower-case substring match).
AUTHORITY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ofac", ("us_ofac",)),
    ("foreign assets control", ("us_ofac",)),
    ("security council", ("zz_unsc",)),
    ("united nations", ("zz_unsc",)),
    ("unsc", ("zz_unsc",)),
    ("european union", ("eu_council",)),
    ("eu council", ("eu_council",)),
    ("council of the eu", ("eu_council",)),
    ("ofsi", ("gb_fcdo", "gb_ofsi")),
    ("hm treasury", ("gb_fcdo", "gb_ofsi")),
    ("fcdo", ("gb_fcdo", "gb_ofsi")),
    ("united kingdom", ("gb_fcdo", "gb_ofsi")),
    ("dfat", ("au_dfat",)),
    ("australia", ("au_dfat",)),
    ("canada", ("ca_mfa", "ca_ps", "ca_ised")),
    ("global affairs", ("ca_mfa",)),
    ("seco", ("ch_seco",)),
    ("switzerland", ("ch_seco", "ch_fdfa")),
)
#: Key prefixes of the issuers' programmes, for an authority given as ``US``, ``EU``, ``UK``.
PREFIX_ISSUERS = {"UN": "zz_unsc", "UK": "gb_fcdo"}


#: OFAC tags programmes by executive order ("SYRIA-EO13894"); the registry lists "EO 13894".
EXECUTIVE_ORDER = re.compile(r"\bEO[\s-]?(\d{5})\b", re.IGNORECASE)


def _jurisdiction(issuer: str | None) -> str | None:
    """The jurisdiction part of an issuer code: ``us`` of ``us_ofac`` and ``us_state``."""
    return issuer.split("_", 1)[0] if issuer else None


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


@dataclass
class ProgramResolver:
    """The registry in memory: one query, then any number of codes resolved."""

    keys: set[str] = field(default_factory=set)
    issuer: dict[str, str | None] = field(default_factory=dict)
    dataset: dict[str, str | None] = field(default_factory=dict)
    by_alias: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def from_programs(cls, programs: list[SanctionProgram]) -> ProgramResolver:
        resolver = cls()
        for program in programs:
            resolver.keys.add(program.key)
            resolver.issuer[program.key] = program.issuer
            resolver.dataset[program.key] = program.dataset
            for alias in [program.key, *(program.aliases or [])]:
                bucket = resolver.by_alias[_norm(alias)]
                if program.key not in bucket:
                    bucket.append(program.key)
        for list_type, key in UN_LIST_TYPES.items():
            if key in resolver.keys:
                bucket = resolver.by_alias[_norm(list_type)]
                if key not in bucket:
                    bucket.append(key)
        return resolver

    def resolve(self, code: str, authority: str | None = None) -> str | None:
        """The registry key of ``code`` as issued by ``authority``, or None (unknown or
        still ambiguous)."""
        text = code.strip()
        if not text:
            return None
        if text.upper() in self.keys:
            return text.upper()
        candidates = list(self.by_alias.get(_norm(text), []))
        if not candidates and (order := EXECUTIVE_ORDER.search(text)):
            candidates = list(self.by_alias.get(f"eo {order.group(1)}", []))
        if len(candidates) <= 1:
            return candidates[0] if candidates and self._fits(candidates[0], authority) else None
        return self._choose(candidates, authority)

    def _fits(self, key: str, authority: str | None) -> bool:
        """A single candidate is refused only when the authority belongs to another
        jurisdiction (a UN "CAR" must not become OFAC's key); within one jurisdiction it
        fits (OFAC's SDN list carries the State Department's FTO designations)."""
        if authority is None:
            return True
        issuers = self._issuers(authority)
        if not issuers:
            return True
        return _jurisdiction(self.issuer.get(key)) in {_jurisdiction(i) for i in issuers}

    def _choose(self, candidates: list[str], authority: str | None) -> str | None:
        if authority is None:
            return None
        wanted = authority.strip()
        by_dataset = [k for k in candidates if self.dataset.get(k) == wanted]
        if len(by_dataset) == 1:
            return by_dataset[0]
        issuers = self._issuers(authority)
        pool = by_dataset or candidates
        by_issuer = [k for k in pool if self.issuer.get(k) in issuers]
        if len(by_issuer) == 1:
            return by_issuer[0]
        if not by_issuer:
            places = {_jurisdiction(i) for i in issuers}
            nearby = [k for k in pool if _jurisdiction(self.issuer.get(k)) in places]
            if len(nearby) == 1:
                return nearby[0]
        return None

    def _issuers(self, authority: str) -> set[str]:
        text = authority.strip()
        known = set(self.issuer.values())
        if text in known:
            return {text}
        from_dataset = {
            issuer
            for k, d in self.dataset.items()
            if d == text and (issuer := self.issuer[k]) is not None
        }
        if from_dataset:
            return from_dataset
        prefix = text.upper()
        if prefix in PREFIX_ISSUERS:
            return {PREFIX_ISSUERS[prefix]}
        if re.fullmatch(r"[A-Z]{2,5}", prefix):
            by_prefix = {
                issuer
                for k in self.keys
                if k.startswith(prefix + "-") and (issuer := self.issuer[k]) is not None
            }
            if by_prefix:
                return by_prefix
        lowered = _norm(text)
        found: set[str] = set()
        for word, issuers in AUTHORITY_WORDS:
            if word in lowered:
                found.update(issuers)
        return found


def program_resolver(session: Session) -> ProgramResolver:
    """A resolver over the registry as stored now (empty when no registry is loaded)."""
    return ProgramResolver.from_programs(list(session.scalars(select(SanctionProgram))))


def resolve_program(session: Session, code: str, authority: str | None = None) -> str | None:
    """The registry key of a list's own programme code (see the module docstring), or None.

    One call reads the registry; to resolve many codes build ``program_resolver(session)``
    once and call its ``resolve``.
    """
    return program_resolver(session).resolve(code, authority)


def remap_designations(session: Session) -> int:
    """Set ``program_key`` of every stored designation from its ``program_code`` and
    authority (and list key), returning how many changed. A designation whose code the
    registry does not know keeps the key its list gave it (EU files name registry keys)."""
    resolver = program_resolver(session)
    changed = 0
    for designation in session.scalars(select(Designation)):
        key = resolver.resolve(designation.program_code, designation.list_key)
        if key is None:
            key = resolver.resolve(designation.program_code, designation.authority)
        if key is None:
            continue
        if designation.program_key != key:
            designation.program_key = key
            changed += 1
    return changed
