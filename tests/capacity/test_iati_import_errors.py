"""Bad IATI activity files: malformed copies of the real CAFOD file, unsafe XML, the command
line's answer, format recognition (``sniff``), and the 1.0x/2.0x mappings on small snippets."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select
from typer.testing import CliRunner

from rightsdesk.capacity.models import Programme
from rightsdesk.capacity.sources.iati_parse_activity import parse_activity
from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.provenance import Dataset
from rightsdesk.forms import detect_importer, get_importer
from tests.capacity.conftest import activity_file, import_file

CAFOD = "cafod-drc-v1.00.xml"


def cafod_text(shared_data: Path) -> str:
    return activity_file(shared_data, CAFOD).read_text(encoding="utf-8")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    pos = -1
    for _ in range(occurrence):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


def write(tmp_path: Path, text: str, name: str = CAFOD) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def stored(settings: Settings) -> tuple[int, int]:
    """(programmes, finished iati-activities datasets) in the store."""
    with session_scope(settings.database_url) as s:
        programmes = s.scalar(select(func.count()).select_from(Programme)) or 0
        datasets = s.scalar(select(func.count()).where(Dataset.kind == "iati-activities")) or 0
        return int(programmes), int(datasets)


def broken_copies(text: str) -> dict[str, tuple[str, int, str | None, str]]:
    """name -> (file text, line, field, words of the message)."""
    second = text.index("<iati-identifier>", text.index("<iati-identifier>") + 1)
    first_id = "<iati-identifier>GB-CHC-285776-DRC173</iati-identifier>"
    end_second = text.index("</iati-identifier>", second) + len("</iati-identifier>")
    return {
        "cut": (
            text[: len(text) // 2],
            text[: len(text) // 2].count("\n") + 1,
            None,
            "malformed XML",
        ),
        "bad date": (
            text.replace('iso-date="2012-09-30"', 'iso-date="2012-09-31"', 1),
            line_of(text, 'iso-date="2012-09-30"'),
            "activity-date[@type=end-planned]",
            "malformed date '2012-09-31'",
        ),
        "no identifier": (
            text.replace(first_id, "", 1),
            line_of(text, "<iati-activity "),
            "iati-identifier",
            "no iati-identifier",
        ),
        "not a number": (
            text.replace(">48271<", ">48.271,00<", 1),
            line_of(text, ">48271<"),
            "transaction/value",
            "'48.271,00', not a number",
        ),
        "duplicate identifier": (
            text[:second] + first_id + text[end_second:],
            line_of(text, "<iati-activity ", 2),
            "iati-identifier",
            "appears twice in the file (first on line 4)",
        ),
        "unknown transaction type": (
            text.replace('<transaction-type code="IF">', '<transaction-type code="XX">', 1),
            line_of(text, '<transaction-type code="IF">'),
            "transaction/transaction-type/@code",
            "unknown transaction-type 'XX'",
        ),
        "bad role": (
            text.replace('role="Implementing"', 'role="Sponsoring"', 1),
            line_of(text, 'role="Implementing"'),
            "participating-org/@role",
            "unknown participating-org role 'Sponsoring'",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "cut",
        "bad date",
        "no identifier",
        "not a number",
        "duplicate identifier",
        "unknown transaction type",
        "bad role",
    ],
)
def test_a_broken_copy_fails_whole_naming_line_and_field(
    settings: Settings, shared_data: Path, tmp_path: Path, case: str
) -> None:
    text, line, field, words = broken_copies(cafod_text(shared_data))[case]
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        import_file(settings, "iati-activities", path)
    error = caught.value
    assert words in error.message
    assert error.location.line == line
    assert error.location.field == field
    assert str(path) in error.message
    assert stored(settings) == (0, 0)  # nothing half-written, not even the dataset


def test_an_error_late_in_the_file_leaves_the_earlier_import_as_it_was(
    settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    import_file(settings, "iati-activities", activity_file(shared_data, CAFOD))
    text = cafod_text(shared_data).replace("analysies", "analysis", 1)
    last_value = text.rindex("</value>")
    text = text[:last_value] + "abc" + text[last_value:]  # the last transaction's value
    with pytest.raises(InputError, match="not a number"):
        import_file(settings, "iati-activities", write(tmp_path, text))
    assert stored(settings) == (57, 1)
    with session_scope(settings.database_url) as s:
        title = s.scalar(
            select(Programme.title).where(Programme.natural_key == "GB-CHC-285776-DRC173")
        )
        assert title is not None and title.startswith("Field-level conflict analysies")


BOMB = """<?xml version="1.0"?>
<!DOCTYPE iati-activities [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY secret SYSTEM "file:///etc/passwd">
]>
<iati-activities version="2.03">
 <iati-activity><iati-identifier>XX-1</iati-identifier><title>&d;&secret;</title></iati-activity>
</iati-activities>
"""


def test_entities_and_dtds_are_refused(sqlite_settings: Settings, tmp_path: Path) -> None:
    path = write(tmp_path, BOMB, "bomb.xml")
    with pytest.raises(InputError, match="declares a DTD") as caught:
        import_file(sqlite_settings, "iati-activities", path)
    assert caught.value.location.line == 1
    assert detect_importer(path) is None  # `rightsdesk load` does not pick it up either
    assert stored(sqlite_settings) == (0, 0)


def run_cli(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        ["--database", settings.database_url, *args],
        env={"RIGHTSDESK_DATA_DIR": str(settings.data_dir), "COLUMNS": "200"},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_the_import_command_answers_in_words(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    text, line, _, _ = broken_copies(cafod_text(shared_data))["bad date"]
    code, output = run_cli(
        sqlite_settings, "import", "iati-activities", str(write(tmp_path, text)), "--no-warm"
    )
    assert code == 65
    assert f"line {line}" in output and "malformed date" in output
    assert "Traceback" not in output
    assert stored(sqlite_settings) == (0, 0)
    code, output = run_cli(
        sqlite_settings,
        "import",
        "--kind",
        "auto",
        str(activity_file(shared_data, CAFOD)),
        "--no-warm",
    )
    assert code == 0, output
    assert "57" in output
    assert stored(sqlite_settings) == (57, 1)


def test_sniff_recognises_exactly_the_iati_files(shared_data: Path) -> None:
    found = {
        path.relative_to(shared_data).as_posix(): importer.kind
        for path in sorted(shared_data.rglob("*.xml"))
        for importer in (get_importer("iati-codelist"), get_importer("iati-activities"))
        if importer.sniff(path)
    }
    assert found == {
        "capacity/iati/activities/cafod-drc-v1.00.xml": "iati-activities",
        "capacity/iati/activities/dfid-drc-v1.01.xml": "iati-activities",
        "capacity/iati/activities/dportal-covid-2020-v2.0x.xml": "iati-activities",
        "capacity/iati/codelists/ActivityStatus.xml": "iati-codelist",
        "capacity/iati/codelists/OrganisationType.xml": "iati-codelist",
        "capacity/iati/codelists/Sector.xml": "iati-codelist",
    }
    for relative, kind in found.items():
        detected = detect_importer(shared_data / relative)
        assert detected is not None and detected.kind == kind


SNIPPET = """<iati-activity xml:lang="fr" default-currency="eur" hierarchy="1">
  <iati-identifier> XM-1 </iati-identifier>
  <title><narrative>Appui</narrative><narrative xml:lang="EN">Support</narrative></title>
  <description type="2"><narrative>Objectives</narrative></description>
  <description type="1"><narrative>General</narrative></description>
  <participating-org role="Accountable" ref="XM-2">Ministry</participating-org>
  <participating-org role="3"><narrative>Agency</narrative></participating-org>
  <activity-date type="2" iso-date="2020-01-02"/>
  <activity-date type="end-planned" iso-date="2021-12-31T00:00:00Z"/>
  <sector vocabulary="DAC-3" code="151" percentage="50">Government</sector>
  <sector vocabulary="7" code="16"/>
  <transaction><transaction-type code="QS"/><value>10.005</value></transaction>
  <transaction><transaction-type code="11"/><value currency="usd">1</value></transaction>
  <budget status="2"><value value-date="2020-01-01">5</value></budget>
  <result><title>R</title><indicator measure="2"><title>I</title>
    <baseline year="2019" value="3"/><target year="2022" value="9"/></indicator></result>
  <document-link><title>No url</title></document-link>
</iati-activity>
"""


def test_the_mappings_of_both_standards_on_a_snippet(tmp_path: Path) -> None:
    element = etree.fromstring(SNIPPET)
    parsed = parse_activity(element, tmp_path / "x.xml", "1.03", {"FR": "FRA"}.get)
    values, parts = parsed.values, parsed.parts
    assert parsed.key == "XM-1"
    assert (values["title"], values["description"]) == ("Support", "General")
    assert (values["default_currency"], values["language"], values["iati_version"]) == (
        "EUR",
        "fr",
        "1.03",
    )
    assert (str(values["actual_start"]), str(values["planned_end"])) == (
        "2020-01-02",
        "2021-12-31",
    )
    assert [(p["role"], p["name"]) for p in parts["participants"]] == [
        ("2", "Ministry"),
        ("3", "Agency"),
    ]
    assert [(s["vocabulary"], s["code"]) for s in parts["sectors"]] == [("2", "151"), ("7", "16")]
    assert [(t["type_code"], str(t["value"]), t["currency"]) for t in parts["transactions"]] == [
        ("9", "10.01", "EUR"),  # 1.0x QS, sale of equity; rounded to cents as PostgreSQL does
        ("11", "1.00", "USD"),
    ]
    assert parts["budgets"][0]["status"] == "2"
    (indicator,) = parts["indicators"]
    assert (indicator["measure"], indicator["baseline_value"], indicator["target_year"]) == (
        "2",
        "3",
        2022,
    )
    assert parts["documents"] == []
    assert parsed.notes == [
        f"line {SNIPPET.count(chr(10), 0, SNIPPET.index('<document-link')) + 1}: "
        "document-links without url skipped"
    ]


def test_a_dtd_after_a_long_prolog_is_refused_too(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    """The head check reads 64 KiB; a DTD after a longer comment is caught by the parser."""
    filler = "<!-- " + "x" * 70000 + " -->\n"
    path = write(tmp_path, BOMB.replace("<!DOCTYPE", filler + "<!DOCTYPE", 1), "late.xml")
    with pytest.raises(InputError, match="declares a DTD"):
        import_file(sqlite_settings, "iati-activities", path)
    assert stored(sqlite_settings) == (0, 0)


def test_load_finds_and_orders_the_iati_files(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    """`rightsdesk load DIR` recognises the IATI files by content and imports the codelists
    first (links to the real files: the open data is never copied)."""
    folder = tmp_path / "data"
    (folder / "a").mkdir(parents=True)
    source = shared_data / "capacity" / "iati"
    (folder / "a" / CAFOD).symlink_to(source / "activities" / CAFOD)
    (folder / "z-ActivityStatus.xml").symlink_to(source / "codelists" / "ActivityStatus.xml")
    (folder / "notes.xml").write_text("<notes><note>not IATI</note></notes>", encoding="utf-8")
    code, output = run_cli(sqlite_settings, "load", str(folder), "--no-warm", "--verbose")
    assert code == 0, output
    assert "notes.xml" not in output
    assert stored(sqlite_settings) == (57, 1)
    # the order the store saw (the table's columns wrap with the terminal's width)
    with session_scope(sqlite_settings.database_url) as s:
        kinds = list(
            s.scalars(
                select(Dataset.kind)
                .where(Dataset.kind.in_(("iati-codelist", "iati-activities")))
                .order_by(Dataset.id)
            )
        )
    assert kinds == ["iati-codelist", "iati-activities"]
