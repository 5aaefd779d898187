"""Helpers of the vote-source tests: a few rows of the real UN_DATA file written to a test's
own zip, and a small UN Digital Library export in its documented long format."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

UNDATA = Path("negotiation") / "undata" / "UN_DATA.csv.zip"
UNDL_COLUMNS = [
    "undl_id",
    "ms_code",
    "ms_name",
    "ms_vote",
    "date",
    "session",
    "resolution",
    "draft",
    "committee_report",
    "meeting",
    "title",
    "agenda_title",
    "subjects",
    "vote_note",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_non_voting",
    "total_ms",
    "undl_link",
]


def read_undata(shared_data: Path) -> pd.DataFrame:
    with zipfile.ZipFile(shared_data / UNDATA) as archive:
        return pd.read_csv(archive.open(archive.namelist()[0]), dtype=str, keep_default_na=False)


def write_undata(frame: pd.DataFrame, path: Path) -> Path:
    """``frame`` as a zipped CSV named like the real file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("UN DATA.csv", frame.to_csv(index=False))
    return path


def undata_subset(shared_data: Path, folder: Path, symbols: list[str]) -> Path:
    frame = read_undata(shared_data)
    return write_undata(frame[frame["Resolution"].isin(symbols)], folder / "UN_DATA.csv.zip")


def write_undl(rows: list[dict[str, str]], path: Path) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=UNDL_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in UNDL_COLUMNS})
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def undl_record(undl_id: str, meta: dict[str, str], votes: dict[str, str]) -> list[dict[str, str]]:
    """One resolution's rows: ``votes`` maps ISO3 to Y/N/A/X."""
    return [
        {"undl_id": undl_id, "ms_code": iso3, "ms_vote": v, **meta} for iso3, v in votes.items()
    ]
