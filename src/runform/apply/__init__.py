"""Executing a plan: dependency order, bounded concurrency, journal, recovery, progress."""

from runform.apply.execute import apply_plan, make_applier
from runform.apply.journal import Journal
from runform.apply.progress import BarProgress, LogProgress, SilentProgress, choose_progress
from runform.apply.result import ApplyResult, ApplyStatus, Failure, Outcome
from runform.apply.runner import Applier

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
