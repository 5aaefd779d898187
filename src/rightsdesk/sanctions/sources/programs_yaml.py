"""Reading OpenSanctions' programme definitions (one YAML file per sanctions programme) and
deciding which programmes are human-rights regimes.

Each file holds one mapping: ``key`` (``US-GLOMAG``, ``EU-HR``), ``title``, ``issuer``
(``us_ofac``, ``eu_council``), ``dataset``, ``url``, ``summary``, ``aliases`` (the codes and
names the lists themselves use: OFAC ``GLOMAG``, EU ``HR``), ``measures``,
``target_territories`` (FtM country codes; ``zz`` = worldwide) and sometimes ``id`` and
``status``. A file whose name is not its key is refused: the folder is keyed by file name,
and a copy saved under another name would otherwise silently replace a programme.

The human-rights flag
---------------------
A programme is a *human-rights regime* when its purpose is to sanction those responsible
for human rights violations, whatever its issuer calls it. Country regimes that list human
rights abuses among several grounds (the EU's Belarus, Iran or Myanmar regimes, OFAC's
Venezuela programme) are **not** flagged: their designations answer a country situation,
and flagging them would make "human-rights sanctions" mean "most sanctions". The rule:

1. the programmes in ``HUMAN_RIGHTS_KEYS``, chosen by reading every programme whose
   title, summary or aliases mention human rights, torture, forced labour or Magnitsky
   (the reasons are given next to each key); or
2. any other programme whose **title** names human rights violations as its subject
   (``TITLE_PATTERN``: "human rights sanctions", "human rights violations", "global human
   rights", "Magnitsky"), or which is **thematic and worldwide** (``target_territories`` is
   exactly ``zz``) with a summary about human rights violations or abuses
   (``SUMMARY_PATTERN``). This catches a regime added to the folder later (a New Zealand
   or Swiss thematic regime) without catching a country regime that mentions human rights.

On the 261 files of 2026 rule 2 flags nothing beyond rule 1 (it is what rule 1's choices
have in common, written down); the tests check both the list and the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import head_text, read_text

__all__ = [
    "HUMAN_RIGHTS_KEYS",
    "ParsedProgram",
    "first_program_file",
    "is_human_rights",
    "looks_like_program_file",
    "parse_program_file",
    "program_files",
]

#: Programmes flagged by name, each read in full (title, summary, aliases) on 2026-12-02.
HUMAN_RIGHTS_KEYS: dict[str, str] = {
    "US-GLOMAG": "Global Magnitsky: serious human rights abuse (or corruption) anywhere",
    "US-MAGNITSKY": "Magnitsky Act: the detention, torture and death of Sergei Magnitsky, "
    "gross human rights violations against whistleblowers and defenders in Russia",
    "EU-HR": "EU Global Human Rights Sanctions Regime (Regulation (EU) 2020/1998)",
    "GB-HR": "UK Global Human Rights Sanctions Regulations 2020",
    "AU-HUMAN": "Australia's thematic framework on serious violations of human rights",
    "CA-JVCFOA": "Canada's Sergei Magnitsky Law: gross human rights violations (or "
    "significant corruption) by foreign officials",
    "US-UFLPA": "Uyghur Forced Labor Prevention Act entity list: forced labour of Uyghurs "
    "and other persecuted groups is its only ground",
}

TITLE_PATTERN = re.compile(
    r"human rights (sanctions|violations|abuses)|abuses of human rights|global human rights|"
    r"magnitsky",
    re.IGNORECASE,
)
SUMMARY_PATTERN = re.compile(
    r"human rights (violations?|abuses?)|(violations?|abuses?) of human rights", re.IGNORECASE
)

KEY_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,58}$")
REQUIRED = ("key", "title", "issuer")
LIST_FIELDS = ("aliases", "measures", "target_territories")
KNOWN_FIELDS = frozenset(
    {"id", "key", "title", "issuer", "dataset", "url", "summary", "status", *LIST_FIELDS}
)


@dataclass
class ParsedProgram:
    """One programme file, checked."""

    key: str
    title: str
    issuer: str
    dataset: str | None = None
    url: str | None = None
    summary: str | None = None
    status: str | None = None  # "ended" or "legacy" for a few; None = in force
    aliases: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    target_territories: list[str] = field(default_factory=list)
    human_rights: bool = False
    unknown_fields: list[str] = field(default_factory=list)  # kept nowhere; noted


def is_human_rights(program: ParsedProgram) -> bool:
    """Whether ``program`` is a human-rights regime (the rule in this module's docstring)."""
    if program.key in HUMAN_RIGHTS_KEYS:
        return True
    if TITLE_PATTERN.search(program.title):
        return True
    worldwide = program.target_territories == ["zz"]
    return worldwide and bool(SUMMARY_PATTERN.search(program.summary or ""))


def looks_like_program_file(path: Path) -> bool:
    """A ``.yml`` file whose top-level ``key:`` is its own name and which names an issuer:
    cheap enough for ``sniff`` and precise enough not to claim other forms' YAML."""
    if path.suffix.lower() not in (".yml", ".yaml"):
        return False
    head = head_text(path, size=8192)
    match = re.search(r"^key:\s*['\"]?([A-Za-z0-9-]+)['\"]?\s*$", head, re.MULTILINE)
    return (
        match is not None
        and match.group(1) == path.stem
        and re.search(r"^issuer:\s*\S", head, re.MULTILINE) is not None
        and re.search(r"^title:\s*\S", head, re.MULTILINE) is not None
    )


def program_files(folder: Path) -> list[Path]:
    """The programme files of a folder, sorted by name (the import unit is the folder)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and looks_like_program_file(p))


def first_program_file(folder: Path) -> Path | None:
    """The first programme file of a folder by name (what ``sniff`` accepts), reading only
    as many files as it takes to find it."""
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if looks_like_program_file(path):
            return path
    return None


def parse_program_file(path: Path) -> ParsedProgram:
    """Read and check one programme file; an InputError names the file, line and field."""
    text = read_text(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"not readable YAML ({problem})", file=path, line=line) from exc
    if not isinstance(data, dict):
        raise InputError("expected a mapping of programme fields (key: value)", file=path)
    line_of = _line_finder(text)
    for name in REQUIRED:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise InputError(
                f"missing or empty {name!r}", file=path, line=line_of(name), field=name
            )
    key = data["key"].strip()
    if not KEY_PATTERN.match(key):
        raise InputError(
            f"malformed programme key {key!r} (expected capitals, digits and '-', e.g. US-GLOMAG)",
            file=path,
            line=line_of("key"),
            field="key",
        )
    if key != path.stem:
        raise InputError(
            f"the key {key!r} is not the file's name {path.stem!r}",
            file=path,
            line=line_of("key"),
            field="key",
        )
    lists = {name: _string_list(data.get(name), path, line_of(name), name) for name in LIST_FIELDS}
    program = ParsedProgram(
        key=key,
        title=" ".join(data["title"].split()),
        issuer=data["issuer"].strip(),
        dataset=_optional_text(data.get("dataset"), path, line_of("dataset"), "dataset"),
        url=_optional_text(data.get("url"), path, line_of("url"), "url"),
        summary=_optional_text(data.get("summary"), path, line_of("summary"), "summary"),
        status=_optional_text(data.get("status"), path, line_of("status"), "status"),
        aliases=lists["aliases"],
        measures=lists["measures"],
        target_territories=[t.lower() for t in lists["target_territories"]],
        unknown_fields=sorted(str(k) for k in set(data) - KNOWN_FIELDS),
    )
    program.human_rights = is_human_rights(program)
    return program


def _line_finder(text: str) -> Any:
    lines = text.splitlines()

    def line_of(name: str) -> int | None:
        for number, line in enumerate(lines, start=1):
            if line.startswith(f"{name}:"):
                return number
        return None

    return line_of


def _optional_text(value: object, path: Path, line: int | None, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InputError(f"expected text, found {type(value).__name__}", path, line, name)
    return value.strip() or None


def _string_list(value: object, path: Path, line: int | None, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"expected a list, found {type(value).__name__}", path, line, name)
    out: list[str] = []
    for item in value:
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str):
            raise InputError(f"expected a list of texts, found {item!r}", path, line, name)
        text = " ".join(item.split())
        if text and text not in out:
            out.append(text)
    return out
