"""A malformed variable stops start-up with a message that names it."""

import pytest

from ingest_service.settings import Settings, SettingsError

LOCAL = {"CLICKSTREAM_ENV": "local"}


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("CLICKSTREAM_ENV", "staging", "'local' or 'aws'"),
        ("CLICKSTREAM_CLIENT_TZ", "Mars/Olympus", "Mars/Olympus"),
        ("CLICKSTREAM_CORS_ORIGINS", "shop.example", "not an origin"),
        ("CLICKSTREAM_RATE_LIMIT", "-5", "0 or more"),
        ("CLICKSTREAM_RATE_LIMIT", "lots", "invalid literal"),
        ("CLICKSTREAM_TRUSTED_PROXIES", "1.5", "invalid literal"),
        ("CLICKSTREAM_GEO_PRECISION", "9", "between 0 and 6"),
        ("CLICKSTREAM_MAX_BODY_BYTES", "0", "1 or more"),
        ("CLICKSTREAM_MAX_BATCH_CLICKS", "-1", "1 or more"),
        ("CLICKSTREAM_READ_TOKEN", "short", "at least 16"),
        ("CLICKSTREAM_ALERT_WEBHOOK_URL", "hooks.example/x", "http(s) URL"),
    ],
)
def test_malformed_variable_is_named(name: str, value: str, reason: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({**LOCAL, name: value})
    message = str(raised.value)
    assert message.startswith(f"{name}: ")
    assert reason in message


def test_aws_mode_names_what_it_misses() -> None:
    with pytest.raises(SettingsError, match=r"^CLICKSTREAM_LAKE_URI: "):
        Settings.from_env({"CLICKSTREAM_ENV": "aws"})


def test_intake_settings_are_read() -> None:
    settings = Settings.from_env(
        {
            "CLICKSTREAM_RATE_LIMIT": "120",
            "CLICKSTREAM_TRUSTED_PROXIES": "1",
            "CLICKSTREAM_GEO_PRECISION": "3",
            "CLICKSTREAM_CLIENT_TZ": "Europe/Paris",
            "CLICKSTREAM_CORS_ORIGINS": "https://a.example, http://localhost:5173/",
        }
    )
    assert (settings.rate_limit, settings.trusted_proxies, settings.geo_precision) == (120, 1, 3)
    assert settings.client_tz == "Europe/Paris"
    assert settings.cors_origins == ("https://a.example", "http://localhost:5173")
