"""Export programmes as an IATI 2.03 activity file: any set, chosen by recipient state, donor,
sector or ids.

Why 2.03 whatever the source: the store holds programmes imported from 1.0x and 2.0x files and
programmes entered here, and a file others can load must follow one standard; 2.03 is the one
the shared schema validates (``../shared/data/capacity/iati/schemas-2.03``). Amounts leave in
their own currency with their value date, as they were stored: nothing is converted.

What IATI requires and a programme lacks is refused or defaulted as
``iati_export_activity`` explains. An export that matches no programme is refused too: a 2.03
file must hold at least one activity.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.capacity.iati_export_activity import activity_element
from rightsdesk.capacity.models import Participant, Programme, Recipient, Sector
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.core.states import State, get_state

__all__ = ["IATI_VERSION", "IatiExport", "ProgrammeFilter", "export_iati", "select_programmes"]

IATI_VERSION = "2.03"
FUNDING = ("1", "funding")  # OrganisationRole 1 (the word in older rows)


@dataclass(frozen=True)
class ProgrammeFilter:
    """Which programmes to export; every given criterion must hold (None: any).

    ``recipient``: a recipient state's ISO3 (resolve names before, with ``core.states``).
    ``donor``: an organisation identifier, matched against the reporting organisation and
    the funding participants, case-insensitively ("GB-1" finds DFID's programmes).
    ``sector``: a sector code; a 3-digit DAC category also finds its 5-digit codes
    ("151" finds 15160). ``ids``: programme ids.
    """

    recipient: str | None = None
    donor: str | None = None
    sector: str | None = None
    ids: tuple[int, ...] | None = None

    @classmethod
    def given(
        cls,
        session: Session,
        recipient: str | None = None,
        donor: str | None = None,
        sector: str | None = None,
        ids: Sequence[int] | None = None,
    ) -> ProgrammeFilter:
        """The filter of a request or a command: ``recipient`` may be any name or code the
        state resolver knows ("DR Congo", "CD", "COD"); blank values mean any."""
        iso3 = (
            get_state(session, recipient.strip()).iso3 if recipient and recipient.strip() else None
        )
        return cls(
            recipient=iso3,
            donor=(donor or "").strip() or None,
            sector=(sector or "").strip() or None,
            ids=tuple(ids) if ids else None,
        )

    def criteria(self) -> dict[str, Any]:
        """The criteria given, for the audit log (an export must be reproducible)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items() if v}


@dataclass(frozen=True)
class IatiExport:
    """An export: the file's bytes and how many activities it holds."""

    xml: bytes
    activities: int


def _filtered(chosen: ProgrammeFilter) -> Select[Programme]:
    stmt = select(Programme)
    if chosen.recipient:
        has = select(Recipient.programme_id).where(Recipient.state_iso3 == chosen.recipient)
        stmt = stmt.where(Programme.id.in_(has))
    if chosen.donor:
        ref = chosen.donor.strip().upper()
        funds = select(Participant.programme_id).where(
            func.upper(Participant.org_ref) == ref, Participant.role.in_(FUNDING)
        )
        stmt = stmt.where(
            or_(func.upper(Programme.reporting_org_ref) == ref, Programme.id.in_(funds))
        )
    if chosen.sector:
        code = chosen.sector.strip()
        match = Sector.code == code
        if len(code) == 3 and code.isdigit():
            match = or_(match, Sector.code.like(f"{code}__"))
        stmt = stmt.where(Programme.id.in_(select(Sector.programme_id).where(match)))
    if chosen.ids is not None:
        stmt = stmt.where(Programme.id.in_(chosen.ids))
    return stmt


def select_programmes(session: Session, chosen: ProgrammeFilter) -> list[Programme]:
    """The programmes a filter chooses, with all their parts loaded (no query per part)."""
    stmt = (
        _filtered(chosen)
        .options(
            selectinload(Programme.participants),
            selectinload(Programme.recipients),
            selectinload(Programme.sectors),
            selectinload(Programme.budgets),
            selectinload(Programme.transactions),
            selectinload(Programme.documents),
            selectinload(Programme.indicators),
        )
        .order_by(Programme.id)
    )
    return list(session.scalars(stmt))


def activities_document(
    programmes: Sequence[Programme], iso2: dict[str, str | None], generated: dt.datetime
) -> bytes:
    """The ``iati-activities`` file of ``programmes`` (UTF-8, with its XML declaration)."""
    root = etree.Element(
        "iati-activities",
        {"version": IATI_VERSION, "generated-datetime": generated.isoformat(timespec="seconds")},
    )
    for programme in programmes:
        root.append(activity_element(programme, iso2))
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml


def export_iati(session: Session, chosen: ProgrammeFilter, actor: str | None = None) -> IatiExport:
    """The IATI 2.03 file of the programmes ``chosen`` selects.

    With an ``actor``, the export is written to the audit log with its criteria, as every
    export of the workbench is (the caller commits). Refuses (``NotFoundError``) when nothing
    matches, and (``InputError``) a programme lacking what 2.03 requires.
    """
    programmes = select_programmes(session, chosen)
    if not programmes:
        said = ", ".join(f"{k} {v}" for k, v in chosen.criteria().items()) or "the store"
        raise NotFoundError(f"no programme matches ({said}): an IATI file needs one at least")
    iso2 = {iso3: code for iso3, code in session.execute(select(State.iso3, State.iso2))}
    xml = activities_document(programmes, iso2, dt.datetime.now(dt.UTC))
    if actor is not None:
        audit.record_export(
            session, actor, "programme", len(programmes), criteria=chosen.criteria(), fmt="iati"
        )
    return IatiExport(xml, len(programmes))


def write_iati(
    session: Session, chosen: ProgrammeFilter, path: Path, actor: str | None = None
) -> int:
    """Write the export to ``path`` (only once it is complete); the number of activities."""
    export = export_iati(session, chosen, actor)
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(export.xml)
        partial.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise InputError(f"cannot write the file: {exc.strerror or exc}", file=path) from None
    return export.activities
