"""Executing a plan: dependency order, bounded concurrency, journal, recovery, progress."""

from runform.core.journal import Journal
from runform.core.progress import BarProgress, LogProgress, SilentProgress, choose_progress
from runform.core.result import ApplyResult, ApplyStatus, Failure, Outcome
from runform.core.runner import Applier
from runform.providers.cutover.apply.execute import apply_plan, make_applier

__all__ = [
    "Applier",
    "ApplyResult",
    "ApplyStatus",
    "BarProgress",
    "Failure",
    "Journal",
    "LogProgress",
    "Outcome",
    "SilentProgress",
    "apply_plan",
    "choose_progress",
    "make_applier",
]
