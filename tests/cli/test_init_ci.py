"""`runform init --ci` and `--runform-spec`: which pipelines, and how they install runform."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from runform.cli.main import cli
from runform.install_spec import InstallSpec, _from_direct_url, given_spec

TAG_SPEC = "git+https://example.com/acme/runform.git@v1.4.0"


def init(tmp_path: Path, *args: str):
    return CliRunner().invoke(cli, ["init", str(tmp_path), *args])


def test_github_pipelines_install_the_given_spec_and_hooks_come_from_its_repository(
    tmp_path: Path,
) -> None:
    result = init(tmp_path, "--ci", "github", "--runform-spec", TAG_SPEC)
    assert result.exit_code == 0, result.output
    for name in ("runform-plan.yml", "runform-apply.yml"):
        workflow = yaml.safe_load((tmp_path / ".github/workflows" / name).read_text())
        [job] = workflow["jobs"].values()
        runs = [step.get("run", "") for step in job["steps"]]
        assert f"python -m pip install 'runform @ {TAG_SPEC}'" in runs
    apply = yaml.safe_load((tmp_path / ".github/workflows/runform-apply.yml").read_text())
    assert apply["concurrency"] == {"group": "runform-apply", "cancel-in-progress": False}
    [repo] = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"]
    assert repo["repo"] == "https://example.com/acme/runform.git" and repo["rev"] == "v1.4.0"
    assert [hook["id"] for hook in repo["hooks"]] == ["runform-fmt", "runform-validate"]
    assert not (tmp_path / ".gitlab-ci.yml").exists()


def test_gitlab_pipeline_has_a_plan_and_a_serialised_apply_job(tmp_path: Path) -> None:
    result = init(tmp_path, "--ci", "gitlab", "--runform-spec", "runform==1.4.0")
    assert result.exit_code == 0, result.output
    pipeline = yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text())
    assert pipeline["runform-apply"]["resource_group"] == "runform-apply"
    for job in ("runform-plan", "runform-apply"):
        assert pipeline[job]["before_script"] == ["python -m pip install 'runform==1.4.0'"]
    assert not (tmp_path / ".github").exists()
    # No git revision in the spec: the hooks stay local ones, run from the installed runform.
    [repo] = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"]
    assert repo["repo"] == "local"


def test_ci_none_writes_no_pipeline(tmp_path: Path) -> None:
    result = init(tmp_path, "--ci", "none")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / ".github").exists() and not (tmp_path / ".gitlab-ci.yml").exists()
    assert "pipelines" not in result.output


def test_an_unknowable_spec_is_said_and_the_install_step_fails_plainly(tmp_path: Path) -> None:
    # This test's runform is installed from a local directory: no runner could use that.
    result = init(tmp_path)
    assert result.exit_code == 0, result.output
    assert "cannot install runform yet" in result.output and "--runform-spec" in result.output
    text = (tmp_path / ".github/workflows/runform-plan.yml").read_text()
    assert "install spec could not be known" in text and "--runform-spec SPEC" in text
    steps = yaml.safe_load(text)["jobs"]["plan"]["steps"]
    install = next(step for step in steps if step.get("name", "").startswith("Install runform"))
    assert install["run"].endswith("exit 1") and "pip install" not in install["run"]


@pytest.mark.parametrize(
    "spec",
    ["numpy==2.0", "git+https://example.com/x.git'; rm -rf /", "runform\n==1", "", "${{ x }}"],
)
def test_a_bad_spec_is_refused_with_what_to_give(tmp_path: Path, spec: str) -> None:
    result = init(tmp_path, "--runform-spec", spec)
    assert result.exit_code == 1
    assert "--runform-spec" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "runform.yaml").exists()


def test_a_spec_without_a_version_is_written_with_a_warning(tmp_path: Path) -> None:
    result = init(tmp_path, "--runform-spec", "git+https://example.com/acme/runform.git")
    assert result.exit_code == 0, result.output
    assert "names no version" in result.output


@pytest.mark.parametrize(
    ("origin", "spec", "pinned"),
    [
        (
            {"url": "https://example.com/acme/runform.git",
             "vcs_info": {"vcs": "git", "commit_id": "abc123", "requested_revision": "v1"}},
            "runform @ git+https://example.com/acme/runform.git@abc123",
            True,
        ),
        (
            {"url": "https://example.com/dist/runform-1.0-py3-none-any.whl",
             "archive_info": {"hashes": {"sha256": "ff00"}}},
            "runform @ https://example.com/dist/runform-1.0-py3-none-any.whl#sha256=ff00",
            True,
        ),
        ({"url": "file:///home/me/runform", "dir_info": {"editable": True}}, None, False),
        ({"url": "file:///tmp/runform-1.0.whl", "archive_info": {}}, None, False),
    ],
)  # fmt: skip
def test_the_running_install_is_read_from_its_pep_610_record(
    origin: dict, spec: str | None, pinned: bool
) -> None:
    found = _from_direct_url(origin)
    assert found.spec == spec and found.pinned is pinned
    if spec is None:
        assert "local" in found.unknown


def test_given_specs_become_requirements() -> None:
    assert given_spec(TAG_SPEC) == InstallSpec(
        f"runform @ {TAG_SPEC}", git_url="https://example.com/acme/runform.git", git_rev="v1.4.0"
    )
    assert given_spec("runform==1.2.0").pinned
    assert not given_spec("runform>=1").pinned
    ssh = given_spec("git+ssh://git@example.com/acme/runform.git@v2")
    assert (ssh.git_url, ssh.git_rev) == ("ssh://git@example.com/acme/runform.git", "v2")


def test_plans_keep_runforms_cache_and_applies_only_save_it(tmp_path: Path) -> None:
    assert init(tmp_path / "gh", "--ci", "github").exit_code == 0
    workflows = tmp_path / "gh" / ".github/workflows"
    [plan] = yaml.safe_load((workflows / "runform-plan.yml").read_text())["jobs"].values()
    [cache] = [s for s in plan["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["path"] == ".runform/cache"
    number = "${{ github.event.pull_request.number }}"
    restore = cache["with"]["restore-keys"].splitlines()
    assert restore == [f"runform-cache-{number}-", "runform-cache-main-"]
    assert cache["with"]["key"].startswith(f"runform-cache-{number}-")
    [apply] = yaml.safe_load((workflows / "runform-apply.yml").read_text())["jobs"].values()
    caching = [s for s in apply["steps"] if "cache" in s.get("uses", "")]
    assert [s["uses"].split("@")[0] for s in caching] == ["actions/cache/save"]  # never restored
    assert caching[0]["with"]["key"].startswith("runform-cache-main-")
    assert apply["steps"][-1] is caching[0]  # after the apply

    assert init(tmp_path / "gl", "--ci", "gitlab").exit_code == 0
    pipeline = yaml.safe_load((tmp_path / "gl" / ".gitlab-ci.yml").read_text())
    assert pipeline["runform-plan"]["cache"] == {
        "key": "runform-cache-$CI_MERGE_REQUEST_IID",
        "fallback_keys": ["runform-cache-main"],
        "paths": [".runform/cache/"],
    }
    assert pipeline["runform-apply"]["cache"] == {
        "key": "runform-cache-main",
        "policy": "push",  # saved, never restored: the apply plans afresh
        "paths": [".runform/cache/"],
    }
