"""A diagram as a Mermaid flowchart (GitHub draws these in comments and Markdown files).

Node and subgraph ids are runform's own (`r0t3`), never names; a name is only ever inside a
quoted label, with every character that Mermaid, Markdown or HTML could read as syntax written
as an entity code (`#35;` for `#`), so any task name yields a valid node.
"""

from __future__ import annotations

import string

from runform.render.graph import DELETED, Cluster, Diagram, Node

# Characters kept as they are in a label; everything else becomes `#<code point>;`.
SAFE = frozenset(string.ascii_letters + string.digits + " .,:!?()-_+~/'=@")
CLASSES = {
    "critical": "stroke:#d73a49,stroke-width:4px",
    "create": "fill:#e6ffed",
    "update": "fill:#fff8c5",
    "delete": "fill:#f6f8fa,color:#6a737d,stroke-dasharray:5 5",
}
CHANGE_CLASSES = {"+": "create", "~": "update", DELETED: "delete"}
CRITICAL_EDGE = "stroke:#d73a49,stroke-width:4px"
# Mermaid's defaults (`maxEdges`, `maxTextSize`), which GitHub keeps: past either it shows an
# error instead of the diagram.
EDGE_LIMIT = 500
TEXT_LIMIT = 50_000


def too_big(diagram: Diagram, text: str) -> str | None:
    """Why Mermaid with its default settings would refuse to draw this diagram, if it would."""
    if len(diagram.edges) > EDGE_LIMIT:
        return f"{len(diagram.edges)} edges, more than the {EDGE_LIMIT} Mermaid draws"
    if len(text) > TEXT_LIMIT:
        return f"{len(text):,} characters, more than the {TEXT_LIMIT:,} Mermaid reads"
    return None


def label_text(text: str) -> str:
    """`text` for inside a double-quoted Mermaid label: a newline as a line break, other
    characters outside SAFE as entity codes (which Mermaid turns into HTML entities)."""
    out = []
    for char in text:
        if char in SAFE:
            out.append(char)
        elif char == "\n":
            out.append("<br>")
        elif not char.isprintable():
            out.append("".join(f"#{ord(c)};" for c in f"\\u{ord(char):04x}"))
        else:
            out.append(f"#{ord(char)};")
    return '"' + "".join(out) + '"'


def render_mermaid(diagram: Diagram) -> str:
    lines = ["flowchart LR"]
    for runbook in diagram.runbooks:
        lines += _cluster(runbook, 1)
    critical_edges = []
    for number, edge in enumerate(diagram.edges):
        arrow = "-.->" if edge.dashed else "-->"
        lines.append(f"  {edge.source} {arrow} {edge.target}")
        if edge.critical:
            critical_edges.append(str(number))
    members: dict[str, list[str]] = {name: [] for name in CLASSES}
    for runbook in diagram.runbooks:
        for cluster in runbook.all_clusters():
            if cluster.mark in CHANGE_CLASSES:
                members[CHANGE_CLASSES[cluster.mark]].append(cluster.id)
    for node in diagram.nodes():
        if node.mark in CHANGE_CLASSES:
            members[CHANGE_CLASSES[node.mark]].append(node.id)
        if node.critical:
            members["critical"].append(node.id)
    for name, style in CLASSES.items():
        lines.append(f"  classDef {name} {style}")
    for name, ids in members.items():
        if ids:
            lines.append(f"  class {','.join(ids)} {name}")
    if critical_edges:
        lines.append(f"  linkStyle {','.join(critical_edges)} {CRITICAL_EDGE}")
    return "\n".join(lines) + "\n"


def _cluster(cluster: Cluster, depth: int) -> list[str]:
    indent = "  " * depth
    lines = [f"{indent}subgraph {cluster.id}[{label_text(cluster.label)}]"]
    lines += [f"{indent}  {_node(node)}" for node in cluster.nodes]
    for inner in cluster.clusters:
        lines += _cluster(inner, depth + 1)
    lines.append(f"{indent}end")
    return lines


def _node(node: Node) -> str:
    return f"{node.id}[{label_text(node.label)}]"
