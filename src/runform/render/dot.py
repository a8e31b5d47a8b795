"""A diagram in Graphviz's DOT language (`dot -Tsvg`): clusters for runbooks and streams.

Ids are runform's own (`r0t3`); names only appear in quoted `label` strings, escaped so that
no name can end the string or add a Graphviz escape (`\\N`, `\\l`) of its own. The output is
ASCII (other characters as the entity references Graphviz reads in strings, `&#233;`), so it
survives any terminal's encoding.
"""

from __future__ import annotations

from runform.render.graph import DELETED, Cluster, Diagram, Node

CRITICAL = "#d73a49"
FILLS = {"+": "#e6ffed", "~": "#fff8c5", DELETED: "#f6f8fa"}


def quoted(text: str) -> str:
    """`text` as a DOT quoted string: backslashes and quotes escaped, a newline as Graphviz's
    line break, `&` and characters beyond ASCII as entity references, characters that do not
    print shown as `\\uXXXX` text."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "&":
            out.append("&amp;")
        elif not char.isprintable():
            out.append(f"\\\\u{ord(char):04x}")
        elif not char.isascii():
            out.append(f"&#{ord(char)};")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def render_dot(diagram: Diagram) -> str:
    lines = [
        "digraph runform {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded"];',
    ]
    for runbook in diagram.runbooks:
        lines += _cluster(runbook, 1)
    for edge in diagram.edges:
        attributes = []
        if edge.critical:
            attributes += [f'color="{CRITICAL}"', "penwidth=3"]
        if edge.dashed:
            attributes.append("style=dashed")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"  {edge.source} -> {edge.target}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _cluster(cluster: Cluster, depth: int) -> list[str]:
    indent = "  " * depth
    lines = [
        f"{indent}subgraph cluster_{cluster.id} {{",
        f"{indent}  label={quoted(cluster.label)};",
    ]
    if cluster.mark == DELETED:
        lines.append(f"{indent}  style=dashed;")
    lines += [f"{indent}  {_node(node)}" for node in cluster.nodes]
    for inner in cluster.clusters:
        lines += _cluster(inner, depth + 1)
    lines.append(f"{indent}}}")
    return lines


def _node(node: Node) -> str:
    styles = ["rounded"]
    attributes = [f"label={quoted(node.label)}"]
    if node.mark in FILLS:
        styles.append("filled")
        attributes.append(f'fillcolor="{FILLS[node.mark]}"')
    if node.mark == DELETED:
        styles.append("dashed")
        attributes.append('fontcolor="#6a737d"')
    if node.critical:
        styles.append("bold")
        attributes += [f'color="{CRITICAL}"', "penwidth=3"]
    attributes.append(f'style="{",".join(styles)}"')
    return f"{node.id} [{', '.join(attributes)}];"
