from __future__ import annotations

import pytest

from runform.errors import ConfigError
from runform.providers.cutover.api import ApiSettings, CutoverClient
from runform.providers.cutover.api.settings import check_url, is_loopback

TOKEN = "a1" * 24


def test_from_env_reads_url_token_and_core_url():
    settings = ApiSettings.from_env(
        {
            "CUTOVER_API_URL": "https://api.cutover.net/",
            "CUTOVER_API_TOKEN": f" {TOKEN}\n",
            "CUTOVER_CORE_URL": "https://acme.cutover.com",
        }
    )
    assert settings.base_url == "https://api.cutover.net"
    assert settings.token is not None and settings.token.get_secret_value() == TOKEN
    assert settings.core_url == "https://acme.cutover.com"
    assert not settings.is_sandbox
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)
    assert TOKEN not in settings.model_dump_json()


def test_token_file_and_precedence(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    settings = ApiSettings.from_env(
        {"CUTOVER_API_TOKEN_FILE": str(token_file), "CUTOVER_API_URL": "https://env.example"},
        defaults={"base_url": "https://project.example", "api_version": "2022-01-10"},
        base_url=None,
        insecure=True,
    )
    assert settings.token is not None and settings.token.get_secret_value() == TOKEN
    assert settings.base_url == "https://env.example"  # environment beats runform.yaml
    assert settings.api_version == "2022-01-10"
    assert settings.insecure is True
    flagged = ApiSettings.from_env(
        {"CUTOVER_API_URL": "https://env.example"}, base_url="https://flag.example"
    )
    assert flagged.base_url == "https://flag.example"


def test_missing_or_empty_token_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the API token file"):
        ApiSettings.from_env({"CUTOVER_API_TOKEN_FILE": str(tmp_path / "absent")})
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(ConfigError, match="is empty"):
        ApiSettings.from_env({"CUTOVER_API_TOKEN_FILE": str(empty)})


def test_no_url_means_sandbox():
    assert ApiSettings.from_env({}).is_sandbox


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "127.8.9.1", "[::1]"])
def test_loopback_hosts(host):
    assert is_loopback(host.strip("[]"))
    check_url(f"http://{host}:8080")


@pytest.mark.parametrize(
    "host", ["cutover.localhost", "app.localhost", "localhost.", "128.0.0.1", "[::2]", "0.0.0.0"]
)
def test_only_localhost_and_loopback_addresses_count_as_loopback(host):
    # A name under .localhost goes through the system resolver, which may not special-case it.
    assert not is_loopback(host.strip("[]"))
    with pytest.raises(ConfigError, match="--insecure"):
        check_url(f"http://{host}:8787")


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999", "https://h:port/"])
def test_a_malformed_api_url_is_a_clear_error(url):
    with pytest.raises(ConfigError, match="is not a URL"):
        check_url(url)


def test_plain_http_to_another_host_is_refused():
    with pytest.raises(ConfigError, match=r"refusing plain http:// to cutover\.example"):
        check_url("http://cutover.example")
    with pytest.raises(ConfigError, match="--insecure"):
        CutoverClient("http://10.0.0.8", TOKEN)
    check_url("http://cutover.example", insecure=True)
    check_url("https://cutover.example")
    assert not is_loopback("localhost.example.com")


def test_url_with_credentials_or_odd_scheme_is_refused():
    with pytest.raises(ConfigError, match="credentials"):
        check_url("https://user:pw@cutover.example")
    with pytest.raises(ConfigError, match="not an http"):
        check_url("ftp://cutover.example")


def test_client_without_token_is_refused():
    with pytest.raises(ConfigError, match="CUTOVER_API_TOKEN"):
        CutoverClient.from_settings(ApiSettings(base_url="https://cutover.example"))


def test_insecure_from_environment_and_for_one_cli_run(monkeypatch):
    import os

    import click

    from runform.cli.common import api_settings
    from runform.cli.connection import INSECURE

    assert ApiSettings.from_env({"CUTOVER_API_INSECURE": "true"}).insecure
    assert not ApiSettings.from_env({"CUTOVER_API_INSECURE": "no"}).insecure
    monkeypatch.delenv("CUTOVER_API_INSECURE", raising=False)
    monkeypatch.setenv("CUTOVER_API_URL", "http://cutover.internal")
    with click.Context(click.Command("plan")) as context:
        context.meta[INSECURE] = True
        settings = api_settings()
        assert settings.insecure
        CutoverClient.from_settings(settings.model_copy(update={"token": "t"}))
        assert "CUTOVER_API_INSECURE" not in os.environ  # the process is left as it was
    with click.Context(click.Command("plan")):
        assert not api_settings().insecure


def test_a_token_file_default_is_read_only_when_the_environment_names_no_token(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("from-the-file\n")
    read = ApiSettings.from_env(env={}, defaults={"token_file": str(token_file)})
    assert read.token is not None and read.token.get_secret_value() == "from-the-file"
    missing = str(tmp_path / "absent")  # never opened: the environment's token wins
    won = ApiSettings.from_env(env={"CUTOVER_API_TOKEN": "env"}, defaults={"token_file": missing})
    assert won.token is not None and won.token.get_secret_value() == "env"
