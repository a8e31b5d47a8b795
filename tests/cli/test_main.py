"""The command group: every command listed, each module imported only when its command runs."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from runform.cli.main import COMMAND_MODULES, cli

PROBE = """
import json, sys
from runform.cli.main import cli
try:
    cli({args!r}, prog_name="runform")
except SystemExit:
    pass
heavy = (
    "runform.providers.cutover.sandbox",
    "starlette",
    "uvicorn",
    "runform.providers.cutover.scaffold",
)
loaded = [m for m in heavy if m in sys.modules]
print(json.dumps(loaded), file=sys.stderr)
"""


def _modules_loaded_by(args: list[str]) -> list[str]:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True, check=True
    )
    return json.loads(probe.stderr.strip().splitlines()[-1])


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMAND_MODULES:
        assert f"\n  {name} " in result.output


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["taint"])
    assert result.exit_code == 1  # never 2: plan --detailed-exitcode means "changes"
    assert "No such command 'taint'" in result.output


def test_plan_does_not_load_the_sandbox_server_or_scaffolding() -> None:
    assert _modules_loaded_by(["plan", "--help"]) == []
    assert _modules_loaded_by(["--version"]) == []


def test_the_sandbox_command_loads_the_sandbox() -> None:
    assert "runform.providers.cutover.sandbox" in _modules_loaded_by(["sandbox", "--help"])


def test_a_bad_flag_with_detailed_exitcode_is_an_error_not_changes() -> None:
    result = CliRunner().invoke(cli, ["plan", "--detailed-exitcode", "--format", "xml", "x"])
    assert result.exit_code == 1
    assert "--format" in result.output


def test_a_damaged_local_sandbox_is_a_clear_error(tmp_path, monkeypatch) -> None:
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".runform").mkdir()
    (tmp_path / ".runform" / "sandbox.db").write_text("not sqlite at all\n" * 100)
    (tmp_path / "r.yaml").write_text("runbook:\n  name: R\n  workspace: default\n")
    result = CliRunner().invoke(cli, ["plan", "r.yaml"])
    assert result.exit_code == 1
    assert "the sandbox database .runform/sandbox.db cannot be opened" in result.output
    assert "Traceback" not in result.output


def test_plan_help_loads_no_models_nor_the_http_stack() -> None:
    """`runform plan --help` stays quick: it imports neither pydantic, httpx nor asyncio."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from runform.cli.main import cli\n"
        "try:\n"
        "    cli(['plan', '--help'], prog_name='runform')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('pydantic', 'httpx', 'asyncio', 'aiohttp')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
