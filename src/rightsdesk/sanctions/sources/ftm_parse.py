"""Reading FollowTheMoney JSON lines (the format OpenSanctions publishes every list in) into
parsed list versions.

One line is one entity: ``{"id", "schema", "properties": {prop: [values]}, "datasets",
"first_seen", "last_seen", ...}``. What becomes what:

- **Persons, organisations, companies, vessels, aircraft, ...** (schemata that are a
  LegalEntity or an Asset, and crypto wallets) are the list's entities, their properties
  kept whole: ``topics`` (``sanction``, ``role.pep``, ...) and ``programId`` stay with them.
- **Sanction** entities are designations of the entity their ``entity`` property names:
  ``authority`` (or ``publisher``), ``program`` as the list's code and ``programId`` as the
  registry key (OpenSanctions writes registry keys there), ``provisions`` as the measure,
  ``listingDate`` (or ``startDate``) and ``endDate``, ``reason``, ``sourceUrl`` (or a
  ``description`` naming the document), and
  ``authorityId`` (or ``unscId``, ``recordId``) as the list's own reference. A date given
  only as a year or month is not turned into a day (it is noted, not invented).
- **Identification / Passport** entities add their number to the holder's ``idNumber`` /
  ``passportNumber``; **Address** entities add their ``full`` text to the ``address`` of
  the entities pointing at them. Other link entities (ownership, family, ...) are counted
  and skipped: the form stores sanctioned parties, not networks.
- **Lists**: a file may hold several source datasets (OpenSanctions' collections do). Each
  dataset is a list version of its own: a designation belongs to the dataset of its Sanction
  entity, an entity to every dataset it names. Entities without datasets go to the list
  named after the file (``ftm_<file stem>``). The version date of each list is the latest
  ``last_seen`` of its entities (the day the publisher last saw them).

Every line is checked with the followthemoney model: not JSON, no id, an unknown schema,
an unknown property or a non-text value stops the import with the line number; values the
model's cleaning rejects (a date "abc") are dropped and counted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.exc import FollowTheMoneyException
from followthemoney.proxy import EntityProxy
from followthemoney.schema import Schema

from rightsdesk.core.errors import EncodingError, InputError
from rightsdesk.sanctions.sources.parsed import ParsedDesignation, ParsedEntity, ParsedList

__all__ = ["FtmEntity", "FtmFile", "parse_ftm_file"]


@dataclass
class FtmEntity(ParsedEntity):
    """A parsed entity that also carries the publisher's datasets and first-seen date
    (``store_version`` adds ``datasets`` to the stored entity's)."""

    datasets: list[str] = field(default_factory=list)
    first_seen: dt.date | None = None


@dataclass
class FtmFile:
    """What one file holds: a version per dataset, and notes for the report."""

    lists: list[ParsedList]
    notes: Counter[str]
    lines: int


def _storable(schema: Schema) -> bool:
    return schema.is_a("LegalEntity") or schema.is_a("Asset") or schema.name == "CryptoWallet"


def _day(value: Any) -> dt.date | None:
    """The date of an FtM date or datetime text, None when it is not a full day."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _first(proxy: EntityProxy, *props: str) -> str | None:
    for prop in props:
        value = proxy.first(prop)
        if value:
            return str(value)
    return None


class FtmReader:
    """Reads the lines of one file into proxies, checking each against the model."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notes: Counter[str] = Counter()
        self.lines = 0

    def read(self) -> Iterator[tuple[int, EntityProxy, dict[str, Any]]]:
        with self.path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                self.lines = number
                if not raw.strip():
                    continue
                yield number, *self._proxy(number, raw)

    def _proxy(self, number: int, raw: bytes) -> tuple[EntityProxy, dict[str, Any]]:
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise EncodingError("not valid UTF-8 text", file=self.path, line=number) from exc
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg})", file=self.path, line=number) from exc
        if not isinstance(data, dict):
            raise InputError("expected one JSON object per line", file=self.path, line=number)
        entity_id = data.get("id")
        if not isinstance(entity_id, str) or not entity_id.strip():
            raise InputError("missing entity id", file=self.path, line=number, field="id")
        schema = model.get(data.get("schema") or "")
        if schema is None:
            raise InputError(
                f"unknown FollowTheMoney schema {data.get('schema')!r}",
                file=self.path,
                line=number,
                field="schema",
            )
        properties = data.get("properties") or {}
        if not isinstance(properties, dict):
            raise InputError(
                "properties must be an object", file=self.path, line=number, field="properties"
            )
        raw_count = 0
        for prop, values in properties.items():
            if schema.get(prop) is None:
                raise InputError(
                    f"{schema.name} has no property {prop!r}",
                    file=self.path,
                    line=number,
                    field=prop,
                )
            items = values if isinstance(values, list) else [values]
            if not all(isinstance(v, str) for v in items):
                raise InputError(
                    "property values must be texts", file=self.path, line=number, field=prop
                )
            raw_count += len(items)
        try:
            proxy = model.get_proxy(
                {"id": entity_id, "schema": schema.name, "properties": properties}, cleaned=False
            )
        except FollowTheMoneyException as exc:
            raise InputError(str(exc), file=self.path, line=number) from exc
        kept = sum(len(v) for v in proxy.properties.values())
        if kept < raw_count:
            self.notes["property values the FtM model rejects (dropped)"] += raw_count - kept
        for name in ("datasets",):
            value = data.get(name)
            if value is not None and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)
            ):
                raise InputError(
                    f"{name} must be a list of texts", file=self.path, line=number, field=name
                )
        return proxy, data


def _designation(proxy: EntityProxy, notes: Counter[str]) -> ParsedDesignation:
    listed = _first(proxy, "listingDate", "startDate")
    ended = _first(proxy, "endDate")
    for value in (listed, ended):
        if value is not None and _day(value) is None:
            notes["sanction dates without a day (not kept as designation dates)"] += 1
    provisions = [str(v) for v in proxy.get("provisions")]
    reasons = [str(v) for v in proxy.get("reason")]
    return ParsedDesignation(
        authority=(_first(proxy, "authority", "publisher") or "")[:200],
        program_code=(_first(proxy, "program", "programId") or "")[:100],
        program_key=(_first(proxy, "programId") or None),
        measure="; ".join(provisions) or None,
        listed_on=_day(listed),
        delisted_on=_day(ended),
        reason="\n".join(reasons) or None,
        source_document=_first(proxy, "sourceUrl", "description"),
        source_ref=(_first(proxy, "authorityId", "unscId", "recordId") or "")[:100],
    )


def parse_ftm_file(path: Path) -> FtmFile:
    """Parse ``path`` into one list version per dataset (see the module docstring)."""
    reader = FtmReader(path)
    default_list = "ftm_" + re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_")
    entities: dict[str, FtmEntity] = {}
    last_seen: dict[str, dt.date] = {}
    sanctions: list[tuple[EntityProxy, list[str]]] = []
    folds: list[tuple[int, EntityProxy]] = []
    addresses: dict[str, str] = {}
    for number, proxy, data in reader.read():
        schema = proxy.schema
        datasets = list(data.get("datasets") or [])
        if schema.is_a("Sanction"):
            sanctions.append((proxy, datasets))
        elif schema.is_a("Identification"):
            folds.append((number, proxy))
        elif schema.is_a("Address"):
            full = _first(proxy, "full") or proxy.caption
            if full and proxy.id:
                addresses[proxy.id] = full
        elif _storable(schema):
            if proxy.id in entities:
                raise InputError(f"entity {proxy.id!r} appears twice", file=path, line=number)
            assert proxy.id is not None
            entity = FtmEntity(
                entity_id=proxy.id,
                schema=schema.name,
                properties={p: [str(v) for v in vs] for p, vs in proxy.properties.items()},
                line=number,
                datasets=datasets or [default_list],
                first_seen=_day(data.get("first_seen")),
            )
            entities[proxy.id] = entity
            seen = _day(data.get("last_seen")) or _day(data.get("last_change"))
            if seen is not None:
                for ds in entity.datasets:
                    last_seen[ds] = max(seen, last_seen.get(ds, seen))
        else:
            reader.notes[f"{schema.name} entities (links, not stored)"] += 1
    notes = reader.notes
    _fold(entities, folds, addresses, notes)
    by_list: dict[str, list[FtmEntity]] = defaultdict(list)
    for entity in entities.values():
        for ds in entity.datasets:
            by_list[ds].append(entity)
    designations: dict[tuple[str, str], list[ParsedDesignation]] = defaultdict(list)
    authorities: dict[str, Counter[str]] = defaultdict(Counter)
    for proxy, datasets in sanctions:
        target = proxy.first("entity")
        holder = entities.get(str(target)) if target else None
        if holder is None:
            notes["sanctions naming an entity the file does not hold (skipped)"] += 1
            continue
        ds = next((d for d in datasets if d in holder.datasets), None) or holder.datasets[0]
        designation = _designation(proxy, notes)
        designations[(ds, holder.entity_id)].append(designation)
        authorities[ds][designation.authority] += 1
    lists: list[ParsedList] = []
    for ds, members in sorted(by_list.items()):
        version = last_seen.get(ds)
        parsed_entities: list[ParsedEntity] = []
        for entity in members:
            copy = FtmEntity(
                entity_id=entity.entity_id,
                schema=entity.schema,
                properties=entity.properties,
                designations=designations.get((ds, entity.entity_id), []),
                line=entity.line,
                datasets=entity.datasets,
                first_seen=entity.first_seen,
            )
            parsed_entities.append(copy)
        common = authorities[ds].most_common(1)
        lists.append(
            ParsedList(
                list_key=ds[:100],
                title=ds,
                authority=common[0][0] if common else "",
                version_date=version,
                entities=parsed_entities,
            )
        )
    return FtmFile(lists=lists, notes=notes, lines=reader.lines)


def _fold(
    entities: dict[str, FtmEntity],
    folds: list[tuple[int, EntityProxy]],
    addresses: dict[str, str],
    notes: Counter[str],
) -> None:
    """Identification numbers and Address entities into the entities they belong to."""
    for _number, proxy in folds:
        holder = entities.get(str(proxy.first("holder") or ""))
        number = _first(proxy, "number")
        if holder is None or number is None:
            notes["identifications of an entity the file does not hold (skipped)"] += 1
            continue
        prop = "passportNumber" if proxy.schema.is_a("Passport") else "idNumber"
        schema = model.get(holder.schema)
        if schema is not None and schema.get(prop) is not None:
            holder.add(prop, number)
        else:
            holder.add("notes", f"{prop}: {number}")
    for entity in entities.values():
        for ref in entity.properties.get("addressEntity", []):
            if ref in addresses:
                entity.add("address", addresses[ref])
