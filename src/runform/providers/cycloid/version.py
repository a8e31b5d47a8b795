"""The API version runform is built for: `getAppVersion` is read at plan time and a version
outside the supported range is refused before anything else is read."""

from __future__ import annotations

import re

from runform.errors import ConfigError
from runform.providers.cycloid.client import CycloidClient

SUPPORTED = ((6, 0), (6, 2))  # the reference's v6.0 to v6.2, every patch release of them
_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?")


def supported_range() -> str:
    (low_major, low_minor), (high_major, high_minor) = SUPPORTED
    return f"v{low_major}.{low_minor}.x to v{high_major}.{high_minor}.x"


def check_version(text: object) -> str:
    """The version, when runform supports it; ConfigError naming the range otherwise."""
    found = _VERSION.match(str(text or "").strip())
    if found is None:
        raise ConfigError(
            f"Cycloid reports the API version {str(text)[:40]!r}, which runform cannot read; "
            f"it supports {supported_range()}"
        )
    major_minor = (int(found.group(1)), int(found.group(2)))
    if not SUPPORTED[0] <= major_minor <= SUPPORTED[1]:
        raise ConfigError(
            f"Cycloid's API is {found.group(0)}, outside the range runform supports: "
            f"runform supports {supported_range()}; nothing was planned"
        )
    return found.group(0)


async def read_version(client: CycloidClient) -> str:
    data = await client.get("/version")
    return check_version(data.get("version") if isinstance(data, dict) else None)
