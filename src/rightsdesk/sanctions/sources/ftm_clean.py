"""Property values in the form FollowTheMoney itself would hold them.

FtM cleans each value by its type when it loads an entity: phones become E.164, URLs get a
scheme, names lose stray quotes, identifiers their spaces, and a value its type rejects is
dropped. A store that keeps values as the source wrote them would then differ from what any
FtM reader (and rightsdesk's own FtM export and import) makes of them. The list parsers run
their values through here, so the store holds the FtM form and a rejected value is kept as
text in ``notes`` ("phone: 8 (495) 123") rather than lost.
"""

from __future__ import annotations

from followthemoney import model

__all__ = ["clean_properties", "clean_value"]


def clean_value(schema: str, prop: str, value: str) -> list[str]:
    """The FtM form of one value of ``prop`` on ``schema`` (usually one item; none when FtM
    rejects it). The property must exist on the schema."""
    probe = model.make_entity(schema)
    probe.add(prop, value, quiet=True)
    return [str(item) for item in probe.get(prop)]


def clean_properties(
    schema: str, properties: dict[str, list[str]]
) -> tuple[dict[str, list[str]], list[str]]:
    """All properties in FtM form, and what FtM rejected as ``"prop: value"`` texts (a
    property the schema lacks included) for the caller to keep in ``notes``."""
    entity_schema = model.get(schema)
    if entity_schema is None:
        raise ValueError(f"unknown FollowTheMoney schema {schema!r}")
    cleaned: dict[str, list[str]] = {}
    rejected: list[str] = []
    for prop, values in properties.items():
        if entity_schema.get(prop) is None:
            rejected += [f"{prop}: {value}" for value in values]
            continue
        out = cleaned.setdefault(prop, [])
        for value in values:
            items = clean_value(schema, prop, value)
            if not items:
                rejected.append(f"{prop}: {value}")
            out += [item for item in items if item not in out]
        if not out:
            del cleaned[prop]
    return cleaned, rejected
