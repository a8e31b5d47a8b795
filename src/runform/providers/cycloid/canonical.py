"""Canonicals: the client-chosen identity of every Cycloid object, derived offline from a name
when a file gives none, and always sent (runform never relies on the server's derivation)."""

from __future__ import annotations

import re

ORGANIZATION_SCOPED = re.compile(r"^[a-z0-9]+[a-z0-9\-_]+[a-z0-9]+$")
# Projects and environments take canonicals of 1 to 100 characters.
PROJECT = re.compile(r"^[a-z0-9]+(([a-z0-9\-_]+)?[a-z0-9]+)?$")
ENVIRONMENT = re.compile(r"^[\da-zA-Z]+(?:[\da-zA-Z\-._]+[\da-zA-Z]|[\da-zA-Z])?$")
_OUTSIDE = re.compile(r"[^a-z0-9\-_]")


def derive(name: str) -> str:
    """Spaces to `_`, lower case, characters outside the pattern dropped."""
    return _OUTSIDE.sub("", name.replace(" ", "_").lower())


PATTERNS = {"project": PROJECT, "environment": ENVIRONMENT}


def problem(canonical: str, kind: str) -> str | None:
    """Why `canonical` is not one for `kind` (None when it is): projects and environments take
    1 to 100 characters, every other kind 3 to 100."""
    pattern = PATTERNS.get(kind, ORGANIZATION_SCOPED)
    low = 1 if kind in PATTERNS else 3
    if not low <= len(canonical) <= 100:
        return f"the canonical {canonical!r} must be {low} to 100 characters long"
    if not pattern.match(canonical):
        return f"the canonical {canonical!r} must match {pattern.pattern}"
    return None
