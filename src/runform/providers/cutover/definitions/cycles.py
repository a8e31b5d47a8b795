"""Predecessor-cycle search over a task graph (iterative Tarjan), and its messages. Apart from
checks.py because the plan (schedules, cycles through template tasks) and `validate --online`
search the same way."""

from __future__ import annotations

from runform.text.safe import shown


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of tasks (iterative Tarjan), as a path of names.

    Each frame of the walk holds an iterator over its node's successors, so a step is one
    `for` turn (a plan walks 10,000 tasks, most of them in no cycle). Files mostly write a
    task after the tasks it follows; when every edge goes back like that there is no cycle,
    and the walk is skipped.
    """
    if _only_backward(graph):
        return []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    no_successors: list[str] = []
    for start in graph:
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(graph[start]))]
        while work:
            node, successors = work[-1]
            for target in successors:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph.get(target, no_successors))))
                    break
                if target in on_stack and index[target] < low[node]:
                    low[node] = index[target]
            else:
                work.pop()
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1 or node in graph.get(node, no_successors):
                        groups.append(group)
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
    return [_cycle_in(group, graph) for group in groups]


def _only_backward(graph: dict[str, list[str]]) -> bool:
    """Whether every edge leads to a node listed earlier, or to one with no successors.

    Then the graph has no cycle: around one, each node would be listed before the one before.
    """
    order = {node: position for position, node in enumerate(graph)}
    for node, successors in graph.items():
        position = order[node]
        for target in successors:
            if order.get(target, -1) >= position:
                return False
    return True


def cycle_messages(
    graph: dict[str, list[str]], where: dict[str, str], label: str = ""
) -> list[str]:
    """`file:line:col: predecessor cycle: "a" → "b" → "a"` for each cycle, at a file task in it.

    `graph` maps each task to its predecessors; `where` gives the files' tasks' positions
    (a cycle through template tasks is always closed by a file task, or Cutover has it).
    """
    messages = []
    for cycle in find_cycles(graph):
        written = [index for index, name in enumerate(cycle) if name in where]
        start = written[0] if written else 0
        cycle = cycle[start:] + cycle[:start]  # the same cycle, from a task of the files
        shown_cycle = " → ".join(f'"{shown(name)}"' for name in [*cycle, cycle[0]])
        at = where.get(cycle[0], "files")
        messages.append(f"{at}: {label}predecessor cycle: {shown_cycle}")
    return messages


def _cycle_in(group: list[str], graph: dict[str, list[str]]) -> list[str]:
    """The shortest cycle through the group's first-written member (breadth-first)."""
    order = {name: position for position, name in enumerate(graph)}
    members = set(group)
    start = min(group, key=lambda name: order.get(name, len(order)))
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in graph.get(node, []):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return list(reversed(path))
                if target in members and target not in parents:
                    parents[target] = node
                    following.append(target)
        frontier = following
    return [start]
