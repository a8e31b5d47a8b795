"""plan, apply and export over real HTTP against every shape of list Cutover may answer with."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_sandbox_cli import served

from runform.cli.main import cli
from runform.providers.cutover.sandbox import PagingStyle

EXTRA_TASKS = 240  # with the template's 12: three pages of 100


def runbook_file(duration: str = "5m") -> str:
    """A copy of the template with enough tasks for three pages, some assigned."""
    lines = [
        "runbook:",
        "  name: Paged release",
        "  workspace: default",
        "  template:",
        "    name: Standard release",
        "    tasks: true",
        "    teams: true",
        "    users: true",
        "tasks:",
    ]
    for index in range(EXTRA_TASKS):
        lines += [
            f"  - name: Step {index:03}",
            "    stream: Deployment",
            f"    duration: {duration if index == EXTRA_TASKS - 1 else '5m'}",
        ]
        if index:
            lines.append(f"    after: [Step {index - 1:03}]")
        if index % 10 == 0:
            lines.append("    assignees: [team: Release managers]")
    return "\n".join(lines) + "\n"


def task_requests(stats: str) -> int:
    """How many task list reads `--stats` counted."""
    for line in stats.splitlines():
        parts = line.split()
        if parts[1:] == ["GET", "/core/runbooks/{id}/tasks"]:
            return int(parts[0])
    raise AssertionError(f"no task reads in {stats!r}")


def run_through(base_url: str, project: Path) -> None:
    """Apply, re-plan (paged and forecast), change a task on the last page, export."""
    env = {"CUTOVER_API_URL": base_url, "CUTOVER_API_TOKEN": "0123456789abcdef" * 3}
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), env=env, catch_exceptions=False)

    (project / "paged.yaml").write_text(runbook_file())
    applied = invoke("apply", "--auto-approve", "paged.yaml")
    assert applied.exit_code == 0, applied.output
    task_reads = {}
    for extra in ((), ("--forecast",)):
        again = invoke("plan", "--detailed-exitcode", "--stats", *extra, "paged.yaml")
        assert again.exit_code == 0, again.output
        assert "No changes" in again.stdout
        task_reads[extra] = task_requests(again.stderr)
    # Three pages of the runbook's tasks and one of the template's; a forecast read is one
    # response whatever its links.next says (Round 2, Task reads).
    assert task_reads == {(): 4, ("--forecast",): 2}
    (project / "paged.yaml").write_text(runbook_file(duration="7m"))
    changed = invoke("apply", "--auto-approve", "paged.yaml")
    assert changed.exit_code == 0, changed.output
    assert "duration: 5m → 7m" in changed.stdout
    settled = invoke("plan", "--detailed-exitcode", "--forecast", "paged.yaml")
    assert settled.exit_code == 0, settled.output
    exported = invoke("export", "--runbook", "Paged release", "-o", "exported")
    assert exported.exit_code == 0, exported.output
    assert f"{EXTRA_TASKS + 12} task(s)" in exported.output
    written = yaml.safe_load((project / "exported" / "paged-release.yaml").read_text())
    names = [task["name"] for task in written["tasks"]]
    assert len(names) == len(set(names)) == EXTRA_TASKS + 12
    assigned = [t for t in written["tasks"] if t.get("assignees")]
    assert len(assigned) >= EXTRA_TASKS // 10


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "style",
    [
        # Round 2, Pagination: links.next may be absolute on another host than the one called.
        PagingStyle(links_host="api.cutover.com"),
        # Round 2, Pagination: links.next may be relative without a leading slash.
        PagingStyle(relative_links=True),
        # Round 2, Pagination: meta.page.total and links.last may be null.
        PagingStyle(page_totals=False),
    ],
    ids=["links-on-another-host", "relative-links", "null-totals"],
)
def test_plan_apply_export_in_each_shape(serve_sandbox, project: Path, style: PagingStyle):
    sandbox = serve_sandbox(paging=style)
    run_through(sandbox.base_url, project)


def test_sandbox_serve_flags_give_those_shapes(project: Path):
    # Round 2, Pagination: another host and null totals together, from `runform sandbox serve`.
    with served("--db", ":memory:", "--links-host", "api.cutover.com", "--no-page-totals") as url:
        run_through(url, project)
