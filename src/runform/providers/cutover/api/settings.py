"""Where the API is and how to talk to it: from flags, the environment and runform.yaml."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from runform.errors import ConfigError
from runform.text.safe import shown

DEFAULT_API_VERSION = "2022-02-22"
API_VERSIONS = ("2021-10-13", "2022-01-10", "2022-02-22")

ENV_URL = "CUTOVER_API_URL"
ENV_TOKEN = "CUTOVER_API_TOKEN"
ENV_TOKEN_FILE = "CUTOVER_API_TOKEN_FILE"
ENV_CORE_URL = "CUTOVER_CORE_URL"
ENV_INSECURE = "CUTOVER_API_INSECURE"
TRUE_WORDS = ("1", "true", "yes", "on")


class ApiSettings(BaseModel):
    """Connection settings; the token is a SecretStr so no repr or dump shows it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str | None = None
    token: SecretStr | None = None
    core_url: str | None = None
    api_version: str = DEFAULT_API_VERSION
    insecure: bool = False
    timeout: float = 30.0
    max_concurrency: int = 10
    sandbox_db: str = ".runform/sandbox.db"
    # How plans name the sandbox: the database's path from the project root, the same from
    # any directory of the project (so a plan saved at the root applies from a subdirectory).
    sandbox_name: str | None = None

    @property
    def is_sandbox(self) -> bool:
        """True when no Cutover URL is configured: runform then targets the local sandbox."""
        return not self.base_url

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        defaults: Mapping[str, Any] | None = None,
        **overrides: Any,
    ) -> ApiSettings:
        """Settings from `overrides` (flags) over the environment over `defaults` (runform.yaml).

        Environment: CUTOVER_API_URL, CUTOVER_API_TOKEN (or CUTOVER_API_TOKEN_FILE),
        CUTOVER_CORE_URL, CUTOVER_API_INSECURE. A `token_file` default is read only when the
        environment names no token.

        Overrides and defaults whose value is None are ignored, so callers can pass optional
        flags straight through.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {k: v for k, v in (defaults or {}).items() if v is not None}
        token_file = values.pop("token_file", None)  # runform.yaml's, read only if needed
        if env.get(ENV_URL):
            values["base_url"] = env[ENV_URL]
        if env.get(ENV_CORE_URL):
            values["core_url"] = env[ENV_CORE_URL]
        if env.get(ENV_INSECURE, "").strip().lower() in TRUE_WORDS:
            values["insecure"] = True
        if env.get(ENV_TOKEN):
            values["token"] = env[ENV_TOKEN].strip()
        elif env.get(ENV_TOKEN_FILE):
            values["token"] = read_token_file(env[ENV_TOKEN_FILE])
        elif token_file and "token" not in values:
            values["token"] = read_token_file(token_file)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = sorted(set(values) - set(cls.model_fields))
        if unknown:
            raise ConfigError(f"unknown API setting(s): {', '.join(unknown)}")
        if values.get("base_url"):
            values["base_url"] = str(values["base_url"]).rstrip("/")
        return cls(**values)


def checked_target(
    settings: ApiSettings, env: Mapping[str, str] | None = None, *, sandbox: bool = False
) -> ApiSettings:
    """The settings, once sure the target is the one meant. The local sandbox is chosen only
    when asked for (`--sandbox`), or when nothing at all is configured outside CI: an empty
    CUTOVER_API_URL (a CI secret that did not arrive), a token without a URL, or CI without a
    URL would otherwise plan and apply against an empty sandbox and report success."""
    env = os.environ if env is None else env
    if sandbox:
        return settings.model_copy(update={"base_url": None, "core_url": None})
    if settings.base_url:
        return settings
    if ENV_URL in env:
        raise ConfigError(
            f"{ENV_URL} is set but empty (a CI secret that did not arrive?): set it to your "
            "Cutover's API URL, or pass --sandbox to use the local sandbox"
        )
    if settings.token is not None:
        raise ConfigError(
            f"a Cutover API token is set but no URL: set {ENV_URL} (or api_url in "
            "runform.yaml), or pass --sandbox to use the local sandbox"
        )
    if env.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off"):
        raise ConfigError(
            f"CI is set and no Cutover is configured: set {ENV_URL} and CUTOVER_API_TOKEN, "
            "or pass --sandbox to plan against the local sandbox"
        )
    return settings


def read_token_file(path: str | os.PathLike[str]) -> str:
    """The token stored in a file (surrounding whitespace removed)."""
    try:
        token = Path(path).expanduser().read_text(encoding="utf-8").strip()
    except OSError as err:
        raise ConfigError(f"cannot read the API token file {path}: {err.strerror}") from None
    if not token:
        raise ConfigError(f"the API token file {path} is empty")
    return token


def is_loopback(host: str | None) -> bool:
    """True for `localhost`, 127.0.0.0/8 and ::1 (where plain http is harmless).

    Names under `.localhost` do not count: they go through the system resolver, and one that
    does not special-case them could send the token in clear text anywhere."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, insecure: bool = False) -> None:
    """Refuse URLs that would send the token in the clear, unless to loopback or told to."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is what refuses a bad one
    except ValueError as err:
        raise ConfigError(f"the Cutover API URL {shown(url)!r} is not a URL ({err})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"the Cutover API URL {shown(url)!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise ConfigError("the Cutover API URL must not contain credentials; use the token")
    if parts.scheme == "http" and not insecure and not is_loopback(parts.hostname):
        raise ConfigError(
            f"refusing plain http:// to {parts.hostname}: the token would travel unencrypted; "
            "use https:// or pass --insecure"
        )
