"""Settings by role: each process reads the variables its role needs, and no others.

A role's settings are a frozen dataclass whose fields name their variable
(`variables.py`); a field is read only in the modes where the role uses it (the SQLite
path locally, the DynamoDB table on AWS). So a variable of one role can neither be
required by another nor stop it, and `variables()` says what each process reads.
"""

import dataclasses
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ingest_service import variables as v
from ingest_service.variables import Env, SettingsError, Variable

__all__ = [
    "DashboardSettings",
    "DataSettings",
    "Env",
    "HttpSettings",
    "IntakeSettings",
    "LakeSettings",
    "PipelineSettings",
    "ReadSettings",
    "RoleSettings",
    "ScheduleSettings",
    "ServeSettings",
    "SettingsError",
    "StoreSettings",
]

S = TypeVar("S", bound="RoleSettings")
BOTH: tuple[Env, ...] = ("local", "aws")
LOCAL: tuple[Env, ...] = ("local",)
AWS: tuple[Env, ...] = ("aws",)


def setting(variable: Variable[Any], modes: tuple[Env, ...] = BOTH) -> Any:
    """A field read from `variable` in `modes`; elsewhere, and when built by hand, its default."""
    return dataclasses.field(
        default=variable.default_value(), metadata={"variable": variable, "modes": modes}
    )


@dataclasses.dataclass(frozen=True, kw_only=True)
class RoleSettings:
    env: Env = setting(v.ENV)
    data_dir: Path = setting(v.DATA_DIR, LOCAL)

    @classmethod
    def from_env(cls: type[S], environ: Mapping[str, str] | None = None) -> S:
        env: Env = v.ENV.read(environ) or "local"
        values = {field.name: field.metadata["variable"].read(environ) for field in _read(cls, env)}
        settings = cls(**values)
        settings.check()
        return settings

    @classmethod
    def variables(cls, env: Env) -> frozenset[str]:
        """The names of the variables this role reads in mode `env`."""
        return frozenset(field.metadata["variable"].name for field in _read(cls, env))

    def check(self) -> None:
        """Rules across variables in the chosen mode; each group adds its own."""

    @property
    def host_state_dir(self) -> Path:
        """Where the worker processes of one host share small state (rate limit buckets,
        sign-in attempts): the data dir locally; on AWS the temp dir, the one writable
        place of a task whose root file system is read-only."""
        if self.env == "aws":
            return Path(tempfile.gettempdir()) / "clickstream"
        return self.data_dir


def _read(cls: type[RoleSettings], env: Env) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(cls) if env in f.metadata.get("modes", ())]


@dataclasses.dataclass(frozen=True, kw_only=True)
class StoreSettings(RoleSettings):
    """The click store: a SQLite file locally, a DynamoDB table on AWS."""

    dynamodb_table: str = setting(v.DYNAMODB_TABLE, AWS)
    retention_days: int = setting(v.RETENTION_DAYS, AWS)

    @property
    def store_path(self) -> Path:
        return self.data_dir / "clicks.sqlite3"


@dataclasses.dataclass(frozen=True, kw_only=True)
class LakeSettings(RoleSettings):
    """The lake, its catalog and the SQL engine over it."""

    lake_uri: str = setting(v.LAKE_URI)
    # On AWS the images carry the repository's funnels.toml: the default, not a variable.
    funnels_file: Path = setting(v.FUNNELS_FILE, LOCAL)
    glue_database: str = setting(v.GLUE_DATABASE, AWS)
    athena_workgroup: str = setting(v.ATHENA_WORKGROUP, AWS)
    athena_output: str | None = setting(v.ATHENA_OUTPUT, AWS)

    @property
    def lake_root(self) -> str:
        return self.lake_uri or str(self.data_dir / "lake")

    def check(self) -> None:
        super().check()
        if self.env != "aws":
            return
        if not self.lake_uri.startswith("s3://"):
            raise SettingsError(
                f"{v.LAKE_URI.name}: must be s3://bucket/prefix when CLICKSTREAM_ENV=aws"
            )
        if self.athena_output is None:
            raise SettingsError(f"{v.ATHENA_OUTPUT.name}: required when CLICKSTREAM_ENV=aws")


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReadSettings(RoleSettings):
    """Who may read (tokens, loopback) and who the client is (proxies in front)."""

    read_tokens: tuple[str, ...] = setting(v.READ_TOKEN)
    trusted_proxies: int = setting(v.TRUSTED_PROXIES)
    loopback_reads: bool = setting(v.LOOPBACK_READS)

    def check(self) -> None:
        super().check()
        if self.loopback_reads and self.trusted_proxies:
            # Behind a proxy every request may come from loopback (a proxy on the same
            # host), or claim to: there loopback is no credential.
            raise SettingsError(
                f"{v.LOOPBACK_READS.name}: must be off when {v.TRUSTED_PROXIES.name} is set;"
                " readers behind a proxy use a read token"
            )


@dataclasses.dataclass(frozen=True, kw_only=True)
class HttpSettings(RoleSettings):
    """The HTTP server's bounds on slow and idle clients (`http_protocol.py`)."""

    max_connections: int = setting(v.MAX_CONNECTIONS)
    idle_timeout_s: int = setting(v.IDLE_TIMEOUT_S)
    request_timeout_s: int = setting(v.REQUEST_TIMEOUT_S)


@dataclasses.dataclass(frozen=True, kw_only=True)
class IntakeSettings(StoreSettings, ReadSettings, HttpSettings):
    """The intake: `POST /clicks`, `/clicks/batch`, `/health`, `/ready`."""

    cors_origins: tuple[str, ...] = setting(v.CORS_ORIGINS)
    client_tz: str = setting(v.CLIENT_TZ)
    rate_limit: int = setting(v.RATE_LIMIT)
    geo_precision: int = setting(v.GEO_PRECISION)
    max_body_bytes: int = setting(v.MAX_BODY_BYTES)
    max_batch_clicks: int = setting(v.MAX_BATCH_CLICKS)


@dataclasses.dataclass(frozen=True, kw_only=True)
class DataSettings(StoreSettings, LakeSettings):
    """The store and the lake: what `setup` and `erase` work on."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class ScheduleSettings(RoleSettings):
    """When the nightly run starts: the pipeline runs then, the dashboard says so."""

    schedule_cron: str = setting(v.SCHEDULE_CRON)


@dataclasses.dataclass(frozen=True, kw_only=True)
class DashboardSettings(DataSettings, ReadSettings, HttpSettings, ScheduleSettings):
    """The dashboard: summaries through the query engine, the live panel from the store
    (which says when today's clicks reach the lake: the schedule)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class ServeSettings(IntakeSettings, DashboardSettings):
    """`clickstream serve`: the intake and the dashboard mounted in one process."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class PipelineSettings(DataSettings, ScheduleSettings):
    """Dagster's webserver, daemon and runs."""

    trigger_queue_url: str | None = setting(v.TRIGGER_QUEUE_URL, AWS)
    alert_topic_arn: str | None = setting(v.ALERT_TOPIC_ARN, AWS)
    alert_webhook_url: str | None = setting(v.ALERT_WEBHOOK_URL)
    start_date: date = setting(v.START_DATE)
    freshness_hour: int = setting(v.FRESHNESS_HOUR)
    dagster_url: str = setting(v.DAGSTER_URL)

    @property
    def alert_log_path(self) -> Path:
        return self.data_dir / "alerts.jsonl"

    def check(self) -> None:
        super().check()
        if self.env == "aws" and self.alert_topic_arn is None:
            raise SettingsError(f"{v.ALERT_TOPIC_ARN.name}: required when CLICKSTREAM_ENV=aws")
