"""The GitHub pipelines `runform init --ci github` writes, run step by step in a real git
repository against the sandbox over HTTP, with a stand-in `gh` (tests/cli/pipelines)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tests.cli.pipelines.repos import (
    SPEC,
    check_out_merge_ref,
    ci_checkout,
    merge,
    new_project,
    push_change,
    runform,
)
from tests.cli.pipelines.runner import JobRun, base_env, run_github_job

REPOSITORY = "acme/runbooks"
MARKER = "<!-- runform:plan-comment -->"
BOT = "github-actions[bot]"


@pytest.fixture
def ci(tmp_path: Path, sandbox_server):
    """A project on GitHub (a clone, a stand-in gh and its state) and its Cutover (the sandbox)."""
    clone = new_project(tmp_path, "github")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    standin = Path(__file__).parent / "pipelines" / "standin_gh.py"
    gh.write_text(f'#!/bin/sh\nexec {sys.executable} {standin} "$@"\n')
    gh.chmod(0o755)
    state = tmp_path / "gh-state.json"
    decoy = {"id": 1, "issue": 7, "body": f"{MARKER}\nnot runform's", "user": {"login": "x[bot]"}}
    state.write_text(json.dumps({"repository": REPOSITORY, "login": BOT, "comments": [decoy]}))
    return Pipelines(tmp_path, clone, bin_dir, state, sandbox_server)


class Pipelines:
    def __init__(self, tmp: Path, clone: Path, bin_dir: Path, state: Path, sandbox) -> None:
        self.tmp, self.clone, self.bin_dir, self.state, self.sandbox = (
            tmp,
            clone,
            bin_dir,
            state,
            sandbox,
        )
        self.cutover = {"CUTOVER_API_URL": sandbox.base_url, "CUTOVER_API_TOKEN": sandbox.token}

    def gh(self) -> dict:
        return json.loads(self.state.read_text())

    def checkout_dir(self) -> Path:
        self.runs = getattr(self, "runs", 0) + 1
        return self.tmp / f"ci-{self.runs}"

    def run(
        self, workflow: str, job: str, *, workdir: Path, sha: str, event: dict, **github: str
    ) -> JobRun:
        env = base_env(
            self.bin_dir,
            {
                "GITHUB_REPOSITORY": REPOSITORY,
                "GITHUB_SHA": sha,
                "GITHUB_ACTIONS": "true",
                "GH_STANDIN_STATE": str(self.state),
                **({"GITHUB_BASE_REF": github["base_ref"]} if "base_ref" in github else {}),
            },
        )
        self.job_runs = getattr(self, "job_runs", 0) + 1
        run_ids = {"run_id": str(self.job_runs), "run_attempt": "1"}
        context = {
            "github": {"token": "gh-token", "sha": sha, "event": event, **run_ids, **github},
            "secrets": self.cutover,
        }
        return run_github_job(
            workdir / ".github" / "workflows" / workflow,
            job,
            workdir=workdir,
            context=context,
            env=env,
            artifacts=self.tmp / "artifacts",
        )

    def review(self, number: int, branch: str) -> JobRun:
        workdir, sha = check_out_merge_ref(self.clone, self.checkout_dir(), branch)
        event = {"pull_request": {"number": number}}
        return self.run(
            "runform-plan.yml", "plan", workdir=workdir, sha=sha, event=event, base_ref="main"
        )

    def merged(self, number: int, branch: str) -> JobRun:
        sha = merge(self.clone, branch, number)
        state = self.gh()
        state.setdefault("commit_pulls", {})[sha] = [number]
        self.state.write_text(json.dumps(state))
        return self.on_main(sha)

    def on_main(self, sha: str) -> JobRun:
        workdir = ci_checkout(self.clone, self.checkout_dir(), sha)
        return self.run("runform-apply.yml", "apply", workdir=workdir, sha=sha, event={})


def bot_comments(state: dict, number: int) -> list[dict]:
    return [c for c in state["comments"] if c["issue"] == number and c["user"]["login"] == BOT]


def test_pull_request_then_merge_applies_exactly_the_reviewed_plan(ci: Pipelines) -> None:
    push_change(ci.clone, "release", "30m")
    review = ci.review(7, "release")
    assert review.ok, review.log()
    assert review.installs == [f"python -m pip install 'runform @ {SPEC}'"]
    [comment] = bot_comments(ci.gh(), 7)
    assert comment["body"].startswith(MARKER) and "## runform plan" in comment["body"]
    assert "Pipeline release" in comment["body"] and "4 to create" in comment["body"]
    saved = json.loads((review.artifacts["runform-plan-7"] / "runform.plan").read_text())
    assert f"runform:changes-digest {saved['changes_digest']}" in comment["body"]
    decoy = next(c for c in ci.gh()["comments"] if c["id"] == 1)
    assert decoy["body"] == f"{MARKER}\nnot runform's"  # another bot's comment is left alone

    # A second push: the same comment is updated in place, never a second one.
    push_change(ci.clone, "release", "45m")
    again = ci.review(7, "release")
    assert again.ok, again.log()
    assert not review.restored and again.restored  # the first run's cache, found by its key
    [updated] = bot_comments(ci.gh(), 7)
    assert updated["id"] == comment["id"] and updated["body"] != comment["body"]
    reviewed = json.loads((again.artifacts["runform-plan-7"] / "runform.plan").read_text())

    applied = ci.merged(7, "release")
    assert applied.ok, applied.log()
    assert reviewed["changes_digest"] in applied.step("Find the reviewed plan").output
    assert "Apply complete: 4 created" in applied.step("Apply the reviewed plan").output
    # Exactly the reviewed changes were made: the journal's writes are the plan's changes.
    journal = applied.artifacts[f"runform-journal-{_head(ci)}"]
    written = {
        json.loads(line)["address"]
        for path in journal.glob("*.jsonl")
        for line in path.read_text().splitlines()
        if json.loads(line).get("method") in ("POST", "PATCH", "DELETE")
    }
    planned = {c["address"] for root in reviewed["roots"] for c in root["changes"]}
    assert written == planned
    after = runform(ci.clone, "plan", "-detailed-exitcode", env=ci.cutover)
    assert after.returncode == 0 and "No changes" in after.stdout, after.stdout + after.stderr

    # The next pull request's first plan starts from the cache the apply saved.
    push_change(ci.clone, "next", "50m")
    following = ci.review(11, "next")
    assert following.ok, following.log()
    assert [key.startswith("runform-cache-main-") for key in following.restored] == [True]
    [comment] = bot_comments(ci.gh(), 11)
    assert "1 to update" in comment["body"]


def test_a_merge_that_differs_from_the_review_is_refused(ci: Pipelines) -> None:
    push_change(ci.clone, "release", "30m")
    assert ci.review(8, "release").ok
    push_change(ci.clone, "release", "50m")  # pushed after the plan ran: nobody saw this one
    refused = ci.merged(8, "release")
    assert not refused.ok
    step = refused.step("Apply the reviewed plan")
    assert step.returncode == 1 and "not the reviewed one" in step.output, refused.log()
    assert "Apply complete" not in step.output
    assert refused.step("Keep the journal").returncode == 0  # always() still runs
    plan = runform(ci.clone, "plan", "-detailed-exitcode", env=ci.cutover)
    assert plan.returncode == 2 and "4 to create" in plan.stdout  # nothing was written


def test_a_push_without_a_pull_request_applies_nothing(ci: Pipelines) -> None:
    push_change(ci.clone, "main", "30m")
    run = ci.on_main(_head(ci))
    assert not run.ok
    assert "came from no pull request" in run.step("Find the reviewed plan").output
    assert run.step("Apply the reviewed plan").returncode is None  # skipped


def _head(ci: Pipelines) -> str:
    from tests.cli.pipelines.repos import git

    return git(ci.clone, "rev-parse", "HEAD")
