"""The dependency graph of a plan's changes: the planner's `depends_on`, and nothing else.

The order is decided once, by the planner (`runform.core.order`); apply checks that a plan has
every edge its schema requires (`check_order`) and refuses one that lacks any, rather than
adding edges of its own that the reviewed plan never showed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from runform.core.model import Action, Change
from runform.core.order import missing_dependencies
from runform.core.schema import Schema
from runform.errors import PlanError


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


def check_order(changes: Iterable[Change], schema: Schema) -> None:
    """Refuse changes whose `depends_on` lack an edge the schema requires."""
    missing = missing_dependencies(list(changes), schema)
    if missing:
        shown = "; ".join(f"{change} needs {needed}" for change, needed in missing[:5])
        more = f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""
        raise PlanError(
            f"the plan's order is incomplete: {shown}{more}; make the plan again with this runform"
        )


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
        for other in by_address.get(address, ()):  # an edge to a change not planned is moot
            if other != node.index:
                node.requires.add(other)

    for node in nodes:
        for address in node.change.depends_on:
            link(node, address)
        for required in node.requires:
            nodes[required].dependents.add(node.index)

    _compute_heights(nodes)
    return Graph(nodes)


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
