"""Which `rotate:` counter each credential's secret was last written at.

Cycloid keeps no field runform could hold the counter in, and its secrets are not compared
(they never leave the files), so the counter last applied is recorded beside the project's
other state (`.runform/cycloid-rotations.json`, by organization and credential). A credential
with no record is taken as written at the file's counter: only a bump after a recorded write
rotates it (docs/design.md, Cycloid)."""

from __future__ import annotations

import json
import os
from pathlib import Path

FILE_NAME = "cycloid-rotations.json"


class Rotations:
    def __init__(self, state_dir: Path | None) -> None:
        self.path = state_dir / FILE_NAME if state_dir is not None else None
        self._data: dict[str, dict[str, int]] = {}
        if self.path is not None and self.path.is_file():
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                self._data = loaded if isinstance(loaded, dict) else {}
            except ValueError:
                self._data = {}

    def get(self, organization: str, credential: str) -> int | None:
        value = self._data.get(organization, {}).get(credential)
        return value if isinstance(value, int) else None

    def record(self, organization: str, credential: str, rotate: int | None) -> None:
        org = self._data.setdefault(organization, {})
        if rotate is None:
            org.pop(credential, None)
        else:
            org[credential] = rotate
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self._data, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)
