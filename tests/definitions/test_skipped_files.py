"""Which YAML files under a directory are runbook files, and what happens to the others."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from runform.errors import DefinitionError
from runform.providers.base import ProviderInfo
from runform.providers.cutover.definitions import load, load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.provider import PROVIDER as CUTOVER

RUNBOOK = "runbook:\n  name: Release\n  workspace: default\n"
BOARDS = ProviderInfo(
    name="boards", schema=CUTOVER.schema, root_model=CUTOVER.root_model, file_keys=("boards",)
)


@pytest.fixture
def another_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second installed provider whose files have a top-level `boards:`."""

    def provider_of(document: dict) -> ProviderInfo | None:
        if "boards" in document:
            return BOARDS
        return CUTOVER if {"runbook", "runbooks"} & set(document) else None

    monkeypatch.setattr(load, "provider_of", provider_of)


def load_directory(directory: Path, *paths: Path) -> tuple[load.Definitions, list[str]]:
    notices: list[str] = []
    loaded = load_definitions(paths or [directory], project=ProjectConfig(), notice=notices.append)
    return loaded, notices


def test_a_mapping_without_runbook_keys_is_skipped_with_a_notice(tmp_path: Path) -> None:
    (tmp_path / "release.yaml").write_text(RUNBOOK)
    (tmp_path / "mkdocs.yml").write_text("site_name: Docs\n")
    loaded, notices = load_directory(tmp_path)
    assert [tree.runbook.name for tree in loaded.trees] == ["Release"]
    assert loaded.files == [str(tmp_path / "release.yaml")]
    assert loaded.skipped == [str(tmp_path / "mkdocs.yml")]
    assert notices == [f"skipped {tmp_path / 'mkdocs.yml'}: not a runbook file "
                       "(no `runbook:` or `runbooks:` key)"]  # fmt: skip


def test_another_providers_file_is_skipped_silently(tmp_path: Path, another_provider) -> None:
    (tmp_path / "release.yaml").write_text(RUNBOOK)
    (tmp_path / "board.yaml").write_text("boards:\n  - name: Release board\n")
    loaded, notices = load_directory(tmp_path)
    assert loaded.skipped == [str(tmp_path / "board.yaml")] and notices == []
    named, notices = load_directory(tmp_path, tmp_path / "board.yaml", tmp_path / "release.yaml")
    assert named.files == [str(tmp_path / "release.yaml")] and notices == []


def test_only_skipped_files_means_no_runbook_files(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Docs\n")
    with pytest.raises(DefinitionError, match=re.escape(load.NO_RUNBOOK_FILES)):
        load_directory(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("runboks:\n  name: R\n", "did you mean 'runbooks'?"),
        ("- runbook: R\n", "expected a mapping with `runbook:`"),
        ("runbook: [unclosed\n", "YAML syntax error"),
        ("site_name: a\nsite_name: b\n", "duplicate key"),
    ],
)
def test_what_is_not_a_plain_mapping_stays_an_error(tmp_path: Path, text: str, message: str):
    (tmp_path / "release.yaml").write_text(RUNBOOK)
    (tmp_path / "other.yaml").write_text(text)
    with pytest.raises(DefinitionError, match=message):
        load_directory(tmp_path)
