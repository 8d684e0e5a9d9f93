"""The edge's settings: loopback reads only where nothing proxies, and the server's bounds."""

import argparse

import pytest

from ingest_service.serving import server_config
from ingest_service.settings import (
    DashboardSettings,
    IntakeSettings,
    ReadSettings,
    ServeSettings,
    SettingsError,
)

HTTP_ROLES: list[type[ReadSettings]] = [IntakeSettings, DashboardSettings, ServeSettings]


@pytest.mark.parametrize("role", HTTP_ROLES)
def test_loopback_reads_are_off_unless_asked_for(role: type[ReadSettings]) -> None:
    assert role.from_env({}).loopback_reads is False
    assert role.from_env({"CLICKSTREAM_LOOPBACK_READS": "1"}).loopback_reads is True
    assert role.from_env({"CLICKSTREAM_LOOPBACK_READS": "off"}).loopback_reads is False


@pytest.mark.parametrize("role", HTTP_ROLES)
def test_loopback_is_no_credential_behind_proxies(role: type[ReadSettings]) -> None:
    environ = {"CLICKSTREAM_LOOPBACK_READS": "1", "CLICKSTREAM_TRUSTED_PROXIES": "1"}
    with pytest.raises(SettingsError, match=r"^CLICKSTREAM_LOOPBACK_READS: must be off when"):
        role.from_env(environ)


def test_the_server_reads_no_forwarding_header_and_keeps_the_bounds() -> None:
    settings = IntakeSettings.from_env(
        {
            "CLICKSTREAM_MAX_CONNECTIONS": "300",
            "CLICKSTREAM_IDLE_TIMEOUT_S": "65",
            "CLICKSTREAM_REQUEST_TIMEOUT_S": "15",
        }
    )
    args = argparse.Namespace(host="127.0.0.1", port=8000, workers=2)
    config = server_config("ingest_service.server:app_from_env", args, settings)

    assert config.proxy_headers is False
    assert (config.limits.max_connections, config.limits.idle_timeout_s) == (300, 65)
    assert (config.limits.request_timeout_s, config.timeout_keep_alive) == (15, 65)
