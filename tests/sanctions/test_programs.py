"""The programme registry: the 261 OpenSanctions programme files, the human-rights flag,
resolving a list's own programme codes to registry keys, and re-mapping stored designations
when the registry arrives after the lists."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.forms import detect_importer
from rightsdesk.sanctions.models import Designation, SanctionProgram
from rightsdesk.sanctions.programs import (
    UN_LIST_TYPES,
    ProgramResolver,
    program_resolver,
    resolve_program,
)
from rightsdesk.sanctions.sources.programs_yaml import (
    HUMAN_RIGHTS_KEYS,
    ParsedProgram,
    is_human_rights,
    parse_program_file,
    program_files,
)
from rightsdesk.sanctions.sources.registry import ProgramRegistryImporter
from tests.sanctions.conftest import import_file

#: what the rule flags among the 2026 files, each checked by reading its title and summary
FLAGGED_2026 = {
    "AU-HUMAN",
    "CA-JVCFOA",
    "EU-HR",
    "GB-HR",
    "US-GLOMAG",
    "US-MAGNITSKY",
    "US-UFLPA",
}


def programs_dir(shared_data: Path) -> Path:
    return shared_data / "sanctions" / "opensanctions-programs"


@pytest.fixture(scope="module")
def parsed(shared_data: Path) -> list[ParsedProgram]:
    return [parse_program_file(p) for p in program_files(programs_dir(shared_data))]


def test_every_programme_file_parses(parsed: list[ParsedProgram]) -> None:
    assert len(parsed) == 261
    glomag = next(p for p in parsed if p.key == "US-GLOMAG")
    assert glomag.issuer == "us_ofac" and glomag.dataset == "us_ofac_sdn"
    assert "GLOMAG" in glomag.aliases and glomag.target_territories == ["zz"]
    assert {p.status for p in parsed} == {None, "ended", "legacy"}


def test_human_rights_flag_on_the_real_files(parsed: list[ParsedProgram]) -> None:
    flagged = {p.key for p in parsed if p.human_rights}
    assert flagged == FLAGGED_2026
    # country regimes that mention human rights among other grounds are not flagged
    for key in ("EU-IRN", "US-VEN", "EU-BLR", "UN-SC1591", "OHCHR-BHR"):
        assert key not in flagged


def _program(**kw: object) -> ParsedProgram:
    base: dict[str, object] = {"key": "XX-TEST", "title": "Test", "issuer": "xx_gov"}
    base.update(kw)
    return ParsedProgram(**base)  # type: ignore[arg-type]


def test_human_rights_rule_for_programmes_added_later() -> None:
    thematic = _program(
        summary="Targets persons responsible for serious human rights violations anywhere.",
        target_territories=["zz"],
    )
    country = _program(
        summary="Targets the government of X for human rights abuses and corruption.",
        target_territories=["xx"],
    )
    by_title = _program(title="New Zealand Magnitsky-style sanctions")
    assert is_human_rights(thematic)
    assert not is_human_rights(country)
    assert is_human_rights(by_title)
    assert all(is_human_rights(_program(key=key)) for key in HUMAN_RIGHTS_KEYS)


def test_un_list_types_name_existing_programmes(parsed: list[ParsedProgram]) -> None:
    keys = {p.key: p for p in parsed}
    for list_type, key in UN_LIST_TYPES.items():
        assert key in keys, list_type
        assert keys[key].issuer == "zz_unsc"


def test_resolver_on_codes_lists_write(parsed: list[ParsedProgram]) -> None:
    rows = [
        SanctionProgram(key=p.key, issuer=p.issuer, dataset=p.dataset, aliases=p.aliases)
        for p in parsed
    ]
    r = ProgramResolver.from_programs(rows)
    assert r.resolve("GLOMAG") == "US-GLOMAG"
    assert r.resolve("magnit", "OFAC") == "US-MAGNITSKY"
    assert r.resolve("IRAN-HR", "us_ofac_sdn") == "US-IRAN"
    assert r.resolve("EU-HR") == "EU-HR"
    assert r.resolve("HR", "eu_council") == "EU-HR"
    assert r.resolve("DRC", "un_sc_sanctions") == "UN-SC1533"
    assert r.resolve("Al-Qaida", "UN Security Council") == "UN-SCISIL"
    # the same alias under several issuers: the authority decides, or nothing is guessed
    assert r.resolve("DPRK") is None
    assert r.resolve("DPRK", "us_ofac_sdn") == "US-NK"
    assert r.resolve("DPRK", "UK") == "GB-DPRK"
    assert r.resolve("CAR", "OFAC") == "US-CAR"
    assert r.resolve("CAR", "UN") == "UN-SC2127"
    # two OFAC programmes share the alias; the dataset (SDN vs consolidated) decides
    assert r.resolve("UKRAINE-EO13662", "us_ofac_sdn") == "US-UKRRUS-REL"
    assert r.resolve("UKRAINE-EO13662", "us_ofac_cons") == "US-SSI"
    # the State Department's FTO designations appear on OFAC's list: same jurisdiction
    assert r.resolve("FTO", "us_ofac_sdn") == "US-FTO219"
    # OFAC's executive-order tags find the registry's "EO 13894" alias
    assert r.resolve("SYRIA-EO13894", "OFAC") == "US-SYR-REL"
    # a single candidate of another jurisdiction is refused
    assert r.resolve("GLOMAG", "UN Security Council") is None
    assert r.resolve("NO-SUCH-PROGRAMME") is None
    assert r.resolve("  ") is None


def test_registry_import_and_remap(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    # a list imported before the registry: its designation has no key yet
    ftm = tmp_path / "early.json"
    entity = {"id": "p1", "schema": "Person", "properties": {"name": ["Jane Roe"]}}
    sanction = {
        "id": "s1",
        "schema": "Sanction",
        "properties": {"entity": ["p1"], "program": ["GLOMAG"], "authority": ["OFAC"]},
    }
    for line in (entity, sanction):
        line["datasets"] = ["us_ofac_sdn"]
        line["last_seen"] = "2024-05-03"
    ftm.write_text("\n".join(json.dumps(x) for x in (entity, sanction)) + "\n")
    import_file(settings, "ftm-jsonl", ftm)
    with session_scope(settings.database_url) as session:
        assert session.scalar(select(Designation.program_key)) is None

    first = programs_dir(shared_data) / "AE-UNSC1373.yml"
    report = import_file(settings, "opensanctions-programs", first)
    assert report.inserted == 261 and report.rows_read == 261
    assert any("1 stored designation(s) mapped" in m for m in report.messages)
    with session_scope(settings.database_url) as session:
        assert session.scalar(select(func.count()).select_from(SanctionProgram)) == 261
        flagged = session.scalars(select(SanctionProgram.key).where(SanctionProgram.human_rights))
        assert set(flagged) == FLAGGED_2026
        assert session.scalar(select(Designation.program_key)) == "US-GLOMAG"
        assert resolve_program(session, "GLOMAG") == "US-GLOMAG"
        assert program_resolver(session).resolve("DRC", "un_sc_sanctions") == "UN-SC1533"
    again = import_file(settings, "opensanctions-programs", programs_dir(shared_data) / "EU-HR.yml")
    assert again.skipped_file  # any file names the folder: same checksum, nothing to do


def test_sniff_claims_the_folder_once(shared_data: Path, tmp_path: Path) -> None:
    folder = programs_dir(shared_data)
    claimed = [p.name for p in sorted(folder.iterdir()) if ProgramRegistryImporter().sniff(p)]
    assert claimed == ["AE-UNSC1373.yml"]
    detected = detect_importer(folder / "AE-UNSC1373.yml")
    assert detected is not None and detected.kind == "opensanctions-programs"
    other = tmp_path / "config.yml"
    other.write_text("key: something\ntitle: x\nissuer: y\n")
    assert not ProgramRegistryImporter().sniff(other)  # key is not the file name


def _copy(shared_data: Path, tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "programs"
    folder.mkdir()
    for name in names:
        shutil.copy(programs_dir(shared_data) / name, folder / name)
        (folder / name).chmod(0o644)
    return folder


@pytest.mark.parametrize(
    ("mutate", "field", "message"),
    [
        (lambda t: t.replace("title: Global", "title: [Global"), None, "not readable YAML"),
        (lambda t: t.replace("title: Global Magnitsky Sanctions\n", ""), "title", "missing"),
        (
            lambda t: t.replace("aliases:\n  - EO 13818\n", "aliases: EO 13818\nx:\n"),
            "aliases",
            "a list",
        ),
        (lambda t: t.replace("measures:\n", "measures: freeze\nx:\n"), "measures", "a list"),
        (lambda t: t.replace("key: US-GLOMAG", "key: us glomag"), "key", "malformed"),
    ],
)
def test_malformed_programme_files(
    shared_data: Path, tmp_path: Path, mutate: object, field: str | None, message: str
) -> None:
    folder = _copy(shared_data, tmp_path, ["US-GLOMAG.yml"])
    path = folder / "US-GLOMAG.yml"
    path.write_text(mutate(path.read_text()))  # type: ignore[operator]
    with pytest.raises(InputError) as caught:
        parse_program_file(path)
    assert caught.value.location.file == path
    assert message in caught.value.reason
    if field is not None:
        assert caught.value.location.field == field
    if message != "missing":  # a missing field has no line; every other problem has one
        assert caught.value.location.line is not None


def test_key_must_be_the_file_name(shared_data: Path, tmp_path: Path) -> None:
    folder = _copy(shared_data, tmp_path, ["EU-HR.yml"])
    renamed = folder / "EU-HR2.yml"
    (folder / "EU-HR.yml").rename(renamed)
    with pytest.raises(InputError, match="not the file's name") as caught:
        parse_program_file(renamed)
    assert caught.value.location.field == "key" and caught.value.location.line == 4


def test_malformed_folder_import_changes_nothing(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    folder = _copy(shared_data, tmp_path, ["AU-HUMAN.yml", "EU-HR.yml", "US-GLOMAG.yml"])
    bad = folder / "US-GLOMAG.yml"
    bad.write_text(bad.read_text().replace("issuer: us_ofac", "issuer:"))
    with pytest.raises(InputError, match="issuer"):
        import_file(sqlite_settings, "opensanctions-programs", folder / "AU-HUMAN.yml")
    with session_scope(sqlite_settings.database_url) as session:
        assert session.scalar(select(func.count()).select_from(SanctionProgram)) == 0


def test_a_programme_removed_from_the_folder(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    from rightsdesk.core.importing import ReplaceRefusedError, run_import
    from rightsdesk.forms import get_importer

    folder = _copy(shared_data, tmp_path, ["AU-HUMAN.yml", "EU-HR.yml", "US-GLOMAG.yml"])
    import_file(sqlite_settings, "opensanctions-programs", folder / "EU-HR.yml")
    (folder / "AU-HUMAN.yml").unlink()
    kept = import_file(sqlite_settings, "opensanctions-programs", folder / "EU-HR.yml")
    assert kept.unchanged == 2 and any("kept 1 stored programme" in m for m in kept.messages)
    with pytest.raises(ReplaceRefusedError):  # a third of the registry: not without --yes
        import_file(sqlite_settings, "opensanctions-programs", folder / "EU-HR.yml", replace=True)
    with session_scope(sqlite_settings.database_url) as session:
        report = run_import(
            session,
            get_importer("opensanctions-programs"),
            folder / "EU-HR.yml",
            replace=True,
            yes=True,
        )
        assert report.deleted == 1
        keys = set(session.scalars(select(SanctionProgram.key)))
    assert keys == {"EU-HR", "US-GLOMAG"}
