"""``rightsdesk import opensanctions-programs FOLDER/US-GLOMAG.yml``: the programme registry.

The import unit is the **folder** of programme files, named by any file in it: the 261
files are one data set (one Dataset record, one checksum over all of them), and a programme
removed from the folder is removed from the registry only with ``--replace``. So that
``rightsdesk load`` imports the folder once rather than 261 times, only the first
programme file of a folder (by name) is recognised as this format; ``rightsdesk import``
accepts any of them.

After the registry is written every stored designation is re-mapped to registry keys
(``programs.remap_designations``): lists imported before the registry get their keys.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer
from rightsdesk.sanctions.models import SanctionProgram
from rightsdesk.sanctions.programs import remap_designations
from rightsdesk.sanctions.sources.programs_yaml import (
    first_program_file,
    looks_like_program_file,
    parse_program_file,
    program_files,
)

KIND = "opensanctions-programs"


class ProgramRegistryImporter:
    """The OpenSanctions programme registry (a folder of YAML files)."""

    kind = KIND
    label = "Sanctions programme registry (OpenSanctions programme definitions, YAML)"
    source = "OpenSanctions programme definitions (repository opensanctions/opensanctions)"
    source_url: str | None = "https://github.com/opensanctions/opensanctions"
    licence: str | None = "MIT"
    reads_folder = True  # any one file names the whole folder (tests/sanctions/conftest.py)

    def sniff(self, path: Path) -> bool:
        if not looks_like_program_file(path):
            return False
        return first_program_file(path.parent) == path

    def files_read(self, path: Path) -> list[Path]:
        """Every programme file of the folder: the checksum covers them all."""
        return program_files(path.parent) or [path]

    def run(self, ctx: ImportContext) -> None:
        if not looks_like_program_file(ctx.path):
            raise InputError(
                "not an OpenSanctions programme file (a .yml file with top-level 'key:' equal "
                "to its file name, 'title:' and 'issuer:')",
                file=ctx.path,
            )
        parsed = [parse_program_file(path) for path in program_files(ctx.path.parent)]
        ctx.report.rows_read = len(parsed)
        stored = {p.key: p for p in ctx.session.scalars(select(SanctionProgram))}
        for program in parsed:
            values = {
                "title": program.title,
                "issuer": program.issuer,
                "dataset": program.dataset,
                "url": program.url,
                "summary": program.summary,
                "aliases": program.aliases,
                "measures": program.measures,
                "target_territories": program.target_territories,
                "human_rights": program.human_rights,
            }
            ctx.upsert(stored.get(program.key), SanctionProgram, {"key": program.key}, values)
            if program.unknown_fields:
                ctx.warn(f"{program.key}: fields not kept: {', '.join(program.unknown_fields)}")
        ctx.advance(ctx.path.stat().st_size)
        in_file = {q.key for q in parsed}
        missing = [row for key, row in stored.items() if key not in in_file]
        if ctx.may_delete("programme", len(missing), len(stored)):
            for row in missing:
                ctx.session.delete(row)
            ctx.report.deleted += len(missing)
        marked = [f"{p.key} ({p.status})" for p in parsed if p.status]
        if marked:
            ctx.warn(f"status in the files, not stored: {', '.join(marked)}")
        flagged = sorted(p.key for p in parsed if p.human_rights)
        ctx.warn(f"{len(parsed)} programmes; human-rights regimes: {', '.join(flagged) or 'none'}")
        ctx.session.flush()
        remapped = remap_designations(ctx.session)
        if remapped:
            ctx.warn(f"{remapped} stored designation(s) mapped to registry keys")


IMPORTERS: list[Importer] = [ProgramRegistryImporter()]
