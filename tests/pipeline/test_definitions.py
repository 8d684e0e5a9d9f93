"""The code location loads, and the nightly schedule asks for yesterday."""

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pytest

from ingest_service.settings import PipelineSettings
from orchestration.assets.daily import DAILY_POOL
from orchestration.definitions import build_definitions, defs
from orchestration.resources.pipeline import pipeline_resources

AWS_ENVIRONMENT = {
    "CLICKSTREAM_ENV": "aws",
    "CLICKSTREAM_LAKE_URI": "s3://clickstream-lake/prod",
    "CLICKSTREAM_ATHENA_OUTPUT": "s3://clickstream-athena/results",
    "CLICKSTREAM_ALERT_TOPIC_ARN": "arn:aws:sns:eu-west-1:123456789012:clickstream-alerts",
    "AWS_DEFAULT_REGION": "eu-west-1",
}
PIPELINE_ASSETS = {
    "clicks_export", "clicks_catalog", "clicks_by_button", "clicks_by_page",
    "clicks_by_hour", "clicks_by_device", "clicks_by_region", "sessions", "sessions_daily",
    "session_durations", "traffic_sources", "page_transitions", "funnels", "retention",
}  # fmt: skip


@pytest.mark.parametrize("environment", [{"CLICKSTREAM_ENV": "local"}, AWS_ENVIRONMENT])
def test_the_code_location_loads_in_both_modes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, environment: dict[str, str]
) -> None:
    monkeypatch.setenv("CLICKSTREAM_DATA_DIR", str(tmp_path))
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    loaded = defs()

    dg.Definitions.validate_loadable(loaded)
    keys = {key.to_user_string() for key in loaded.resolve_asset_graph().get_all_asset_keys()}
    assert keys >= PIPELINE_ASSETS


def test_both_modes_offer_the_same_resources(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, value in AWS_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    aws = pipeline_resources(PipelineSettings.from_env())
    local = pipeline_resources(PipelineSettings(data_dir=tmp_path))

    for name in ("lake", "catalog", "query_engine", "alerter"):
        assert type(getattr(aws, name)) is not type(getattr(local, name)), name


def _tick(settings: PipelineSettings, at: datetime) -> object:
    schedule = build_definitions(settings).resolve_schedule_def("nightly_schedule")
    with dg.DagsterInstance.ephemeral() as instance:
        return schedule(dg.build_schedule_context(instance=instance, scheduled_execution_time=at))


def test_the_nightly_tick_requests_yesterday(settings: PipelineSettings) -> None:
    schedule = build_definitions(settings).resolve_schedule_def("nightly_schedule")
    assert schedule.cron_schedule == "30 0 * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING

    request = _tick(settings, datetime(2026, 3, 5, 0, 30, tzinfo=UTC))

    assert isinstance(request, dg.RunRequest)
    assert request.partition_key == "2026-03-04"


def test_no_tick_before_the_first_partition(tmp_path: Path) -> None:
    settings = PipelineSettings(data_dir=tmp_path, start_date=date(2026, 3, 5))

    assert isinstance(_tick(settings, datetime(2026, 3, 5, 0, 30, tzinfo=UTC)), dg.SkipReason)


def test_a_configured_trigger_queue_runs_the_nights_instead_of_the_schedule(
    tmp_path: Path,
) -> None:
    queue = "https://sqs.eu-west-1.amazonaws.com/123456789012/clickstream-trigger"
    definitions = build_definitions(PipelineSettings(data_dir=tmp_path, trigger_queue_url=queue))

    schedule = definitions.resolve_schedule_def("nightly_schedule")
    sensor = definitions.resolve_sensor_def("trigger_queue_sensor")
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_summaries_steps_of_different_runs_take_turns(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: PipelineSettings
) -> None:
    # Two at once would each rewrite a month's compacted file without the other's days.
    shutil.copy(Path(__file__).parents[2] / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.get() as instance:
        concurrency = instance.get_concurrency_config()
        assert concurrency.pool_config.default_pool_limit == 1
        assert concurrency.run_queue_config is not None
        assert concurrency.run_queue_config.max_concurrent_runs == 2
        assert isinstance(instance.run_coordinator, dg.QueuedRunCoordinator)

    summary_tables = build_definitions(settings).get_assets_def("clicks_by_button")
    assert summary_tables.op.pool == DAILY_POOL
