"""Labelled entity pairs from two versions of the UN Security Council list (2018 and 2026).

The UN keeps a listing's DATAID across versions of its consolidated list, so a record of 2018
and a record of 2026 with the same DATAID are one person or organisation (a match), whatever
was corrected, added or re-spelt in between; records with different DATAIDs are two. The pairs
are every 2018 record with its 2026 record, plus the confusable ones: for every 2018 record,
the (at most four) 2026 records whose first name is most alike by rapidfuzz's token-set ratio
(at least 75), a blocking step independent of the matcher measured. Records recur across
pairs (a 2026 record is a candidate for several 2018 records), as in a deduplication queue,
which is where collective resolution could help or harm. The labels come from the UN, not
from anyone who looked at the matcher's output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from rightsdesk.sanctions.sources.un_xml import parse_un_xml

VERSIONS = ("consolidated-2018-10-29.xml", "consolidated-2026-02-27.xml")
CANDIDATES = 4
CUTOFF = 75


def _entities(path: Path, tag: str) -> list[dict[str, Any]]:
    parsed, _warnings = parse_un_xml(path)
    return [
        {"id": f"{tag}:{e.entity_id}", "schema": e.schema, "properties": e.properties}
        for e in parsed.entities
    ]


def _name(entity: dict[str, Any]) -> str:
    names: list[str] = entity["properties"].get("name") or [""]
    return names[0]


def version_pairs(
    folder: Path, candidates: int = CANDIDATES, cutoff: int = CUTOFF
) -> list[tuple[str, dict[str, Any], dict[str, Any], bool]]:
    """(pair id, 2018 entity, 2026 entity, same DATAID) for the pairs described above; more
    ``candidates`` and a lower ``cutoff`` make a harder queue (more confusable pairs, more
    recurrence: where chains of weak links would show)."""
    old = _entities(folder / VERSIONS[0], "2018")
    new = _entities(folder / VERSIONS[1], "2026")
    names = [_name(e) for e in new]
    by_listing = {e["id"].split(":", 1)[1]: j for j, e in enumerate(new)}
    chosen: set[tuple[int, int]] = set()
    for i, entity in enumerate(old):
        found = process.extract(
            _name(entity), names, scorer=fuzz.token_set_ratio, limit=candidates,
            score_cutoff=cutoff,
        )  # fmt: skip
        chosen.update((i, j) for _name_found, _score, j in found)
        if (j := by_listing.get(entity["id"].split(":", 1)[1])) is not None:
            chosen.add((i, j))
    out = []
    for i, j in sorted(chosen):
        left, right = old[i], new[j]
        same = left["id"].split(":", 1)[1] == right["id"].split(":", 1)[1]
        out.append((f"{left['id']}|{right['id']}", left, right, same))
    return out
