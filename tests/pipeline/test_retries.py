"""Transient errors are retried with backoff; other errors fail the step at once."""

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pytest
from botocore.exceptions import ClientError

from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.definitions import build_definitions
from orchestration.resources.lake import CLICKS_TABLE, LocalLake, Rows, StagedPartition
from orchestration.resources.transient import is_transient
from tests.pipeline.conftest import FIRST_DAY

THROTTLED = ClientError(
    {"Error": {"Code": "SlowDown"}, "ResponseMetadata": {"HTTPStatusCode": 503}}, "PutObject"
)


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (THROTTLED, True),
        (ClientError({"Error": {"Code": "InternalError"}}, "GetObject"), True),
        (ClientError({"ResponseMetadata": {"HTTPStatusCode": 502}}, "Query"), True),
        (ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "Query"), True),
        (sqlite3.OperationalError("database is locked"), True),
        (TimeoutError("read timed out"), True),
        (ClientError({"Error": {"Code": "AccessDenied"}}, "PutObject"), False),
        (ClientError({"Error": {"Code": "NoSuchBucket"}}, "PutObject"), False),
        (sqlite3.OperationalError("no such table: clicks"), False),
        (ValueError("bad day"), False),
    ],
)
def test_what_counts_as_transient(error: Exception, transient: bool) -> None:
    assert is_transient(error) is transient


@dataclass(frozen=True, kw_only=True)
class FlakyLake(LocalLake):
    """Fails its first `failures` stagings of clicks (counted in a file: the lake is frozen)."""

    counter: str
    failures: int
    error: str

    def stage_partition(
        self, table: str, day: date, rows: Rows, schema: pa.Schema
    ) -> StagedPartition:
        if table != CLICKS_TABLE:
            return super().stage_partition(table, day, rows, schema)
        path = Path(self.counter)
        calls = int(path.read_text()) if path.exists() else 0
        path.write_text(str(calls + 1))
        if calls < self.failures:
            raise THROTTLED if self.error == "throttled" else ValueError("not transient")
        return super().stage_partition(table, day, rows, schema)


def _run(
    settings: PipelineSettings, tmp_path: Path, error: str
) -> tuple[dg.ExecuteInProcessResult, int]:
    counter = tmp_path / "stagings"
    lake = FlakyLake(root=settings.lake_root, counter=str(counter), failures=1, error=error)
    defs = build_definitions(settings)
    resources = {**defs.get_repository_def().get_top_level_resources(), "lake": lake}
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [defs.get_assets_def("clicks_export")],
            partition_key=FIRST_DAY.isoformat(),
            resources=resources,
            instance=instance,
            raise_on_error=False,
        )
    return result, int(counter.read_text())


def test_a_throttled_write_is_retried_and_the_day_published_once(
    settings: PipelineSettings, tmp_path: Path, filled_store: SQLiteClickStore
) -> None:
    result, stagings = _run(settings, tmp_path, "throttled")

    assert result.success
    assert stagings == 2
    events = result.get_asset_materialization_events()
    exported = [e for e in events if e.asset_key == dg.AssetKey("clicks_export")]
    assert len(exported) == 1


def test_an_error_a_retry_cannot_fix_fails_the_step_at_once(
    settings: PipelineSettings, tmp_path: Path, filled_store: SQLiteClickStore
) -> None:
    result, stagings = _run(settings, tmp_path, "permanent")

    assert not result.success
    assert stagings == 1
