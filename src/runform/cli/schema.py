"""`runform schema`: write the JSON Schemas of the file formats (for editors and CI)."""

from __future__ import annotations

import click

from runform.providers.cutover.definitions.schema import stale_schemas, write_schemas


@click.command("schema")
@click.option(
    "--output-dir",
    default="schemas",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory for runbook.schema.json and runform.schema.json.",
)
@click.option("--check", is_flag=True, help="Only report stale schemas (exit 1 when any).")
def command(output_dir: str, check: bool) -> None:
    """Generate JSON Schemas for runbook files and runform.yaml from runform's models."""
    if check:
        stale = stale_schemas(output_dir)
        for path in stale:
            click.echo(f"stale: {path}")
        if stale:
            raise SystemExit(1)
        click.echo("schemas are up to date")
        return
    changed = write_schemas(output_dir)
    for path in changed:
        click.echo(f"wrote {path}")
    if not changed:
        click.echo("schemas are up to date")
