"""Guards and upkeep around ``store_version``: a file that repeats an entity, a version that
would end most of a list (a cut or wrong file), and the planner statistics PostgreSQL needs
after a list's thousands of rows change at once."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

from rightsdesk.core.importing import ImportContext, ReplaceRefusedError
from rightsdesk.sanctions.models import SanctionEntity
from rightsdesk.sanctions.sources.parsed import ParsedEntity, ParsedList

__all__ = ["END_FLOOR", "END_LIMIT", "analyze", "check_plausible", "merge_duplicates"]


#: Share of a list's entities in force that one version may end without ``--replace``: more
#: is the mark of a cut or wrong file rather than of the list's own changes (between the real
#: files, the UN list of 2026 ended 18% of 2018's listings and OFAC's of 2024 10% of 2021's)
END_LIMIT = 0.5
END_FLOOR = 20  # a list this small may change wholesale


def check_plausible(
    ctx: ImportContext, parsed: ParsedList, stored: dict[str, SanctionEntity], listed: set[str]
) -> None:
    """Refuse a version that would end most of the list (unless ``--replace``)."""
    in_force = [
        e
        for e in stored.values()
        if any(d.list_key == parsed.list_key and d.delisted_on is None for d in e.designations)
    ]
    ending = sum(e.entity_id not in listed for e in in_force)
    if ending <= END_FLOOR or ending <= END_LIMIT * len(in_force) or ctx.replace:
        return
    raise ReplaceRefusedError(
        f"{ctx.path}: this version of {parsed.list_key} would end the designations of "
        f"{ending} of the {len(in_force)} entities in force ({ending / len(in_force):.0%}); "
        "is the file complete? If the list really shrank so much, import it with --replace"
    )


def merge_duplicates(ctx: ImportContext, entities: Iterable[ParsedEntity]) -> list[ParsedEntity]:
    """One ParsedEntity per id: a list that repeats an entity is merged (with a warning)."""
    out: dict[str, ParsedEntity] = {}
    for pe in entities:
        first = out.get(pe.entity_id)
        if first is None:
            out[pe.entity_id] = pe
            continue
        ctx.warn(f"entity {pe.entity_id} appears twice (line {first.line} and {pe.line}); merged")
        for prop, values in pe.properties.items():
            for value in values:
                first.add(prop, value)
        first.designations.extend(pe.designations)
    return list(out.values())


def analyze(session: Session) -> None:
    """Refresh PostgreSQL's statistics of the sanctions tables inside the import's
    transaction: a list import changes thousands of rows at once, and until autovacuum
    notices, the planner would take the tables for empty and filter entities by programme
    with nested loops (seconds instead of milliseconds, measured on the OFAC file)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.flush()
    session.execute(
        text(
            "ANALYZE sanctions_entity, sanctions_designation, sanctions_name, "
            "sanctions_country, sanctions_change"
        )
    )
