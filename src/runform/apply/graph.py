"""The dependency graph of a plan's changes, in the order an apply must respect.

The planner's `depends_on` is honoured, and the order the API needs is derived on top of it,
so a plan that forgets an edge still applies safely: runbook create/copy, then runbook patch,
then streams (parents first), then tasks (after their stream and predecessors), then deletes
(tasks successors first, then streams children first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from runform.errors import PlanError
from runform.plan.model import Action, Change, Kind, stream_address, task_address


@dataclass
class Node:
    """One change in the graph: what it waits for and who waits for it."""

    index: int
    change: Change
    requires: set[int] = field(default_factory=set)
    dependents: set[int] = field(default_factory=set)
    height: int = 0  # longest chain of dependents below this node: a scheduling priority


@dataclass
class Graph:
    """Changes as nodes with dependency edges; built once per apply (and per re-plan)."""

    nodes: list[Node]

    def roots(self) -> list[Node]:
        return [node for node in self.nodes if not node.requires]


def build_graph(changes: Iterable[Change]) -> Graph:
    """Build the graph of `changes` (no-ops dropped), raising PlanError on a cycle."""
    nodes = [
        Node(index, change)
        for index, change in enumerate(c for c in changes if c.action is not Action.NOOP)
    ]
    by_address: dict[str, list[int]] = {}
    for node in nodes:
        by_address.setdefault(node.change.address, []).append(node.index)

    def link(node: Node, address: str) -> None:
        for other in by_address.get(address, ()):
            if other != node.index:
                node.requires.add(other)

    by_runbook: dict[str, list[Node]] = {}
    for node in nodes:
        by_runbook.setdefault(node.change.runbook, []).append(node)

    for runbook_nodes in by_runbook.values():
        _link_runbook(runbook_nodes, link)

    for node in nodes:
        for address in node.change.depends_on:
            link(node, address)
        for required in node.requires:
            nodes[required].dependents.add(node.index)

    _compute_heights(nodes)
    return Graph(nodes)


def _link_runbook(nodes: list[Node], link) -> None:
    """Add the edges the apply order needs within one runbook."""
    runbook_nodes = [n for n in nodes if n.change.kind is Kind.RUNBOOK]
    creating = [n for n in runbook_nodes if n.change.action in (Action.CREATE, Action.COPY)]
    patching = [n for n in runbook_nodes if n.change.action is Action.UPDATE]
    deletes = [n for n in nodes if n.change.action is Action.DELETE]
    others = [n for n in nodes if n.change.action is not Action.DELETE]
    for node in nodes:
        if node.change.kind is Kind.RUNBOOK and node.change.action is not Action.UPDATE:
            continue
        for first in creating + (patching if node.change.kind is not Kind.RUNBOOK else []):
            if first is not node:
                link(node, first.change.address)
    for node in others:
        if node.change.kind is Kind.RUNBOOK or node.change.action is Action.DELETE:
            continue
        after = node.change.after or {}
        runbook = node.change.runbook
        if node.change.kind is Kind.STREAM and after.get("parent"):
            link(node, stream_address(runbook, after["parent"]))
        if node.change.kind is Kind.TASK:
            if after.get("stream"):
                link(node, stream_address(runbook, after["stream"]))
            for predecessor in after.get("predecessors") or ():
                link(node, task_address(runbook, predecessor))
    _link_deletes(deletes, others, link)


def _link_deletes(deletes: list[Node], others: list[Node], link) -> None:
    """Deletes come last: task deletes successors first, then streams children first."""
    task_deletes = [n for n in deletes if n.change.kind is Kind.TASK]
    stream_deletes = [n for n in deletes if n.change.kind is Kind.STREAM]
    for node in deletes:
        for other in others:
            link(node, other.change.address)
    for node in stream_deletes:
        for task in task_deletes:
            link(node, task.change.address)
        for child in stream_deletes:
            if (child.change.before or {}).get("parent") == node.change.name:
                link(node, child.change.address)
    # A deleted task waits for the deletion of each deleted task that follows it.
    deleted_tasks = {n.change.name: n for n in task_deletes}
    for successor in task_deletes:
        for predecessor in (successor.change.before or {}).get("predecessors") or ():
            target = deleted_tasks.get(predecessor)
            if target is not None and target is not successor:
                link(target, successor.change.address)


def _compute_heights(nodes: list[Node]) -> None:
    """Topologically sort (Kahn) to find cycles and each node's longest chain of dependents."""
    remaining = {node.index: len(node.requires) for node in nodes}
    order: list[Node] = [node for node in nodes if not node.requires]
    cursor = 0
    while cursor < len(order):
        node = order[cursor]
        cursor += 1
        for dependent in node.dependents:
            remaining[dependent] -= 1
            if remaining[dependent] == 0:
                order.append(nodes[dependent])
    if len(order) != len(nodes):
        stuck = sorted(n.change.address for n in nodes if remaining[n.index] > 0)
        raise PlanError(
            "the plan's changes depend on each other in a cycle: " + ", ".join(stuck[:5])
        )
    for node in reversed(order):
        node.height = 1 + max((nodes[d].height for d in node.dependents), default=0)
