"""Every CLICKSTREAM_* variable: its name, its default and how its text is read.

One home for the names: the settings of each role (`settings.py`) pick from these, and the
deployment test derives from those picks which variables each process reads.
"""

import os
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Generic, Literal, TypeVar

Env = Literal["local", "aws"]
T = TypeVar("T")


class SettingsError(ValueError):
    """A configuration variable is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Variable(Generic[T]):
    """One environment variable. Optional ones are None when unset; the others take the
    default's reading."""

    name: str
    default: str | None
    parse: Callable[[str], T]

    def default_value(self) -> T | None:
        return None if self.default is None else self.parse(self.default)

    def read(self, environ: Mapping[str, str] | None = None) -> T | None:
        raw = (os.environ if environ is None else environ).get(self.name, "").strip()
        if not raw and self.default is None:
            return None
        try:
            return self.parse(raw or self.default or "")
        except (ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
            raise SettingsError(f"{self.name}: {exc}") from None


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


def _bounded_int(low: int, high: int | None = None) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        value = int(raw)
        if value < low or (high is not None and value > high):
            limit = f"{low} or more" if high is None else f"between {low} and {high}"
            raise ValueError(f"must be {limit}, got {value}")
        return value

    return parse


def _flag(raw: str) -> bool:
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected 1 or 0 (true or false), got {raw!r}")


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


ENV = Variable("CLICKSTREAM_ENV", "local", _parse_env)
DATA_DIR = Variable("CLICKSTREAM_DATA_DIR", "data", Path)
CORS_ORIGINS = Variable("CLICKSTREAM_CORS_ORIGINS", "", _parse_origins)
CLIENT_TZ = Variable("CLICKSTREAM_CLIENT_TZ", "UTC", _parse_zone)
DYNAMODB_TABLE = Variable("CLICKSTREAM_DYNAMODB_TABLE", "clickstream-clicks", _nonempty)
LAKE_URI = Variable("CLICKSTREAM_LAKE_URI", "", str)
FUNNELS_FILE = Variable("CLICKSTREAM_FUNNELS_FILE", "funnels.toml", Path)
GLUE_DATABASE = Variable("CLICKSTREAM_GLUE_DATABASE", "clickstream", _nonempty)
ATHENA_WORKGROUP = Variable("CLICKSTREAM_ATHENA_WORKGROUP", "primary", _nonempty)
ATHENA_OUTPUT = Variable("CLICKSTREAM_ATHENA_OUTPUT", None, _s3_uri)
TRIGGER_QUEUE_URL = Variable("CLICKSTREAM_TRIGGER_QUEUE_URL", None, _http_url)
ALERT_TOPIC_ARN = Variable("CLICKSTREAM_ALERT_TOPIC_ARN", None, _sns_arn)
ALERT_WEBHOOK_URL = Variable("CLICKSTREAM_ALERT_WEBHOOK_URL", None, _http_url)
READ_TOKEN = Variable("CLICKSTREAM_READ_TOKEN", "", _parse_tokens)
RATE_LIMIT = Variable("CLICKSTREAM_RATE_LIMIT", "0", _bounded_int(0))
TRUSTED_PROXIES = Variable("CLICKSTREAM_TRUSTED_PROXIES", "0", _bounded_int(0))
LOOPBACK_READS = Variable("CLICKSTREAM_LOOPBACK_READS", "0", _flag)
MAX_CONNECTIONS = Variable("CLICKSTREAM_MAX_CONNECTIONS", "1000", _bounded_int(1))
IDLE_TIMEOUT_S = Variable("CLICKSTREAM_IDLE_TIMEOUT_S", "5", _bounded_int(1))
REQUEST_TIMEOUT_S = Variable("CLICKSTREAM_REQUEST_TIMEOUT_S", "20", _bounded_int(1))
GEO_PRECISION = Variable("CLICKSTREAM_GEO_PRECISION", "2", _bounded_int(0, 6))
MAX_BODY_BYTES = Variable("CLICKSTREAM_MAX_BODY_BYTES", "1000000", _bounded_int(1))
MAX_BATCH_CLICKS = Variable("CLICKSTREAM_MAX_BATCH_CLICKS", "500", _bounded_int(1))
RETENTION_DAYS = Variable("CLICKSTREAM_RETENTION_DAYS", "400", _bounded_int(1))
START_DATE = Variable("CLICKSTREAM_START_DATE", "2026-01-01", date.fromisoformat)
SCHEDULE_CRON = Variable("CLICKSTREAM_SCHEDULE_CRON", "30 0 * * *", _cron)
FRESHNESS_HOUR = Variable("CLICKSTREAM_FRESHNESS_HOUR", "6", _bounded_int(0, 23))
DAGSTER_URL = Variable("CLICKSTREAM_DAGSTER_URL", "http://127.0.0.1:3000", _http_url)
