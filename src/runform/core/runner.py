"""The apply loop: start each change the moment its last dependency is done, up to a bound.

Not in waves: a task starts as soon as its predecessors exist, so a deep chain and a wide
fan-out overlap. A write whose outcome is unknown pauses only its root: once that
root's calls in flight have finished, its provider re-reads it and says what remains, and the
apply goes on. Any other failure (or an interrupt) stops new work and lets calls in flight
finish, so the account of what happened is exact.

A progress that also has `event(type, fields)` is told each step as a record (`apply
--json`): a change starting and ending, and notes (uncertain, adopted, recovered).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from runform.core.address import parse
from runform.core.graph import Graph, build_graph, check_order
from runform.core.journal import Journal
from runform.core.model import Action, Change, Plan, RootPlan
from runform.core.progress import ApplyProgress, SilentProgress
from runform.core.result import ApplyResult, ApplyStatus, Failure, Outcome
from runform.core.root_session import RootSession, Sessions
from runform.core.schema import Schema
from runform.errors import ApplyError, OutcomeUnknown, PlanError, RunformError

MAX_RECOVERIES = 200  # re-reads per root before giving up (each one makes progress)
_OPEN = ("pending", "ready", "uncertain")


@dataclass
class _RootRun:
    """One root's share of the apply: its graph, node states and provider session."""

    plan: RootPlan
    session: RootSession
    graph: Graph = field(default_factory=lambda: Graph([]))
    generation: int = 0
    state: dict[int, str] = field(default_factory=dict)
    waiting: dict[int, int] = field(default_factory=dict)
    planned: dict[str, str] = field(default_factory=dict)  # address -> planned action
    in_flight: int = 0
    needs_recovery: bool = False
    recoveries: int = 0
    adopted: set[str] = field(default_factory=set)  # roots found made since the plan

    def open_changes(self) -> list[Change]:
        return [n.change for n in self.graph.nodes if self.state[n.index] in _OPEN]


class Applier:
    """Runs one plan; `interrupt()` (e.g. from a SIGINT handler) stops it gracefully."""

    def __init__(
        self,
        plan: Plan,
        sessions: Sessions,
        schema: Schema,
        *,
        parallelism: int = 10,
        journal: Journal | None = None,
        progress: ApplyProgress | None = None,
        requests: Callable[[], int] | None = None,
    ) -> None:
        if parallelism < 1:
            raise ApplyError("--parallelism must be at least 1")
        self.plan = plan
        self.sessions = sessions
        self.schema = schema
        self.parallelism = parallelism
        self.journal = journal or Journal()
        self.progress = progress or SilentProgress()
        self.requests = requests or (lambda: 0)
        self.result = ApplyResult()
        self.stopping = False
        self._heap: list[tuple[int, int, int, int, int]] = []
        self._sequence = itertools.count()
        self._runs: list[_RootRun] = []
        self._workers: set[asyncio.Task[None]] = set()
        self._active = 0  # calls in flight, bounded by parallelism
        self._wake = asyncio.Event()
        self._events = getattr(self.progress, "event", None)

    def _emit(self, event_type: str, /, **fields: Any) -> None:
        """Tell a progress that takes records (`event`) about one step of the apply."""
        if self._events is not None:
            self._events(event_type, fields)

    def interrupt(self) -> None:
        """Stop scheduling; calls in flight finish and are journaled."""
        if not self.stopping:
            message = "Interrupted: finishing calls in flight, starting no new ones."
            self.progress.note(message)
            self._emit("note", kind="interrupted", message=message)
        self.stopping = True
        if self.result.status is ApplyStatus.COMPLETE:
            self.result.status = ApplyStatus.INTERRUPTED

    async def run(self) -> ApplyResult:
        """Apply every runbook's changes and return the exact account."""
        started = time.perf_counter()
        requests_before = self.requests()
        if self.plan.blocked:
            raise PlanError(f"the plan is blocked: {self.plan.blocked}")
        refused = [rb for rb in self.plan.roots if not rb.appliable]
        if refused:
            raise PlanError("; ".join(f"{_label(rb)}: {rb.refusal}" for rb in refused))
        for runbook_plan in self.plan.roots:
            check_order(runbook_plan.changes, self.schema)
        for index, runbook_plan in enumerate(self.plan.roots):
            run = _RootRun(plan=runbook_plan, session=self.sessions(runbook_plan))
            changes = [c for c in runbook_plan.changes if c.action is not Action.NOOP]
            for change in changes:
                run.planned.setdefault(change.address, change.action.value)
            self._runs.append(run)
            self._install(index, changes)
            if changes:
                self.progress.start(runbook_plan.name, len(run.graph.nodes))
        try:
            await self._loop()
        finally:
            self._finish(started, requests_before)
        return self.result

    def _install(self, run_index: int, changes: list[Change]) -> None:
        """(Re)build a runbook's graph from `changes` and queue what can start now."""
        run = self._runs[run_index]
        run.graph = build_graph(changes)
        run.generation += 1
        run.state = {n.index: "pending" for n in run.graph.nodes}
        run.waiting = {n.index: len(n.requires) for n in run.graph.nodes}
        for node in run.graph.roots():
            self._make_ready(run_index, node.index)

    def _make_ready(self, run_index: int, node_index: int) -> None:
        run = self._runs[run_index]
        run.state[node_index] = "ready"
        node = run.graph.nodes[node_index]
        entry = (-node.height, next(self._sequence), run_index, node_index, run.generation)
        heapq.heappush(self._heap, entry)

    async def _loop(self) -> None:
        recoveries: dict[asyncio.Task[Any], int] = {}
        while True:
            self._wake.clear()
            if not self.stopping:
                self._launch()
                for run_index, run in enumerate(self._runs):
                    busy = run_index in recoveries.values()
                    if run.needs_recovery and run.in_flight == 0 and not busy:
                        task = asyncio.ensure_future(self._recover(run))
                        task.add_done_callback(self._poke)
                        recoveries[task] = run_index
            if not self._workers and not recoveries:
                return
            await self._wake.wait()
            for worker in [w for w in self._workers if w.done()]:
                self._workers.discard(worker)
                worker.result()  # a worker settles its own calls: only a bug gets here
            for task in [t for t in recoveries if t.done()]:
                self._settle_recovery(task, recoveries.pop(task))

    def _poke(self, _: object = None) -> None:
        self._wake.set()

    def _launch(self) -> None:
        """Start a worker for each ready change while a slot is free."""
        while self._active < self.parallelism:
            picked = self._take_ready()
            if picked is None:
                return
            worker = asyncio.ensure_future(self._work(*picked))
            worker.add_done_callback(self._poke)
            self._workers.add(worker)

    def _take_ready(self) -> tuple[int, int] | None:
        """Claim a slot for the highest ready change (longest chain below it first)."""
        while self._heap:
            _, _, run_index, node_index, generation = heapq.heappop(self._heap)
            run = self._runs[run_index]
            if generation != run.generation or run.state.get(node_index) != "ready":
                continue
            if run.needs_recovery:
                continue  # re-queued by the re-plan once the runbook is re-read
            run.state[node_index] = "running"
            run.in_flight += 1
            self._active += 1
            return run_index, node_index
        return None

    async def _work(self, run_index: int, node_index: int) -> None:
        """Make a change, then go straight on with the next ready one (no hop via the loop)."""
        while True:
            change = self._runs[run_index].graph.nodes[node_index].change
            session = self._runs[run_index].session
            self._emit(
                "change_start",
                address=change.address,
                action=change.action.value,
                id=change.id or session.known_id(change),
            )
            try:
                object_id = await session.perform(change, self._record)
            except Exception as error:  # settled as the change's outcome
                self._settle_call(run_index, node_index, None, error)
            else:
                self._settle_call(run_index, node_index, object_id, None)
            run = self._runs[run_index]
            if run.needs_recovery and run.in_flight == 0:
                self._poke()  # the runbook's last call in flight is done: re-read it now
            if self.stopping:
                return
            picked = self._take_ready()
            if picked is None:
                return
            run_index, node_index = picked
            self._launch()  # more became ready than this worker can take: fill free slots

    def _settle_call(
        self, run_index: int, node_index: int, object_id: Any, error: Exception | None
    ) -> None:
        run = self._runs[run_index]
        run.in_flight -= 1
        self._active -= 1
        node = run.graph.nodes[node_index]
        change = node.change
        if error is None:
            run.state[node_index] = "done"
            self._done(run, change.address, object_id)
            self._ended(change, object_id, "done")
            for dependent in node.dependents:
                run.waiting[dependent] -= 1
                if run.waiting[dependent] == 0 and run.state[dependent] == "pending":
                    self._make_ready(run_index, dependent)
            return
        if isinstance(error, OutcomeUnknown):
            run.state[node_index] = "uncertain"
            run.needs_recovery = True
            if error.event == "adopted":
                run.adopted.add(change.address)
                note = f"{error.reason}; re-planning its remaining changes against it"
            else:
                note = (
                    f"{change.address}: {error.reason}; re-reading the "
                    f"{parse(change.address).root.kind}"
                )
            self.journal.record(
                event=error.event,
                type="info",
                address=change.address,
                action=change.action.value,
                method=error.method,
                path=error.path,
                **({"id": error.object_id} if error.object_id else {}),
            )
            self._ended(change, error.object_id, error.event, error.reason)
            self.progress.note(note)
            self._emit(
                "note", kind=error.event, message=note, address=change.address, id=error.object_id
            )
            return
        run.state[node_index] = "failed"
        message = _message(error, change)
        self._ended(change, None, "failed", message)
        self._fail(run, change.address, message)

    async def _recover(self, run: _RootRun) -> list[Change]:
        run.recoveries += 1
        self.result.recoveries += 1
        if run.recoveries > MAX_RECOVERIES:
            raise ApplyError(f"{run.plan.address}: gave up after {MAX_RECOVERIES} re-reads")
        return await run.session.remaining(run.open_changes())

    def _settle_recovery(self, task: asyncio.Task[Any], run_index: int) -> None:
        run = self._runs[run_index]
        error = task.exception()
        if error is not None:
            for change in run.open_changes():
                self._fail(run, change.address, f"not made: re-reading failed: {_message(error)}")
            run.state = {i: "failed" if s in _OPEN else s for i, s in run.state.items()}
            return
        remaining: list[Change] = task.result()
        left = {c.address for c in remaining}
        # After an adoption, what the re-read shows made was made by another apply.
        adopting, run.adopted = bool(run.adopted), set()
        for change in run.open_changes():
            if change.address not in left:
                # The re-read shows it made: the write went through before its answer was lost
                # (or, adopted, another apply made it since the plan).
                object_id = run.session.known_id(change)
                adopted = adopting
                action = run.planned.get(change.address, change.action.value)
                self.journal.record(
                    event="adopted" if adopted else "confirmed",
                    type="info" if adopted else self._entry_type(change.kind, action),
                    address=change.address,
                    action=action,
                    id=object_id,
                )
                self._done(run, change.address, object_id, "adopt" if adopted else None)
                how = "adopted (made since the plan)" if adopted else "made (a re-read shows it)"
                self._emit(
                    "note",
                    kind="adopted" if adopted else "recovered",
                    message=f"{change.address}: {how}",
                    address=change.address,
                    id=object_id,
                )
        for change in remaining:
            run.planned.setdefault(change.address, change.action.value)
        run.needs_recovery = False
        self._install(run_index, remaining)
        self.progress.retotal(run.plan.name, len(remaining))

    def _done(
        self, run: _RootRun, address: str, object_id: str | None, action: str | None = None
    ) -> None:
        """Count a change made; `action` "adopt" for an object found made by someone else."""
        action = action or run.planned.get(address, "update")
        self.result.done.append(Outcome(address=address, action=action, id=object_id))
        self.progress.advance(run.plan.name, address, action, object_id)

    def _ended(self, change: Change, object_id: Any, outcome: str, message: Any = None) -> None:
        address, action = change.address, change.action.value
        self._emit("change_end", address=address, action=action, id=object_id, outcome=outcome,
                   message=message)  # fmt: skip

    def _fail(self, run: _RootRun, address: str, message: str) -> None:
        action = run.planned.get(address, "update")
        self.result.failed.append(Failure(address=address, action=action, message=message))
        self.journal.record(
            event="failed", type="error", address=address, action=action, message=message
        )
        self.progress.note(f"{address}: {message}")
        self.stopping = True
        self.result.status = ApplyStatus.FAILED

    def _record(self, change: Change, method: str, path: str, object_id: str | None) -> None:
        self.journal.record(
            # A create's loser of a race archives what it made: a DELETE is typed as one.
            type=self._entry_type(
                change.kind, "delete" if method == "DELETE" else change.action.value
            ),
            address=change.address,
            action=change.action.value,
            id=object_id,
            method=method,
            path=path,
        )

    def _entry_type(self, kind: str, action: str) -> str:
        """The journal type of a call: its action's, a deletion that archives an `archive`."""
        if action == "delete":
            return "archive" if self.schema.type(kind).archives else "delete"
        return "create" if action in ("create", "copy") else action

    def _finish(self, started: float, requests_before: int) -> None:
        done = {o.address for o in self.result.done}
        failed = {f.address for f in self.result.failed}
        for run in self._runs:
            for node in run.graph.nodes:
                address, status = node.change.address, run.state[node.index]
                if address in done or address in failed:
                    continue
                if status == "uncertain":
                    self.result.uncertain.append(address)
                elif status != "done":
                    self.result.not_attempted.append(address)
        if (self.result.uncertain or self.result.not_attempted) and self.result.ok:
            self.result.status = ApplyStatus.FAILED
        self.result.elapsed = time.perf_counter() - started
        self.result.requests = self.requests() - requests_before
        if self.journal.on_disk:
            self.result.journal_path = str(self.journal.path)
            self.journal.write_summary(self.result.to_json())


def _message(error: BaseException, change: Change | None = None) -> str:
    """A one-line message for a failed call (API errors name the object and field)."""
    label = f'{change.kind} "{change.name}"' if change is not None else None
    describe = getattr(error, "describe", None)
    if callable(describe):
        return str(describe(label))
    if isinstance(error, RunformError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _label(root: RootPlan) -> str:
    """`runbook "Name"` for a root plan, from its address."""
    kind = root.address.partition("[")[0]
    return f'{kind} "{root.name}"'
