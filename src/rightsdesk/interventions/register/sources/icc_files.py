"""Reading the ABA ICC project's files: markdown with YAML front matter, one folder per record
type (``_situations``, ``_cases``, ``_accuseds``, ``_cases-charges``, ``_cases-events``,
``_countries``). ``_defaults.md`` in each folder is the site's template, not a record.

Charges are read from the "### Charges" part of a ``_cases-charges`` file: each quoted line
"> Murder (Crime against Humanity): Article 7(1)(a)" is one charge; files that describe the
charges in prose ("... a war crime under Article 8(2)(e)(iv)") give one charge per crime type
named. Every error names the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import read_text

FOLDERS = ("_situations", "_cases", "_accuseds", "_cases-charges", "_cases-events", "_countries")


@dataclass
class MdFile:
    """One record: its folder, slug (file stem), front matter and body."""

    folder: str
    slug: str
    path: Path
    meta: dict[str, Any]
    body: str


@dataclass
class Tree:
    """All records of an ABA ICC tree, by folder and slug."""

    root: Path
    records: dict[str, dict[str, MdFile]] = field(default_factory=dict)

    def folder(self, name: str) -> dict[str, MdFile]:
        return self.records.get(name, {})


def root_of(path: Path) -> Path | None:
    """The tree a file belongs to: its folder's parent, when the folder is one of ours."""
    if path.parent.name in FOLDERS:
        return path.parent.parent
    return None


def tree_files(root: Path) -> list[Path]:
    """Every record file of a tree, sorted (what an import reads and checksums)."""
    return sorted(p for name in FOLDERS for p in (root / name).glob("*.md") if p.is_file())


def read_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """(front matter, body) of one file; an InputError naming the file and line if the
    front matter is missing, unterminated or not a YAML mapping."""
    text = read_text(path).lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise InputError("no YAML front matter (the file must start with ---)", file=path, line=1)
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise InputError("the front matter is not closed by ---", file=path, line=1) from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"malformed YAML front matter: {problem}", file=path, line=line) from exc
    if not isinstance(meta, dict):
        raise InputError("the front matter is not a set of key: value lines", file=path, line=2)
    return meta, "\n".join(lines[end + 1 :])


def read_tree(root: Path) -> Tree:
    """Every record of the tree (``_defaults.md`` templates and unpublished ones left out)."""
    tree = Tree(root)
    for path in tree_files(root):
        if path.name == "_defaults.md":
            continue
        meta, body = read_front_matter(path)
        if meta.get("published") is False and path.parent.name != "_countries":
            continue
        tree.records.setdefault(path.parent.name, {})[path.stem] = MdFile(
            path.parent.name, path.stem, path, meta, body
        )
    if not tree.folder("_situations") or not tree.folder("_cases"):
        raise InputError("not an ABA ICC tree: no _situations or _cases records", file=root)
    return tree


def text(meta: dict[str, Any], name: str) -> str:
    """A front-matter value as trimmed text ("" for none)."""
    value = meta.get(name)
    return "" if value is None else str(value).strip()


def date_of(record: MdFile, name: str) -> dt.date | None:
    """A front-matter date (YAML date, datetime or ISO text), or an error naming the file."""
    value = record.meta.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(
            f"malformed date {value!r} (expected YYYY-MM-DD)", file=record.path, field=name
        ) from None


# --- charges --------------------------------------------------------------------------------

_TYPES = {
    "genocide": "genocide",
    "crime against humanity": "crimes-against-humanity",
    "crimes against humanity": "crimes-against-humanity",
    "war crime": "war-crimes",
    "war crimes": "war-crimes",
    "offense against the administration of justice": "administration-of-justice",
    "offence against the administration of justice": "administration-of-justice",
}
_LINE = re.compile(
    r"^>\s*(?P<crime>.+?)\s*\((?P<type>genocide|crimes? against humanity|war crimes?|"
    r"offen[cs]e against the administration of justice)\)\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"Articles?\s+(\d+(?:\([0-9a-z]+\))*)", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")


def _clean(value: str) -> str:
    value = _LINK.sub(r"\1", value).replace("&nbsp;", " ").replace("\\-", "-")
    return " ".join(value.replace("*", "").split()).strip(" :")


def parse_charges(record: MdFile) -> list[tuple[str, str, str | None]]:
    """(crime type, crime, article) of each charge in a charges file, without repeats."""
    part = record.body.split("### Charges", 1)[-1]
    out: list[tuple[str, str, str | None]] = []
    for line in part.splitlines():
        found = _LINE.match(_clean_quote(line))
        if not found:
            continue
        article = _ARTICLE.search(found.group("rest"))
        item = (
            _TYPES[found.group("type").lower()],
            _clean(found.group("crime"))[:300],
            article.group(1) if article else None,
        )
        if item not in out:
            out.append(item)
    if out:
        return out
    prose = _clean(part).lower()
    for words, kind in _TYPES.items():
        if words in prose and all(k != kind for k, _, _ in out):
            out.append((kind, "as described in the source's text", None))
    if "article 70" in prose and all(k != "administration-of-justice" for k, _, _ in out):
        out.append(("administration-of-justice", "as described in the source's text", "70"))
    return out


def _clean_quote(line: str) -> str:
    line = line.strip()
    return "> " + _clean(line[1:]) if line.startswith(">") else line
