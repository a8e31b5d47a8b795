"""A plan's runbooks as dependency graphs: what the Mermaid and DOT writers draw.

Each runbook is a cluster, its streams clusters inside it (substreams nested), its tasks nodes,
predecessors edges. Nodes carry the plan's change (+ create, ~ update, - delete) and whether
they are on the critical path the plan computed (`Schedule.critical_path`), so the writers
only choose how each looks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from runform.providers.cutover.plan.model import Action, Kind, Plan, RunbookPlan
from runform.providers.cutover.plan.outline import Outline, StreamNode

MARKS = {Action.CREATE: "+", Action.COPY: "+", Action.UPDATE: "~", Action.DELETE: "-"}
DELETED = "-"


@dataclass
class Node:
    id: str
    name: str
    mark: str = ""  # "+", "~", "-" or "" (unchanged)
    critical: bool = False

    @property
    def label(self) -> str:
        return f"{self.mark} {self.name}" if self.mark else self.name


@dataclass
class Cluster:
    """A runbook or a stream: its own tasks and the streams inside it."""

    id: str
    name: str
    mark: str = ""
    nodes: list[Node] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.mark} {self.name}" if self.mark else self.name

    def all_nodes(self) -> Iterator[Node]:
        yield from self.nodes
        for cluster in self.clusters:
            yield from cluster.all_nodes()

    def all_clusters(self) -> Iterator[Cluster]:
        yield self
        for cluster in self.clusters:
            yield from cluster.all_clusters()


@dataclass(frozen=True)
class Edge:
    source: str  # the predecessor's node id
    target: str
    critical: bool = False
    dashed: bool = False  # from or to a deleted task


@dataclass
class Diagram:
    runbooks: list[Cluster] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def nodes(self) -> Iterator[Node]:
        for runbook in self.runbooks:
            yield from runbook.all_nodes()


def plan_diagram(plan: Plan, live: bool = False, changed_only: bool = False) -> Diagram:
    """The diagram of every runbook in the plan: after the plan, or as Cutover has it now
    (`live`, unmarked; runbooks Cutover does not have are left out). `changed_only`: only the
    changed tasks and their direct predecessors and successors (runbooks without any left out).
    """
    diagram = Diagram()
    for index, runbook in enumerate(plan.roots):
        if isinstance(runbook, RunbookPlan):
            drawn = runbook_diagram(runbook, f"r{index}", live, changed_only)
            if drawn is not None:
                diagram.runbooks += drawn.runbooks
                diagram.edges += drawn.edges
    return diagram


def runbook_diagram(
    runbook: RunbookPlan, prefix: str, live: bool = False, changed_only: bool = False
) -> Diagram | None:
    """One runbook's diagram, node ids starting with `prefix`; None when there is nothing to
    draw (no outline on that side, or nothing changed with `changed_only`)."""
    outline = runbook.outline_before if live else runbook.outline_after
    if outline is None:
        return None
    schedule = runbook.schedule_before if live else runbook.schedule_after
    path = tuple(schedule.critical_path) if schedule is not None else ()
    on_path = set(path)
    marks = {} if live else _marks(runbook, Kind.TASK)
    chosen = _neighbourhood(outline, marks) if changed_only else None
    if chosen is not None and not chosen:
        return None
    ids: dict[str, str] = {}
    nodes: dict[str, Node] = {}
    for number, task in enumerate(outline.tasks):
        if task.name in ids or (chosen is not None and task.name not in chosen):
            continue
        ids[task.name] = f"{prefix}t{number}"
        nodes[task.name] = Node(
            ids[task.name], task.name, marks.get(task.name, ""), task.name in on_path
        )
    root = Cluster(prefix, runbook.name)
    stream_marks = {} if live else _marks(runbook, Kind.STREAM)
    streams = _stream_clusters(outline.streams, prefix, stream_marks)
    for task in outline.tasks:
        node = nodes.pop(task.name, None)  # a repeated name is drawn once, where it first is
        if node is not None:
            home = streams.get(task.stream) if task.stream else None
            (home or root).nodes.append(node)
    root.clusters = [c for c in _nest(outline.streams, streams) if chosen is None or _used(c)]
    pairs = set(pairwise(path))
    edges = []
    for task in outline.tasks:
        if task.name not in ids:
            continue
        for predecessor in dict.fromkeys(task.predecessors):
            if predecessor not in ids or predecessor == task.name:
                continue
            dashed = DELETED in (marks.get(predecessor), marks.get(task.name))
            edges.append(
                Edge(ids[predecessor], ids[task.name], (predecessor, task.name) in pairs, dashed)
            )
    return Diagram([root], list(dict.fromkeys(edges)))


def _marks(runbook: RunbookPlan, kind: Kind) -> dict[str, str]:
    changes = runbook.changes
    return {c.name: MARKS[c.action] for c in changes if c.kind == kind and c.action in MARKS}


def _neighbourhood(outline: Outline, marks: dict[str, str]) -> set[str]:
    """The changed tasks with their direct predecessors and successors."""
    chosen = set(marks)
    for task in outline.tasks:
        if task.name in marks:
            chosen.update(task.predecessors)
        elif any(p in marks for p in task.predecessors):
            chosen.add(task.name)
    return chosen & {t.name for t in outline.tasks}


def _stream_clusters(
    streams: tuple[StreamNode, ...], prefix: str, marks: dict[str, str]
) -> dict[str, Cluster]:
    clusters: dict[str, Cluster] = {}
    for number, stream in enumerate(streams):
        if stream.name not in clusters:
            clusters[stream.name] = Cluster(
                f"{prefix}s{number}", stream.name, marks.get(stream.name, "")
            )
    return clusters


def _nest(streams: tuple[StreamNode, ...], clusters: dict[str, Cluster]) -> list[Cluster]:
    """Substreams inside their parents; a stream whose parent is unknown (or that would end
    up inside itself) stays at the top."""
    top: list[Cluster] = []
    placed: dict[str, str | None] = {}  # stream -> the stream it was put in (None: the top)
    for stream in streams:
        if stream.name in placed:
            continue
        parent = stream.parent
        if parent in clusters and not _inside(parent, stream.name, placed):
            clusters[parent].clusters.append(clusters[stream.name])
            placed[stream.name] = parent
        else:
            top.append(clusters[stream.name])
            placed[stream.name] = None
    return top


def _inside(name: str | None, ancestor: str, placed: dict[str, str | None]) -> bool:
    """Whether `name` is `ancestor` or was put (at any depth) inside it."""
    while name is not None:
        if name == ancestor:
            return True
        name = placed.get(name)
    return False


def _used(cluster: Cluster) -> bool:
    """Whether a stream holds any drawn task; empty ones are pruned from a partial graph."""
    cluster.clusters = [c for c in cluster.clusters if _used(c)]
    return bool(cluster.nodes or cluster.clusters)
