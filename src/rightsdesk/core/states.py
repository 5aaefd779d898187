"""States as stored, and the one resolver every importer, page, API field and command uses to
turn a name or code into an ISO 3166-1 alpha-3 key (built in ``core.resolver``, which needs no
database, and re-exported here).

Reference data comes from country-converter (names, UN membership, regex matchers, Gleditsch-Ward
codes) and pycountry (ISO names and codes). What they lack is written by hand in ``data/``:
historical states of UN votes, the UN's short and formal names (``un_names.csv``: a state is
shown as the UN writes it, "Iran (Islamic Republic of)", "Holy See"), common and old names as
aliases, and names that could mean several states (``ambiguous_names.csv``: refused with the
candidates, never guessed). Groupings and their membership over time are in ``core.groups``
(re-exported here for the modules that import them from this one).
"""

from __future__ import annotations

from sqlalchemy import Integer, String, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from rightsdesk.core.db import Base
from rightsdesk.core.errors import UnknownStateError
from rightsdesk.core.groups import (
    UN_REGIONAL_GROUPS,
    Grouping,
    GroupMembership,
    group_members,
    list_groupings,
    members_at,
    membership_frame,
    regional_group_map,
    resolve_group,
    seed_groupings,
    state_groupings,
)
from rightsdesk.core.limits import name_problem
from rightsdesk.core.resolver import (
    AmbiguousStateError,
    Resolver,
    StateRef,
    get_resolver,
    lookup_state,
    normalise_name,
    reference_states,
    resolve_state,
)

__all__ = [
    "UN_REGIONAL_GROUPS",
    "AmbiguousStateError",
    "GroupMembership",
    "Grouping",
    "Resolver",
    "State",
    "StateRef",
    "get_resolver",
    "get_state",
    "group_members",
    "list_groupings",
    "lookup_state",
    "members_at",
    "membership_frame",
    "normalise_name",
    "reference_states",
    "regional_group_map",
    "resolve_group",
    "resolve_state",
    "search_states",
    "seed_states",
    "state_groupings",
]


class State(Base):
    """A state (UN member, observer, other or historical), keyed by ISO 3166-1 alpha-3."""

    __tablename__ = "state"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str | None] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(120))
    official_name: Mapped[str | None] = mapped_column(String(200))
    cow_code: Mapped[int | None] = mapped_column(Integer)
    # member | observer | historical | other | organisation
    status: Mapped[str] = mapped_column(String(20))
    un_member_from: Mapped[int | None] = mapped_column(Integer)
    un_member_to: Mapped[int | None] = mapped_column(Integer)
    successor_iso3: Mapped[str | None] = mapped_column(String(3))
    continent: Mapped[str | None] = mapped_column(String(40))
    un_subregion: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(String(300))

    memberships: Mapped[list[GroupMembership]] = relationship(back_populates="state")


def seed_states(session: Session) -> tuple[int, int]:
    """Insert or refresh states and groupings from the reference data; returns (states, new
    membership periods). ``rightsdesk init`` runs it, so an existing store takes the UN names
    and the membership periods of a newer release."""
    existing = {s.iso3: s for s in session.scalars(select(State))}
    for ref in reference_states().values():
        state = existing.get(ref.iso3) or State(iso3=ref.iso3)
        for attr in (
            "iso2",
            "name",
            "official_name",
            "cow_code",
            "status",
            "un_member_from",
            "un_member_to",
            "successor_iso3",
            "continent",
            "un_subregion",
            "note",
        ):
            setattr(state, attr, getattr(ref, attr))
        if ref.iso3 not in existing:
            session.add(state)
    session.flush()
    added = seed_groupings(session)
    return len(reference_states()), added


def get_state(session: Session, query: str) -> State:
    """The stored state for a name or code (the resolver first, then the store)."""
    iso3 = resolve_state(query)
    state = session.get(State, iso3)
    if state is None:
        raise UnknownStateError(query, [])
    return state


def search_states(session: Session, query: str | None) -> tuple[list[State], list[State]]:
    """What a state search finds: (states, candidates of an ambiguous name).

    The resolver's answer comes first ("UK" finds the United Kingdom before Ukraine; "Ivory
    Coast", "DPRK" and "Iran (Islamic Republic of)" find their state), then every state whose
    stored short or formal name contains the text. An ambiguous name ("Korea") returns its
    candidates as the second list, for the page to say so.
    """
    stmt = select(State).order_by(State.name)
    text = (query or "").strip()
    if not text:
        return list(session.scalars(stmt)), []
    if name_problem(text) is not None:
        return [], []
    found = get_resolver().find(text)
    like = f"%{text}%"
    matches = list(
        session.scalars(stmt.where(or_(State.name.ilike(like), State.official_name.ilike(like))))
    )
    if isinstance(found, tuple):
        candidates = [s for iso3 in found if (s := session.get(State, iso3)) is not None]
        return candidates + [s for s in matches if s.iso3 not in found], candidates
    first = session.get(State, found) if found else None
    if first is None:
        return matches, []
    return [first, *(s for s in matches if s.iso3 != first.iso3)], []
