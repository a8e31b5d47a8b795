"""The GitLab pipeline `runform init --ci gitlab` writes, its jobs' scripts run in a real git
repository against the sandbox over HTTP, with curl talking to a stand-in GitLab API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.pipelines.repos import (
    SPEC,
    check_out_merge_ref,
    ci_checkout,
    git,
    merge,
    new_project,
    push_change,
    runform,
)
from tests.cli.pipelines.runner import JobRun, base_env, run_gitlab_job
from tests.cli.pipelines.standin_gitlab import GitLab

from runform.core.sandbox_kit.server import BackgroundServer

MARKER = "<!-- runform:plan-comment -->"


@pytest.fixture
def gitlab():
    standin = GitLab(token="glpat-stand-in", project="42")
    with BackgroundServer(standin.app()) as server:
        standin.url = server.base_url + "/api/v4"
        yield standin


def run_job(
    tmp: Path, workdir: Path, job: str, gitlab: GitLab, sandbox, **variables: str
) -> JobRun:
    env = base_env(tmp / "bin", {})
    common = {
        "CI_API_V4_URL": gitlab.url,
        "CI_PROJECT_ID": gitlab.project,
        "RUNFORM_GITLAB_TOKEN": gitlab.token,
        "CUTOVER_API_URL": sandbox.base_url,
        "CUTOVER_API_TOKEN": sandbox.token,
    }
    return run_gitlab_job(
        workdir / ".gitlab-ci.yml", job, workdir=workdir, variables={**common, **variables}, env=env
    )


def review(tmp: Path, clone: Path, n: int, iid: int, gitlab: GitLab, sandbox) -> JobRun:
    workdir, sha = check_out_merge_ref(clone, tmp / f"ci-plan-{n}", "release")
    base = git(workdir, "merge-base", "HEAD", "origin/main")
    return run_job(
        tmp, workdir, "runform-plan", gitlab, sandbox,
        CI_PIPELINE_SOURCE="merge_request_event", CI_MERGE_REQUEST_IID=str(iid),
        CI_MERGE_REQUEST_DIFF_BASE_SHA=base, CI_COMMIT_SHA=sha,
    )  # fmt: skip


def test_merge_request_note_then_apply_of_the_reviewed_plan(
    tmp_path: Path, gitlab: GitLab, sandbox_server
) -> None:
    clone = new_project(tmp_path, "gitlab")
    push_change(clone, "release", "30m")
    first = review(tmp_path, clone, 1, 3, gitlab, sandbox_server)
    assert first.installs == [f"python -m pip install 'runform @ {SPEC}'"] * 1
    assert first.ok, first.log()
    [note] = gitlab.notes[3]
    assert note["body"].startswith(MARKER) and "4 to create" in note["body"]

    push_change(clone, "release", "45m")
    second = review(tmp_path, clone, 2, 3, gitlab, sandbox_server)
    assert second.ok, second.log()
    [updated] = gitlab.notes[3]
    assert updated["id"] == note["id"] and "45m" in updated["body"]

    sha = merge(clone, "release", 3)
    gitlab.commit_merge_requests[sha] = [3]
    workdir = ci_checkout(clone, tmp_path / "ci-apply", sha)
    applied = run_job(
        tmp_path, workdir, "runform-apply", gitlab, sandbox_server,
        CI_COMMIT_SHA=sha, CI_COMMIT_BRANCH="main", CI_DEFAULT_BRANCH="main",
    )  # fmt: skip
    assert applied.ok, applied.log()
    assert "Apply complete: 4 created" in applied.log()
    saved = json.loads((workdir.parent / "ci-plan-2" / "runform.plan").read_text())
    assert saved["changes_digest"] in applied.log()
    assert list((workdir / ".runform" / "journal").glob("*.jsonl"))  # the job's artifact
    after = runform(
        clone, "plan", "-detailed-exitcode",
        env={"CUTOVER_API_URL": sandbox_server.base_url, "CUTOVER_API_TOKEN": sandbox_server.token},
    )  # fmt: skip
    assert after.returncode == 0 and "No changes" in after.stdout, after.stdout + after.stderr


def test_a_commit_from_no_merge_request_is_not_applied(
    tmp_path: Path, gitlab: GitLab, sandbox_server
) -> None:
    clone = new_project(tmp_path, "gitlab")
    push_change(clone, "main", "30m")
    sha = git(clone, "rev-parse", "HEAD")
    workdir = ci_checkout(clone, tmp_path / "ci-apply", sha)
    run = run_job(tmp_path, workdir, "runform-apply", gitlab, sandbox_server, CI_COMMIT_SHA=sha)
    assert not run.ok and "came from no merge request" in run.log()
    assert "Apply complete" not in run.log()
