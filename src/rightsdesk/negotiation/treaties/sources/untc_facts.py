"""What a UN Treaty Collection status page says, as facts ready to store (no database).

From a ``StatusPage`` (``untc_page``): one ``Standing`` per state (the table, corrected by the
end notes: denunciations, re-accessions, the acts of former states), the dated actions, the
competence declarations and procedure opt-outs, and the reservation items. The end notes are
prose; the sentences read here follow the depositary's fixed phrasing ("On 23 October 1997,
the Government of Jamaica notified the Secretary-General of its denunciation...", "The German
Democratic Republic had signed and ratified the Covenant on ... and ..., respectively").
"""

from __future__ import annotations

import re
from datetime import date

from rightsdesk.negotiation.treaties.sources.untc import Standing
from rightsdesk.negotiation.treaties.sources.untc_page import StatusPage, long_dates
from rightsdesk.negotiation.treaties.sources.untc_text import (
    CONSENT,
    DECLARED_ACCEPTANCES,
    DEFAULT_NOTICE_MONTHS,
    END_OF_STATE,
    NOT_COMPETENT,
    NOTICE_MONTHS,
    OPT_OUTS,
    PREDECESSORS,
    QUOTES,
    SECTION_ARTICLES,
    ActionRec,
    CompetenceRec,
    ItemRec,
    PageFacts,
    add_months,
    articles_in,
    groups,
    kind_of,
    reserved_articles,
    resolve_or_fail,
    resolve_quiet,
    sentences,
    split_numbered,
)

__all__ = ["CompetenceRec", "PageFacts", "page_facts"]


def _denunciations(short: str, iso3: str, notes: list[str]) -> list[ActionRec]:
    """Denunciations and re-accessions told by a participant's end notes."""
    out: list[ActionRec] = []
    seen: set[tuple[str, date]] = set()
    last: date | None = None
    for note in notes:
        # what follows "the Secretary-General received communications" quotes other states
        own = QUOTES.split(note, maxsplit=1)[0]
        for sentence in sentences(own):
            low = sentence.casefold()
            days = long_dates(sentence)
            told = "notified" in low or "informed" in low
            if days and told and re.search(r"denounc|denunciation", low):
                effective = None
                match = re.search(r"(?:with effect from|effective|take effect on)\s+(.{0,30})", low)
                if match:
                    later = long_dates(sentence[match.start() :])
                    effective = later[0] if later else None
                note_text = None
                if effective is None:
                    months = NOTICE_MONTHS.get(short, DEFAULT_NOTICE_MONTHS)
                    effective = add_months(days[0], months)
                    note_text = f"effective date computed: {months} months after notification"
                last = days[0]
                if ("denunciation", days[0]) not in seen:
                    seen.add(("denunciation", days[0]))
                    out.append(ActionRec(iso3, "denunciation", days[0], effective, note_text))
            elif re.search(r"re-?acceded to the", low):
                day = days[0] if days else (last if "same date" in low else None)
                if day is not None and ("re-accession", day) not in seen:
                    seen.add(("re-accession", day))
                    out.append(ActionRec(iso3, "re-accession", day, None, sentence[:300]))
    return out


def _predecessor_acts(short: str, note: str) -> tuple[str, Standing] | None:
    """ "The German Democratic Republic had signed and ratified the Covenant on D1 and D2,
    respectively" -> ("DDR", Standing(...))."""
    match = re.match(
        r"^(?:The )?(" + "|".join(PREDECESSORS) + r") had (signed and ratified|signed|"
        r"ratified|acceded to|succeeded to)\b",
        note.strip(),
    )
    if match is None:
        return None
    iso3 = PREDECESSORS[match.group(1)]
    head = note[: note.find("respectively") + 12] if "respectively" in note else note[:200]
    days = long_dates(head)
    verb = match.group(2)
    st = Standing(party_until=END_OF_STATE[iso3])
    if verb == "signed and ratified" and len(days) >= 2:
        st.signature_date, st.consent_date, st.consent_type = days[0], days[1], "ratification"
    elif verb == "signed" and days:
        st.signature_date, st.party_until = days[0], None
    elif verb in ("ratified", "acceded to", "succeeded to") and days:
        st.consent_date = days[0]
        st.consent_type = {"ratified": "ratification", "acceded to": "accession"}.get(
            verb, "succession"
        )
    else:
        return None
    return iso3, st


def _withdrawals(notes: list[str]) -> list[tuple[date, list[str], bool, str]]:
    """(date, articles, partial, sentence) of each withdrawal a state's notes tell."""
    out: list[tuple[date, list[str], bool, str]] = []
    for note in notes:
        for sentence in sentences(note):
            low = sentence.casefold()
            if "withdr" not in low or not (days := long_dates(sentence)):
                continue
            if not re.search(r"withdr\w* (?:the|its|that|part|of)|effected withdrawal", low):
                continue
            partial = any(w in low for w in ("partial", "part of", "modif"))
            arts = articles_in(sentence)
            if "respectively" in low and len(days) > 1 and len(days) == len(arts):
                out.extend((d, [a], partial, sentence) for d, a in zip(days, arts, strict=True))
            else:
                out.append((days[0], arts, partial, sentence))
    return out


def page_facts(page: StatusPage, short: str) -> PageFacts:
    """All the facts of one status page for instrument ``short``."""
    facts = PageFacts(short)
    path = page.path
    consent_of: dict[str, date | None] = {}
    notes_of: dict[str, list[str]] = {}
    for p in page.participants:
        iso3 = resolve_or_fail(p.name, path, p.line, "Participant")
        notes = [page.notes[n] for n in p.notes if n in page.notes]
        notes_of.setdefault(iso3, []).extend(notes)
        st = Standing(signature_date=p.signature, consent_date=p.consent)
        st.consent_type = CONSENT.get(p.consent_mark) if p.consent else None
        if p.signature:
            kind = "succession to signature" if p.signature_mark == "d" else "signature"
            facts.actions.append(ActionRec(iso3, kind, p.signature))
        if p.consent and st.consent_type:
            facts.actions.append(ActionRec(iso3, st.consent_type, p.consent))
        events = _denunciations(short, iso3, notes)
        facts.actions.extend(events)
        denounced = sorted((e for e in events if e.action == "denunciation"), key=lambda e: e.on)
        again = sorted((e for e in events if e.action == "re-accession"), key=lambda e: e.on)
        if again and (st.consent_date is None or again[-1].on > st.consent_date):
            st.consent_date, st.consent_type = again[-1].on, "accession"
        if p.bracketed:
            st.denounced = True
            if denounced:
                st.denounced_on = denounced[-1].on
                st.denunciation_effective = denounced[-1].effective
            else:
                facts.warnings.append(
                    f"{p.name}: consent shown in brackets (no longer in force) but no note "
                    "dates the denunciation"
                )
        consent_of[iso3] = st.consent_date
        facts.standings[(iso3, short)] = st
    for note in page.notes.values():
        found = _predecessor_acts(short, note)
        if found is not None and (found[0], short) not in facts.standings:
            iso3, st = found
            facts.standings[(iso3, short)] = st
            if st.signature_date:
                facts.actions.append(ActionRec(iso3, "signature", st.signature_date))
            if st.consent_date and st.consent_type:
                facts.actions.append(ActionRec(iso3, st.consent_type, st.consent_date))
    _read_competence(page, short, facts, consent_of)
    _read_declarations(page, short, facts, consent_of, notes_of)
    _read_objections(page, short, facts)
    return facts


def _read_competence(
    page: StatusPage, short: str, facts: PageFacts, consent_of: dict[str, date | None]
) -> None:
    rules = SECTION_ARTICLES.get(short, [])
    for block in page.competence:
        iso3 = resolve_or_fail(block.name, page.path, block.line, "Participant")
        for day, _heading, lines in groups(block):
            text = " ".join(lines)
            low = text.casefold()
            for article, procedure, pattern in rules:
                if pattern is not None and len(rules) > 1 and not re.search(pattern, low):
                    continue
                key = (iso3, article, "acceptance")
                if "withdr" in low and key in facts.competences:
                    facts.competences[key].withdrawn = day
                    continue
                if key in facts.competences:
                    continue
                facts.competences[key] = CompetenceRec(
                    iso3, article, procedure, "acceptance", day or consent_of.get(iso3), None, text
                )


def _read_declarations(
    page: StatusPage,
    short: str,
    facts: PageFacts,
    consent_of: dict[str, date | None],
    notes_of: dict[str, list[str]],
) -> None:
    opt_out = OPT_OUTS.get(short)
    accepted = DECLARED_ACCEPTANCES.get(short, [])
    protocol = short.startswith("OP-") or "-OP" in short  # citing the parent treaty too
    for block in page.declarations:
        iso3 = resolve_or_fail(block.name, page.path, block.line, "Participant")
        items: list[ItemRec] = []
        for day, heading, lines in groups(block):
            for text in split_numbered(lines):
                kind = kind_of(heading, text)
                items.append(ItemRec(iso3, kind, reserved_articles(text, protocol), day, text))
                low = text.casefold()
                if opt_out and re.search(opt_out[1], low) and NOT_COMPETENT.search(text):
                    facts.competences[(iso3, opt_out[0], "opt-out")] = CompetenceRec(
                        iso3,
                        opt_out[0],
                        "inquiry",
                        "opt-out",
                        day or consent_of.get(iso3),
                        None,
                        text,
                    )
                recognises = re.search(r"recogni[sz]e", low) and not NOT_COMPETENT.search(text)
                for article, procedure, pattern in accepted:
                    if recognises and re.search(pattern, low):
                        facts.competences[(iso3, article, "acceptance")] = CompetenceRec(
                            iso3,
                            article,
                            procedure,
                            "acceptance",
                            day or consent_of.get(iso3),
                            None,
                            text,
                        )
        notes = notes_of.get(iso3, []) + [page.notes[n] for n in block.notes if n in page.notes]
        _apply_withdrawals(short, iso3, items, facts, list(dict.fromkeys(notes)), consent_of)
        facts.items.extend(items)
    declared = {resolve_quiet(b.name) for b in page.declarations}
    for iso3, notes in notes_of.items():
        if iso3 not in declared:
            extra: list[ItemRec] = []
            _apply_withdrawals(short, iso3, extra, facts, notes, consent_of)
            facts.items.extend(extra)


def _apply_withdrawals(
    short: str,
    iso3: str,
    items: list[ItemRec],
    facts: PageFacts,
    notes: list[str],
    consent_of: dict[str, date | None],
) -> None:
    opt_out = OPT_OUTS.get(short)
    for day, arts, partial, sentence in _withdrawals(notes):
        low = sentence.casefold()
        since = consent_of.get(iso3)
        names_it = opt_out and re.search(opt_out[1], " ".join(f"article {a}" for a in arts) or low)
        # a note about a predecessor's act withdrawn before this state joined is not its own
        own_act = since is None or since <= day
        if opt_out and names_it and ("reserv" in low or "declar" in low) and own_act:
            key = (iso3, opt_out[0], "opt-out")
            rec = facts.competences.get(key) or CompetenceRec(
                iso3, opt_out[0], "inquiry", "opt-out", consent_of.get(iso3), None, sentence
            )
            rec.withdrawn = day
            facts.competences[key] = rec
            # a withdrawn opt-out is an acceptance of the inquiry procedure from that day
            facts.competences[(iso3, opt_out[0], "acceptance")] = CompetenceRec(
                iso3, opt_out[0], "inquiry", "acceptance", day, None, sentence
            )
        own = [i for i in items if i.kind != "objection"]
        matched = [i for i in own if set(i.articles) & set(arts)] if arts else []
        if not arts and len(own) == 1 and "reserv" in low:
            matched = own
        for item in matched:
            item.withdrawn, item.withdrawn_on = ("partial" if partial else "full"), day
        if not matched:
            kind = "reservation" if "reserv" in low else "declaration"
            items.append(
                ItemRec(
                    iso3,
                    kind,
                    arts,
                    None,
                    sentence,
                    withdrawn="partial" if partial else "full",
                    withdrawn_on=day,
                )
            )


def _read_objections(page: StatusPage, short: str, facts: PageFacts) -> None:
    for block in page.objections:
        iso3 = resolve_or_fail(block.name, page.path, block.line, "Participant")
        for day, heading, lines in groups(block):
            text = " ".join(lines)
            target = None
            match = re.search(
                r"made by (?:the )?(.+?)(?: upon| at the time| on | in respect|:|$)", heading
            )
            if match:
                target = resolve_quiet(match.group(1))
            facts.items.append(ItemRec(iso3, "objection", articles_in(text), day, text, target))
