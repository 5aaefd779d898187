"""``rightsdesk import ftm-jsonl FILE.json``: FollowTheMoney JSON lines, the format in which
OpenSanctions publishes every authority's list: the route to lists without a native importer
here (UK, Canada, Australia, Switzerland, ...) and the format ``sanctions export-ftm`` writes.

Parsing is in ``ftm_parse``; a designation without ``programId`` gets its registry key from
its programme code and authority; each dataset the file holds is written as one version of its
list by ``store_version`` (so history is kept as for the native formats), then the
publisher's first-seen dates are carried over where they are earlier than the version date.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select

from rightsdesk.core.importing import ImportContext, head_text
from rightsdesk.sanctions.models import SanctionEntity, SanctionList
from rightsdesk.sanctions.programs import ProgramResolver, program_resolver
from rightsdesk.sanctions.sources.ftm_parse import FtmEntity, parse_ftm_file
from rightsdesk.sanctions.sources.parsed import ParsedEntity, ParsedList

KIND = "ftm-jsonl"
SUFFIXES = (".json", ".jsonl", ".ndjson", ".ftm")


def looks_like_ftm(path: Path) -> bool:
    """The first line is a JSON object with ``id``, ``schema`` and ``properties``."""
    if path.suffix.lower() not in SUFFIXES:
        return False
    first = head_text(path, size=65536).split("\n", 1)[0].strip()
    if not first.startswith("{"):
        return False
    try:
        data = json.loads(first)
    except ValueError:
        return False
    return (
        isinstance(data, dict)
        and isinstance(data.get("schema"), str)
        and "id" in data
        and isinstance(data.get("properties"), dict)
    )


class FtmJsonlImporter:
    """FollowTheMoney entities, one JSON object per line."""

    kind = KIND
    label = "FollowTheMoney entities, JSON lines (OpenSanctions' publication format)"
    source = "FollowTheMoney JSON lines (e.g. an OpenSanctions dataset's entities.ftm.json)"
    source_url: str | None = "https://www.opensanctions.org/datasets/"
    licence: str | None = "as stated by the publisher (OpenSanctions: CC BY-NC 4.0)"

    def sniff(self, path: Path) -> bool:
        return looks_like_ftm(path)

    def run(self, ctx: ImportContext) -> None:
        from rightsdesk.sanctions.sources.store_version import store_version

        parsed = parse_ftm_file(ctx.path)
        ctx.advance(ctx.path.stat().st_size)
        for what, count in sorted(parsed.notes.items()):
            ctx.warn(f"{count} × {what}")
        if not parsed.lists:
            ctx.warn("the file holds no person, organisation, vessel or other party: no import")
            return
        titles = {
            row.key: row
            for row in ctx.session.scalars(
                select(SanctionList).where(SanctionList.key.in_([v.list_key for v in parsed.lists]))
            )
        }
        resolver = program_resolver(ctx.session)
        for version in parsed.lists:
            _resolve_programs(resolver, version)
            known = titles.get(version.list_key)
            if known is not None:  # a list known here keeps its title (the file has only a key)
                version.title, version.url = known.title, version.url or known.url
            if version.version_date is None:
                ctx.warn(f"{version.list_key}: no entity has a last_seen date")
            store_version(ctx, version)
            ctx.session.flush()  # the next dataset's versions may share entities
            ctx.warn(f"{version.list_key}: {len(version.entities)} entities")
        _carry_first_seen(ctx, [e for v in parsed.lists for e in v.entities])


def _resolve_programs(resolver: ProgramResolver, version: ParsedList) -> None:
    """Registry keys for designations without ``programId``, from their code and authority
    (the authority decides between issuers using the same code, e.g. OFAC's and the UK's
    ``DPRK``), then from the dataset name (``us_ofac_sdn``)."""
    for entity in version.entities:
        for d in entity.designations:
            if d.program_key or not d.program_code:
                continue
            d.program_key = resolver.resolve(d.program_code, d.authority or None)
            if d.program_key is None:
                d.program_key = resolver.resolve(d.program_code, version.list_key)


def _carry_first_seen(ctx: ImportContext, entities: list[ParsedEntity]) -> None:
    """An entity the publisher saw before this version: keep the earlier first-seen date."""
    earliest: dict[str, dt.date] = {}
    for entity in entities:
        if isinstance(entity, FtmEntity) and entity.first_seen is not None:
            earliest[entity.entity_id] = entity.first_seen
    ids = list(earliest)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in ctx.session.scalars(
            select(SanctionEntity).where(SanctionEntity.entity_id.in_(chunk))
        ):
            seen = earliest[row.entity_id]
            if row.first_seen is None or seen < row.first_seen:
                row.first_seen = seen
