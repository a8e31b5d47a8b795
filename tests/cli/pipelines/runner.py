"""Run the shell steps of the pipelines `runform init --ci` writes, as their CI would.

GitHub Actions: each job's steps in order, `${{ ... }}` expressions filled from the contexts
(an expression this runner does not know fails the test), `if:` conditions, `$GITHUB_OUTPUT`,
`run:` scripts under `bash -e` (Actions' default shell), the job's and step's `env:`; the
`uses:` actions the pipelines use are played by hand (checkout: the test's clone is the
checkout; upload-artifact: a copy; cache: the newest saved copy whose key starts with a
restore key, saved again under its key when the job succeeds; cache/save: saved at once).
GitLab CI: a job's `before_script` and `script` lines as one `bash -eo pipefail` script, with
the pipeline's and job's variables. The step that pip installs runform is recorded, not run:
the test environment has this runform installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
OUTPUT_TEST = re.compile(r"steps\.([\w-]+)\.outputs\.([\w-]+)\s*==\s*'([^']*)'")


@dataclass
class StepRun:
    name: str
    returncode: int | None  # None: skipped
    output: str = ""


@dataclass
class JobRun:
    steps: list[StepRun] = field(default_factory=list)
    installs: list[str] = field(default_factory=list)  # the pip install lines met
    artifacts: dict[str, Path] = field(default_factory=dict)
    saves: list[tuple[Path, Path]] = field(default_factory=list)  # cache: (saved copy, path)
    restored: list[str] = field(default_factory=list)  # the cache keys restored

    @property
    def ok(self) -> bool:
        return all(s.returncode in (0, None) for s in self.steps)

    def step(self, name: str) -> StepRun:
        return next(s for s in self.steps if s.name == name)

    def log(self) -> str:
        return "\n".join(f"--- {s.name}: {s.returncode}\n{s.output}" for s in self.steps)


def base_env(bin_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    """A runner's environment: this Python's scripts and the stand-ins on PATH, nothing of the
    developer's Cutover settings."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI", "GIT"))}
    path = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), keep.get("PATH", "")])
    return {**keep, "PATH": path, "CI": "true", **extra}


def run_github_job(
    workflow: Path, job: str, *, workdir: Path, context: dict[str, Any], env: dict[str, str],
    artifacts: Path,
) -> JobRun:  # fmt: skip
    """Run one job of a GitHub workflow in `workdir`; `context` holds `github` and `secrets`."""
    spec = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"][job]
    outputs: dict[str, dict[str, str]] = {}
    contexts = {**context, "steps": outputs}
    run = JobRun()
    failed = False
    job_env = {k: _fill(str(v), contexts) for k, v in (spec.get("env") or {}).items()}
    for index, step in enumerate(spec["steps"]):
        name = step.get("name") or step.get("uses") or f"step {index}"
        if not _condition(step.get("if", "success()"), failed, outputs):
            run.steps.append(StepRun(name, None))
            continue
        if "uses" in step:
            options = {k: _fill(str(v), contexts) for k, v in (step.get("with") or {}).items()}
            code, text = _action(step["uses"], options, workdir, artifacts, run)
        elif "pip install" in step["run"]:
            run.installs.append(step["run"])
            code, text = 0, "(install recorded, not run)"
        else:
            output_file = workdir.parent / f"github-output-{job}-{index}"
            output_file.write_text("")
            step_env = {k: _fill(str(v), contexts) for k, v in (step.get("env") or {}).items()}
            full_env = {**env, **job_env, **step_env, "GITHUB_OUTPUT": str(output_file)}
            script = _fill(step["run"], contexts)
            done = subprocess.run(
                ["bash", "-e", "-c", script], cwd=workdir, env=full_env, capture_output=True,
                text=True, timeout=300,
            )  # fmt: skip
            code, text = done.returncode, done.stdout + done.stderr
            if "id" in step:
                outputs[step["id"]] = {"outputs": _read_outputs(output_file)}
        run.steps.append(StepRun(name, code, text))
        failed = failed or code != 0
    for saved, source in run.saves if not failed else ():  # actions/cache's post step
        if source.is_dir() and not saved.exists():
            shutil.copytree(source, saved)
    return run


def run_gitlab_job(
    pipeline: Path, job: str, *, workdir: Path, variables: dict[str, str], env: dict[str, str]
) -> JobRun:
    """Run one GitLab job's before_script and script as one shell script in `workdir`."""
    document = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    spec = document[job]
    run = JobRun()
    lines: list[str] = []
    for line in [*spec.get("before_script", []), *spec["script"]]:
        if "pip install" in line:
            run.installs.append(line)
        else:
            lines.append(line)
    pipeline_vars = {k: str(v) for k, v in (document.get("variables") or {}).items()}
    full_env = {**env, **pipeline_vars, **variables}
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", "\n".join(lines)], cwd=workdir, env=full_env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    run.steps.append(StepRun(job, done.returncode, done.stdout + done.stderr))
    return run


def _fill(text: str, contexts: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        found: Any = contexts
        for part in match.group(1).split("."):
            if not isinstance(found, dict) or part not in found:
                raise KeyError(f"the runner has no value for ${{{{ {match.group(1)} }}}}")
            found = found[part]
        return str(found)

    return EXPRESSION.sub(value, text)


def _condition(expression: str, failed: bool, outputs: dict[str, dict[str, str]]) -> bool:
    expression = expression.strip()
    if expression == "always()":
        return True
    if expression == "success()":
        return not failed
    if expression == "failure()":
        return failed
    match = OUTPUT_TEST.fullmatch(expression)
    if match is None:
        raise ValueError(f"the runner cannot evaluate `if: {expression}`")
    step, name, wanted = match.groups()
    return not failed and outputs.get(step, {}).get("outputs", {}).get(name) == wanted


def _action(
    uses: str, options: dict[str, str], workdir: Path, artifacts: Path, run: JobRun
) -> tuple[int, str]:
    uses = uses.split("@")[0]
    if uses in ("actions/checkout", "actions/setup-python"):
        return 0, "(played by the test: the clone is the checkout)"
    if uses == "actions/upload-artifact":
        source = workdir / options["path"]
        if not source.exists():
            missing_ok = options.get("if-no-files-found") == "ignore"
            return (0, "no files") if missing_ok else (1, f"{source} not found")
        target = artifacts / options["name"]
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / source.name)
        run.artifacts[options["name"]] = target
        return 0, f"uploaded {source}"
    if uses == "actions/cache/save":  # saved at once, under its key
        source, saved = workdir / options["path"], artifacts.parent / "caches" / options["key"]
        if source.is_dir() and not saved.exists():
            shutil.copytree(source, saved)
        return 0, f"saved {options['key']}"
    if uses == "actions/cache":
        caches = artifacts.parent / "caches"
        path = workdir / options["path"]
        prefixes = [options["key"], *options.get("restore-keys", "").splitlines()]
        found = sorted(caches.glob("*"), key=lambda c: c.stat().st_mtime) if caches.exists() else []
        hit = next((c for p in prefixes for c in reversed(found) if c.name.startswith(p)), None)
        if hit is not None:
            shutil.copytree(hit, path, dirs_exist_ok=True)
            run.restored.append(hit.name)
        run.saves.append((caches / options["key"], path))
        return 0, f"restored {hit.name}" if hit is not None else "no cache found"
    raise ValueError(f"the runner does not play the action {uses}")


def _read_outputs(path: Path) -> dict[str, str]:
    pairs = (line.partition("=") for line in path.read_text().splitlines() if "=" in line)
    return {key: value for key, _, value in pairs}
