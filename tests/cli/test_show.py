"""`runform show`: a saved plan in each format, and clear errors for bad files."""

from __future__ import annotations

import json

from click.testing import CliRunner

from render.sample import sample_plan
from runform.cli.main import cli
from runform.providers.cutover.plan.planfile import save_plan


def test_show_each_format(tmp_path):
    save_plan(sample_plan(), tmp_path / "plan.json")
    runner = CliRunner()
    text = runner.invoke(cli, ["show", str(tmp_path / "plan.json")])
    assert text.exit_code == 0
    assert text.stdout.rstrip().endswith("Plan: 16 to create, 3 to update, 2 to delete.")
    as_json = runner.invoke(cli, ["show", "--format", "json", str(tmp_path / "plan.json")])
    assert json.loads(as_json.stdout)["roots"][1]["name"] == "Weekly patching"
    markdown = runner.invoke(cli, ["show", "--format=markdown", str(tmp_path / "plan.json")])
    assert "<details>" in markdown.stdout


def test_show_refuses_what_is_not_a_plan(tmp_path):
    (tmp_path / "x.json").write_text('{"hello": 1}')
    result = CliRunner().invoke(cli, ["show", str(tmp_path / "x.json")])
    assert result.exit_code == 1
    assert "not a runform plan file" in result.stderr
    missing = CliRunner().invoke(cli, ["show", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "no such plan file" in missing.stderr
