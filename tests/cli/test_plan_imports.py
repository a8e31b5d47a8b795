"""What a Cutover plan's process imports: none of Cycloid's reading and writing, none of the
sandbox when the target is a URL, neither regopy nor the Rego module without a policy file,
and not httpx's own command line; and once the files' parses are kept (`.runform/cache/`), no
YAML parser. Each costs start-up CPU a plan has no use for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ABSENT = (
    "runform.providers.cycloid.hooks",
    "runform.providers.cycloid.client",
    "runform.providers.cycloid.live",
    "runform.providers.cycloid.writes",
    "runform.providers.cycloid.definitions",
    "runform.providers.cutover.sandbox",
    "runform.core.sandbox_kit",
    "runform.core.rego",
    "regopy",
    "rapidfuzz",
    "sqlite3",
)

PROBE = """
import json, sys
import runform.cli.main
sys.argv = ["runform", "plan", "runbooks", "--detailed-exitcode"]
try:
    runform.cli.main.main()
except SystemExit as done:
    code = done.code
under = tuple(p + "." for p in ABSENT)
loaded = sorted(m for m in sys.modules if m in ABSENT or m.startswith(under))
httpx_cli = sys.modules.get("httpx._main") is not None
print(json.dumps({"code": code, "loaded": loaded, "httpx_cli": httpx_cli}))
"""


def test_a_cutover_plan_against_a_url_imports_only_what_it_uses(sandbox_server, tmp_path: Path):
    (tmp_path / "runform.yaml").write_text("workspace: default\n")
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "r.yaml").write_text(
        "runbook:\n  name: Imports\nstreams:\n  - name: Work\n"
        "tasks:\n  - name: First\n    stream: Work\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}
    env.update(CUTOVER_API_URL=sandbox_server.base_url, CUTOVER_API_TOKEN=sandbox_server.token)
    for absent in (ABSENT, (*ABSENT, "yaml", "ruamel")):  # the second plan: parses kept
        script = f"ABSENT = {absent!r}\n{PROBE}"
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        seen = json.loads(done.stdout.strip().splitlines()[-1])
        assert seen["code"] == 2, done.stdout  # a plan with changes: it read the served sandbox
        assert seen["loaded"] == []
        assert seen["httpx_cli"] is False
