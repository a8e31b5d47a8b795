"""`runform graph`: every example drawn as valid Mermaid and DOT matching its file, the critical
path highlighted, changes marked, and `--live` after an apply drawing what the plan drew."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from tests.render.graph_syntax import Drawn, parse_mermaid, read_dot

from runform.cli.main import cli

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
MARKS = ("+ ", "~ ", "- ")


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke runform in an empty project directory against the local sandbox."""
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


def _unmarked(label: str) -> str:
    return label[2:] if label.startswith(MARKS) else label


def _critical_path(run, example: Path) -> list[str]:
    planned = run("plan", "--format", "json", str(example))
    assert planned.exit_code == 0, planned.output
    (runbook,) = json.loads(planned.stdout)["roots"]
    return runbook["schedule_after"]["critical_path"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_is_valid_mermaid_with_its_critical_path_highlighted(run, example):
    result = run("graph", "--format", "mermaid", str(example))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Using the local sandbox")
    drawn = parse_mermaid(result.stdout)
    path = _critical_path(run, example)
    assert path
    highlighted = {_unmarked(drawn.nodes[i]) for i in drawn.classes["critical"]}
    assert highlighted == set(path)
    on_path = set(pairwise(path))
    labels = [(_unmarked(drawn.nodes[a]), _unmarked(drawn.nodes[b])) for a, b in drawn.edges]
    assert {labels[n] for n in drawn.styled_edges} == on_path
    # The default format is Mermaid.
    assert run("graph", str(example)).stdout == result.stdout


def _from_file(example: Path) -> tuple[dict, dict, set]:
    """The runbook as its file writes it: stream -> parent, task -> stream, edges, by name."""
    data = yaml.safe_load(example.read_text())
    streams: dict[str, str | None] = {}

    def walk(entries: list[dict], parent: str | None) -> None:
        for entry in entries:
            streams[entry["name"]] = parent
            walk(entry.get("streams", []), entry["name"])

    walk(data.get("streams", []), None)
    tasks = data.get("tasks", [])
    by_key = {t["key"]: t["name"] for t in tasks if "key" in t}
    placed = {t["name"]: t.get("stream") for t in tasks}
    edges = {(by_key.get(p, p), t["name"]) for t in tasks for p in t.get("after", [])}
    return streams, placed, edges


def _structure(drawn: Drawn) -> tuple[dict, dict, set]:
    """What a drawn graph says, by name: stream -> parent, task -> stream, edges."""
    runbooks = {i for i, parent in drawn.cluster_parent.items() if parent is None}
    streams = {
        drawn.clusters[i]: None if p in runbooks else drawn.clusters[p]
        for i, p in drawn.cluster_parent.items()
        if i not in runbooks
    }
    placed = {
        _unmarked(label): None
        if drawn.node_cluster[i] in runbooks
        else _unmarked(drawn.clusters[drawn.node_cluster[i]])
        for i, label in drawn.nodes.items()
    }
    edges = {(_unmarked(drawn.nodes[a]), _unmarked(drawn.nodes[b])) for a, b in drawn.edges}
    streams = {_unmarked(name): parent and _unmarked(parent) for name, parent in streams.items()}
    return streams, placed, edges


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_as_dot_has_the_runbooks_streams_tasks_and_dependencies(run, example):
    result = run("graph", "--format", "dot", str(example))
    assert result.exit_code == 0, result.output
    drawn = read_dot(result.stdout)
    assert all(a in drawn.nodes and b in drawn.nodes for a, b in drawn.edges)
    streams, placed, edges = _structure(drawn)
    want_streams, want_placed, want_edges = _from_file(example)
    data = yaml.safe_load(example.read_text())
    assert next(iter(drawn.clusters.values())) == data["runbook"]["name"]
    if "template" in data["runbook"]:
        # A copy brings the template's streams and tasks too: the file's are among them.
        assert want_streams.items() <= streams.items()
        assert {t for t, s in want_placed.items() if s} <= set(placed)
        assert want_edges <= edges
        assert len(placed) > len(want_placed)
    else:
        assert streams == want_streams
        assert placed == want_placed
        assert edges == want_edges
    assert drawn.classes["critical"]


FIRST = """\
runbook:
  name: Weekly patching
  workspace: default
streams:
  - name: Servers
    streams:
      - name: Web "front" [eu]
      - name: Databases
tasks:
  - name: 'Announce #patching'
    stream: Servers
    duration: 5m
  - name: Patch web
    stream: Web "front" [eu]
    duration: 30m
    after: ['Announce #patching']
  - name: Patch databases
    stream: Databases
    duration: 45m
    after: ['Announce #patching']
  - name: Retire old cache
    stream: Servers
    duration: 5m
  - name: "Close — ünïcode"
    stream: Servers
    duration: 5m
    after: [Patch web, Patch databases]
"""

SECOND = """\
runbook:
  name: Weekly patching
  workspace: default
streams:
  - name: Servers
    streams:
      - name: Web "front" [eu]
      - name: Databases
tasks:
  - name: 'Announce #patching'
    stream: Servers
    duration: 5m
  - name: Patch web
    stream: Web "front" [eu]
    duration: 30m
    after: ['Announce #patching']
  - name: Patch databases
    stream: Databases
    duration: 90m
    after: ['Announce #patching']
  - name: Check replication
    stream: Databases
    duration: 20m
    after: [Patch databases]
  - name: "Close — ünïcode"
    stream: Servers
    duration: 5m
    after: [Patch web, Check replication]
"""


def _runform(folder: Path, server, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CUTOVER_API_URL": server.base_url,
        "CUTOVER_API_TOKEN": server.token,
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    env.pop("CUTOVER_API_TOKEN_FILE", None)
    return subprocess.run(
        [sys.executable, "-m", "runform", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _by_name(drawn: Drawn) -> tuple:
    """The graph by names, marks left out: what must match before and after an apply."""
    streams, placed, edges = _structure(drawn)
    critical = {_unmarked(drawn.nodes[i]) for i in drawn.classes.get("critical", ())}
    return streams, placed, edges, critical


@pytest.mark.parametrize("output_format", ["mermaid", "dot"])
def test_live_after_an_apply_draws_what_the_plan_drew(sandbox_server, tmp_path, output_format):
    read = parse_mermaid if output_format == "mermaid" else read_dot
    (tmp_path / "runbook.yaml").write_text(FIRST, encoding="utf-8")
    first = _runform(tmp_path, sandbox_server, "apply", "--auto-approve", "runbook.yaml")
    assert first.returncode == 0, first.stdout + first.stderr
    (tmp_path / "runbook.yaml").write_text(SECOND, encoding="utf-8")
    planned = _runform(tmp_path, sandbox_server, "graph", "--format", output_format)
    assert planned.returncode == 0, planned.stderr
    before_apply = read(planned.stdout)
    ids = {label: ident for ident, label in before_apply.nodes.items()}
    # The changes are marked: created, updated, deleted (still drawn, dashed).
    assert {"+ Check replication", "~ Patch databases", "- Retire old cache"} <= set(ids)
    assert ids["- Retire old cache"] in before_apply.classes["delete"]
    if output_format == "mermaid":
        assert before_apply.classes["create"] == {ids["+ Check replication"]}
        assert ids["~ Patch databases"] in before_apply.classes["update"]
    assert {"Announce #patching", "~ Close — ünïcode"} <= set(ids)  # its predecessors moved
    applied = _runform(tmp_path, sandbox_server, "apply", "--auto-approve", "runbook.yaml")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    live = _runform(tmp_path, sandbox_server, "graph", "--live", "--format", output_format)
    assert live.returncode == 0, live.stderr
    after_apply = read(live.stdout)
    assert not any(label.startswith(MARKS) for label in after_apply.nodes.values())
    streams, placed, edges, critical = _by_name(before_apply)
    del placed["Retire old cache"]
    expected = (streams, placed, edges, critical)
    assert _by_name(after_apply) == expected
    assert "Default stream" in streams  # the primary stream the first apply made, kept
    assert critical == {
        "Announce #patching",
        "Patch databases",
        "Check replication",
        "Close — ünïcode",
    }
    # With nothing left to change, the plan's graph is the live one.
    again = _runform(tmp_path, sandbox_server, "graph", "--format", output_format)
    assert again.stdout == live.stdout


def test_out_writes_the_file_and_a_bad_format_is_refused(run, tmp_path):
    example = str(ROOT / "examples" / "quick-change.yaml")
    written = run("graph", "-o", "graph.mmd", example)
    assert written.exit_code == 0 and written.stdout == ""
    assert "Wrote the graph to graph.mmd" in written.stderr
    parse_mermaid((tmp_path / "graph.mmd").read_text(encoding="utf-8"))
    refused = run("graph", "--format", "svg", example)
    assert refused.exit_code == 1 and "'svg' is not one of 'mermaid', 'dot'" in refused.output
    unwritable = run("graph", "-o", str(tmp_path / "missing" / "dir" / "g.mmd"), example)
    assert unwritable.exit_code == 1 and "cannot write the graph" in unwritable.stderr


def test_live_leaves_out_a_runbook_cutover_does_not_have(run):
    result = run("graph", "--live", str(ROOT / "examples" / "quick-change.yaml"))
    assert result.exit_code == 0, result.output
    assert "is not in Cutover yet: left out of the graph" in result.stderr
    assert parse_mermaid(result.stdout).nodes == {}


def test_the_markdown_plan_draws_graphs_when_runform_yaml_asks(run, tmp_path):
    example = str(ROOT / "examples" / "monthly-release.yaml")
    assert "```mermaid" not in run("plan", "--format", "markdown", example).stdout
    (tmp_path / "runform.yaml").write_text("markdown:\n  graph: true\n", encoding="utf-8")
    planned = run("plan", "--format", "markdown", "-o", "plan.json", example)
    assert planned.exit_code == 0, planned.output
    (graph,) = re.findall(r"```mermaid\n(.*?)```", planned.stdout, flags=re.DOTALL)
    drawn = parse_mermaid(graph)
    assert "~ Back up databases" in drawn.nodes.values()
    assert drawn.classes["create"] and drawn.classes["critical"]
    # A saved plan keeps what the graph needs: `show` draws the same.
    shown = run("show", "--format", "markdown", "plan.json")
    assert shown.exit_code == 0 and shown.stdout == planned.stdout
    assert "```mermaid" not in run("show", "plan.json").stdout


def test_a_bad_markdown_setting_names_the_field(run, tmp_path):
    (tmp_path / "runform.yaml").write_text("markdown:\n  graph: maybe\n", encoding="utf-8")
    result = run("plan", "--format", "markdown", str(ROOT / "examples" / "quick-change.yaml"))
    assert result.exit_code == 1
    assert "runform.yaml:2:" in result.stderr and "graph" in result.stderr
    assert "Traceback" not in result.output


RENAMED = (
    FIRST.replace(
        "      - name: Databases\n", "      - name: Data stores\n        renamed_from: Databases\n"
    )
    .replace(
        "  - name: Patch databases\n    stream: Databases\n",
        "  - name: Patch data stores\n    renamed_from: Patch databases\n    stream: Data stores\n",
    )
    .replace("after: [Patch web, Patch databases]", "after: [Patch web, Patch data stores]")
)


def test_renames_are_drawn_under_the_new_names_once(run, tmp_path):
    (tmp_path / "runbook.yaml").write_text(FIRST, encoding="utf-8")
    assert run("apply", "--auto-approve", "runbook.yaml").exit_code == 0
    (tmp_path / "runbook.yaml").write_text(RENAMED, encoding="utf-8")
    drawn = read_dot(run("graph", "--format", "dot", "runbook.yaml").stdout)
    streams, placed, edges = _structure(drawn)
    assert "Databases" not in streams and streams["Data stores"] == "Servers"
    assert "~ Data stores" in drawn.clusters.values()
    assert placed["Patch data stores"] == "Data stores" and "Patch databases" not in placed
    assert ("Patch data stores", "Close — ünïcode") in edges
    assert ("Announce #patching", "Patch data stores") in edges
    assert len(placed) == 5


def test_a_graph_past_mermaids_limits_says_so_and_dot_does_not(run, tmp_path):
    tasks = "".join(
        f"  - name: Step {n}\n    duration: 1m\n" + (f"    after: [Step {n - 1}]\n" if n else "")
        for n in range(502)
    )
    big = "runbook:\n  name: Long chain\n  workspace: default\ntasks:\n" + tasks
    (tmp_path / "big.yaml").write_text(big, encoding="utf-8")
    mermaid = run("graph", "big.yaml")
    assert mermaid.exit_code == 0
    assert "Warning: the graph has 501 edges, more than the 500 Mermaid draws" in mermaid.stderr
    assert len(parse_mermaid(mermaid.stdout).edges) == 501  # still written whole
    dot = run("graph", "--format", "dot", "big.yaml")
    assert dot.exit_code == 0 and "Warning" not in dot.stderr
