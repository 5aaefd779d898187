"""UPR Info database exports (``sessions-*.csv``): one row per recommendation and recommending
state, with the response, UPR Info's action category and its issues (themes).

The exports come from a classic Mac tool: bare CR line endings and Mac Roman bytes (``\\x8e``
is "é"). The reader accepts UTF-8 first, and Mac Roman only for bare-CR files, so a file
re-saved on another system with a different 8-bit encoding is refused with the line of the
first bad byte rather than imported with garbled names.

The same text often recurs: several states make the same recommendation to one state, and
occasionally one state's recommendation appears twice in the report. The natural key is
therefore (session, state under review, normalised text, recommending state, occurrence): the
occurrence number keeps true duplicates apart while a re-import finds every row again.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.errors import EncodingError, InputError
from rightsdesk.core.importing import (
    ImportContext,
    Importer,
    iter_csv,
    read_text,
    resolve_or_fail,
)
from rightsdesk.monitoring.models import (
    Cluster,
    ClusterMember,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    Response,
    Theme,
)

__all__ = [
    "IMPORTERS",
    "RESPONSES_MAP",
    "RecommendationWriter",
    "UprInfoImporter",
    "UprInfoRow",
    "decode_legacy_text",
    "natural_key",
    "normalise_text",
    "read_upr_info",
    "text_hash",
    "upr_cycle",
]

COLUMNS = (
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
)
REQUIRED = ("To", "Text", "From", "Response", "Action", "Issue", "Session")
RESPONSES_MAP = {
    "accepted": "accepted",
    "supported": "supported",
    "noted": "noted",
    "pending": "pending",
    "": "",
}


@dataclass
class UprInfoRow:
    """One validated row of a UPR Info export; names are raw (resolve them with core.states)."""

    line: int
    to_state: str
    text: str
    from_states: list[str]
    response: str | None  # 'accepted' | 'noted' | 'supported' | 'pending' | None
    action: int | None
    issues: list[str]
    session: int | None
    raw: dict[str, str] = field(default_factory=dict)


def _int_field(value: str, path: Path, line: int, name: str, low: int, high: int) -> int | None:
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise InputError(
            f"{name} must be a whole number from {low} to {high}, not {value!r}",
            file=path,
            line=line,
            field=name,
        )
    return number


def read_upr_info(path: Path, text: str | None = None) -> Iterator[UprInfoRow]:
    """Validated rows of a UPR Info export, in file order (line = physical line).

    Raises InputError naming the file, line and field on the first bad value: a missing
    column, an Action outside 1-5, an unknown Response, a Session that is not a number, an
    empty Text or To, or bytes that are neither UTF-8 nor (for bare-CR files) Mac Roman.
    """
    content = text if text is not None else decode_legacy_text(path)
    for row in iter_csv(path, REQUIRED, text=content):
        to_state = row.get("To")
        if not to_state:
            raise InputError(
                "the state under review is empty", file=path, line=row.line, field="To"
            )
        body = " ".join(html.unescape(row.get("Text")).split())
        if not body:
            raise InputError(
                "the recommendation text is empty", file=path, line=row.line, field="Text"
            )
        response_raw = row.get("Response").casefold()
        if response_raw not in RESPONSES_MAP:
            raise InputError(
                f"unknown response {row.get('Response')!r} (expected Accepted, Noted, "
                "Supported or Pending)",
                file=path,
                line=row.line,
                field="Response",
            )
        # "(Unknown)" (HTML-escaped in the export): the report does not attribute the row
        from_raw = html.unescape(row.get("From"))
        from_states = [s.strip() for s in from_raw.split(";") if s.strip()]
        if from_states in (["(Unknown)"], ["Unknown"]):
            from_states = []
        yield UprInfoRow(
            line=row.line,
            to_state=to_state,
            text=body,
            from_states=from_states,
            response=RESPONSES_MAP[response_raw] or None,
            action=_int_field(row.get("Action"), path, row.line, "Action", 1, 5),
            issues=[i.strip() for i in row.get("Issue").split(",") if i.strip()],
            session=_int_field(row.get("Session"), path, row.line, "Session", 1, 999),
            raw={k: (v or "") for k, v in row.values.items()},
        )


class UprInfoImporter:
    """``rightsdesk import upr-info sessions-1-5.csv``."""

    kind = "upr-info"
    label = "UPR recommendations (UPR Info database export)"
    source = "UPR Info database of UPR recommendations (export by session range)"
    source_url: str | None = "https://www.upr-info.org/database/"
    licence: str | None = "none stated; derived from UPR Info"

    def sniff(self, path: Path) -> bool:
        try:
            head = path.read_bytes()[:2048].decode("mac_roman")
        except OSError:
            return False
        first = head.replace("\r", "\n").split("\n", 1)[0]
        cells = [c.strip().strip('"') for c in first.split(",")]
        return cells[: len(COLUMNS)] == list(COLUMNS) and "Voluntary Pledge" not in head

    def run(self, ctx: ImportContext) -> None:
        path = ctx.path
        content = decode_legacy_text(path)
        rows = list(read_upr_info(path, content))
        writer = RecommendationWriter(ctx, mechanism="UPR", source="UPR Info")
        seen: Counter[tuple[object, ...]] = Counter()
        for row in rows:
            ctx.report.rows_read += 1
            if row.session is None:
                raise InputError("the session is empty", file=path, line=row.line, field="Session")
            to_iso3 = resolve_or_fail(row.to_state, path, row.line, "To")
            from_iso3 = [resolve_or_fail(s, path, row.line, "From") for s in row.from_states]
            base = (
                "UPR",
                row.session,
                to_iso3,
                normalise_text(row.text),
                ",".join(sorted(from_iso3)),
            )
            occurrence = seen[base]
            seen[base] += 1
            writer.write(
                key=natural_key(*base, occurrence),
                text=row.text,
                state_iso3=to_iso3,
                session=row.session,
                cycle=upr_cycle(row.session),
                recommending=from_iso3,
                response=row.response,
                action_category=row.action,
                themes=[("upr-info", issue) for issue in row.issues],
                paragraph=None,
                document_symbol=None,
            )
        ctx.advance(path.stat().st_size)
        writer.finish()


# --- shared by the monitoring importers (UPR Info came first; the others reuse this) -------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORDS = re.compile(r"[^\w]+")


def decode_legacy_text(path: Path) -> str:
    """The file as text: UTF-8, or Mac Roman when the file has bare CR line endings.

    Mac Roman decodes any byte, so it is only tried for files that look like classic Mac
    exports (CR, no LF); anything else must be UTF-8. Control characters (a binary file, a
    truncated copy) are refused too, with their line.
    """
    data = path.read_bytes()
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\r" in data and b"\n" not in data:
            content = data.decode("mac_roman")
        else:
            content = read_text(path)  # raises EncodingError with the line of the bad byte
    bad = _CONTROL.search(content)
    if bad is not None:
        before = content[: bad.start()]
        line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
        raise EncodingError(
            f"control character {bad.group()!r} in the text: not a text export",
            file=path,
            line=line,
        )
    return content


def normalise_text(text: str) -> str:
    """Case, accents, punctuation and spacing do not make two recommendations different."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return _WORDS.sub(" ", text).strip()


def text_hash(text: str) -> str:
    """SHA-1 of the normalised text: the cluster key of identical recommendations."""
    return hashlib.sha1(normalise_text(text).encode("utf-8"), usedforsecurity=False).hexdigest()


def natural_key(*parts: object) -> str:
    """SHA-1 of the identifying parts; texts among them are normalised first."""
    cells = [normalise_text(p) if isinstance(p, str) else str(p) for p in parts]
    joined = "\x1f".join(cells).encode("utf-8")
    return hashlib.sha1(joined, usedforsecurity=False).hexdigest()


def upr_cycle(session: int | None) -> int | None:
    """UPR cycle of a Working Group session: 1-12 first, 13-26 second, 27-40 third, 41-54..."""
    if session is None:
        return None
    if session <= 12:
        return 1
    return 2 + (session - 13) // 14


class RecommendationWriter:
    """Upserts recommendations with their states, response and themes; then their clusters.

    Existing rows are looked up by natural key in chunks (one query per 500 rows, children
    loaded with them), so a first import costs no lookups per row and a re-import compares
    every field and child to report "unchanged" exactly.
    """

    def __init__(self, ctx: ImportContext, mechanism: str, source: str) -> None:
        self.ctx = ctx
        self.mechanism = mechanism
        self.source = source
        self.pending: list[dict[str, object]] = []
        self.hashes: set[str] = set()
        self.moved: list[int] = []
        self.themes: dict[tuple[str, str], Theme] = {
            (t.taxonomy, t.label): t for t in ctx.session.scalars(select(Theme))
        }

    def write(
        self,
        *,
        key: str,
        text: str,
        state_iso3: str,
        session: int | None,
        cycle: int | None,
        recommending: Sequence[str],
        response: str | None,
        action_category: int | None,
        themes: Iterable[tuple[str, str]],
        paragraph: str | None,
        document_symbol: str | None,
        response_source: str | None = None,
    ) -> None:
        """Queue one recommendation; written in chunks (call ``finish`` at the end)."""
        self.pending.append(
            {
                "key": key,
                "values": {
                    "mechanism": self.mechanism,
                    "document_symbol": document_symbol,
                    "paragraph": paragraph,
                    "text": text,
                    "text_hash": text_hash(text),
                    "language": "en",
                    "state_iso3": state_iso3,
                    "cycle": cycle,
                    "session": session,
                    "type": "recommendation",
                    "action_category": action_category,
                },
                "recommending": sorted(set(recommending)),
                "response": response,
                "response_source": response_source or self.source,
                "themes": list(dict.fromkeys(themes)),
            }
        )
        if len(self.pending) >= 500:
            self._flush()

    def _theme(self, taxonomy: str, label: str) -> Theme:
        theme = self.themes.get((taxonomy, label))
        if theme is None:
            theme = Theme(taxonomy=taxonomy, label=label)
            self.ctx.session.add(theme)
            self.themes[(taxonomy, label)] = theme
        return theme

    def _flush(self) -> None:
        if not self.pending:
            return
        session = self.ctx.session
        keys = [str(p["key"]) for p in self.pending]
        stmt = (
            select(Recommendation)
            .where(Recommendation.natural_key.in_(keys))
            .options(
                selectinload(Recommendation.recommending_states),
                selectinload(Recommendation.responses),
                selectinload(Recommendation.themes).selectinload(RecommendationTheme.theme),
            )
        )
        existing = {r.natural_key: r for r in session.scalars(stmt)}
        for item in self.pending:
            values = dict(item["values"])  # type: ignore[call-overload]
            before = existing.get(str(item["key"]))
            if before is not None and before.text_hash != values["text_hash"]:
                self.moved.append(before.id)  # its text changed: leave its old cluster
            rec, outcome = self.ctx.upsert(
                existing.get(str(item["key"])),
                Recommendation,
                {"natural_key": item["key"]},
                values,
            )
            self.hashes.add(str(values["text_hash"]))
            children_changed = self._children(rec, item)
            if children_changed and outcome == "unchanged":
                self.ctx.report.unchanged -= 1
                self.ctx.report.count("updated")
                rec.dataset_id = self.ctx.dataset.id
        self.pending.clear()
        session.flush()

    def _children(self, rec: Recommendation, item: dict[str, object]) -> bool:
        changed = False
        wanted = list(item["recommending"])  # type: ignore[call-overload]
        have = sorted(s.iso3 for s in rec.recommending_states)
        if have != wanted:
            rec.recommending_states = [RecommendingState(iso3=i) for i in wanted]
            changed = True
        response = item["response"]
        source = str(item["response_source"])
        current = next((r for r in rec.responses if r.source == source), None)
        if response is None and current is not None:
            rec.responses.remove(current)
            changed = True
        elif response is not None and current is None:
            rec.responses.append(Response(response=str(response), source=source))
            changed = True
        elif current is not None and current.response != response:
            current.response = str(response)
            changed = True
        wanted_themes = [self._theme(t, lab) for t, lab in item["themes"]]  # type: ignore[attr-defined]
        taxonomies = {t.taxonomy for t in wanted_themes}
        imported = [
            rt
            for rt in rec.themes
            if rt.origin == "human" and rt.reviewed_by is None and rt.theme.taxonomy in taxonomies
        ]
        have_ids = {id(rt.theme) for rt in rec.themes}
        for theme in wanted_themes:
            if id(theme) not in have_ids:
                rec.themes.append(RecommendationTheme(theme=theme, origin="human"))
                changed = True
        wanted_ids = {id(t) for t in wanted_themes}
        for rt in imported:
            if id(rt.theme) not in wanted_ids:
                rec.themes.remove(rt)
                changed = True
        return changed

    def finish(self) -> None:
        """Write what is queued, then group the touched texts into clusters."""
        self._flush()
        for start in range(0, len(self.moved), 500):
            self.ctx.session.execute(
                delete(ClusterMember).where(
                    ClusterMember.recommendation_id.in_(self.moved[start : start + 500])
                )
            )
        update_clusters(self.ctx.session, self.hashes)


def update_clusters(session: Session, hashes: Iterable[str]) -> int:
    """Make sure every text hash shared by two or more recommendations has its cluster.

    Returns the number of memberships added. Idempotent: a second call adds nothing.
    """
    wanted = sorted(set(hashes))
    added = 0
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(Recommendation.text_hash, Recommendation.id, Recommendation.text)
            .where(Recommendation.text_hash.in_(chunk))
            .order_by(Recommendation.id)
        ).all()
        groups: dict[str, list[tuple[int, str]]] = {}
        for h, rid, text in rows:
            groups.setdefault(h, []).append((rid, text))
        groups = {h: g for h, g in groups.items() if len(g) > 1}
        if not groups:
            continue
        clusters = {
            c.key: c for c in session.scalars(select(Cluster).where(Cluster.key.in_(groups)))
        }
        members = set(
            session.scalars(
                select(ClusterMember.recommendation_id).where(
                    ClusterMember.recommendation_id.in_(
                        [rid for g in groups.values() for rid, _ in g]
                    )
                )
            )
        )
        for h, group in groups.items():
            cluster = clusters.get(h)
            if cluster is None:
                cluster = Cluster(key=h, label=group[0][1][:300])
                session.add(cluster)
                session.flush()
            for rid, _ in group:
                if rid not in members:
                    session.add(ClusterMember(cluster_id=cluster.id, recommendation_id=rid))
                    added += 1
    session.flush()
    return added


IMPORTERS: list[Importer] = [UprInfoImporter()]
