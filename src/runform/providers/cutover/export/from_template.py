"""`init --from-template`: read a template from Cutover and write a runbook file copying it."""

from __future__ import annotations

import os
from pathlib import Path

from runform.errors import ResolveError, RunformError
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.export.bootstrap import dump_template_copy
from runform.providers.cutover.export.run import export_defaults, write_file
from runform.providers.cutover.export.slugs import slugify
from runform.providers.cutover.live.fetch import find_template
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.state.shapes import CopySpec, LiveRunbook


async def read_template(client: CutoverClient, lookups: Lookups, ref: str) -> LiveRunbook:
    """The template named `ref` (or numbered, when no template has that name)."""
    try:
        return await find_template(client, lookups, CopySpec(template=ref))
    except ResolveError:
        if not ref.strip().isdigit():
            raise
    template = await find_template(client, lookups, CopySpec(template=ref, template_id=ref.strip()))
    if not template.state.is_template:
        raise RunformError(f"runbook {ref} ({template.state.name}) is not a template")
    return template


async def write_template_copy(
    client: CutoverClient,
    lookups: Lookups,
    template_ref: str,
    *,
    name: str | None,
    project_dir: Path,
    output: Path | None = None,
    folder: str | None = None,
    force: bool = False,
) -> tuple[Path, LiveRunbook]:
    """Write the new runbook's file (never over an existing one unless `force`)."""
    template = await read_template(client, lookups, template_ref)
    new_name = name or f"{template.state.name} copy"
    path = output or project_dir / "runbooks" / f"{slugify(new_name, fallback='runbook')}.yaml"
    if path.exists() and not force:
        raise RunformError(f"{path} already exists (--force to overwrite, or -o another file)")
    schema = Path(_relative(project_dir / "schemas" / "runbook.schema.json", path.parent))
    text = dump_template_copy(
        template, new_name, export_defaults(lookups), folder=folder, schema_url=schema.as_posix()
    )
    write_file(path, text)
    return path, template


def _relative(target: Path, start: Path) -> str:
    return os.path.relpath(target.resolve(), start.resolve())
