"""Importer of the UN Treaty Collection status pages (chapter IV), one saved page per treaty.

kind ``untc-status-html``. The page is the depositary's own record and the fullest source: its
standings win over the ratification table and the 2015 scrape (``untc.SOURCE_RANK``), and it
alone gives denunciations (Jamaica, Trinidad and Tobago and Belarus from ICCPR-OP1), former
states' ratifications (the GDR, Czechoslovakia), competence declarations and procedure
opt-outs, and the reservations split into items. Idempotent: every table is upserted on its
natural key, and rows the page does not mention are kept.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer, head_text
from rightsdesk.negotiation.treaties.instruments import ensure_instruments, find_instrument
from rightsdesk.negotiation.treaties.models import Competence, ReservationItem, TreatyAction
from rightsdesk.negotiation.treaties.sources.untc import SOURCE_RANK, write_standings
from rightsdesk.negotiation.treaties.sources.untc_facts import PageFacts, page_facts
from rightsdesk.negotiation.treaties.sources.untc_page import parse_status_page

KIND = "untc-status-html"


class UntcStatusPage:
    """kind ``untc-status-html``: a saved treaties.un.org status page of a core instrument."""

    kind = KIND
    label = "UN Treaty Collection status page of a chapter IV treaty (saved HTML)"
    source = "UN Treaty Collection, Status of Multilateral Treaties, chapter IV (status pages)"
    source_url: str | None = "https://treaties.un.org/Pages/Treaties.aspx?id=4&subid=A&lang=en"
    licence: str | None = "none stated; the facts are the UN's"

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() not in (".html", ".htm"):
            return False
        head = head_text(path, 8192)
        return "UNTC" in head or "treaties.un.org" in head

    def run(self, ctx: ImportContext) -> None:
        page = parse_status_page(ctx.path)
        ref = find_instrument(page.chapter)
        if ref is None:
            ctx.warn(f"{page.chapter} is not one of the 18 core instruments; skipped")
            return
        named = find_instrument(ctx.path.stem)
        if named is not None and named.short != ref.short:
            raise InputError(
                f"the file is named after {named.short} but the page is {ref.short} "
                f"({page.chapter}); rename it or save the right page",
                file=ctx.path,
            )
        ensure_instruments(ctx.session)
        ctx.advance(ctx.path.stat().st_size)
        facts = page_facts(page, ref.short)
        for message in facts.warnings:
            ctx.warn(message)
        ctx.report.rows_read += len(page.participants)
        ctx.warn(fetch_note(ctx.path, page.status_as_at))
        write_standings(ctx, KIND, facts.standings)
        write_actions(ctx, facts)
        write_competences(ctx, facts, KIND)
        write_items(ctx, facts)


def fetch_note(path: Path, status_as_at: date | None) -> str:
    """The page's own "status as at" date, and where and when it was fetched when an
    ``access_log.json`` (as the scraper that saved the pages writes) lies beside it."""
    note = f"status as at {status_as_at.isoformat() if status_as_at else 'unknown'}"
    log = path.parent / "access_log.json"
    if log.is_file():
        try:
            data = json.loads(log.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return note + "; access_log.json unreadable"
        if isinstance(data, dict):
            url, day = data.get("landing_url"), data.get("access_date")
            note += f"; fetched {day or '?'} from {url or '?'} (access_log.json)"
    return note


def write_actions(ctx: ImportContext, facts: PageFacts) -> None:
    """Upsert the dated actions on (state, instrument, action, date)."""
    stmt = select(TreatyAction).where(TreatyAction.instrument_short == facts.short)
    existing = {(a.iso3, a.action, a.action_date): a for a in ctx.session.scalars(stmt)}
    seen: set[tuple[str, str, object]] = set()
    for rec in facts.actions:
        key = (rec.iso3, rec.action, rec.on)
        if key in seen:
            continue
        seen.add(key)
        ctx.upsert(
            existing.get(key),
            TreatyAction,
            {
                "iso3": rec.iso3,
                "instrument_short": facts.short,
                "action": rec.action,
                "action_date": rec.on,
            },
            {"effective_date": rec.effective, "note": rec.note, "source_kind": KIND},
        )


def write_competences(ctx: ImportContext, facts: PageFacts, source_kind: str) -> None:
    """Upsert declarations and opt-outs on (state, instrument, article, kind); a row from a
    higher-ranked source is left as it is."""
    stmt = select(Competence).where(Competence.instrument_short == facts.short)
    existing = {(c.iso3, c.article, c.kind): c for c in ctx.session.scalars(stmt)}
    rank = SOURCE_RANK[source_kind]
    for key, rec in facts.competences.items():
        row = existing.get(key)
        if row is not None and SOURCE_RANK.get(row.source_kind, 0) > rank:
            ctx.report.count("unchanged")
            continue
        ctx.upsert(
            row,
            Competence,
            {
                "iso3": rec.iso3,
                "instrument_short": facts.short,
                "article": rec.article,
                "kind": rec.kind,
            },
            {
                "procedure": rec.procedure,
                "declared_on": rec.declared_on,
                "withdrawn": rec.withdrawn,
                "text": rec.text,
                "source_kind": source_kind,
            },
        )


def write_items(ctx: ImportContext, facts: PageFacts) -> None:
    """Upsert the reservation items on (state, instrument, ordinal in page order)."""
    stmt = select(ReservationItem).where(ReservationItem.instrument_short == facts.short)
    existing = {(r.iso3, r.ordinal): r for r in ctx.session.scalars(stmt)}
    ordinals: dict[str, int] = {}
    for rec in facts.items:
        ordinals[rec.iso3] = ordinals.get(rec.iso3, 0) + 1
        ctx.upsert(
            existing.get((rec.iso3, ordinals[rec.iso3])),
            ReservationItem,
            {"iso3": rec.iso3, "instrument_short": facts.short, "ordinal": ordinals[rec.iso3]},
            {
                "kind": rec.kind,
                "articles": ",".join(rec.articles)[:200],
                "made_on": rec.made_on,
                "withdrawn": rec.withdrawn,
                "withdrawn_on": rec.withdrawn_on,
                "objected_iso3": rec.objected_iso3,
                "text": rec.text,
            },
        )


IMPORTERS: list[Importer] = [UntcStatusPage()]
