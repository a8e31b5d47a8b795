"""Where runform talks to Cycloid, and with which key.

`CYCLOID_URL` (else runform.yaml `cycloid: api_url:`) names the API; without one, the Cycloid
sandbox is the target, served in-process over `.runform/cycloid-sandbox.sqlite3`, so a plan,
an apply and the next plan see one organization. The API key comes from `CYCLOID_API_KEY`,
else the file `CYCLOID_API_KEY_FILE` or runform.yaml `cycloid: api_key_file:` names; it is
never printed or logged."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import ValidationError

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.core.source import read_source
from runform.errors import ConfigError
from runform.providers.cycloid.client import DEFAULT_IN_FLIGHT, CycloidClient
from runform.providers.cycloid.models import ProjectSettings
from runform.providers.cycloid.sandbox import SANDBOX_API_KEY, create_app

SANDBOX_FILE = "cycloid-sandbox.sqlite3"


@dataclass(frozen=True)
class Connection:
    url: str | None  # None: the sandbox
    key: str
    sandbox_db: Path | None = None

    @property
    def shown(self) -> str:
        return f"the Cycloid sandbox ({self.sandbox_db})" if self.url is None else self.url


def project_settings(project_file: Path | None) -> ProjectSettings:
    """runform.yaml's `cycloid:` section (defaults without one)."""
    if project_file is None or not project_file.is_file():
        return ProjectSettings()
    data = read_source(project_file).data
    section = data.get("cycloid") if isinstance(data, dict) else None
    try:
        return ProjectSettings.model_validate(section or {})
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{project_file}: cycloid.{where}: {first['msg']}") from None


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def connection(
    settings: ProjectSettings,
    project_dir: Path,
    state_dir: Path,
    insecure: bool = False,
    sandbox: bool = False,
) -> Connection:
    """The target: `sandbox` (--sandbox) whatever is configured; else the configured URL;
    else the sandbox, except in CI, where no URL is an error rather than an empty sandbox."""
    url = None if sandbox else os.environ.get("CYCLOID_URL") or settings.api_url
    if not url:
        if not sandbox and os.environ.get("CI", "").strip().lower() not in ("", "0", "false"):
            raise ConfigError(
                "CI is set but no Cycloid is configured: set CYCLOID_URL (or runform.yaml "
                "`cycloid: api_url:`), or pass --sandbox to plan against the local sandbox"
            )
        return Connection(None, SANDBOX_API_KEY, state_dir / SANDBOX_FILE)
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https"):
        raise ConfigError(f"the Cycloid URL {url[:200]} is not an http(s) URL")
    if parsed.scheme == "http" and parsed.host not in LOOPBACK and not insecure:
        raise ConfigError(
            f"refusing plain http:// to {parsed.host}: the API key would cross the network "
            "unencrypted; use https://, or pass --insecure"
        )
    key = os.environ.get("CYCLOID_API_KEY")
    key_file = os.environ.get("CYCLOID_API_KEY_FILE") or (
        str(project_dir / settings.api_key_file) if settings.api_key_file else None
    )
    if not key and key_file:
        try:
            key = Path(key_file).read_text(encoding="utf-8").strip()
        except OSError as err:
            raise ConfigError(
                f"cannot read the Cycloid API key file {key_file}: {err.strerror}"
            ) from None
    if not key:
        raise ConfigError(
            f"no Cycloid API key for {url}: set CYCLOID_API_KEY, CYCLOID_API_KEY_FILE or "
            "runform.yaml `cycloid: api_key_file:`"
        )
    return Connection(url.rstrip("/"), key)


def open_client(
    conn: Connection, *, insecure: bool = False, in_flight: int = DEFAULT_IN_FLIGHT
) -> CycloidClient:
    if conn.url is not None:
        return CycloidClient(conn.url, conn.key, verify=not insecure, in_flight=in_flight)
    assert conn.sandbox_db is not None
    conn.sandbox_db.parent.mkdir(parents=True, exist_ok=True)
    app = create_app(str(conn.sandbox_db))
    return CycloidClient(
        "http://cycloid-sandbox", conn.key, InProcessTransport(app), in_flight=in_flight
    )
