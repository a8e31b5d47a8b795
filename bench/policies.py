"""Benchmark: what policies add to a plan of a 10,000-task runbook; print the seconds.

Run: python bench/policies.py [--tasks 10000] [--changed 100] [--runs 3]
Two plans, made in memory in the shape the planner makes them: a new runbook of TASKS tasks
(every task a create: the most a policy can be asked to read) and an existing runbook of
TASKS tasks where CHANGED are edited (a usual review). For each: the six built-in rules, then
the built-ins and one Rego policy (a fresh interpreter per run: regopy's import, the policy's
parse, the plan's JSON read as input, the query). Target: under 0.5 s added.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from runform.core.model import Action, Change, FieldChange
from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.plan.model import (
    Plan,
    RunbookPlan,
    Schedule,
    runbook_address,
    task_address,
)

RUNBOOK = "Benchmark runbook"
POLICY = """# METADATA
# title: Every task in a Production stream has an assignee
# custom:
#   severity: warning
package runform.production_assignees

import rego.v1

deny contains denial if {
	some root in input.roots
	some change in root.changes
	change.kind == "task"
	change.action != "delete"
	startswith(change.after.stream, "Production")
	count(object.get(change.after, "assignees", [])) == 0
	denial := {"msg": "a task in a Production stream has no assignee", "address": change.address}
}
"""
BUILTINS = {
    "task_assignee": {"severity": "warning"},
    "runbook_approval": {"severity": "critical"},
    "keep_level_1": {"severity": "critical"},
    "task_duration": {"severity": "warning", "max": "8h"},
    "critical_path_growth": {"severity": "warning", "percent": 10},
    "freeze_window": {"severity": "critical", "before": "24h"},
}


def task_after(index: int) -> dict[str, object]:
    stream = "Production" if index % 2 else "Preparation"
    unassigned = index % 50 == 1  # one task in 50, in a Production stream: the policy denies it
    assignees = [] if unassigned else [{"kind": "user", "name": f"user{index % 7}@example.com"}]
    return {
        "name": f"Task {index}",
        "stream": stream,
        "type": "Normal",
        "duration": 900,
        "level": "level_3",
        "predecessors": [f"Task {index - 1}"] if index else [],
        "assignees": assignees,
        "description": f"Step {index} of the benchmark runbook.",
    }


def new_runbook(tasks: int) -> Plan:
    changes = [
        Change(
            address=task_address(RUNBOOK, f"Task {i}"),
            kind="task",
            action=Action.CREATE,
            root=RUNBOOK,
            name=f"Task {i}",
            after=task_after(i),
            depends_on=(runbook_address(RUNBOOK),),
        )
        for i in range(tasks)
    ]
    schedule = Schedule(task_count=tasks, critical_path_seconds=900 * tasks,
                        task_types={"Approval": 1, "Normal": tasks - 1})  # fmt: skip
    root = RunbookPlan(name=RUNBOOK, address=runbook_address(RUNBOOK), changes=changes,
                       schedule_after=schedule)  # fmt: skip
    return Plan(roots=[root])


def edited_runbook(tasks: int, changed: int) -> Plan:
    changes = []
    for i in range(changed):
        before, after = task_after(i), {**task_after(i), "duration": 1200}
        changes.append(
            Change(
                address=task_address(RUNBOOK, f"Task {i}"),
                kind="task",
                action=Action.UPDATE,
                root=RUNBOOK,
                name=f"Task {i}",
                id=str(1000 + i),
                before=before,
                after=after,
                fields=(FieldChange(field="duration", before=900, after=1200),),
            )
        )
    schedule = Schedule(task_count=tasks, critical_path_seconds=900 * tasks,
                        task_types={"Approval": 1, "Normal": tasks - 1},
                        start_scheduled="2099-01-01T09:00:00+00:00")  # fmt: skip
    grown = schedule.model_copy(update={"critical_path_seconds": 900 * tasks + 300 * changed})
    live_ids = {task_address(RUNBOOK, f"Task {i}"): str(1000 + i) for i in range(tasks)}
    root = RunbookPlan(name=RUNBOOK, address=runbook_address(RUNBOOK), live_id="1",
                       changes=changes, unchanged={"task": tasks - changed}, live_ids=live_ids,
                       schedule_before=schedule, schedule_after=grown)  # fmt: skip
    return Plan(roots=[root])


def project(policy_dir: Path) -> ProjectConfig:
    return ProjectConfig.model_validate({"policies": {"dir": str(policy_dir), **BUILTINS}})


def timed(plan: Plan, config: ProjectConfig, runs: int) -> tuple[list[float], int]:
    from runform.providers.cutover.policy.check import policy_outcomes

    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        outcomes = policy_outcomes(plan, config)
        seconds.append(time.perf_counter() - start)
    assert outcomes, "no policy was checked"
    return seconds, sum(len(o.findings) for o in outcomes)


def regopy_import_seconds() -> float:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t = time.perf_counter(); import regopy; print(time.perf_counter() - t)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        empty, rego = Path(folder) / "none", Path(folder) / "policies"
        rego.mkdir()
        (rego / "production_assignees.rego").write_text(POLICY)
        print(f"regopy import (a fresh interpreter): {regopy_import_seconds():.3f} s")
        plans = (
            (f"new runbook, {args.tasks} task creates", new_runbook(args.tasks)),
            (
                f"{args.tasks}-task runbook, {args.changed} tasks edited",
                edited_runbook(args.tasks, args.changed),
            ),
        )
        for label, plan in plans:
            for what, config in (
                ("built-ins", project(empty)),
                ("built-ins + Rego", project(rego)),
            ):
                seconds, findings = timed(plan, config, args.runs)
                print(
                    f"{label}: {what}: median {statistics.median(seconds):.4f} s, "
                    f"min {min(seconds):.4f} s ({args.runs} runs, {findings} findings)"
                )
    print("target: under 0.500 s added to a plan")


if __name__ == "__main__":
    main()
