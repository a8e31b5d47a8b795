"""Which Cutover instance the sandbox plays: today's (every endpoint) or an older one.

An instance provisioned at a dated API version has only the endpoints of that reference;
the newer ones (stream writes, task delete and skip, runbook archive and run control,
runbook teams, custom fields, the audit trail) answer 405, as Cutover does for an endpoint
newer than the instance.
"""

from __future__ import annotations

import re

from runform.providers.cutover.sandbox.jsonapi import ApiFailure

_ID = r"[^/]+"
NEWER_ENDPOINTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (method, re.compile(f"^/core/{pattern}/?$"))
    for method, pattern in (
        ("DELETE", f"runbooks/{_ID}"),
        ("PATCH", f"runbooks/{_ID}/(cancel|pause|resume)"),
        ("POST", f"runbooks/{_ID}/streams"),
        ("PATCH", f"runbooks/{_ID}/streams/{_ID}"),
        ("DELETE", f"runbooks/{_ID}/streams/{_ID}"),
        ("DELETE", f"runbooks/{_ID}/tasks/{_ID}"),
        ("PATCH", f"runbooks/{_ID}/tasks/{_ID}/skip"),
        ("GET", f"runbooks/{_ID}/runbook_teams(/{_ID})?"),
        ("GET", f"custom_fields(/{_ID})?"),
        ("GET", "action_logs"),
        ("GET", "activities"),
    )
)


def check_endpoint(instance_version: str | None, method: str, path: str) -> ApiFailure | None:
    """405 for an endpoint an older instance (`instance_version` set) does not have."""
    if instance_version is None:
        return None
    for wanted, pattern in NEWER_ENDPOINTS:
        if method == wanted and pattern.match(path):
            return ApiFailure.one(
                405,
                f"{method} {path} is not available on this instance (API {instance_version})",
                "method_not_allowed",
            )
    return None
