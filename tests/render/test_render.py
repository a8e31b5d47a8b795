"""Renderers: golden text and Markdown, JSON against its schema, colour rules, long comments."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from plan.states import desired_tree, live_of
from runform.providers.cutover.plan.diff import diff_runbook
from runform.providers.cutover.plan.model import Plan
from runform.providers.cutover.plan.planfile import load_plan, plan_schema
from runform.providers.cutover.state.shapes import StreamState, TaskState
from runform.render import render_json, render_markdown, render_text
from runform.render.markdown import cut_middle

from .sample import sample_plan

GOLDEN = Path(__file__).parents[1] / "golden"
SCHEMA = Path(__file__).parents[2] / "schemas" / "plan.schema.json"
REGENERATE = os.environ.get("RUNFORM_REGEN_GOLDEN") == "1"


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; `pytest --regen-golden` rewrites the file instead."""
    path = GOLDEN / name
    if REGENERATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name}: pytest --regen-golden"


def plain_text(plan: Plan) -> str:
    buffer = io.StringIO()
    render_text(plan, Console(file=buffer, width=100, color_system=None, force_terminal=False))
    return buffer.getvalue()


def test_text_golden():
    text = plain_text(sample_plan())
    check_golden("plan.txt", text)
    assert text.rstrip().endswith("Plan: 16 to create, 3 to update, 2 to delete.")
    assert '» task "Announce change freeze" (from template)' in text
    assert "description: Patch Tuesday → Patch Tuesday (all hosts)" in text


def test_markdown_golden():
    markdown = render_markdown(sample_plan())
    check_golden("plan.md", markdown)
    assert markdown.index("| Runbook |") < markdown.index("<details>")
    assert "> [!WARNING]" in markdown
    assert markdown.count("<details>") == markdown.count("</details>") == 2


def test_json_matches_the_schema_file(tmp_path):
    assert json.loads(SCHEMA.read_text()) == plan_schema(), "regenerate schemas/plan.schema.json"
    document = json.loads(render_json(sample_plan()))
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    assert document["format_version"] == 2
    (tmp_path / "plan.json").write_text(render_json(sample_plan()), encoding="utf-8")
    assert load_plan(tmp_path / "plan.json") == sample_plan()


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    buffer = io.StringIO()
    render_text(sample_plan(), Console(file=buffer, force_terminal=True, color_system="standard"))
    assert "\x1b[" in buffer.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    buffer = io.StringIO()
    render_text(sample_plan(), Console(file=buffer, force_terminal=True, color_system="standard"))
    assert "\x1b[3" not in buffer.getvalue()  # no foreground colours
    assert "\x1b[" not in plain_text(sample_plan())


def test_long_markdown_is_cut_in_the_middle_with_blocks_balanced():
    sections = []
    for i in range(400):
        sections += ["<details>", f"<summary>runbook {i}</summary>", "", "```diff"]
        sections += [f'+ task "T{i}-{j}"' for j in range(20)]
        sections += ["```", "", "</details>", ""]
    text = "\n".join(["## head", *sections, "## tail"])
    cut = cut_middle(text, 65_000)
    assert len(cut) <= 65_000
    assert cut.startswith("## head") and cut.endswith("## tail")
    assert "characters of this plan were cut here" in cut
    assert cut.count("<details>") == cut.count("</details>")
    assert cut.count("```") % 2 == 0


@pytest.mark.parametrize("limit", [65_000])
def test_a_real_plan_under_the_limit_is_not_cut(limit):
    markdown = render_markdown(sample_plan(), limit)
    assert "were cut here" not in markdown


def test_a_large_real_plan_fits_a_pull_request_comment():
    streams = (StreamState(name="Main"),)
    runbooks = []
    for r in range(12):
        tasks = tuple(
            TaskState(
                name=f"Step {t} of the long migration",
                stream="Main",
                duration=600,
                predecessors=(f"Step {t - 1} of the long migration",) if t else (),
            )
            for t in range(150)
        )
        runbooks.append(
            diff_runbook(desired_tree(f"Migration {r}", streams=streams, tasks=tasks), None, None)
        )
    plan = sample_plan().model_copy(update={"roots": runbooks})
    full = render_markdown(plan, limit=10_000_000)
    assert len(full) > 65_000  # the plan really is too long for one comment
    markdown = render_markdown(plan)
    assert len(markdown) <= 65_000
    assert "did not fit in one comment" in markdown
    head = markdown.split("<details>", 1)[0]  # the summary table survives, whole
    assert all(f"| Migration {r} |" in head for r in range(12))
    assert markdown.count("<details>") == markdown.count("</details>")
    assert markdown.count("```") % 2 == 0
    # A runbook is shown whole or collapsed to its line, named either way: never cut inside.
    shown_whole = markdown.count("<summary>runbook")
    collapsed = [r for r in range(12) if f"- runbook `Migration {r}`: 152 to create" in markdown]
    assert shown_whole + len(collapsed) == 12 and collapsed


def test_a_markdown_plan_never_hides_a_deletion():
    streams = (StreamState(name="Main"),)

    def runbook(index: int, deletes: int):
        name = f"Wave {index}"
        changed = tuple(
            TaskState(name=f"Move application {t:04d} to the new site", stream="Main", duration=60)
            for t in range(1500)
        )
        live = live_of(
            desired_tree(
                name,
                streams=streams,
                tasks=tuple(t.model_copy(update={"duration": 30}) for t in changed)
                + tuple(
                    TaskState(name=f"Retire legacy host {d:03d}", stream="Main")
                    for d in range(deletes)
                ),
            )
        )
        return diff_runbook(desired_tree(name, streams=streams, tasks=changed), live, None)

    plan = sample_plan().model_copy(
        update={"roots": [runbook(i, 100 if i == 2 else 0) for i in range(5)]}
    )
    assert plan.counts() == {"create": 0, "update": 7500, "delete": 100}
    markdown = render_markdown(plan)
    assert len(markdown) < 65_000
    for d in range(100):
        assert f'- task "Retire legacy host {d:03d}"' in markdown
    assert "This plan deletes 100 objects" in markdown


def test_a_blocked_plan_is_rendered_in_full_under_its_banner():
    plan = sample_plan().model_copy(update={"blocked": "needs `--allow-deletes`: too many"})
    markdown = render_markdown(plan)
    assert "> **Blocked: needs `--allow-deletes`: too many**" in markdown
    assert '- task "Check monitoring dashboards"' in markdown
    assert "Blocked: needs `--allow-deletes`: too many" in plain_text(plan)
