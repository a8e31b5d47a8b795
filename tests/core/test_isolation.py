"""The core stands alone: importing all of it loads nothing of any provider."""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import importlib, pkgutil, sys
import runform.core
for module in pkgutil.walk_packages(runform.core.__path__, "runform.core."):
    importlib.import_module(module.name)
importlib.import_module("runform.providers.base")
loaded = sorted(m for m in sys.modules if m.startswith("runform."))
print("\\n".join(loaded))
"""


def test_importing_the_core_loads_no_provider() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True
    )
    loaded = done.stdout.split()
    assert "runform.core.engine" in loaded and "runform.core.runner" in loaded
    assert not [m for m in loaded if m.startswith("runform.providers.cutover")]
    allowed = ("runform.core", "runform.providers", "runform.errors", "runform.text")
    assert [m for m in loaded if not m.startswith(allowed)] == []
