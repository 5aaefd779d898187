"""The two matching command-line contracts: ``match-pairs`` and ``match-entities``.

Other tools rely on the exact output columns, so the tests read the output with ``csv`` and
compare headers literally; bad input must exit 65 (66 for a missing file) with the file and
line in the message and no traceback.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from followthemoney import model
from typer.testing import CliRunner, Result

from rightsdesk.cli import app
from rightsdesk.sanctions.matching import DEFAULT_THRESHOLD


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["sanctions", *args])


def rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def test_match_pairs_adds_a_score_to_every_row(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "sanctions/name-matching/nomenklatura-name-bench-cases.csv"
    out = tmp_path / "scored.csv"
    result = run("match-pairs", str(source), "--output", str(out))
    assert result.exit_code == 0, result.output
    in_header, in_rows = rows(source)
    header, got = rows(out)
    assert header == [*in_header, "score"]
    assert len(got) == len(in_rows) == 826
    assert [r["name1"] for r in got] == [r["name1"] for r in in_rows]
    scores = [float(r["score"]) for r in got]
    assert all(0.0 <= s <= 1.0 for s in scores)
    # The scores separate the labels: most true pairs above the threshold, most false below.
    hits = [s >= DEFAULT_THRESHOLD for s in scores]
    truth = [r["is_match"] == "true" for r in got]
    agree = sum(h == t for h, t in zip(hits, truth, strict=True)) / len(got)
    assert agree > 0.8


def entity(schema: str, entity_id: str, **props: list[str]) -> dict[str, object]:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, values in props.items():
        proxy.add(prop, values)
    return proxy.to_dict()


def test_match_entities_writes_id_score_match(tmp_path: Path) -> None:
    putin = entity("Person", "a", name=["Vladimir Putin"], birthDate=["1952-10-07"])
    pairs = [
        {"id": "same", "left": putin, "right": entity(
            "Person", "b", name=["Путин Владимир Владимирович"], birthDate=["1952-10-07"],
            nationality=["ru"])},
        {"id": "other-date", "left": putin, "right": entity(
            "Person", "c", name=["Vladimir Putin"], birthDate=["1980-01-01"])},
        {"id": "company", "left": entity("Company", "d", name=["Gazprom PJSC"]),
         "right": entity("Company", "e", name=["ПАО Газпром"], alias=["Gazprom"])},
        {"id": "parts", "left": entity("Person", "f", firstName=["John"], lastName=["Smith"]),
         "right": entity("Person", "g", name=["Smith, John"])},
    ]  # fmt: skip
    source = tmp_path / "pairs.jsonl"
    source.write_text("\n".join(json.dumps(p) for p in pairs) + "\n\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("match-entities", str(source), "--output", str(out))
    assert result.exit_code == 0, result.output
    header, got = rows(out)
    assert header == ["id", "score", "match"]
    by_id = {r["id"]: r for r in got}
    assert [r["id"] for r in got] == ["same", "other-date", "company", "parts"]
    assert by_id["same"]["match"] == "true" and by_id["company"]["match"] == "true"
    assert by_id["parts"]["match"] == "true"
    assert by_id["other-date"]["match"] == "false"
    for r in got:
        assert (float(r["score"]) >= DEFAULT_THRESHOLD) == (r["match"] == "true")


def test_missing_column_exits_65_naming_it(tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    source.write_text("schema,name1\nPerson,John Smith\n", encoding="utf-8")
    result = run("match-pairs", str(source), "--output", str(tmp_path / "o.csv"))
    assert result.exit_code == 65
    assert "name2" in result.output and "pairs.csv" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert not (tmp_path / "o.csv").exists()


def test_a_short_or_long_row_exits_65_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    for bad in ("Person,John Smith", "Person,A,B,C"):
        source.write_text(f"schema,name1,name2\nPerson,A,B\n{bad}\n", encoding="utf-8")
        result = run("match-pairs", str(source), "--output", str(tmp_path / "o.csv"))
        assert result.exit_code == 65 and "pairs.csv, line 3" in result.output


def test_malformed_json_line_exits_65_with_file_and_line(tmp_path: Path) -> None:
    good = {"id": "1", "left": entity("Person", "a", name=["A B"]),
            "right": entity("Person", "b", name=["A B"])}  # fmt: skip
    source = tmp_path / "pairs.jsonl"
    source.write_text(json.dumps(good) + '\n{"id": "2", "left": \n', encoding="utf-8")
    result = run("match-entities", str(source), "--output", str(tmp_path / "o.csv"))
    assert result.exit_code == 65
    assert "pairs.jsonl, line 2" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o.csv").exists()


def test_entity_without_schema_or_with_bad_properties_exits_65(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    bads: list[dict[str, object]] = [
        {"properties": {}},
        {"schema": "Person", "properties": {"name": [3]}},
    ]
    for bad in bads:
        line = {"id": "x", "left": bad, "right": {"schema": "Person", "properties": {}}}
        source.write_text(json.dumps(line) + "\n", encoding="utf-8")
        result = run("match-entities", str(source), "--output", str(tmp_path / "o.csv"))
        assert result.exit_code == 65, result.output
        assert "line 1" in result.output
    missing = {"id": "x", "left": {"schema": "Person", "properties": {}}}
    source.write_text(json.dumps(missing) + "\n", encoding="utf-8")
    result = run("match-entities", str(source), "--output", str(tmp_path / "o.csv"))
    assert result.exit_code == 65 and "right" in result.output


def test_missing_file_exits_66_and_bad_encoding_65(tmp_path: Path) -> None:
    result = run("match-pairs", str(tmp_path / "nope.csv"), "--output", str(tmp_path / "o.csv"))
    assert result.exit_code == 66
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("schema,name1,name2\nPerson,Müller,Mueller\n".encode("latin-1"))
    result = run("match-pairs", str(latin1), "--output", str(tmp_path / "o.csv"))
    assert result.exit_code == 65 and "line 2" in result.output
