"""Fixed times in a daylight-saving gap or overlap converge: apply, then plan says No changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from runform.cli.main import cli

FILE = """\
runbook:
  name: Clock change {which}
  workspace: default
  timezone: America/New_York
streams:
  - name: Main
tasks:
  - name: Fixed in the {which}
    stream: Main
    duration: 30m
    {field}: {moment}
"""


@pytest.mark.parametrize(
    ("which", "field", "moment"),
    [
        ("gap", "start_fixed", "2027-03-14T02:30:00"),  # clocks jump from 02:00 to 03:00
        ("overlap", "end_fixed", "2027-11-07T01:30:00"),  # 01:00-02:00 happens twice
    ],
)
def test_apply_then_plan_is_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str, field: str, moment: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    Path("clock.yaml").write_text(FILE.format(which=which, field=field, moment=moment))
    runner = CliRunner()
    applied = runner.invoke(cli, ["apply", "--auto-approve", "clock.yaml"])
    assert applied.exit_code == 0, applied.output
    again = runner.invoke(cli, ["plan", "--detailed-exitcode", "clock.yaml"])
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        ("2027-03-14T02:30:00", "does not exist in America/New_York"),
        ("2027-11-07T01:30:00", "happens twice in America/New_York"),
    ],
)
def test_plan_warns_at_the_line_of_a_time_in_a_clock_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str, said: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    text = FILE.format(which="change", field="start_fixed", moment=moment)
    Path("clock.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["plan", "clock.yaml"])
    assert result.exit_code == 0, result.output
    assert f"clock.yaml:11:5: start_fixed: {moment} {said}" in result.output
