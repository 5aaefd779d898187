"""Importer of the American Bar Association ICC Project's records (``icc-aba/``: markdown files
with YAML front matter, data to 2021-22): ``rightsdesk import icc-aba FILE``.

The import framework reads files, the ABA project is a tree of folders: any record file of the
tree (``_cases/the-prosecutor-v-ongwen.md``) imports the whole tree in one transaction, and
the checksum covers every file, so a second file of an unchanged tree is "already imported".
Auto-detection (``rightsdesk load``) recognises a file by its front matter and parent folder,
and only the first file of ``_situations`` (by name), so a load imports the tree once, not
six hundred times.

What it stores: each situation (kind ``icc-situation``; status from the ABA phase:
investigation or preliminary examination), each case (``icc-case``; the situation country,
the case status, from the first to the last court event the files record), each accused in a
case with a status (``models.ACCUSED_STATUSES``) derived from the charges status, the case
status and the events, and the charges by crime type. ICC numbers: ``icc_numbers``. "Data up
to": the latest dated event or situation note of the files.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer, head_text
from rightsdesk.core.resolver import lookup_state
from rightsdesk.interventions.register.models import Accused, Charge, RegisterEntry
from rightsdesk.interventions.register.origins import ICC
from rightsdesk.interventions.register.sources.common import (
    EntryData,
    StateRole,
    drop_unlisted,
    load_stored,
    store_entry,
)
from rightsdesk.interventions.register.sources.icc_files import (
    FOLDERS,
    MdFile,
    Tree,
    date_of,
    parse_charges,
    read_tree,
    root_of,
    text,
    tree_files,
)
from rightsdesk.interventions.register.sources.icc_numbers import CASES, SITUATIONS

SITE = "https://www.aba-icc.org"
FINAL_CASE = ("sentenced", "acquitted", "terminated")


def _phase(phase: str) -> str:
    low = phase.lower()
    if "situations & cases" in low:
        return "investigation"
    if "closed" in low:
        return "preliminary examination closed: decision not to proceed"
    if "admissibility" in low:
        return "preliminary examination: admissibility"
    if "jurisdiction" in low:
        return "preliminary examination: jurisdiction"
    return phase or "unknown"


def _country(tree: Tree, slug: str, record: MdFile) -> StateRole | None:
    """The state of an ABA country slug, from its ``_countries`` file (``geocode``)."""
    if not slug:
        return None
    country = tree.folder("_countries").get(slug)
    name = text(country.meta, "title") if country else slug.replace("-", " ").title()
    code = text(country.meta, "geocode") if country else ""
    iso3 = lookup_state(code) if code else lookup_state(name)
    if iso3 is None and not name:
        raise InputError(f"unknown country {slug!r}", file=record.path, field="country")
    return StateRole("situation", iso3, name)


def accused_status(charges_status: str, case_status: str, actions: list[str]) -> tuple[str, str]:
    """(status, the source's words) of an accused: the charges status where it is definite,
    else the case status where final, else the events (an initial appearance: in custody or
    appearing; only an arrest warrant: at large)."""
    c, k = charges_status.lower(), case_status.lower()
    words = charges_status or case_status
    for needle, status in (
        ("death", "deceased"),
        ("acquitted", "acquitted"),
        ("not confirmed", "not-confirmed"),
        ("withdrawn", "withdrawn"),
    ):
        if needle in c:
            return status, words
    for needle, status in (
        ("acquitted", "acquitted"),  # on appeal after a conviction (Bemba)
        ("terminated", "withdrawn"),
        ("sentenced", "convicted"),
    ):
        if needle in k:
            return status, f"{words} (case: {case_status})"
    if "sentenced" in c:
        return "convicted", words
    if "at large" in c:
        return "at-large", words
    if "libya" in c:
        return "other", words
    acts = " ".join(actions).lower()
    if "initial appearance" in acts or "trial" in c:
        return "in-custody", words
    if "warrant" in acts:
        return "at-large", words
    return "other", words


def _events(tree: Tree) -> dict[tuple[str, str], list[tuple[dt.date | None, str]]]:
    """(case, accused) -> [(date, action)] of the events files."""
    out: dict[tuple[str, str], list[tuple[dt.date | None, str]]] = defaultdict(list)
    for record in tree.folder("_cases-events").values():
        key = (text(record.meta, "case"), text(record.meta, "accused"))
        out[key].append((date_of(record, "event_date"), text(record.meta, "action")))
    return out


def _situations(tree: Tree) -> list[EntryData]:
    out = []
    for slug, record in sorted(tree.folder("_situations").items()):
        state = _country(tree, text(record.meta, "country"), record)
        title = text(record.meta, "title") or slug
        out.append(
            EntryData(
                kind="icc-situation",
                key=slug,
                states=[state] if state else [],
                values={
                    "identifier": SITUATIONS.get(slug),
                    "title": f"Situation in {title}"[:500],
                    "mandate_body": "ICC OTP",
                    "status": _phase(text(record.meta, "phase")),
                    "url": f"{SITE}/situations/situation/{slug}/",
                    "notes": text(record.meta, "description")[:2000] or None,
                },
            )
        )
    return out


def _case(tree: Tree, slug: str, record: MdFile, events: list[dt.date]) -> EntryData:
    state = _country(tree, text(record.meta, "country"), record)
    status = text(record.meta, "case_status") or "unknown"
    final = any(word in status.lower() for word in FINAL_CASE)
    trial = date_of(record, "trial_opening_date")
    return EntryData(
        kind="icc-case",
        key=slug,
        states=[state] if state else [],
        values={
            "identifier": CASES.get(slug),
            "title": (text(record.meta, "long_name") or text(record.meta, "title") or slug)[:500],
            "mandate_body": "ICC",
            "start_date": min(events) if events else None,
            "start_precision": "day",
            "end_date": max(events) if events and final else None,
            "end_precision": "day",
            "status": status,
            "url": f"{SITE}/cases/case/{slug}/",
            "notes": (f"Trial opened {trial.isoformat()}. " if trial else "")
            + "Dates: first and last court event the ABA ICC project records.",
        },
    )


def _store_accused(
    tree: Tree,
    entry: RegisterEntry,
    record: MdFile,
    events_by: dict[tuple[str, str], list[tuple[dt.date | None, str]]],
) -> None:
    """Replace the case's accused and charges with the files' (unless an editor took them)."""
    if "accused" in entry.edited():
        return
    charges = {
        (text(r.meta, "case"), text(r.meta, "accused")): r
        for r in tree.folder("_cases-charges").values()
    }
    # a charges file naming another spelling of the case: matched by the person alone
    # when that person has a single charges file
    files_of: dict[str, list[MdFile]] = defaultdict(list)
    for r in tree.folder("_cases-charges").values():
        files_of[text(r.meta, "accused")].append(r)
    by_person = {p: rs[0] for p, rs in files_of.items() if len(rs) == 1}
    wanted = []
    slugs = record.meta.get("accuseds") or []
    if not isinstance(slugs, list):
        raise InputError("accuseds must be a list", file=record.path, field="accuseds")
    for person in (str(s).strip() for s in slugs if s):
        info = tree.folder("_accuseds").get(person)
        charge_file = charges.get((record.slug, person)) or by_person.get(person)
        status, words = accused_status(
            text(charge_file.meta, "charges_status") if charge_file else "",
            text(record.meta, "case_status"),
            [a for _, a in events_by.get((record.slug, person), [])],
        )
        wanted.append(
            (
                person,
                text(info.meta, "title") if info else person.replace("-", " ").title(),
                text(info.meta, "description") if info else "",
                status,
                words,
                parse_charges(charge_file) if charge_file else [],
            )
        )
    current = [
        (
            a.key,
            a.person,
            a.description or "",
            a.status,
            a.source_status or "",
            [(c.crime_type, c.crime, c.article) for c in a.charges],
        )
        for a in entry.accused
    ]
    if current == wanted:
        return
    entry.accused.clear()
    for key, person, description, status, words, found in wanted:
        accused = Accused(
            key=key,
            person=person[:200],
            description=description or None,
            status=status,
            source_status=words[:200] or None,
        )
        accused.charges = [Charge(crime_type=t, crime=c, article=a) for t, c, a in found]
        entry.accused.append(accused)


class IccAbaImporter:
    """``rightsdesk import icc-aba icc-aba/_situations/uganda.md`` (any file of the tree)."""

    kind = ICC.kind
    label = "ICC situations, cases, accused and charges (ABA ICC project, markdown tree)"
    source = ICC.label
    source_url: str | None = ICC.url
    licence: str | None = ICC.licence

    def sniff(self, path: Path) -> bool:
        root = root_of(path)
        if root is None or path.suffix.lower() != ".md" or path.parent.name != FOLDERS[0]:
            return False
        first = next(iter(sorted((root / FOLDERS[0]).glob("*.md"))), None)
        return first == path and head_text(path, 8).startswith("---")

    def files_read(self, path: Path) -> list[Path]:
        root = root_of(path)
        return tree_files(root) if root is not None else [path]

    def run(self, ctx: ImportContext) -> None:
        root = root_of(ctx.path)
        if root is None:
            raise InputError(
                f"not a file of an ABA ICC tree (its folder must be one of {', '.join(FOLDERS)})",
                file=ctx.path,
            )
        tree = read_tree(root)
        events = _events(tree)
        dated = [d for items in events.values() for d, _ in items if d]
        dated += [d for r in tree.folder("_situations").values() if (d := date_of(r, "date"))]
        as_of = max(dated) if dated else None
        stored = load_stored(ctx, ["icc-situation", "icc-case"])
        citation = f"{ICC.label}, files under {root.name}/"
        rows = _situations(tree)
        for data in rows:
            store_entry(ctx, stored, data, ICC.kind, citation, as_of, data.values["url"])
        for slug, record in sorted(tree.folder("_cases").items()):
            case_days = [
                d for (case, _), items in events.items() if case == slug for d, _ in items if d
            ]
            data = _case(tree, slug, record, case_days)
            rows.append(data)
            entry, _ = store_entry(ctx, stored, data, ICC.kind, citation, as_of, data.values["url"])
            _store_accused(tree, entry, record, events)
        ctx.report.rows_read = sum(len(f) for f in tree.records.values())
        drop_unlisted(ctx, stored, {(d.kind, d.key) for d in rows}, ICC.kind, "ICC entry")
        ctx.warn(
            f"{len(tree.folder('_situations'))} situations, {len(tree.folder('_cases'))} cases, "
            f"{len(tree.folder('_accuseds'))} accused; data up to {as_of or 'an unstated date'}"
        )


IMPORTERS: list[Importer] = [IccAbaImporter()]
