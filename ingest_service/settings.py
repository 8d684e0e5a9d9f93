"""Configuration: read once from the environment, validated, then passed to factories."""

import os
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar

Env = Literal["local", "aws"]
T = TypeVar("T")


class SettingsError(ValueError):
    """A configuration variable is missing or malformed; the message names it."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    env: Env = "local"
    data_dir: Path = Path("data")
    cors_origins: tuple[str, ...] = ()
    client_tz: str = "UTC"
    dynamodb_table: str = "clickstream-clicks"
    lake_uri: str = ""
    glue_database: str = "clickstream"
    athena_workgroup: str = "primary"
    athena_output: str | None = None
    trigger_queue_url: str | None = None
    alert_topic_arn: str | None = None
    alert_webhook_url: str | None = None
    read_tokens: tuple[str, ...] = ()
    rate_limit: int = 0
    trusted_proxies: int = 0
    geo_precision: int = 2
    max_body_bytes: int = 1_000_000
    max_batch_clicks: int = 500
    retention_days: int = 400
    start_date: date = date(2026, 1, 1)
    schedule_cron: str = "30 0 * * *"
    freshness_hour: int = 6
    public_url: str = "http://127.0.0.1:8000"
    dagster_url: str = "http://127.0.0.1:3000"

    @property
    def store_path(self) -> Path:
        return self.data_dir / "clicks.sqlite3"

    @property
    def lake_root(self) -> str:
        return self.lake_uri or str(self.data_dir / "lake")

    @property
    def alert_log_path(self) -> Path:
        return self.data_dir / "alerts.jsonl"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env_vars = os.environ if environ is None else environ
        reader = _Reader(env_vars)
        env = reader.get("CLICKSTREAM_ENV", "local", _parse_env)
        settings = cls(
            env=env,
            data_dir=Path(reader.get("CLICKSTREAM_DATA_DIR", "data", str)),
            cors_origins=reader.get("CLICKSTREAM_CORS_ORIGINS", "", _parse_origins),
            client_tz=reader.get("CLICKSTREAM_CLIENT_TZ", "UTC", _parse_zone),
            dynamodb_table=reader.get(
                "CLICKSTREAM_DYNAMODB_TABLE", "clickstream-clicks", _nonempty
            ),
            lake_uri=reader.get("CLICKSTREAM_LAKE_URI", "", str),
            glue_database=reader.get("CLICKSTREAM_GLUE_DATABASE", "clickstream", _nonempty),
            athena_workgroup=reader.get("CLICKSTREAM_ATHENA_WORKGROUP", "primary", _nonempty),
            athena_output=reader.optional("CLICKSTREAM_ATHENA_OUTPUT", _s3_uri),
            trigger_queue_url=reader.optional("CLICKSTREAM_TRIGGER_QUEUE_URL", _http_url),
            alert_topic_arn=reader.optional("CLICKSTREAM_ALERT_TOPIC_ARN", _sns_arn),
            alert_webhook_url=reader.optional("CLICKSTREAM_ALERT_WEBHOOK_URL", _http_url),
            read_tokens=reader.get("CLICKSTREAM_READ_TOKEN", "", _parse_tokens),
            rate_limit=reader.get("CLICKSTREAM_RATE_LIMIT", "0", _non_negative_int),
            trusted_proxies=reader.get("CLICKSTREAM_TRUSTED_PROXIES", "0", _non_negative_int),
            geo_precision=reader.get("CLICKSTREAM_GEO_PRECISION", "2", _geo_precision),
            max_body_bytes=reader.get("CLICKSTREAM_MAX_BODY_BYTES", "1000000", _positive_int),
            max_batch_clicks=reader.get("CLICKSTREAM_MAX_BATCH_CLICKS", "500", _positive_int),
            retention_days=reader.get("CLICKSTREAM_RETENTION_DAYS", "400", _positive_int),
            start_date=reader.get("CLICKSTREAM_START_DATE", "2026-01-01", date.fromisoformat),
            schedule_cron=reader.get("CLICKSTREAM_SCHEDULE_CRON", "30 0 * * *", _cron),
            freshness_hour=reader.get("CLICKSTREAM_FRESHNESS_HOUR", "6", _hour),
            public_url=reader.get("CLICKSTREAM_PUBLIC_URL", "http://127.0.0.1:8000", _http_url),
            dagster_url=reader.get("CLICKSTREAM_DAGSTER_URL", "http://127.0.0.1:3000", _http_url),
        )
        if env == "aws":
            _require_aws(settings)
        return settings


def _require_aws(settings: Settings) -> None:
    if not settings.lake_uri.startswith("s3://"):
        raise SettingsError(
            "CLICKSTREAM_LAKE_URI: must be s3://bucket/prefix when CLICKSTREAM_ENV=aws"
        )
    if settings.athena_output is None:
        raise SettingsError("CLICKSTREAM_ATHENA_OUTPUT: required when CLICKSTREAM_ENV=aws")


class _Reader:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def get(self, name: str, default: str, parse: Callable[[str], T]) -> T:
        raw = self._environ.get(name, "").strip() or default
        try:
            return parse(raw)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
            raise SettingsError(f"{name}: {exc}") from None

    def optional(self, name: str, parse: Callable[[str], T]) -> T | None:
        raw = self._environ.get(name, "").strip()
        return self.get(name, raw, parse) if raw else None


def _parse_env(raw: str) -> Env:
    if raw == "local":
        return "local"
    if raw == "aws":
        return "aws"
    raise ValueError(f"expected 'local' or 'aws', got {raw!r}")


def _nonempty(raw: str) -> str:
    if not raw:
        raise ValueError("must not be empty")
    return raw


def _parse_origins(raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
            raise ValueError(f"{origin!r} is not an origin like https://example.com")
    return origins


def _parse_tokens(raw: str) -> tuple[str, ...]:
    tokens = tuple(t.strip() for t in raw.split(",") if t.strip())
    if any(len(t) < 16 for t in tokens):
        raise ValueError("each token must be at least 16 characters")
    return tokens


def _parse_zone(raw: str) -> str:
    zoneinfo.ZoneInfo(raw)
    return raw


def _non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError(f"must be 0 or more, got {value}")
    return value


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError(f"must be 1 or more, got {value}")
    return value


def _geo_precision(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 6:
        raise ValueError(f"must be between 0 and 6, got {value}")
    return value


def _hour(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 23:
        raise ValueError(f"must be an hour 0-23, got {value}")
    return value


def _cron(raw: str) -> str:
    if len(raw.split()) != 5:
        raise ValueError(f"expected a 5-field cron expression, got {raw!r}")
    return raw


def _http_url(raw: str) -> str:
    if not re.fullmatch(r"https?://\S+", raw):
        raise ValueError(f"expected an http(s) URL, got {raw!r}")
    return raw.rstrip("/")


def _s3_uri(raw: str) -> str:
    if not re.fullmatch(r"s3://[a-z0-9.\-]{3,63}(/\S*)?", raw):
        raise ValueError(f"expected s3://bucket/prefix, got {raw!r}")
    return raw


def _sns_arn(raw: str) -> str:
    if not re.fullmatch(r"arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+", raw):
        raise ValueError(f"expected an SNS topic ARN, got {raw!r}")
    return raw
