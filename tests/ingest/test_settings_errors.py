"""Each role reads its own variables: a malformed one stops that role, naming it, and no other."""

from typing import Any

import pytest

from ingest_service import variables as v
from ingest_service.settings import (
    DashboardSettings,
    Env,
    IntakeSettings,
    PipelineSettings,
    RoleSettings,
    ServeSettings,
    SettingsError,
)

ROLES: list[type[RoleSettings]] = [
    IntakeSettings,
    DashboardSettings,
    ServeSettings,
    PipelineSettings,
]
# The least each role needs in aws mode.
AWS_BASE = {
    "CLICKSTREAM_ENV": "aws",
    "CLICKSTREAM_LAKE_URI": "s3://lake-bucket/lake",
    "CLICKSTREAM_ATHENA_OUTPUT": "s3://results-bucket/athena/",
    "CLICKSTREAM_ALERT_TOPIC_ARN": "arn:aws:sns:eu-west-1:123456789012:alerts",
}
# A value each variable refuses, with words of the reason (a path or a local lake URI
# takes any text).
MALFORMED: dict[v.Variable[Any], tuple[str, str]] = {
    v.CLIENT_TZ: ("Mars/Olympus", "Mars/Olympus"),
    v.CORS_ORIGINS: ("shop.example", "not an origin"),
    v.RATE_LIMIT: ("-5", "0 or more"),
    v.TRUSTED_PROXIES: ("1.5", "invalid literal"),
    v.LOOPBACK_READS: ("maybe", "1 or 0"),
    v.MAX_CONNECTIONS: ("0", "1 or more"),
    v.IDLE_TIMEOUT_S: ("0", "1 or more"),
    v.REQUEST_TIMEOUT_S: ("-1", "1 or more"),
    v.GEO_PRECISION: ("9", "between 0 and 6"),
    v.MAX_BODY_BYTES: ("0", "1 or more"),
    v.MAX_BATCH_CLICKS: ("-1", "1 or more"),
    v.READ_TOKEN: ("short", "at least 16"),
    v.RETENTION_DAYS: ("0", "1 or more"),
    v.ATHENA_OUTPUT: ("results-bucket", "s3://"),
    v.TRIGGER_QUEUE_URL: ("queue", "http(s) URL"),
    v.ALERT_TOPIC_ARN: ("alerts", "SNS topic ARN"),
    v.ALERT_WEBHOOK_URL: ("hooks.example/x", "http(s) URL"),
    v.START_DATE: ("yesterday", "isoformat"),
    v.SCHEDULE_CRON: ("nightly", "5-field"),
    v.FRESHNESS_HOUR: ("25", "between 0 and 23"),
    v.DAGSTER_URL: ("dagster", "http(s) URL"),
}
CASES = [
    (role, env, variable)
    for role in ROLES
    for env in ("local", "aws")
    for variable in MALFORMED
    if variable.name in role.variables(env)
]


def _base(env: Env) -> dict[str, str]:
    return dict(AWS_BASE) if env == "aws" else {"CLICKSTREAM_ENV": "local"}


@pytest.mark.parametrize(
    ("role", "env", "variable"),
    CASES,
    ids=[f"{role.__name__}-{env}-{variable.name}" for role, env, variable in CASES],
)
def test_a_malformed_variable_of_the_role_is_named(
    role: type[RoleSettings], env: Env, variable: v.Variable[Any]
) -> None:
    value, reason = MALFORMED[variable]
    with pytest.raises(SettingsError) as raised:
        role.from_env({**_base(env), variable.name: value})
    message = str(raised.value)
    assert message.startswith(f"{variable.name}: ")
    assert reason in message


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.__name__)
@pytest.mark.parametrize("env", ["local", "aws"])
def test_variables_of_other_roles_never_stop_a_role(role: type[RoleSettings], env: Env) -> None:
    others = {
        variable.name: value
        for variable, (value, _) in MALFORMED.items()
        if variable.name not in role.variables(env)
    }
    assert role.from_env({**_base(env), **others}).env == env


def test_a_bad_mode_stops_every_role() -> None:
    for role in ROLES:
        with pytest.raises(SettingsError, match=r"^CLICKSTREAM_ENV: .*'local' or 'aws'"):
            role.from_env({"CLICKSTREAM_ENV": "staging"})


def test_the_intake_needs_nothing_of_the_pipeline_on_aws() -> None:
    settings = IntakeSettings.from_env({"CLICKSTREAM_ENV": "aws"})

    assert settings.dynamodb_table == "clickstream-clicks"
    assert "CLICKSTREAM_ALERT_TOPIC_ARN" not in IntakeSettings.variables("aws")
    assert "CLICKSTREAM_ATHENA_OUTPUT" not in IntakeSettings.variables("aws")


@pytest.mark.parametrize(
    ("role", "missing"),
    [
        (DashboardSettings, "CLICKSTREAM_LAKE_URI"),
        (DashboardSettings, "CLICKSTREAM_ATHENA_OUTPUT"),
        (PipelineSettings, "CLICKSTREAM_ATHENA_OUTPUT"),
        (PipelineSettings, "CLICKSTREAM_ALERT_TOPIC_ARN"),
    ],
)
def test_aws_mode_names_what_the_role_misses(role: type[RoleSettings], missing: str) -> None:
    environ = {name: value for name, value in AWS_BASE.items() if name != missing}
    with pytest.raises(SettingsError, match=rf"^{missing}: "):
        role.from_env(environ)


def test_intake_settings_are_read() -> None:
    settings = IntakeSettings.from_env(
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


def test_local_mode_reads_no_aws_only_variable() -> None:
    settings = PipelineSettings.from_env(
        {"CLICKSTREAM_ATHENA_OUTPUT": "results", "CLICKSTREAM_ALERT_TOPIC_ARN": "alerts"}
    )

    assert (settings.athena_output, settings.alert_topic_arn) == (None, None)
