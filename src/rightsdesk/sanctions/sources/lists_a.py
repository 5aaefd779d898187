"""Importers of this room (helper H1; see /work/notes/SANCTIONS.md): the UN Security Council
Consolidated List (XML) and OFAC's legacy SDN CSV set. Both parse into a ``ParsedList`` and
write through ``store_version``, which keeps the designation history."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.importing import ImportContext, Importer, head_text
from rightsdesk.sanctions.models import SanctionEntity
from rightsdesk.sanctions.sources.ofac_csv import companion_files, parse_ofac, sniff_sdn
from rightsdesk.sanctions.sources.parsed import ParsedList
from rightsdesk.sanctions.sources.store_version import store_version
from rightsdesk.sanctions.sources.un_xml import ROOT, parse_un_xml

__all__ = ["IMPORTERS", "OfacSdnCsvImporter", "UnConsolidatedImporter"]


class UnConsolidatedImporter:
    """The UN Security Council Consolidated List in its official XML schema."""

    kind = "un-sc-consolidated"
    label = "UN Security Council Consolidated List (XML)"
    source = "UN Security Council Consolidated List"
    source_url: str | None = (
        "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"
    )
    licence: str | None = "UN public data"

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() != ".xml":
            return False
        head = head_text(path, 2048)
        return f"<{ROOT}" in head and "dateGenerated" in head and "<!DOCTYPE" not in head.upper()

    def run(self, ctx: ImportContext) -> None:
        parsed, warnings = parse_un_xml(ctx.path)
        ctx.advance(ctx.path.stat().st_size)
        for warning in warnings:
            ctx.warn(warning)
        store_version(ctx, parsed)


class OfacSdnCsvImporter:
    """OFAC's legacy SDN CSV set: sdn.csv with add, alt and sdn_comments beside it."""

    kind = "ofac-sdn-csv"
    label = "OFAC SDN list, legacy CSV set (sdn.csv with add/alt/sdn_comments)"
    source = "US Treasury OFAC Specially Designated Nationals list"
    source_url: str | None = "https://ofac.treasury.gov/sanctions-list-service"
    licence: str | None = "US government work, public domain"

    def sniff(self, path: Path) -> bool:
        return sniff_sdn(path)

    def files_read(self, path: Path) -> list[Path]:
        """The main file and its companions: a change to any of them is a new version."""
        return [path, *companion_files(path).values()]

    def run(self, ctx: ImportContext) -> None:
        parsed, notes = parse_ofac(ctx.path)
        ctx.advance(ctx.path.stat().st_size)
        for note in notes:
            ctx.warn(note)
        companions = companion_files(ctx.path)
        for name, props in CARRIED.items():
            if name not in companions:
                kept = carry_over(ctx.session, parsed, props)
                if kept:
                    ctx.warn(
                        f"no {name}.csv beside the file: kept the {'/'.join(props)} values "
                        f"stored from an earlier set for {kept} entities"
                    )
        store_version(ctx, parsed)


#: companion file -> the properties only it states: a set without the file says nothing about
#: them, so what an earlier, complete set stored is kept rather than read as removed
CARRIED = {"alt": ("alias", "previousName"), "add": ("address", "country")}


def carry_over(session: Session, parsed: ParsedList, props: tuple[str, ...]) -> int:
    """Add to each parsed entity the stored values of ``props``; how many entities got any."""
    by_id = {pe.entity_id: pe for pe in parsed.entities}
    ids = list(by_id)
    count = 0
    for start in range(0, len(ids), 500):
        stmt = select(SanctionEntity.entity_id, SanctionEntity.properties).where(
            SanctionEntity.entity_id.in_(ids[start : start + 500])
        )
        for entity_id, properties in session.execute(stmt):
            pe = by_id[entity_id]
            before = sum(len(v) for v in pe.properties.values())
            for prop in props:
                for value in (properties or {}).get(prop, []):
                    pe.add(prop, value)
            count += sum(len(v) for v in pe.properties.values()) > before
    return count


IMPORTERS: list[Importer] = [UnConsolidatedImporter(), OfacSdnCsvImporter()]
