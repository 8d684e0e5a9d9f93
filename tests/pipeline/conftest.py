"""A real SQLite store of synthetic clicks, the local resources, and a way to materialize."""

import os
import shutil
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import pytest

from ingest_service.contract import Click
from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.definitions import build_definitions
from orchestration.partitions import partition_range_tags
from tests.servers import REPO

FIRST_DAY = date(2026, 3, 1)
DAYS = 3
CLICKS_PER_DAY = 400


@pytest.fixture
def settings(tmp_path: Path) -> PipelineSettings:
    return PipelineSettings(data_dir=tmp_path / "data", start_date=date(2026, 1, 1))


def generated_clicks() -> list[Click]:
    """The tests' days of generated journeys (page views and clicks)."""
    return list(synthetic_clicks(FIRST_DAY, DAYS, CLICKS_PER_DAY, seed=7))


@pytest.fixture
def clicks() -> list[Click]:
    return generated_clicks()


@pytest.fixture
def filled_store(sqlite_store: SQLiteClickStore, clicks: list[Click]) -> SQLiteClickStore:
    sqlite_store.write(clicks)
    return sqlite_store


class Pipeline:
    """The code location built from test settings, materialized on an ephemeral instance."""

    def __init__(self, settings: PipelineSettings) -> None:
        self.defs = build_definitions(settings)
        self.instance = dg.DagsterInstance.ephemeral()

    def materialize(self, first: date, last: date | None = None) -> dg.ExecuteInProcessResult:
        last = last or first
        job = self.defs.resolve_job_def("daily_pipeline_job")
        tags = partition_range_tags(first, last)
        return job.execute_in_process(instance=self.instance, tags=tags, raise_on_error=False)


@pytest.fixture
def pipeline(settings: PipelineSettings, filled_store: SQLiteClickStore) -> Iterator[Pipeline]:
    pipeline = Pipeline(settings)
    yield pipeline
    pipeline.instance.dispose()


def days(first: date, count: int) -> Sequence[date]:
    return [first + timedelta(days=offset) for offset in range(count)]


def dagster_env(tmp_path: Path, settings: PipelineSettings) -> dict[str, str]:
    """The environment of a `dagster` command on the repository's instance config, in a
    fresh DAGSTER_HOME, over the test's data dir (no other CLICKSTREAM_* leaks in)."""
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    env = {key: value for key, value in os.environ.items() if not key.startswith("CLICKSTREAM_")}
    env.update(
        DAGSTER_HOME=str(home),
        CLICKSTREAM_DATA_DIR=str(settings.data_dir),
        CLICKSTREAM_START_DATE=settings.start_date.isoformat(),
    )
    return env
