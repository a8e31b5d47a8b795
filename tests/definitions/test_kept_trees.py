"""Trees kept between runs (`definitions.kept_trees`): a load with kept trees gives the trees,
files and problems a fresh load gives, whatever changed; what may not be kept never is."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runform.core.source_cache import SourceCache
from runform.errors import DefinitionError
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.definitions.kept_trees import KeptTrees
from runform.providers.cutover.definitions.project import ProjectConfig


def runbook(name: str, *, minutes: int = 5, extra: str = "") -> str:
    return (
        f"runbook:\n  name: {name}\n{extra}streams:\n  - name: Work\ntasks:\n"
        f"  - name: First\n    stream: Work\n    duration: {minutes}m\n"
        "  - name: Second\n    stream: Work\n    after: [First]\n"
    )


def project_with(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "runbooks"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def load(folder: Path, kept: KeptTrees | None, project: ProjectConfig | None = None, **kw):
    return load_definitions([folder], kw.pop("values", None), project or ProjectConfig(), None,
                            SourceCache(folder.parent / "sources"), kept, **kw)  # fmt: skip


def outcome(folder: Path, kept: KeptTrees | None, project: ProjectConfig | None = None):
    """What a load gives: its trees and files, or the problems it refuses with."""
    try:
        found = load(folder, kept, project)
    except DefinitionError as err:
        return "problems", [str(p) for p in err.problems]
    # exclude_unset: what each tree says and which fields its file wrote (the plan tells a
    # field not written from one written empty).
    return [tree.model_dump(exclude_unset=True) for tree in found.trees], found.files


def test_a_second_load_takes_the_kept_trees_and_equals_a_fresh_load(tmp_path):
    folder = project_with(tmp_path, {"a.yaml": runbook("Alpha"), "b.yaml": runbook("Beta")})
    kept = KeptTrees(tmp_path / "trees")
    first = outcome(folder, kept)
    assert (kept.hits, kept.misses) == (0, 2)
    again = KeptTrees(tmp_path / "trees")
    assert outcome(folder, again) == first == outcome(folder, None)
    assert (again.hits, again.misses) == (2, 0)


def test_a_changed_file_or_project_setting_is_a_miss(tmp_path):
    folder = project_with(tmp_path, {"a.yaml": runbook("Alpha"), "b.yaml": runbook("Beta")})
    kept = KeptTrees(tmp_path / "trees")
    outcome(folder, kept)
    (folder / "b.yaml").write_text(runbook("Beta", minutes=9))
    edited = outcome(folder, kept)
    assert edited == outcome(folder, None)
    assert edited[0][1]["tasks"][0]["duration"] == 540
    assert kept.hits == 1
    other = ProjectConfig(workspace="Elsewhere")
    moved = outcome(folder, kept, other)
    assert moved == outcome(folder, None, other)
    assert {t["runbook"]["workspace"] for t in moved[0]} == {"Elsewhere"}
    assert kept.hits == 1  # both files missed under the other settings


def test_files_with_placeholders_are_never_kept(tmp_path):
    folder = project_with(
        tmp_path, {"a.yaml": runbook("Alpha", extra="  description: ${var.note}\n")}
    )
    kept = KeptTrees(tmp_path / "trees")
    for _ in range(2):
        found = load(folder, kept, values={"note": "from the command line 4471"})
    assert found.trees[0].runbook.description == "from the command line 4471"
    assert not (tmp_path / "trees").exists()
    assert (kept.hits, kept.misses) == (0, 0)  # never looked for


@pytest.mark.parametrize(
    "other",
    [
        runbook("alpha"),  # the same runbook by another case: a duplicate
        runbook("Gamma", extra="  renamed_from: Alpha\n"),  # renamed onto a listed runbook
        "runbook:\n  name: Broken\ntasks:\n  - name: x\n    duration: soon\n",  # a bad file
    ],
)
def test_problems_across_files_are_said_as_without_kept_trees(tmp_path, other):
    folder = project_with(tmp_path, {"a.yaml": runbook("Alpha")})
    kept = KeptTrees(tmp_path / "trees")
    outcome(folder, kept)  # a.yaml's trees are kept
    (folder / "z.yaml").write_text(other)
    with_kept = outcome(folder, KeptTrees(tmp_path / "trees"))
    assert with_kept == outcome(folder, None)
    assert with_kept[0] == "problems"


def test_a_skipped_file_is_announced_once_when_the_load_is_made_again(tmp_path):
    folder = project_with(tmp_path, {"a.yaml": runbook("Alpha"), "mkdocs.yml": "site: x\n"})
    outcome(folder, KeptTrees(tmp_path / "trees"))
    (folder / "b.yaml").write_text(runbook("alpha"))
    said: list[str] = []
    with pytest.raises(DefinitionError):
        load_definitions([folder], None, ProjectConfig(), said.append, None,
                         KeptTrees(tmp_path / "trees"))  # fmt: skip
    assert len([s for s in said if "mkdocs.yml" in s]) == 1


def test_a_damaged_entry_is_a_miss(tmp_path):
    folder = project_with(tmp_path, {"a.yaml": runbook("Alpha")})
    outcome(folder, KeptTrees(tmp_path / "trees"))
    [entry] = (tmp_path / "trees").glob("*.json")
    for damage in (b"[", b'[{"runbook": 5}]', b""):
        entry.write_bytes(damage)
        kept = KeptTrees(tmp_path / "trees")
        assert outcome(folder, kept) == outcome(folder, None)
        assert (kept.hits, kept.misses) == (0, 1)


NAMES = st.sampled_from(["Alpha", "Beta", "beta", "Gamma"])
FILES = st.lists(
    st.tuples(NAMES, st.integers(1, 3), st.sampled_from(["", "  renamed_from: Gamma\n"])),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=FILES, after=FILES)
def test_any_edit_between_two_loads_gives_the_fresh_outcome(tmp_path_factory, before, after):
    tmp_path = tmp_path_factory.mktemp("kept")
    kept = KeptTrees(tmp_path / "trees")
    for files in (before, after):
        folder = project_with(tmp_path, {})
        for stale in folder.glob("*.yaml"):
            stale.unlink()
        for index, (name, minutes, extra) in enumerate(files):
            (folder / f"r{index}.yaml").write_text(runbook(name, minutes=minutes, extra=extra))
        assert outcome(folder, kept) == outcome(folder, None)


def test_only_runbook_files_count_as_looked_for(tmp_path):
    folder = project_with(
        tmp_path, {"a.yaml": runbook("Alpha"), "org.yaml": "cycloid:\n  organization: acme\n"}
    )
    first = KeptTrees(tmp_path / "trees")
    outcome(folder, first)
    again = KeptTrees(tmp_path / "trees")
    outcome(folder, again)
    assert ((first.hits, first.misses), (again.hits, again.misses)) == ((0, 1), (1, 0))
