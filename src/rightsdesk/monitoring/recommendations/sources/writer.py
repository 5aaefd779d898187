"""Writing recommendations, whatever their source: upsert by natural key with their states,
response and themes, then the clusters of identical texts.

The cleaning of ``sources.cleaning`` happens here, so every source gets it and a re-import
applies it to the rows already stored: the text is repaired (the source's text kept in
``original_text``), the response mapped to the common vocabulary (the source's word kept in
``source_word``) and theme labels evened out and deduplicated within their taxonomy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext
from rightsdesk.monitoring.recommendations.models import (
    RELATIONS,
    Cluster,
    ClusterMember,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    Response,
    Theme,
)
from rightsdesk.monitoring.recommendations.sources.cleaning import (
    clean_label,
    is_repair_of,
    normalise_response,
    repair_text,
)
from rightsdesk.monitoring.recommendations.sources.common import text_hash

__all__ = ["RecommendationWriter", "update_clusters"]


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
        self.seen: dict[str, tuple[int, int | None]] = {}  # key -> (hash of the row, line)
        self.repeated = 0
        # by taxonomy and casefolded label: "Children: Juvenile justice" and "Children:
        # juvenile justice" are one theme (the first spelling stored is kept)
        self.themes: dict[tuple[str, str], Theme] = {}
        for theme in ctx.session.scalars(select(Theme).order_by(Theme.id)):
            self.themes.setdefault((theme.taxonomy, theme.label.casefold()), theme)

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
        line: int | None = None,
    ) -> None:
        """Queue one recommendation; written in chunks (call ``finish`` at the end).

        ``text`` and ``response`` are the source's (the text with its spacing collapsed, the
        response word as written); they are cleaned here. An unknown response word is an
        InputError (importers check it first, with their own field name).

        A file may repeat a recommendation (the same key) only identically: the repeat is
        ignored with a note; a repeat with other contents is an InputError naming both lines,
        since either could be the right one (and two inserts of one key would collide).
        """
        repaired = repair_text(text)
        if not is_repair_of(repaired, text):  # never happens; the raw text wins if it does
            repaired = text
        meaning = normalise_response(response)
        if response and meaning is None:
            raise InputError(
                f"unknown response {response!r}", file=self.ctx.path, line=line, field="Response"
            )
        item: dict[str, object] = {
            "key": key,
            "values": {
                "mechanism": self.mechanism,
                "document_symbol": document_symbol,
                "paragraph": paragraph,
                "text": repaired,
                "original_text": text if repaired != text else None,
                "text_hash": text_hash(repaired),
                "language": "en",
                "state_iso3": state_iso3,
                "cycle": cycle,
                "session": session,
                "type": "recommendation",
                "action_category": action_category,
            },
            "recommending": sorted(set(recommending)),
            "response": meaning,
            "source_word": " ".join(response.casefold().split()) if meaning and response else None,
            "response_source": response_source or self.source,
            "themes": _unique_themes(themes),
        }
        fingerprint = hash(repr(item))
        earlier = self.seen.get(key)
        if earlier is not None:
            if earlier[0] == fingerprint:
                self.repeated += 1
                return
            what = f"paragraph {paragraph}" if paragraph else "this recommendation"
            raise InputError(
                f"{what} appears twice with different contents (first on line {earlier[1]}); "
                "keep one of them",
                file=self.ctx.path,
                line=line,
                field="Recommendation" if paragraph else "Text",
            )
        self.seen[key] = (fingerprint, line)
        self.pending.append(item)
        if len(self.pending) >= 500:
            self._flush()

    def _theme(self, taxonomy: str, label: str) -> Theme:
        theme = self.themes.get((taxonomy, label.casefold()))
        if theme is None:
            theme = Theme(taxonomy=taxonomy, label=label)
            self.ctx.session.add(theme)
            self.themes[(taxonomy, label.casefold())] = theme
        return theme

    def _flush(self) -> None:
        if not self.pending:
            return
        session = self.ctx.session
        keys = [str(p["key"]) for p in self.pending]
        stmt = (
            select(Recommendation).where(Recommendation.natural_key.in_(keys)).options(*RELATIONS)
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
        # no flush here: the changes reach the store together at the end (``finish``), so
        # the write lock is held for the writing only (``run_import``)
        self.pending.clear()

    def _children(self, rec: Recommendation, item: dict[str, object]) -> bool:
        changed = False
        wanted = list(item["recommending"])  # type: ignore[call-overload]
        have = sorted(s.iso3 for s in rec.recommending_states)
        if have != wanted:
            rec.recommending_states = [RecommendingState(iso3=i) for i in wanted]
            changed = True
        response = item["response"]
        word = None if item["source_word"] is None else str(item["source_word"])
        source = str(item["response_source"])
        current = next((r for r in rec.responses if r.source == source), None)
        if response is None and current is not None:
            rec.responses.remove(current)
            changed = True
        elif response is not None and current is None:
            rec.responses.append(Response(response=str(response), source_word=word, source=source))
            changed = True
        elif current is not None and (current.response, current.source_word) != (response, word):
            current.response, current.source_word = str(response), word
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
        self.ctx.session.flush()
        if self.repeated:
            self.ctx.warn(f"{self.repeated} repeated identical recommendation(s) ignored")
        for start in range(0, len(self.moved), 500):
            self.ctx.session.execute(
                delete(ClusterMember).where(
                    ClusterMember.recommendation_id.in_(self.moved[start : start + 500])
                )
            )
        update_clusters(self.ctx.session, self.hashes)


def _unique_themes(themes: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(taxonomy, label) pairs with even spacing, each once per taxonomy whatever its case."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for taxonomy, label in themes:
        cleaned = clean_label(label)
        if cleaned:
            out.setdefault((taxonomy, cleaned.casefold()), (taxonomy, cleaned))
    return list(out.values())


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
