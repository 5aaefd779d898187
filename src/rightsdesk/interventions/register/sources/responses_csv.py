"""Importer of responses entered in a spreadsheet: ``rightsdesk import responses-csv FILE``.

For what no open dataset lists: commissions of inquiry, fact-finding missions, referrals (a
Security Council referral to the ICC, a Human Rights Council special session) and other
responses, and for what happened after an imported source stops. UTF-8 CSV, header row,
these columns (all present; only ``kind`` and ``title`` must have a value)::

    kind          commission-of-inquiry | fact-finding-mission | referral | peacekeeping |
                  icc-situation | icc-case | icj-case | other
    identifier    as the body writes it ("A/HRC/RES/S-17/1", "ICC-01/04"); with kind, the
                  row's natural key (the title when empty): a second import updates the row
    title         the body's name for it
    mandate_body  UNSC, UNGA, HRC, ICC OTP, SG ...
    mandate_ref   the document that created it ("A/HRC/RES/S-28/1", "S/RES/1593 (2005)")
    states        ISO3:role pairs separated by ";" (roles: situation, applicant,
                  respondent, host, target, party), e.g. "SYR:situation"
    start, end    YYYY, YYYY-MM or YYYY-MM-DD (kept with that precision)
    status        free text ("reporting", "concluded", "mandate renewed")
    url           a link to the body's page (https://)
    source        where the facts come from (a citation); "data up to" of the file is its
                  latest start or end date

Example: ``EXAMPLE`` below (two rows; the tests import it as it stands).

Rows the file omits are kept (``--replace`` deletes the ones this format imported before and no
editor changed). An entry's fields an editor changed since are left alone.
"""

from __future__ import annotations

from pathlib import Path

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer, iter_csv, sniff_header
from rightsdesk.core.labels import state_label
from rightsdesk.interventions.register.editing import natural_key, validate
from rightsdesk.interventions.register.models import KINDS
from rightsdesk.interventions.register.origins import CSV
from rightsdesk.interventions.register.sources.common import (
    EntryData,
    StateRole,
    drop_unlisted,
    load_stored,
    store_entry,
)

EXAMPLE = (
    "kind,identifier,title,mandate_body,mandate_ref,states,start,end,status,url,source\n"
    "referral,S/RES/1593 (2005),Referral of the situation in Darfur to the ICC,UNSC,"
    "S/RES/1593 (2005),SDN:situation,2005-03-31,,referred to the ICC,,"
    "Security Council resolution 1593 (2005)\n"
    "commission-of-inquiry,A/HRC/RES/S-17/1,Independent International Commission of Inquiry "
    "on the Syrian Arab Republic,HRC,A/HRC/RES/S-17/1,SYR:situation,2011-08-22,,"
    "mandate renewed,https://www.ohchr.org/en/hr-bodies/hrc/iici-syria/independent-"
    "international-commission,Human Rights Council resolution S-17/1\n"
)

COLUMNS = (
    "kind",
    "identifier",
    "title",
    "mandate_body",
    "mandate_ref",
    "states",
    "start",
    "end",
    "status",
    "url",
    "source",
)


def parse_responses(path: Path) -> list[tuple[EntryData, str]]:
    """(entry, source citation) per row; the first bad row is an InputError naming line and
    column."""
    out: list[tuple[EntryData, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for row in iter_csv(path, COLUMNS):
        values = {name: row.get(name) for name in COLUMNS}
        data = validate(values, file=path, line=row.line)
        key = natural_key(data)
        if (data.kind, key) in seen:
            raise InputError(
                f"same kind and identifier as line {seen[(data.kind, key)]}",
                file=path,
                line=row.line,
                field="identifier",
            )
        seen[(data.kind, key)] = row.line
        entry = EntryData(
            kind=data.kind,
            key=key,
            line=row.line,
            states=[StateRole(role, iso3, state_label(iso3)) for iso3, role in data.states],
            values={
                "identifier": data.identifier,
                "title": data.title,
                "mandate_body": data.mandate_body,
                "mandate_ref": data.mandate_ref,
                "start_date": data.start[0] if data.start else None,
                "start_precision": data.start[1] if data.start else "day",
                "end_date": data.end[0] if data.end else None,
                "end_precision": data.end[1] if data.end else "day",
                "status": data.status,
                "url": data.url,
            },
        )
        out.append((entry, data.source or f"{path.name}, line {row.line}"))
    if not out:
        raise InputError("the file lists no response", file=path, line=2)
    return out


class ResponsesCsvImporter:
    """``rightsdesk import responses-csv responses.csv`` (format: the module docstring)."""

    kind = CSV.kind
    label = "Register of responses: commissions of inquiry, missions, referrals (CSV)"
    source = CSV.label
    source_url: str | None = None
    licence: str | None = None

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".csv" and sniff_header(
            path, ("kind", "identifier", "mandate_body", "mandate_ref", "states")
        )

    def run(self, ctx: ImportContext) -> None:
        rows = parse_responses(ctx.path)
        ctx.report.rows_read = len(rows)
        dates = [
            d for data, _ in rows for d in (data.values["start_date"], data.values["end_date"]) if d
        ]
        as_of = max(dates) if dates else None
        stored = load_stored(ctx, list(KINDS))
        for data, citation in rows:
            store_entry(ctx, stored, data, CSV.kind, citation, as_of, None)
        drop_unlisted(ctx, stored, {(d.kind, d.key) for d, _ in rows}, CSV.kind, "response")
        ctx.warn(f"{len(rows)} responses, data up to {as_of or 'an unstated date'}")


IMPORTERS: list[Importer] = [ResponsesCsvImporter()]
