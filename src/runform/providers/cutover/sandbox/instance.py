"""Which Cutover instance the sandbox plays: the age of its Core and its API versions.

Round 2, Versions: without an `Api-Version` header a request runs at the instance's earliest
provisioned version; new endpoints are added to existing API versions; a 405 means the
instance's Core is too old for the endpoint, not that the pinned version is. So the pin
never decides which endpoints exist: the Core does. Today's Core (`core=None`) has every
endpoint; a Core dated by an API reference (`core="2022-02-22"`) has only that reference's
endpoints, and the newer ones (stream writes, task delete and skip, runbook archive and run
control, runbook teams, custom fields, the audit trail) answer 405 at any pin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from runform.providers.cutover.sandbox.jsonapi import ApiFailure

API_VERSIONS = ("2021-10-13", "2022-01-10", "2022-02-22")

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


@dataclass(frozen=True)
class Instance:
    """A Cutover instance: its Core's age (None: today's) and the API versions it serves.

    It serves the versions from `earliest` up to the newest its Core knows (a Core dated by
    a reference knows none newer than that reference).
    """

    core: str | None = None
    earliest: str = API_VERSIONS[0]

    def __post_init__(self) -> None:
        if self.core is not None and self.core not in API_VERSIONS:
            raise ValueError(f"core must be one of {', '.join(API_VERSIONS)}")
        if self.earliest not in API_VERSIONS:
            raise ValueError(f"earliest must be one of {', '.join(API_VERSIONS)}")
        if self.core is not None and self.earliest > self.core:
            raise ValueError(f"a Core of {self.core} was never provisioned at {self.earliest}")

    @property
    def api_versions(self) -> tuple[str, ...]:
        """The versions provisioned on this instance, earliest first."""
        newest = self.core or API_VERSIONS[-1]
        return tuple(v for v in API_VERSIONS if self.earliest <= v <= newest)

    def request_version(self, header: str | None) -> str | ApiFailure:
        """The version a request runs at: its pin, else the earliest provisioned."""
        if header is None:
            return self.api_versions[0]
        if header not in self.api_versions:
            return ApiFailure.one(
                400,
                f"Api-Version must be one of {', '.join(self.api_versions)} on this instance",
                "invalid",
                parameter="Api-Version",
            )
        return header

    def check_endpoint(self, method: str, path: str) -> ApiFailure | None:
        """405 for an endpoint newer than this instance's Core, whatever version is pinned."""
        if self.core is None:
            return None
        for wanted, pattern in NEWER_ENDPOINTS:
            if method == wanted and pattern.match(path):
                # The reference's 405: "This endpoint has not been implemented yet in the API";
                # its table has no code for it, so none is given.
                return ApiFailure.one(
                    405, f"{method} {path} is newer than this instance's Core ({self.core})", None
                )
        return None
