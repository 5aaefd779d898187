"""IATI codelists as reference data: the real Sector, OrganisationType and ActivityStatus files,
their words for codes (``code_label``), re-import and update, and bad codelist files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.capacity.codelists import code_label, code_labels
from rightsdesk.capacity.models import CodelistItem
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.provenance import Dataset
from tests.capacity.conftest import codelist_file, import_file


def test_the_three_codelists_are_stored_whole(capacity_loaded: Session) -> None:
    stmt = select(CodelistItem.codelist, func.count()).group_by(CodelistItem.codelist)
    counts = {str(k): int(n) for k, n in capacity_loaded.execute(stmt)}
    assert counts == {"Sector": 325, "OrganisationType": 16, "ActivityStatus": 6}
    withdrawn = capacity_loaded.scalar(
        select(func.count()).where(CodelistItem.codelist == "Sector", CodelistItem.withdrawn)
    )
    assert withdrawn == 30  # the status="withdrawn" items of Sector.xml
    human_rights = capacity_loaded.scalars(
        select(CodelistItem).where(CodelistItem.codelist == "Sector", CodelistItem.code == "15160")
    ).one()
    assert human_rights.category == "151"  # the DAC 3-digit group
    assert human_rights.withdrawn is False
    assert human_rights.description and "human rights" in human_rights.description.lower()
    dataset = capacity_loaded.get(Dataset, human_rights.dataset_id)
    assert dataset is not None and dataset.kind == "iati-codelist"
    assert dataset.file_name == "Sector.xml"


def test_code_label_gives_the_english_words(capacity_loaded: Session) -> None:
    assert code_label(capacity_loaded, "Sector", "15160") == "Human rights"
    assert (
        code_label(capacity_loaded, "Sector", "15170")
        == "Women's rights organisations and movements, and government institutions"
    )
    assert code_label(capacity_loaded, "OrganisationType", "21") == "International NGO"
    assert (
        code_label(capacity_loaded, "OrganisationType", "10") == "Government"
    )  # not "Gouvernement"
    assert code_label(capacity_loaded, "ActivityStatus", "2") == "Implementation"
    assert code_label(capacity_loaded, "ActivityStatus", " 4 ") == "Closed"
    assert code_label(capacity_loaded, "Sector", "99999") is None
    assert code_label(capacity_loaded, "NoSuchList", "1") is None
    assert code_label(capacity_loaded, "Sector", None) is None
    assert len(code_labels(capacity_loaded, "Sector")) == 325


def test_reimport_is_unchanged_and_an_edit_updates_the_label(
    settings: Settings, tmp_path: Path, shared_data: Path
) -> None:
    source = codelist_file(shared_data, "ActivityStatus.xml")
    first = import_file(settings, "iati-codelist", source)
    assert (first.inserted, first.updated) == (6, 0)
    assert import_file(settings, "iati-codelist", source).skipped_file
    again = import_file(settings, "iati-codelist", source, force=True)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 6)
    with session_scope(settings.database_url) as session:
        assert code_label(session, "ActivityStatus", "2") == "Implementation"
    changed = tmp_path / "ActivityStatus.xml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("<narrative>Implementation</narrative>", "<narrative>Under way</narrative>")
    changed.write_text(text, encoding="utf-8")
    report = import_file(settings, "iati-codelist", changed)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 5)
    with session_scope(settings.database_url) as session:
        assert code_label(session, "ActivityStatus", "2") == "Under way"  # a new data version
        total = session.scalar(select(func.count()).select_from(CodelistItem))
        assert total == 6


CODELIST = """<codelist name="ActivityStatus" xml:lang="en">
    <codelist-items>
        <codelist-item>
            <code>1</code>
            <name><narrative>Pipeline</narrative></name>
        </codelist-item>
{extra}
    </codelist-items>
</codelist>
"""


@pytest.mark.parametrize(
    ("extra", "line", "words"),
    [
        (
            "<codelist-item><code>1</code><name><narrative>Again</narrative></name></codelist-item>",
            7,
            "appears twice",
        ),
        (
            "<codelist-item><name><narrative>No code</narrative></name></codelist-item>",
            7,
            "has no code",
        ),
        ("<codelist-item><code>9</code></codelist-item>", 7, "has no name"),
        ("<codelist-item><code>9</code><name>", 8, "malformed XML"),
    ],
)
def test_bad_codelist_files_fail_whole(
    sqlite_settings: Settings, tmp_path: Path, extra: str, line: int, words: str
) -> None:
    path = tmp_path / "ActivityStatus.xml"
    path.write_text(CODELIST.format(extra="        " + extra), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_file(sqlite_settings, "iati-codelist", path)
    assert words in caught.value.message
    assert str(path) in caught.value.message
    assert caught.value.location.line == line
    with session_scope(sqlite_settings.database_url) as session:
        assert session.scalar(select(func.count()).select_from(CodelistItem)) == 0


def test_a_codelist_without_a_name_is_refused(sqlite_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "Nameless.xml"
    path.write_text(CODELIST.replace(' name="ActivityStatus"', "").format(extra=""), "utf-8")
    with pytest.raises(InputError, match="no name attribute"):
        import_file(sqlite_settings, "iati-codelist", path)
