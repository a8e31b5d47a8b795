"""A Cycloid-compatible API server over SQLite: the default target and the test double."""

from __future__ import annotations

from runform.core.sandbox_kit.faults import FaultConfig
from runform.providers.cycloid.sandbox.app import SANDBOX_API_KEY, SANDBOX_VERSION, create_app

__all__ = ["SANDBOX_API_KEY", "SANDBOX_VERSION", "FaultConfig", "create_app"]
