"""`runform plan --parallelism N`: Terraform's flag bounds a plan's reads as it does apply's
writes, and runform.yaml's `parallelism:` is its default for both."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from runform.cli.main import cli

RUNBOOKS = 24


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _peak(output: str) -> int:
    return int(output.split("at most ")[1].split(" requests in flight")[0])


@pytest.fixture(scope="module")
def applied(sandbox_server_module, tmp_path_factory):
    """RUNBOOKS runbook files, applied once: each plan then reads them all from Cutover."""
    root = tmp_path_factory.mktemp("wide-project")
    for index in range(RUNBOOKS):
        tasks = "".join(f"  - {{name: Step {t}, stream: Work}}\n" for t in range(3))
        (root / f"rb{index:02}.yaml").write_text(
            f"runbook:\n  name: Parallel {index}\n  workspace: default\n"
            f"streams:\n  - name: Work\ntasks:\n{tasks}"
        )
    return root


@pytest.fixture
def project(applied, sandbox_server_module, monkeypatch):
    monkeypatch.chdir(applied)
    monkeypatch.setenv("CUTOVER_API_URL", sandbox_server_module.base_url)
    monkeypatch.setenv("CUTOVER_API_TOKEN", sandbox_server_module.token)
    if not (applied / ".runform" / "last-apply.json").exists():
        result = run("apply", "--auto-approve")
        assert result.exit_code == 0, result.output
    sandbox_server_module.faults.latency_ms = 20  # reads overlap only when they take a while
    yield applied
    sandbox_server_module.faults.latency_ms = 0
    (applied / "runform.yaml").unlink(missing_ok=True)


@pytest.mark.parametrize("parallelism", [1, 3, 16])
def test_plan_parallelism_bounds_the_reads_in_flight(project, parallelism):
    result = run("plan", "--stats", "--detailed-exitcode", "-parallelism", str(parallelism))
    assert result.exit_code == 0, result.output  # applied: nothing to change
    assert "No changes" in result.output
    peak = _peak(result.output)
    assert peak <= parallelism
    if parallelism > 1:
        assert peak > 1
    if parallelism > 10:
        assert peak > 10  # above the default: the client's own limit follows the flag


def test_runform_yaml_parallelism_bounds_a_plan_and_the_flag_wins(project):
    (project / "runform.yaml").write_text("parallelism: 2\n")
    from_file = run("plan", "--stats")
    assert from_file.exit_code == 0, from_file.output
    assert 1 < _peak(from_file.output) <= 2
    flagged = run("plan", "--stats", "--parallelism", "14")
    assert flagged.exit_code == 0, flagged.output
    assert _peak(flagged.output) > 10


@pytest.mark.parametrize("value", ["0", "101", "many"])
def test_plan_parallelism_outside_its_range_is_refused(project, value):
    result = run("plan", "--parallelism", value)
    assert result.exit_code == 1, result.output  # bad input: exit 1, no plan, no traceback
    assert "'--parallelism'" in result.output and "Traceback" not in result.output
    assert ("1<=x<=100" if value.isdigit() else "not a valid integer") in result.output
    assert "No changes" not in result.output
