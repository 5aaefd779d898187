"""FollowTheMoney entities → :class:`Query`: which properties matching reads.

Names come from ``name``, aliases and previous names, and from the parts of a person's name
(first, middle, father's, last) joined in the usual order when the entity has them; dates from
``birthDate`` (``incorporationDate`` for companies); countries from ``nationality``,
``citizenship`` and ``country``; identifiers from the FtM identifier properties (passport, tax,
registration, IMO, LEI, ...), which all count alike when shared since one number seen on two
records is strong evidence whatever its kind, and which count against when two records hold a
different number of one of the ``SINGLE_ID_PROPS`` kinds; ``email`` and ``phone`` count as
weaker contact evidence; ``address`` as free text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rightsdesk.sanctions.matching.model import Query

NAME_PROPS = ("name", "alias", "previousName", "weakAlias", "abbreviation")
PART_PROPS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
DATE_PROPS = ("birthDate", "incorporationDate")
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction")
ID_PROPS = (
    "idNumber", "passportNumber", "taxNumber", "registrationNumber", "innCode", "ogrnCode",
    "leiCode", "imoNumber", "mmsi", "swiftBic", "vatCode", "okpoCode", "dunsCode",
    "socialSecurityNumber", "permId", "npiCode", "uscCode", "bikCode", "kppCode",
)  # fmt: skip
# Identifiers of which a person or company holds one at a time and that name the holder alone:
# two different values of one of these on two records count against a match. Not ``idNumber``
# (any national or local number: a licence and an identity card share the property) nor
# ``registrationNumber`` (each registry numbers alike things its own way).
SINGLE_ID_PROPS = (
    "passportNumber", "taxNumber", "socialSecurityNumber", "innCode", "ogrnCode", "leiCode",
    "imoNumber", "vatCode",
)  # fmt: skip


class EntityFormatError(ValueError):
    """The value is not a FollowTheMoney entity (no schema, properties not lists of text)."""


def _values(props: Mapping[str, Any], name: str) -> list[str]:
    raw = props.get(name, [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise EntityFormatError(f"property {name!r} must be a list of strings")
    return [v for v in raw if v.strip()]


def query_from_ftm(entity: Any) -> Query:
    """Read a FtM entity (``{"schema": ..., "properties": {...}}``) as a matching query."""
    if not isinstance(entity, Mapping):
        raise EntityFormatError("an entity must be a JSON object")
    schema = entity.get("schema")
    if not isinstance(schema, str) or not schema:
        raise EntityFormatError("the entity has no 'schema'")
    props = entity.get("properties", {})
    if not isinstance(props, Mapping):
        raise EntityFormatError("'properties' must be an object")
    names: list[str] = []
    for prop in NAME_PROPS:
        names.extend(_values(props, prop))
    parts = [" ".join(_values(props, prop)) for prop in PART_PROPS]
    joined = " ".join(p for p in parts if p)
    if joined:
        names.append(joined)
    genders = _values(props, "gender")
    return Query(
        schema=schema,
        names=tuple(dict.fromkeys(names)),
        birth_dates=tuple(v for prop in DATE_PROPS for v in _values(props, prop)),
        nationalities=tuple(v for prop in COUNTRY_PROPS for v in _values(props, prop)),
        gender=genders[0] if genders else None,
        identifiers=tuple(v for prop in ID_PROPS for v in _values(props, prop)),
        contacts=tuple(v for prop in ("email", "phone") for v in _values(props, prop)),
        typed_identifiers=tuple(
            (prop, v) for prop in SINGLE_ID_PROPS for v in _values(props, prop)
        ),
        addresses=tuple(_values(props, "address")),
    )
