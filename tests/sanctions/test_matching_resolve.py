"""Collective resolution of entity pairs (``matching.resolve``, ``match-entities``).

Each rule has its own small case built with the followthemoney library (linked through a
third record, held apart by a conflict with a third, ambiguous between two); a file whose
records each appear once is decided exactly as pair by pair; and on the Senzing truth set the
command resolves the pairs that no pair alone can decide.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path
from typing import Any

from followthemoney import model
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.sanctions.matching import DEFAULT_THRESHOLD, prepare
from rightsdesk.sanctions.matching.entity import query_from_ftm
from rightsdesk.sanctions.matching.resolve import HELD_APART, Resolution, resolve_pairs

ROOT = Path(__file__).resolve().parents[2]


def person(entity_id: str, **props: list[str]) -> dict[str, Any]:
    proxy = model.make_entity("Person")
    proxy.id = entity_id
    for prop, values in props.items():
        proxy.add(prop, values)
    return proxy.to_dict()


def decide(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[Resolution]:
    return resolve_pairs(
        [
            (a["id"], prepare(query_from_ftm(a)), b["id"], prepare(query_from_ftm(b)))
            for a, b in pairs
        ]
    )


def test_a_record_is_linked_through_a_third() -> None:
    # Edward Kusha and Eddie Knight share a social-security number; Eddie Knight and Ed Knight
    # a birth date and a house. Ed Knight vs Edward Kusha alone: another surname, no link.
    edward = person("e1", firstName=["Edward"], lastName=["Kusha"], birthDate=["1970-03-01"],
                    socialSecurityNumber=["294-66-9999"])  # fmt: skip
    eddie = person("e2", firstName=["Eddie"], lastName=["Knight"], birthDate=["1970-03-01"],
                   socialSecurityNumber=["294669999"],
                   address=["160 Brenville Pl, San Francisco"])  # fmt: skip
    ed = person("e3", firstName=["Ed"], lastName=["Knight"], birthDate=["1970-03-01"],
                address=["160 Brenville Place, San Francisco"])  # fmt: skip
    linked, direct, near = decide([(edward, ed), (edward, eddie), (eddie, ed)])
    assert linked.pair_score < DEFAULT_THRESHOLD
    assert linked.match and linked.score >= DEFAULT_THRESHOLD
    assert linked.reason == "linked through other records"
    assert direct.match and near.match and direct.reason == near.reason == "pair"


def test_a_conflict_with_a_third_record_holds_a_pair_apart() -> None:
    # Robbie Smith holds the driving licence of Robert Smith Sr, born 1954: he is not the
    # Robert Smith born 1978, though names and street agree.
    junior = person("j", firstName=["Robert"], lastName=["Smith"], birthDate=["1978-12-11"],
                    address=["123 Main Street, Las Vegas NV 89132"])  # fmt: skip
    robbie = person("r", firstName=["Robbie"], lastName=["Smith"], idNumber=["112233"],
                    address=["123 Main St, Las Vegas, NV 89132"])  # fmt: skip
    senior = person("s", firstName=["Robert"], lastName=["Smith"], birthDate=["1954-03-31"],
                    idNumber=["112233"])  # fmt: skip
    robbie_junior, robbie_senior, _ = decide([(junior, robbie), (robbie, senior), (junior, senior)])
    assert robbie_junior.pair_score >= DEFAULT_THRESHOLD
    assert not robbie_junior.match and robbie_junior.score <= HELD_APART
    assert "held apart" in robbie_junior.reason and "1954-03-31" in robbie_junior.reason
    assert robbie_senior.match


def test_a_record_matching_two_different_people_is_ambiguous() -> None:
    # Father and son at one address; a record with the name and the address only.
    address = ["3212 W 32nd St, Palm Harbor, FL"]
    father = person("f", name=["John Smith"], birthDate=["1970-10-10"], address=address)
    son = person("s", name=["John Smith"], birthDate=["1990-03-15"], address=address)
    unknown = person("u", name=["John Smith"], address=address)
    again = person("u2", name=["John Smith"], gender=["male"], address=address)
    got = decide([(father, unknown), (son, unknown), (father, son), (unknown, again)])
    assert [r.match for r in got] == [False, False, False, True]
    assert all(r.pair_score == 1.0 for r in got[:2])
    assert got[0].reason.startswith("ambiguous")


def test_the_name_alone_links_nothing_through_it() -> None:
    # Two organisations each alike in name to a third, with nothing else known: each pair
    # stands on its own, but the first is not thereby the last (a chain of names is how
    # "Al-Qaida" would become "Al-Qaida in Iraq" and then "Islamic State in Iraq").
    def org(entity_id: str, name: str) -> dict[str, Any]:
        proxy = model.make_entity("Organization")
        proxy.id = entity_id
        proxy.add("name", name)
        return proxy.to_dict()

    a, b, c = (
        org("a", "Golden Star Trading"),
        org("b", "Golden Star Shipping Trading"),
        org("c", "Star Shipping"),
    )
    ab, bc, ac = decide([(a, b), (b, c), (a, c)])
    assert ab.match and bc.match and ab.reason == bc.reason == "pair"
    assert ac.pair_score < DEFAULT_THRESHOLD and not ac.match


def test_one_id_on_both_sides_is_decided_by_the_pair() -> None:
    a = person("same", name=["Maria Sentosa"], birthDate=["1973-11-12"])
    b = person("same", name=["Peter Okello"], birthDate=["1950-01-01"])
    (got,) = decide([(a, b)])
    assert not got.match and got.score == got.pair_score and got.reason == "pair"


def test_records_seen_once_are_decided_pair_by_pair(shared_data: Path) -> None:
    pairs = senzing_pairs(shared_data)
    calls: list[tuple[int, int]] = []
    alone = resolve_pairs(
        [
            (f"{a['id']}#{n}", prepare(query_from_ftm(a)), f"{b['id']}#{n}",
             prepare(query_from_ftm(b)))
            for n, (_, a, b, _) in enumerate(pairs)
        ],
        progress=lambda done, total: calls.append((done, total)),
    )  # fmt: skip
    assert calls[-1] == (len(pairs), len(pairs)) and calls == sorted(calls)
    assert all(r.reason == "pair" and r.score == r.pair_score for r in alone)
    assert [r.match for r in alone] == [r.pair_score >= DEFAULT_THRESHOLD for r in alone]


Pairs = list[tuple[str, dict[str, Any], dict[str, Any], bool]]


def benchmark_module(name: str) -> Any:
    """A module of ``benchmarks/`` (the labelled sets are built there, once for both)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def senzing_pairs(shared_data: Path) -> Pairs:
    """The labelled pairs the benchmark builds from the Senzing truth set."""
    module = benchmark_module("sanctions_senzing_pairs")
    pairs: Pairs = module.entity_pairs(shared_data / "sanctions/name-matching/senzing-demo")
    return pairs


def test_resolution_helps_on_pairs_labelled_by_the_un(shared_data: Path) -> None:
    # Two versions of the UN list, the same DATAID = one listing: labels nobody tuned on.
    pairs: Pairs = benchmark_module("sanctions_un_version_pairs").version_pairs(
        shared_data / "sanctions/un"
    )
    labels = [y for *_, y in pairs]
    got = decide([(a, b) for _, a, b, _ in pairs])
    resolved = f1([r.match for r in got], labels)
    alone = f1([r.pair_score >= DEFAULT_THRESHOLD for r in got], labels)
    assert len(pairs) > 1000 and sum(labels) > 800
    assert resolved >= alone >= 0.95
    changed = [(r.match, y) for r, y in zip(got, labels, strict=True) if r.reason != "pair"]
    assert sum(m == y for m, y in changed) > len(changed) / 2


def f1(predicted: list[bool], labels: list[bool]) -> float:
    tp = sum(p and y for p, y in zip(predicted, labels, strict=True))
    wrong = sum(p != y for p, y in zip(predicted, labels, strict=True))
    return 2 * tp / (2 * tp + wrong)


def test_match_entities_resolves_the_senzing_truth_set(shared_data: Path, tmp_path: Path) -> None:
    pairs = senzing_pairs(shared_data)
    source, out = tmp_path / "pairs.jsonl", tmp_path / "out.csv"
    source.write_text(
        "".join(json.dumps({"id": p, "left": a, "right": b}) + "\n" for p, a, b, _ in pairs),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["sanctions", "match-entities", str(source), "-o", str(out), "--explain"]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["id", "score", "match", "pair_score", "resolution"]
        got = list(reader)
    labels = [y for *_, y in pairs]
    resolved = [r["match"] == "true" for r in got]
    alone = [float(r["pair_score"]) >= DEFAULT_THRESHOLD for r in got]
    assert [r["id"] for r in got] == [p for p, *_ in pairs]
    assert resolved == [float(r["score"]) >= DEFAULT_THRESHOLD for r in got]
    # Every pair the other records decided differently from the pair alone is right.
    changed = [i for i, (a, b) in enumerate(zip(alone, resolved, strict=True)) if a != b]
    assert len(changed) >= 15
    assert all(resolved[i] == labels[i] for i in changed)
    assert f1(resolved, labels) > f1(alone, labels) + 0.05
    # --pairwise gives the pair-alone decisions under the contract's three columns.
    result = CliRunner().invoke(
        app, ["sanctions", "match-entities", str(source), "-o", str(out), "--pairwise"]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["id", "score", "match"]
        assert [r["match"] == "true" for r in reader] == alone


def test_records_without_ids_are_known_by_their_content(shared_data: Path, tmp_path: Path) -> None:
    # The same record on several lines without an "id" is still one record.
    pairs = senzing_pairs(shared_data)
    source, out = tmp_path / "pairs.jsonl", tmp_path / "out.csv"
    lines = []
    for p, a, b, _ in pairs:
        left = {k: v for k, v in a.items() if k != "id"}
        right = {k: v for k, v in b.items() if k != "id"}
        lines.append(json.dumps({"id": p, "left": left, "right": right}) + "\n")
    source.write_text("".join(lines), encoding="utf-8")
    result = CliRunner().invoke(app, ["sanctions", "match-entities", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        resolved = [r["match"] == "true" for r in csv.DictReader(fh)]
    labels = [y for *_, y in pairs]
    assert f1(resolved, labels) > 0.95
