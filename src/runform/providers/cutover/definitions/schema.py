"""JSON Schemas of runbook files and runform.yaml, generated from the models (never by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from runform.providers.cutover.definitions.models import RunbookFile
from runform.providers.cutover.definitions.project import ProjectConfig

SCHEMA_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "runbook.schema.json": (RunbookFile, "runform runbook file"),
    "runform.schema.json": (ProjectConfig, "runform project file (runform.yaml)"),
}


def schema_texts() -> dict[str, str]:
    """Each schema file's name and its JSON text."""
    texts = {}
    for name, (model, title) in SCHEMA_MODELS.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            **{key: value for key, value in model.model_json_schema().items() if key != "title"},
        }
        texts[name] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return texts


def stale_schemas(directory: str | Path) -> list[Path]:
    """Schema files in `directory` that are missing or differ from the models."""
    folder = Path(directory)
    stale = []
    for name, text in schema_texts().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    return stale


def write_schemas(directory: str | Path) -> list[Path]:
    """Write the schemas that changed; return their paths."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    texts = schema_texts()
    changed = stale_schemas(folder)
    for path in changed:
        path.write_text(texts[path.name], encoding="utf-8")
    return changed
