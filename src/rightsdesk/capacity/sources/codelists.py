"""IATI codelists (``Sector.xml``, ``OrganisationType.xml``, ``ActivityStatus.xml``, ...) as
reference data: ``rightsdesk import iati-codelist Sector.xml``.

A codelist file is ``<codelist name="Sector">`` with ``<codelist-item status="...">`` entries
holding ``code``, ``name``, ``description`` (2.0x narratives: the English one is kept) and, for
sectors, ``category`` (the DAC 3-digit group). The codelist's name comes from the root's
``name`` attribute; the natural key of an item is (codelist, code), so a newer release of a
codelist updates names and marks withdrawn codes, and never deletes a code (activities
published years ago still use withdrawn ones).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from sqlalchemy import select

from rightsdesk.capacity.models import CodelistItem
from rightsdesk.capacity.sources.iati_parse import XmlStream, local, narrative, root_name
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext

__all__ = ["CodelistImporter"]


class CodelistImporter:
    """One IATI codelist file (XML, the format of the IATI codelists repository)."""

    kind = "iati-codelist"
    label = "IATI codelist (XML: Sector, OrganisationType, ActivityStatus, ...)"
    source = "IATI Standard codelists"
    source_url: str | None = "https://iatistandard.org/en/iati-standard/203/codelists/"
    licence: str | None = "CC BY 4.0"

    def sniff(self, path: Path) -> bool:
        return root_name(path) == "codelist"

    def run(self, ctx: ImportContext) -> None:
        path = ctx.path
        stream = XmlStream(path, ctx.advance)
        name: str | None = None
        existing: dict[str, CodelistItem] = {}
        seen: dict[str, int] = {}
        for element in stream:
            if name is None:
                root = stream.root
                if root is None or local(root) != "codelist":
                    raise InputError("not an IATI codelist (root is not <codelist>)", file=path)
                name = (root.get("name") or "").strip()
                if not name:
                    raise InputError(
                        "the <codelist> element has no name attribute",
                        file=path,
                        line=root.sourceline,
                        field="name",
                    )
                stmt = select(CodelistItem).where(CodelistItem.codelist == name)
                existing = {item.code: item for item in ctx.session.scalars(stmt)}
            if local(element) != "codelist-items":
                continue
            for item in element:
                if local(item) != "codelist-item":
                    continue
                self._item(ctx, name, item, existing, seen)
        if name is None:
            raise InputError("the codelist has no items", file=path)

    def _item(
        self,
        ctx: ImportContext,
        codelist: str,
        item: etree._Element,
        existing: dict[str, CodelistItem],
        seen: dict[str, int],
    ) -> None:
        path = ctx.path
        line = item.sourceline
        ctx.report.rows_read += 1
        fields = {local(child): child for child in item}
        code = (fields["code"].text or "").strip() if "code" in fields else ""
        if not code:
            raise InputError("a codelist item has no code", file=path, line=line, field="code")
        if code in seen:
            raise InputError(
                f"code {code!r} appears twice (first on line {seen[code]})",
                file=path,
                line=line,
                field="code",
            )
        seen[code] = line or 0
        label = narrative(fields.get("name"), "en")
        if not label:
            raise InputError(f"code {code!r} has no name", file=path, line=line, field="name")
        category = fields["category"].text if "category" in fields else None
        values = {
            "name": label[:300],
            "description": narrative(fields.get("description"), "en"),
            "category": (category or "").strip()[:20] or None,
            "withdrawn": (item.get("status") or "").strip().lower() == "withdrawn",
        }
        ctx.upsert(
            existing.get(code), CodelistItem, {"codelist": codelist, "code": code[:20]}, values
        )
