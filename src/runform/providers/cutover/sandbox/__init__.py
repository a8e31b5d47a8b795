"""A Cutover-compatible API server over SQLite: the default target and the test double.

It imports nothing else from runform but the core's sandbox kit (`runform.core.sandbox_kit`),
so it can be served on its own.
"""

from __future__ import annotations

from runform.core.sandbox_kit.faults import FaultConfig
from runform.providers.cutover.sandbox.app import SANDBOX_READ_ONLY_TOKEN, SANDBOX_TOKEN, create_app
from runform.providers.cutover.sandbox.paging import PagingStyle

__all__ = ["SANDBOX_READ_ONLY_TOKEN", "SANDBOX_TOKEN", "FaultConfig", "PagingStyle", "create_app"]
