"""`definitions_digest`: what the files ask for, the same in every process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.engine import definitions_digest

EXAMPLES = Path(__file__).parents[2] / "examples"
PROBE = """
import sys
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.engine import definitions_digest
print(definitions_digest(load_definitions([sys.argv[1]], {}, ProjectConfig()).trees))
"""


def _digest(path: Path) -> str:
    return definitions_digest(load_definitions([path], {}, ProjectConfig()).trees)


def test_the_digest_is_the_same_in_processes_with_other_hash_seeds():
    seen = {
        subprocess.run(
            [sys.executable, "-c", PROBE, str(EXAMPLES)],
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert seen == {_digest(EXAMPLES)}
    assert seen.pop().startswith("sha256:")


def test_the_same_files_give_the_same_digest_and_a_changed_field_another(tmp_path: Path):
    text = "runbook:\n  name: Digest\nstreams:\n  - name: Work\ntasks:\n  - name: One\n"
    path = tmp_path / "r.yaml"
    path.write_text(text)
    first = _digest(path)
    assert _digest(path) == first
    path.write_text(text + "    duration: 5m\n")
    assert _digest(path) != first
