"""What every command that reads runbook files and talks to Cutover shares.

Paths, `--var`/`--var-file`, `--target`/`--exclude`/`--allow-deletes`, the API settings
from the environment and runform.yaml, and the one-line notice when the target is the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # imported where used: `runform plan --help` needs none of it
    from runform.core.source_cache import SourceCache
    from runform.core.steps import Steps
    from runform.providers.cutover.definitions.kept_trees import KeptTrees
    from runform.providers.cutover.definitions.load import Definitions
    from runform.providers.cutover.definitions.project import ProjectConfig
    from runform.providers.cutover.plan.kept import KeptDiffs
    from runform.providers.cutover.plan.options import PlanOptions


@dataclass(frozen=True)
class PlanningRequest:
    """The files, project settings and plan options one command run works from."""

    paths: tuple[str, ...]
    project: ProjectConfig
    definitions: Definitions
    options: PlanOptions
    base: Definitions | None = None  # the files at the base revision (who moved each field)
    trees: KeptTrees | None = None  # the files' trees kept from earlier runs (for `--stats`)


def planning_request(**options: Any) -> PlanningRequest:
    """Load runform.yaml and the runbook files (DefinitionError lists every problem), and the
    files at the base revision when there is one; `options` are `planning_steps`'s."""
    from runform.core.steps import finish

    return finish(planning_steps(**options))


def planning_steps(
    paths: tuple[str, ...] = (),
    variables: tuple[str, ...] = (),
    var_files: tuple[str, ...] = (),
    targets: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
    allow_deletes: bool = False,
    forecast: bool = False,
    base: str | None = None,
    destroy: bool = False,
) -> Steps[PlanningRequest]:
    """`planning_request` as steps (`core.steps`), one a file: the base revision is the one
    `--base`, runform.yaml `base:`, or in CI the change's merge-base names."""
    from runform.collector import building_to_keep
    from runform.providers.cutover.definitions import load_project
    from runform.providers.cutover.definitions.git_base import ci_base, definitions_at
    from runform.providers.cutover.definitions.load import loading_definitions
    from runform.providers.cutover.definitions.variables import command_line_variables
    from runform.providers.cutover.plan.options import PlanOptions

    project = load_project()
    values = command_line_variables(tuple(var_files), tuple(variables))
    where = runbook_paths(paths, project)
    cache = source_cache()
    with building_to_keep():
        trees = kept_trees()
        definitions = yield from loading_definitions(where, values, project, notice, cache, trees)
        base_definitions = None
        ref = base or project.base or ci_base()
        if ref:
            base_definitions = definitions_at(ref, where, values, project, cache)
    options = PlanOptions(
        allow_deletes=allow_deletes,
        delete_limit=project.policies.delete_limit.enabled,
        delete_limit_count=project.delete_limit_count,
        delete_limit_percent=project.delete_limit_percent,
        targets=tuple(targets),
        excludes=tuple(excludes),
        forecast=forecast,
        destroy=destroy,
    )
    return PlanningRequest(tuple(paths), project, definitions, options, base_definitions, trees)


def runbook_paths(paths: tuple[str, ...], project: ProjectConfig) -> tuple[str, ...]:
    """PATHS as given, else the project's `paths` (runbooks/ or its root), else here."""
    return paths or tuple(project.paths or ()) or (".",)


def notice(message: str) -> None:
    """A one-line notice on stderr (a file skipped, say), shown safely."""
    from runform.text.safe import safe_line

    click.echo(safe_line(message), err=True)


def source_cache() -> SourceCache:
    """The parses of runbook files kept in `.runform/cache/sources/` (core.source_cache)."""
    from runform.core.source_cache import SourceCache

    return SourceCache(state_dir() / "cache" / "sources")


def kept_trees() -> KeptTrees:
    """Runbook files' trees kept in `.runform/cache/trees/` (definitions.kept_trees)."""
    from runform.providers.cutover.definitions.kept_trees import KeptTrees

    return KeptTrees(state_dir() / "cache" / "trees")


def kept_diffs() -> KeptDiffs:
    """Runbook plans of earlier runs kept in `.runform/cache/plans/` (plan.kept)."""
    from runform.providers.cutover.plan.kept import KeptDiffs

    return KeptDiffs(state_dir() / "cache" / "plans")


def state_dir() -> Path:
    """`.runform/` at the project root (sandbox, journal, apply lock), else here."""
    from runform.providers.cutover.definitions.project import state_directory

    return state_directory()


def api_settings(request: PlanningRequest | None = None) -> Any:
    """API settings: flags and environment over runform.yaml (`api_url`, `api_version`,
    `api_token_file`)."""
    from runform.providers.cutover.api import ApiSettings
    from runform.providers.cutover.definitions import load_project
    from runform.providers.cutover.definitions.project import STATE_DIR

    project = request.project if request is not None else load_project()
    defaults = {
        "base_url": project.api_url,
        "api_version": project.api_version,
        "token_file": project.api_token_file,
        "sandbox_db": str(state_dir() / "sandbox.db"),
        "sandbox_name": f"{STATE_DIR}/sandbox.db",  # from the project root, wherever run
    }
    from runform.cli.connection import insecure_requested, sandbox_requested
    from runform.providers.cutover.api.settings import checked_target

    settings = ApiSettings.from_env(
        defaults=defaults, insecure=True if insecure_requested() else None
    )
    return checked_target(settings, sandbox=sandbox_requested())


def parallelism_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Terraform's `-parallelism`: how many `what` (reads, calls) are in flight at once."""
    return click.option(
        "--parallelism",
        "-parallelism",
        type=click.IntRange(1, 100),
        default=None,
        help=f"{what} in flight at once (default: runform.yaml, else 10).",
    )


def in_flight(settings: Any, project: ProjectConfig, parallelism: int | None) -> Any:
    """The settings with `--parallelism` (else runform.yaml's `parallelism:`) as the client's
    limit of calls in flight: plan's reads and apply's writes alike, as Terraform's flag."""
    return settings.model_copy(update={"max_concurrency": parallelism or project.parallelism})


def announce_target(settings: Any, console: Any = None) -> None:
    """One line on stderr when the target is the local sandbox (never the token)."""
    if settings.is_sandbox:
        from runform.cli.connection import sandbox_requested

        why = "--sandbox" if sandbox_requested() else "CUTOVER_API_URL is not set"
        click.echo(f"Using the local sandbox in {settings.sandbox_db} ({why}).", err=True)


async def make_plan(
    client: Any, request: PlanningRequest, kept: KeptDiffs | None = None
) -> tuple[Any, Any]:
    """The plan of the request's files against the client's Cutover, checked against the
    project's policies; runbooks unchanged since an earlier run take their plans from `kept`
    (by default the project's, `kept_diffs`)."""
    from runform.collector import building_to_keep
    from runform.providers.cutover.engine import make_plan as plan_with
    from runform.providers.cutover.policy.check import check_policies

    kept = kept if kept is not None else kept_diffs()
    with building_to_keep():  # the plan and what it read are kept to the end of the command
        definitions, options, base = request.definitions, request.options, request.base
        plan, lookups = await plan_with(client, definitions, options, base=base, kept=kept)
        return check_policies(plan, request.project), lookups


def replanner(client: Any, request: PlanningRequest, lookups: Any = None) -> Any:
    """A callback that plans one runbook again (apply's recovery after unknown outcomes),
    with the plan's `lookups`: the directory is read once per apply, not once per recovery."""
    from runform.providers.cutover.apply.replan import replanner as build

    return build(client, request.definitions, request.options, lookups)


def file_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """PATHS plus `--var` and `--var-file`, for commands that read runbook files."""
    function = click.option(
        "--var-file",
        "-var-file",
        "var_files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        help="YAML file of NAME: value variables.",
    )(function)
    function = click.option(
        "--var",
        "-var",
        "variables",
        multiple=True,
        metavar="NAME=VALUE",
        help="Set a ${var.NAME} variable (overrides runform.yaml and --var-file).",
    )(function)
    return click.argument("paths", nargs=-1, type=click.Path())(function)


def selection_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--target`, `--exclude` (address globs) and `--allow-deletes`."""
    function = click.option(
        "--allow-deletes",
        "-allow-deletes",
        is_flag=True,
        help="Allow deletions beyond the safety limit.",
    )(function)
    function = click.option(
        "--exclude",
        "-exclude",
        "excludes",
        multiple=True,
        metavar="ADDRESS",
        help="Leave out changes at this address glob, e.g. 'runbook[\"Old*\"]' (repeatable).",
    )(function)
    return click.option(
        "--target",
        "-target",
        "targets",
        multiple=True,
        metavar="ADDRESS",
        help="Only changes at this address glob, with what they need (repeatable).",
    )(function)


def print_stats(client: Any, kept: KeptDiffs | None = None, trees: KeptTrees | None = None) -> None:
    """`--stats`: request counts per endpoint, on stderr (and how many files' trees and
    runbooks' plans were kept from an earlier run)."""
    for line in client.stats.summary_lines():
        click.echo(line, err=True)
    limiter = getattr(client, "limiter", None)
    if limiter is not None:
        click.echo(f"at most {limiter.peak_in_flight} requests in flight", err=True)
    for store, what, where in ((trees, "runbook files' trees", "trees"),
                               (kept, "runbook plans", "plans")):  # fmt: skip
        if store is not None and store.hits + store.misses:
            looked = store.hits + store.misses
            click.echo(
                f"{store.hits} of {looked} {what} kept from an earlier run "
                f"(.runform/cache/{where})",
                err=True,
            )
