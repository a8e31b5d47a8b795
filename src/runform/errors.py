"""runform's own exceptions: each carries a message a user can act on.

The CLI catches `RunformError` and prints its message with exit code 1 (or the
exception's own `exit_code`); anything else escaping is a bug.
"""

from __future__ import annotations


class RunformError(Exception):
    """Base of every error a user can cause; `str(err)` is the user-facing message."""

    exit_code: int = 1


class ConfigError(RunformError):
    """The project configuration or environment is unusable."""


class DefinitionError(RunformError):
    """One or more problems in the runbook files (each with file:line:column)."""

    def __init__(self, message: str, problems: list | None = None) -> None:
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


class ApplyError(RunformError):
    """Applying stopped part way; the message says what succeeded."""


class PolicyError(RunformError):
    """A policy file cannot be read or evaluated (a Rego syntax error names file:line:column)."""
