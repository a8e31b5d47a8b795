"""runform's own exceptions: each carries a message a user can act on.

The CLI catches `RunformError` and prints its message with exit code 1 (or the
exception's own `exit_code`); anything else escaping is a bug.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from runform.core.problems import Problem


class RunformError(Exception):
    """Base of every error a user can cause; `str(err)` is the user-facing message."""

    exit_code: int = 1


class ConfigError(RunformError):
    """The project configuration or environment is unusable."""


class DefinitionError(RunformError):
    """One or more problems in the runbook files (each with file:line:column)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class ResolveError(RunformError):
    """A name in the files does not match anything in Cutover (the message lists the choices)."""


class PlanError(RunformError):
    """The plan cannot be made or is refused (ambiguous match, too many deletes, ...)."""


class StalePlanError(PlanError):
    """A saved plan no longer matches the live state it was made from."""


class OutcomeUnknown(RunformError):
    """A write that may or may not have happened (its answer was lost): the applier re-reads
    before anything is sent again. `method`, `path` and `reason` say which write and why."""

    method: str = ""
    path: str = ""
    reason: str = ""
    # How the journal and the progress name it: a lost answer is "uncertain"; an object
    # found to exist already (made since the plan) is "adopted", re-read the same way.
    event: str = "uncertain"
    object_id: str | None = None


class ExistsSincePlan(OutcomeUnknown):
    """The object a create would make exists now, made since the plan: it is adopted (re-read
    and re-planned like a doubtful write's) instead of made twice."""

    event = "adopted"

    def __init__(self, message: str, object_id: str, path: str = "") -> None:
        super().__init__(message)
        self.reason = message
        self.object_id = object_id
        self.method = "GET"
        self.path = path


class ApplyError(RunformError):
    """Applying stopped part way; the message says what succeeded."""


class PolicyError(RunformError):
    """A policy file cannot be read or evaluated (a Rego syntax error names file:line:column)."""
