"""Planning and applying Cycloid files through the core engine against a sandbox."""

from __future__ import annotations

from pathlib import Path

from tests.cycloid.conftest import Cycloid

from runform.core.engine import apply_roots, plan_roots
from runform.core.model import Plan
from runform.core.result import ApplyResult
from runform.providers.cycloid.definitions import load_all
from runform.providers.cycloid.hooks import CycloidProvider


async def plan(sandbox: Cycloid, *files: Path, state: Path | None = None) -> Plan:
    definitions = load_all(files)
    async with sandbox.client() as client:
        provider = CycloidProvider(client, definitions, state)
        return await plan_roots(provider, [d.root for d in definitions])


async def apply(sandbox: Cycloid, *files: Path, state: Path | None = None) -> ApplyResult:
    definitions = load_all(files)
    async with sandbox.client() as client:
        provider = CycloidProvider(client, definitions, state)
        roots = [d.root for d in definitions]
        made = await plan_roots(provider, roots)
        return await apply_roots(provider, made, roots)


def actions(made: Plan) -> list[tuple[str, str]]:
    return [(c.action.value, c.address.split(".", 1)[1]) for c in made.changes()]
