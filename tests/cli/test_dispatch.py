"""`plan` and `apply` choose the provider by the files' top-level keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from runform.cli.dispatch import handoff, saved_plan_handoff
from runform.cli.main import cli
from runform.errors import RunformError

EXAMPLES = Path(__file__).parents[2] / "examples"
RUNBOOK = "runbook:\n  name: Patch night\n"
CYCLOID = "cycloid: {organization: acme}\nteams: []\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "patch.yaml").write_text(RUNBOOK)
    (tmp_path / "org.yaml").write_text(CYCLOID)
    return tmp_path


def test_a_directory_with_runbooks_stays_the_clis_own(folder: Path) -> None:
    assert handoff([]) is None
    assert handoff([str(folder)]) is None


def test_cycloid_files_alone_or_named_go_to_the_cycloid_frontend(folder: Path) -> None:
    named = handoff(["org.yaml"])
    assert named is not None and named.provider.name == "cycloid"
    assert named.files == [Path("org.yaml")]
    (folder / "patch.yaml").unlink()
    alone = handoff([])
    assert alone is not None and alone.files == [Path("org.yaml")]


def test_files_of_two_providers_named_together_are_refused(folder: Path) -> None:
    with pytest.raises(RunformError, match=r"patch\.yaml is not a cycloid file"):
        handoff(["org.yaml", "patch.yaml"])
    run = CliRunner().invoke(cli, ["plan", "org.yaml", "patch.yaml"])
    assert run.exit_code == 1 and "one run plans one provider's files" in run.output


def test_a_saved_plan_goes_to_its_providers_frontend(tmp_path: Path) -> None:
    cycloid = tmp_path / "cy.json"
    cycloid.write_text('{"format_version": 2, "roots": [{"provider": "cycloid"}]}')
    cutover = tmp_path / "cu.json"
    cutover.write_text('{"format_version": 2, "roots": [{"provider": "cutover"}]}')
    found = saved_plan_handoff(cycloid)
    assert found is not None and found.provider.name == "cycloid"
    assert saved_plan_handoff(cutover) is None


def test_the_examples_directory_plans_its_runbooks(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    assert handoff(["examples"]) is None
    chosen = handoff(["examples/cycloid"])
    assert chosen is not None and chosen.files == [Path("examples/cycloid/acme.yaml")]
