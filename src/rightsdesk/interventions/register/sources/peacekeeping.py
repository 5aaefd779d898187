"""Importer of the UN list of peacekeeping operations (``DPPADPOSS-PKO.csv``, from the UN
peace and security data hub): ``rightsdesk import un-peacekeeping FILE``.

One row per operation: acronym, name, lead department, active flag, start and end dates and
the headquarters city. The file names no host state, so ``HOSTS`` gives the state(s) where
each operation deployed (from the operation's name and mandate; ``UNTSO`` in the states of
the 1949 armistice lines, ``ONUCA`` in the five Central American states). An acronym missing
from ``HOSTS`` is imported without a state and the report says so. The file's own
``last_update`` is "data up to". Natural key: the acronym.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer, iter_csv, sniff_header
from rightsdesk.core.labels import state_label
from rightsdesk.interventions.register.origins import PKO
from rightsdesk.interventions.register.sources.common import (
    EntryData,
    StateRole,
    drop_unlisted,
    load_stored,
    store_entry,
)

REQUIRED = ("mission_acronym", "mission_name", "mission_isactive", "start_date", "end_date")

#: Where each operation deployed (ISO3; Kosovo XKX, Western Sahara ESH).
HOSTS: dict[str, tuple[str, ...]] = {
    "UNYOM": ("YEM",),
    "UNPSG": ("HRV",),
    "UNPROFOR": ("HRV", "BIH", "MKD"),
    "UNPREDEP": ("MKD",),
    "UNPF": ("HRV", "BIH", "MKD"),
    "UNOSOM II": ("SOM",),
    "UNOSOM I": ("SOM",),
    "UNOSOM": ("SOM",),
    "UNOMUR": ("UGA", "RWA"),
    "UNOMSIL": ("SLE",),
    "UNOMIL": ("LBR",),
    "UNTAET": ("TLS",),
    "UNOMIG": ("GEO",),
    "UNOHCI": ("IRQ",),
    "UNOGIL": ("LBN",),
    "UNOCI": ("CIV",),
    "UNMOT": ("TJK",),
    "UNMOP": ("HRV",),
    "UNMOGIP": ("IND", "PAK"),
    "UNMIT": ("TLS",),
    "UNMISET": ("TLS",),
    "UNMIS": ("SDN",),
    "UNTAES": ("HRV",),
    "UNMIL": ("LBR",),
    "UNMIK": ("XKX",),
    "UNMIH": ("HTI",),
    "UNMIBH": ("BIH",),
    "UNMEE": ("ETH", "ERI"),
    "UNISFA": ("SDN", "SSD"),
    "UNIPOM": ("IND", "PAK"),
    "UNIKOM": ("IRQ", "KWT"),
    "UNIIMOG": ("IRN", "IRQ"),
    "UNIFIL": ("LBN",),
    "UNTAC": ("KHM",),
    "UNGOMAP": ("AFG", "PAK"),
    "UNGCI": ("IRQ",),
    "UNFOR": ("HRV", "BIH", "MKD"),
    "UNFICYP": ("CYP",),
    "UNEF II": ("EGY",),
    "UNEF I": ("EGY",),
    "UNEF": ("EGY",),
    "UNDOF": ("SYR",),
    "UNCRO": ("HRV",),
    "UNCPSG": ("HRV",),
    "UNSMIS": ("SYR",),
    "UNAVEM III": ("AGO",),
    "UNAVEM II": ("AGO",),
    "UNAVEM I": ("AGO",),
    "UNAVEM": ("AGO",),
    "UNASOG": ("TCD", "LBY"),
    "UNAMSIL": ("SLE",),
    "UNAMIR": ("RWA",),
    "UNAMID": ("SDN",),
    "UNAMIC": ("KHM",),
    "ONUSAL": ("SLV",),
    "UNSMIH": ("HTI",),
    "ONUMOZ": ("MOZ",),
    "ONUCA": ("CRI", "SLV", "GTM", "HND", "NIC"),
    "ONUC": ("COD",),
    "ONUB": ("BDI",),
    "MONUSCO": ("COD",),
    "MONUC": ("COD",),
    "MONUA": ("AGO",),
    "MIPONUH": ("HTI",),
    "MINUSTAH": ("HTI",),
    "MINUSMA": ("MLI",),
    "UNSMA": ("AFG",),
    "MINUSCA": ("CAF",),
    "MINURSO": ("ESH",),
    "MINURCAT": ("CAF", "TCD"),
    "MINURCA": ("CAF",),
    "MINUJUSTH": ("HTI",),
    "MINUGUA": ("GTM",),
    "MINUCI": ("CIV",),
    "MICAH": ("HTI",),
    "IPTF": ("BIH",),
    "DOMREP": ("DOM",),
    "UNSF": ("IDN",),
    "UNMISS": ("SSD",),
    "UNTSO": ("ISR", "EGY", "JOR", "LBN", "SYR"),
    "UNSCOB": ("GRC",),
}
#: Operations established by the General Assembly, not the Security Council.
GENERAL_ASSEMBLY = frozenset({"UNEF I", "UNEF", "UNSF", "UNSCOB"})


def _date(text: str, path: Path, line: int, name: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"malformed date {text!r} (expected YYYY-MM-DD)", file=path, line=line, field=name
        ) from None


def parse_operations(path: Path) -> tuple[list[EntryData], dt.date | None, list[str]]:
    """The file's operations, its latest ``last_update`` and the acronyms without a host."""
    out: list[EntryData] = []
    updates: list[dt.date] = []
    unplaced: list[str] = []
    seen: set[str] = set()
    for row in iter_csv(path, REQUIRED):
        acronym = row.get("mission_acronym")
        if not acronym:
            raise InputError("missing acronym", file=path, line=row.line, field="mission_acronym")
        if acronym in seen:
            raise InputError(
                f"operation {acronym} listed twice",
                file=path,
                line=row.line,
                field="mission_acronym",
            )
        seen.add(acronym)
        active = row.get("mission_isactive").lower()
        if active not in ("yes", "no"):
            raise InputError(
                f"expected Yes or No, got {active!r}",
                file=path,
                line=row.line,
                field="mission_isactive",
            )
        start = _date(row.get("start_date"), path, row.line, "start_date")
        end = _date(row.get("end_date"), path, row.line, "end_date")
        if start and end and end < start:
            raise InputError(
                f"ends ({end}) before it starts ({start})",
                file=path,
                line=row.line,
                field="end_date",
            )
        updated = _date(row.get("last_update"), path, row.line, "last_update")
        if updated:
            updates.append(updated)
        states = []
        for iso3 in HOSTS.get(acronym, ()):
            states.append(StateRole("host", iso3, state_label(iso3)))
        if not states:
            unplaced.append(acronym)
        place = row.get("mission_location")
        out.append(
            EntryData(
                kind="peacekeeping",
                key=acronym,
                line=row.line,
                states=states,
                values={
                    "identifier": acronym,
                    "title": row.get("mission_name").strip('"').strip()[:500] or acronym,
                    "mandate_body": "UNGA" if acronym in GENERAL_ASSEMBLY else "UNSC",
                    "start_date": start,
                    "start_precision": "day",
                    "end_date": end,
                    "end_precision": "day",
                    "status": "active" if active == "yes" else "completed",
                    "notes": f"Headquarters: {place}" if place else None,
                },
            )
        )
    if not out:
        raise InputError("the file lists no operation", file=path, line=2)
    return out, max(updates) if updates else None, unplaced


class PeacekeepingImporter:
    """``rightsdesk import un-peacekeeping DPPADPOSS-PKO.csv``."""

    kind = PKO.kind
    label = "UN peacekeeping operations (acronym, name, dates, headquarters)"
    source = PKO.label
    source_url: str | None = PKO.url
    licence: str | None = PKO.licence

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".csv" and sniff_header(
            path, ("mission_acronym", "mission_name", "mission_isactive")
        )

    def run(self, ctx: ImportContext) -> None:
        rows, as_of, unplaced = parse_operations(ctx.path)
        ctx.report.rows_read = len(rows)
        stored = load_stored(ctx, ["peacekeeping"])
        citation = f"{PKO.label}, file {ctx.path.name}"
        for data in rows:
            store_entry(ctx, stored, data, PKO.kind, citation, as_of, PKO.url)
        drop_unlisted(ctx, stored, {(d.kind, d.key) for d in rows}, PKO.kind, "peacekeeping")
        if unplaced:
            ctx.warn(f"no host state known for {', '.join(unplaced)} (imported without one)")
        ctx.warn(f"{len(rows)} operations, data up to {as_of or 'an unstated date'}")


IMPORTERS: list[Importer] = [PeacekeepingImporter()]
