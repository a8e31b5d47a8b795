"""Readers of the graphs runform writes, written from the formats' rules (not from runform).

`parse_mermaid` is a structural parser of the flowchart subset runform uses: it refuses any
line it does not know and checks what a Mermaid renderer would trip on (unbalanced subgraphs,
edges to undeclared nodes, classes never defined, quotes or raw `#` inside labels). `read_dot`
reads DOT with pydot. Both return the same `Drawn` shape so tests can compare them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pydot

ID = r"[A-Za-z][A-Za-z0-9_]*"
LABEL = r'"([^"]*)"'
STYLE = r"[a-z-]+:[^,:\s][^,:]*(?:,[a-z-]+:[^,:\s][^,:]*)*"
RESERVED = {"end", "subgraph", "graph", "flowchart", "class", "classDef", "style", "linkStyle"}
DIRECTIONS = {"LR", "RL", "TB", "TD", "BT"}
LABEL_TEXT = re.compile(r"(?:[^\"`#<>]|#\d+;|<br>)*")


@dataclass
class Drawn:
    """A graph as read back: node labels, each node's cluster, clusters' parents, edges."""

    nodes: dict[str, str] = field(default_factory=dict)  # id -> label text
    node_cluster: dict[str, str | None] = field(default_factory=dict)
    clusters: dict[str, str] = field(default_factory=dict)  # id -> label text
    cluster_parent: dict[str, str | None] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)
    dashed_edges: set[int] = field(default_factory=set)
    classes: dict[str, set[str]] = field(default_factory=dict)  # class -> ids
    styled_edges: set[int] = field(default_factory=set)

    def by_label(self, label: str) -> str:
        return next(i for i, text in self.nodes.items() if text == label)


class SyntaxProblem(AssertionError):
    pass


def decode_mermaid(text: str) -> str:
    if not LABEL_TEXT.fullmatch(text):
        raise SyntaxProblem(f"label text Mermaid would misread: {text!r}")
    text = text.replace("<br>", "\n")
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def parse_mermaid(text: str) -> Drawn:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = lines[0].split(" ")
    if len(header) != 2 or header[0] != "flowchart" or header[1] not in DIRECTIONS:
        raise SyntaxProblem(f"not a flowchart header: {lines[0]!r}")
    drawn = Drawn()
    stack: list[str] = []
    defined: set[str] = set()
    used: list[tuple[str, list[str]]] = []
    styled: list[int] = []

    def declare(ident: str) -> None:
        if ident in RESERVED or ident in drawn.nodes or ident in drawn.clusters:
            raise SyntaxProblem(f"id declared twice or reserved: {ident}")

    for number, line in enumerate(lines[1:], start=2):
        stripped = line.strip()
        if m := re.fullmatch(rf"subgraph ({ID})\[{LABEL}\]", stripped):
            declare(m.group(1))
            drawn.clusters[m.group(1)] = decode_mermaid(m.group(2))
            drawn.cluster_parent[m.group(1)] = stack[-1] if stack else None
            stack.append(m.group(1))
        elif stripped == "end":
            if not stack:
                raise SyntaxProblem(f"line {number}: `end` without a subgraph")
            stack.pop()
        elif m := re.fullmatch(rf"({ID})\[{LABEL}\]", stripped):
            declare(m.group(1))
            drawn.nodes[m.group(1)] = decode_mermaid(m.group(2))
            drawn.node_cluster[m.group(1)] = stack[-1] if stack else None
        elif m := re.fullmatch(rf"({ID}) (-->|-\.->) ({ID})", stripped):
            if m.group(2) == "-.->":
                drawn.dashed_edges.add(len(drawn.edges))
            drawn.edges.append((m.group(1), m.group(3)))
        elif m := re.fullmatch(rf"classDef ({ID}) ({STYLE})", stripped):
            defined.add(m.group(1))
        elif m := re.fullmatch(rf"class ({ID}(?:,{ID})*) ({ID})", stripped):
            used.append((m.group(2), m.group(1).split(",")))
        elif m := re.fullmatch(rf"linkStyle (\d+(?:,\d+)*) ({STYLE})", stripped):
            styled += [int(n) for n in m.group(1).split(",")]
        else:
            raise SyntaxProblem(f"line {number}: not Mermaid this parser knows: {line!r}")
    if stack:
        raise SyntaxProblem(f"subgraphs left open: {stack}")
    for source, target in drawn.edges:
        if source not in drawn.nodes or target not in drawn.nodes:
            raise SyntaxProblem(f"edge between undeclared nodes: {source} --> {target}")
    for name, ids in used:
        if name not in defined:
            raise SyntaxProblem(f"class {name} has no classDef")
        for ident in ids:
            if ident not in drawn.nodes and ident not in drawn.clusters:
                raise SyntaxProblem(f"class {name} names an undeclared id {ident}")
        drawn.classes.setdefault(name, set()).update(ids)
    if any(n >= len(drawn.edges) for n in styled):
        raise SyntaxProblem("linkStyle names an edge that does not exist")
    drawn.styled_edges = set(styled)
    return drawn


def decode_dot(text: str) -> str:
    if not (len(text) >= 2 and text[0] == text[-1] == '"'):
        raise SyntaxProblem(f"not a quoted DOT string: {text!r}")
    out, chars, i = [], text[1:-1], 0
    while i < len(chars):
        if chars[i] == "\\" and i + 1 < len(chars):
            following = chars[i + 1]
            out.append({"n": "\n", "\\": "\\", '"': '"'}.get(following, "\\" + following))
            i += 2
        else:
            out.append(chars[i])
            i += 1
    return html.unescape("".join(out))  # Graphviz reads entity references in strings


def read_dot(text: str) -> Drawn:
    graphs = pydot.graph_from_dot_data(text)
    if not graphs or len(graphs) != 1:
        raise SyntaxProblem("not one DOT graph")
    drawn = Drawn()

    def walk(graph: pydot.Graph, cluster: str | None) -> None:
        for node in graph.get_nodes():
            name = node.get_name()
            if name in ("node", "edge", "graph"):
                continue
            drawn.nodes[name] = decode_dot(node.get_label())
            drawn.node_cluster[name] = cluster
            if "bold" in (node.get_style() or ""):
                drawn.classes.setdefault("critical", set()).add(name)
            if "dashed" in (node.get_style() or ""):
                drawn.classes.setdefault("delete", set()).add(name)
        for edge in graph.get_edges():
            if edge.get_style() == "dashed":
                drawn.dashed_edges.add(len(drawn.edges))
            if edge.get("penwidth") is not None:
                drawn.styled_edges.add(len(drawn.edges))
            drawn.edges.append((edge.get_source(), edge.get_destination()))
        for sub in graph.get_subgraphs():
            name = sub.get_name()
            if not name.startswith("cluster_"):
                raise SyntaxProblem(f"a subgraph that is not a cluster: {name}")
            ident = name.removeprefix("cluster_")
            drawn.clusters[ident] = decode_dot(sub.get("label"))
            drawn.cluster_parent[ident] = cluster
            walk(sub, ident)

    walk(graphs[0], None)
    return drawn
