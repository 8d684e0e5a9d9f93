"""The freshness check, run by its schedule's job, on an instance with and without yesterday."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from ingest_service.settings import PipelineSettings
from orchestration.checks.freshness import FRESHNESS_CHECK, expected_day
from orchestration.checks.freshness_check import FRESHNESS_SCHEDULE, SCHEDULE_TAG
from orchestration.definitions import build_definitions


def test_the_freshness_check_fails_until_the_day_is_materialized(tmp_path: Path) -> None:
    settings = PipelineSettings(data_dir=tmp_path / "data")
    repository = build_definitions(settings).get_repository_def()
    schedule = repository.get_schedule_def("freshness_schedule")
    assert schedule.cron_schedule == f"0 {settings.freshness_hour} * * *"
    job = repository.get_job(schedule.job_name)
    day = expected_day(datetime.now(UTC), settings.freshness_hour)
    scheduled = {SCHEDULE_TAG: FRESHNESS_SCHEDULE}
    with dg.instance_for_test() as instance:
        run = job.execute_in_process(instance=instance, tags=scheduled)
        [missing] = run.get_asset_check_evaluations()
        instance.report_runless_asset_event(
            dg.AssetMaterialization(asset_key="clicks_export", partition=str(day))
        )
        run = job.execute_in_process(instance=instance, tags=scheduled)
        [present] = run.get_asset_check_evaluations()
    assert missing.check_name == FRESHNESS_CHECK
    assert (missing.passed, present.passed) == (False, True)
    assert missing.severity == dg.AssetCheckSeverity.WARN
    assert missing.metadata["partition"].value == str(day)


def test_freshness_is_not_judged_in_a_run_its_schedule_did_not_launch(tmp_path: Path) -> None:
    # Yesterday is missing, but a manual run, a backfill or a re-run that includes the
    # check does not judge it: nothing fails, nobody is paged.
    repository = build_definitions(
        PipelineSettings(data_dir=tmp_path / "data")
    ).get_repository_def()
    job = repository.get_job(repository.get_schedule_def(FRESHNESS_SCHEDULE).job_name)
    with dg.instance_for_test() as instance:
        result = job.execute_in_process(instance=instance)
    assert result.success
    assert result.get_asset_check_evaluations() == []
