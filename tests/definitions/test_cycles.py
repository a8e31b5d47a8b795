"""find_cycles gives the cycles the Tarjan walk it replaced gave, in the same order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from runform.providers.cutover.definitions.cycles import _cycle_in, find_cycles

NAMES = [f"t{number}" for number in range(12)]


def reference_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of tasks (iterative Tarjan), as a path of names."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = graph.get(node, [])
            if child < len(successors):
                work.append((node, child + 1))
                target = successors[child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in graph.get(node, []):
                    groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return [_cycle_in(group, graph) for group in groups]


graphs = st.dictionaries(
    st.sampled_from(NAMES), st.lists(st.sampled_from([*NAMES, "template task"]), max_size=4)
)


@st.composite
def mostly_backward_graphs(draw: st.DrawFn) -> dict[str, list[str]]:
    """Graphs whose edges lead to earlier nodes (as files write them), now and then not."""
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=len(NAMES)))
    graph = {}
    for position, name in enumerate(names):
        earlier = [*names[:position], "template task"]
        graph[name] = draw(st.lists(st.sampled_from(earlier), max_size=3))
        if draw(st.integers(0, 19)) == 0:
            graph[name].append(draw(st.sampled_from(names)))
    return graph


@given(graphs)
def test_cycles_match_the_reference(graph: dict[str, list[str]]) -> None:
    assert find_cycles(graph) == reference_cycles(graph)


@given(mostly_backward_graphs())
def test_cycles_of_mostly_backward_graphs_match_the_reference(
    graph: dict[str, list[str]],
) -> None:
    assert find_cycles(graph) == reference_cycles(graph)


def test_a_graph_written_in_order_has_no_cycle() -> None:
    assert find_cycles({"b": ["a"], "c": ["b", "a"]}) == []
    assert find_cycles({"b": ["a"], "c": ["b", "c"]}) == [["c"]]


def test_a_long_chain_with_one_cycle_at_its_end() -> None:
    graph = {f"t{n}": [f"t{n - 1}"] for n in range(1, 3000)} | {"t0": ["t2999"]}
    assert find_cycles(graph) == reference_cycles(graph)
    assert len(find_cycles(graph)[0]) == 3000
