"""Importer of the UN Treaty Collection ratification table of the 18 core instruments (2026).

One CSV row per state action (``country_name, treaty_id, action_type, action_date,
signature_date``); rows are merged into one ``Ratification`` per state x instrument. This is
the newest source, so its facts win over the 2015 untreaties scrape whichever is imported
first: rows it writes carry ``source_kind = "untc-ratifications"``, which the older importer
never overwrites, and older-source rows of an instrument this table covers but does not list
(denunciations since 2015, e.g. Jamaica and Trinidad and Tobago from ICCPR-OP1) are removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import (
    ImportContext,
    Importer,
    iter_csv,
    parse_iso_date,
    resolve_or_fail,
    sniff_header,
)
from rightsdesk.negotiation.treaties.instruments import (
    SHORTS,
    ensure_instruments,
    find_instrument,
)
from rightsdesk.negotiation.treaties.models import Ratification

KIND = "untc-ratifications"
REQUIRED = ("country_name", "treaty_id", "action_type", "action_date", "signature_date")

# Which source's facts win when two give the same state x instrument (higher wins): the UNTC
# status pages (with their end notes: denunciations, predecessor states) are the fullest.
SOURCE_RANK: dict[str, int] = {
    "untreaties": 1,
    "ohchr-dashboard": 2,
    KIND: 3,
    "untc-status-html": 4,
}

# consent type -> status code shown in the matrix
STATUS_OF_CONSENT: dict[str, str] = {
    "ratification": "ratified",
    "acceptance": "ratified",
    "approval": "ratified",
    "formal confirmation": "ratified",
    "definitive signature": "ratified",
    "accession": "acceded",
    "succession": "succeeded",
}


@dataclass
class Standing:
    """What one source says about one state x instrument, before it is written."""

    signature_date: date | None = None
    consent_date: date | None = None
    consent_type: str | None = None
    denounced: bool = False
    denounced_on: date | None = None
    denunciation_effective: date | None = None
    party_until: date | None = None

    def values(self, source_kind: str) -> dict[str, object]:
        status = STATUS_OF_CONSENT[self.consent_type] if self.consent_type else "signed"
        return {
            "status": "denounced" if self.denounced else status,
            "signature_date": self.signature_date,
            "consent_date": self.consent_date,
            "consent_type": self.consent_type,
            "source_kind": source_kind,
            "denounced_on": self.denounced_on,
            "denunciation_effective": self.denunciation_effective,
            "party_until": self.party_until,
        }


def write_standings(
    ctx: ImportContext, source_kind: str, standings: dict[tuple[str, str], Standing]
) -> None:
    """Upsert one source's standings, honouring ``SOURCE_RANK`` in both directions.

    A row written by a higher-ranked source is left alone (counted unchanged); an instrument
    that a higher-ranked source covers gets no new rows from a lower one; rows of a lower-ranked
    source for instruments this one covers but does not list are kept, or deleted under
    ``--replace`` (see ``ImportContext.may_delete``).
    """
    rank = SOURCE_RANK[source_kind]
    covered_here = {short for _iso3, short in standings}
    stmt = select(Ratification).where(Ratification.instrument_short.in_(covered_here))
    existing = {(r.iso3, r.instrument_short): r for r in ctx.session.scalars(stmt)}
    covered_above = {
        r.instrument_short for r in existing.values() if SOURCE_RANK.get(r.source_kind, 0) > rank
    }
    kept_out = 0
    for (iso3, short), standing in standings.items():
        row = existing.get((iso3, short))
        if row is not None and SOURCE_RANK.get(row.source_kind, 0) > rank:
            ctx.report.count("unchanged")
            continue
        if row is None and short in covered_above:
            kept_out += 1
            ctx.report.count("unchanged")
            continue
        ctx.upsert(
            row,
            Ratification,
            {"iso3": iso3, "instrument_short": short},
            standing.values(source_kind),
        )
    if kept_out:
        ctx.warn(
            f"{kept_out} state x instrument pair(s) not added: a newer source covers the "
            "instrument and does not list them"
        )
    removed = [
        row
        for key, row in existing.items()
        if key[1] in covered_here
        and key not in standings
        and SOURCE_RANK.get(row.source_kind, 0) < rank
    ]
    if removed:
        pairs = ", ".join(f"{r.iso3}/{r.instrument_short}" for r in removed[:10])
        ctx.warn(
            f"{len(removed)} older row(s) this newer table does not list (denounced or "
            f"withdrawn?): {pairs}"
        )
    stored = ctx.session.scalar(select(func.count()).select_from(Ratification)) or 0
    if ctx.may_delete("ratification", len(removed), stored):
        for row in removed:
            ctx.session.delete(row)
        ctx.report.deleted += len(removed)


_ACTIONS: dict[str, str | None] = {
    "": None,
    "signature": None,
    "ratification": "ratification",
    "accession": "accession",
    "succession": "succession",
    "acceptance": "acceptance",
    "approval": "approval",
    "formal confirmation": "formal confirmation",
    "definitive signature": "definitive signature",
}


class UntcRatifications:
    """kind ``untc-ratifications``: the UN Treaty Collection table of the 18 instruments."""

    kind = KIND
    label = "UN Treaty Collection: ratifications of the 18 core human rights instruments"
    source = (
        "UN Treaty Collection, chapter IV (table scraped 2026-02-03, repository "
        "mgaldino/treaties-ideal-point)"
    )
    source_url: str | None = "https://treaties.un.org/Pages/Treaties.aspx?id=4&subid=A&lang=en"
    licence: str | None = "none stated; the facts are the UN's"

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".csv" and sniff_header(path, REQUIRED)

    def run(self, ctx: ImportContext) -> None:
        path = ctx.path
        ensure_instruments(ctx.session)
        names: dict[str, str] = {}
        standings: dict[tuple[str, str], Standing] = {}
        for row in iter_csv(path, REQUIRED, progress=ctx.advance):
            ctx.report.rows_read += 1
            name = row.get("country_name")
            if not name:
                raise InputError("empty state name", file=path, line=row.line, field="country_name")
            iso3 = names.get(name) or resolve_or_fail(name, path, row.line, "country_name")
            names[name] = iso3
            ref = find_instrument(row.get("treaty_id")) or find_instrument(row.get("mtdsg_no"))
            if ref is None:
                raise InputError(
                    f"unknown treaty {row.get('treaty_id')!r}; expected one of the 18 core "
                    f"instruments ({', '.join(SHORTS)}) by UNTC id or MTDSG number",
                    file=path,
                    line=row.line,
                    field="treaty_id",
                )
            action = row.get("action_type").casefold()
            if action not in _ACTIONS:
                raise InputError(
                    f"unknown action {row.get('action_type')!r}; expected one of "
                    + ", ".join(a.title() for a in _ACTIONS if a),
                    file=path,
                    line=row.line,
                    field="action_type",
                )
            consent = _ACTIONS[action]
            action_date = _date(row.get("action_date"), path, row.line, "action_date")
            signed = _date(row.get("signature_date"), path, row.line, "signature_date")
            if action == "signature":
                signed = signed or action_date
                action_date = None
            if consent and action_date is None:
                raise InputError(
                    f"{row.get('action_type')} without a date", path, row.line, "action_date"
                )
            if consent is None and action_date is not None:
                raise InputError(
                    "a date but no action type", file=path, line=row.line, field="action_type"
                )
            if consent is None and signed is None:
                raise InputError(
                    "neither an action nor a signature date",
                    file=path,
                    line=row.line,
                    field="action_type",
                )
            standing = standings.setdefault((iso3, ref.short), Standing())
            standing.signature_date = standing.signature_date or signed
            if consent and standing.consent_type is None:
                standing.consent_type, standing.consent_date = consent, action_date
            elif consent and (consent, action_date) != (
                standing.consent_type,
                standing.consent_date,
            ):
                ctx.warn(
                    f"line {row.line}: a second consent for {iso3}/{ref.short} "
                    f"({consent} {action_date}); the first one is kept"
                )
        write_standings(ctx, KIND, standings)


def _date(value: str, path: Path, line: int, field: str) -> date | None:
    return parse_iso_date(value, path, line, field) if value else None


IMPORTERS: list[Importer] = [UntcRatifications()]
