"""FollowTheMoney JSON lines files built with the followthemoney library itself, shaped like
OpenSanctions' publications of the UK and Canadian lists (no downloaded data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from followthemoney import model

UK = "gb_hmt_sanctions"
CANADA = "ca_dfatd_sema_sanctions"


def entity(
    schema: str, entity_id: str, datasets: list[str], seen: str, **props: Any
) -> dict[str, Any]:
    """One line: an FtM proxy built by the library, plus OpenSanctions' metadata."""
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, values in props.items():
        proxy.add(prop, values)
    data = proxy.to_dict()
    data.update(datasets=datasets, first_seen="2021-03-22T10:00:00", last_seen=seen)
    return data


def uk_list(seen: str = "2024-05-03T06:00:00", drop: str | None = None) -> list[dict[str, Any]]:
    """A UK-style list: a person under the global human rights regime (with a passport and
    an address entity), an organisation under the Russia regime, and an ownership link."""
    lines = [
        entity(
            "Person",
            "gb-hmt-14001",
            [UK],
            seen,
            name="Alexander Petrovich KALASHNIKOV",
            alias="Александр Петрович КАЛАШНИКОВ",
            birthDate="1964-01-27",
            nationality="ru",
            gender="male",
            topics="sanction",
            programId="GB-HR",
            addressEntity="addr-1",
        ),
        entity(
            "Passport", "gb-hmt-14001-pass", [UK], seen, holder="gb-hmt-14001", number="7712345"
        ),
        entity("Address", "addr-1", [UK], seen, full="Moscow, Russia", country="ru"),
        entity(
            "Sanction",
            "gb-hmt-14001-s",
            [UK],
            seen,
            entity="gb-hmt-14001",
            authority="Office of Financial Sanctions Implementation",
            program="Global Human Rights",
            programId="GB-HR",
            provisions="Asset freeze",
            listingDate="2021-03-22",
            reason="Responsible for serious human rights violations.",
            sourceUrl="https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets",
            authorityId="GHR0001",
        ),
        entity(
            "Organization",
            "gb-hmt-15002",
            [UK],
            seen,
            name="Wagner Group",
            alias="PMC Wagner",
            country="ru",
            topics="sanction",
        ),
        entity(
            "Sanction",
            "gb-hmt-15002-s",
            [UK],
            seen,
            entity="gb-hmt-15002",
            authority="Office of Financial Sanctions Implementation",
            program="Russia",
            programId="GB-RUS",
            provisions="Asset freeze",
            listingDate="2022-03-10",
            authorityId="RUS0265",
        ),
        entity("Ownership", "own-1", [UK], seen, owner="gb-hmt-14001", asset="gb-hmt-15002"),
    ]
    if drop is not None:
        lines = [
            line
            for line in lines
            if line["id"] != drop and drop not in line["properties"].get("entity", [])
        ]
    return lines


def canada_list(seen: str = "2024-04-30T00:00:00") -> list[dict[str, Any]]:
    """A Canada-style list: a person under the Special Economic Measures Act and a vessel."""
    return [
        entity(
            "Person",
            "ca-sema-77",
            [CANADA],
            seen,
            name="Juan PÉREZ",
            nationality="ve",
            birthDate="1970",
            topics="sanction",
        ),
        entity(
            "Sanction",
            "ca-sema-77-s",
            [CANADA],
            seen,
            entity="ca-sema-77",
            authority="Global Affairs Canada",
            program="Special Economic Measures (Venezuela) Regulations",
            provisions="Dealings prohibition",
            startDate="2018-05-30",
        ),
        entity(
            "Vessel",
            "ca-sema-v1",
            [CANADA],
            seen,
            name="SEA BREEZE",
            imoNumber="IMO9012345",
            flag="ru",
            topics="sanction",
        ),
        entity(
            "Sanction",
            "ca-sema-v1-s",
            [CANADA],
            seen,
            entity="ca-sema-v1",
            authority="Global Affairs Canada",
            program="SEMA Russia",
            listingDate="2023-02",
        ),
    ]


def write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    return path
