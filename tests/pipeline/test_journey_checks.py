"""The journey tables' checks catch what they guard against, and a wrong funnel file
fails the step only after the other tables are written."""

from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_service.settings import PipelineSettings
from orchestration import sql
from orchestration.assets import summary_tables
from orchestration.checks.journeys import (
    SESSIONS_AGREE_CHECK,
    funnel_steps_never_increase,
    sessions_agree,
)
from orchestration.resources import lake_access
from orchestration.resources.query_engine import STAGED_SUFFIX
from tests.pipeline.conftest import FIRST_DAY, Pipeline

DAY = date(2026, 3, 2)


def _funnels(*rows: tuple[str, int, int]) -> pa.Table:
    return pa.Table.from_pylist(
        [{"event_date": DAY, "funnel": f, "step": s, "sessions": n} for f, s, n in rows]
    )


def test_a_step_with_more_sessions_than_the_one_before_fails() -> None:
    assert funnel_steps_never_increase(_funnels(("F", 1, 5), ("F", 2, 5), ("F", 3, 1))).passed
    grown = funnel_steps_never_increase(_funnels(("F", 1, 5), ("F", 2, 6)))
    assert not grown.passed
    assert grown.found == "2026-03-02 'F': step 2 6 > step 1 5"
    # A step with sessions after one with none: it was skipped.
    assert not funnel_steps_never_increase(_funnels(("F", 1, 5), ("F", 3, 1))).passed


def test_sessions_that_disagree_with_the_sessions_table_fail() -> None:
    # As counts per day: one human session with a page view, one bot session.
    sessions = pa.Table.from_pylist(
        [
            {"event_date": DAY, "is_bot": False, "viewed": True, "sessions": 1},
            {"event_date": DAY, "is_bot": True, "viewed": True, "sessions": 1},
        ]
    )
    daily = pa.Table.from_pylist([{"event_date": DAY, "sessions": 1}])
    assert sessions_agree("sessions_daily", daily, sessions, [DAY]).passed
    counted_bots = pa.Table.from_pylist([{"event_date": DAY, "sessions": 2}])
    outcome = sessions_agree("traffic_sources", counted_bots, sessions, [DAY])
    assert (outcome.passed, outcome.found) == (False, "2026-03-02: 2 here, 1 in sessions")
    exits = pa.Table.from_pylist(
        [{"event_date": DAY, "from_page": "/", "to_page": "(exit)", "transitions": 2}]
    )
    assert not sessions_agree("page_transitions", exits, sessions, [DAY]).passed


def test_a_wrong_funnel_file_fails_the_step_after_the_other_tables(
    tmp_path: Path, filled_store: object
) -> None:
    wrong = tmp_path / "funnels.toml"
    wrong.write_text('[[funnel]]\nname = "F"\nsteps = [{ page = "pricing" }, { page = "/b" }]\n')
    settings = PipelineSettings(
        data_dir=tmp_path / "data", start_date=date(2026, 1, 1), funnels_file=wrong
    )
    pipeline = Pipeline(settings)
    try:
        result = pipeline.materialize(FIRST_DAY)
        materialized = {
            str(e.asset_key.path[-1])
            for e in result.get_asset_materialization_events()
            if e.asset_key
        }
        failure = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    finally:
        pipeline.instance.dispose()
    assert not result.success
    assert {"sessions", "retention", "clicks_by_button"} <= materialized
    assert "funnels" not in materialized
    (failed,) = failure
    retried = dg.DagsterEventType.STEP_UP_FOR_RETRY
    assert not [e for e in result.all_events if e.event_type == retried]
    assert "the funnel file is wrong" in str(failed.event_specific_data)
    assert "a page is a path starting with /" in str(failed.event_specific_data)


def test_a_journey_partition_failing_its_check_keeps_its_published_version(
    pipeline: Pipeline, settings: PipelineSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pipeline.materialize(FIRST_DAY).success
    catalog = lake_access(settings).catalog
    before = {name: catalog.partitions(name)[FIRST_DAY] for name in ("sessions_daily", "funnels")}
    good = pq.read_table(before["sessions_daily"])
    written = sql.typed_summary_sql

    def doubled(table: str, *args: Any) -> str:
        # Every day's sessions counted twice: what a broken SQL would write.
        sql = written(table, *args)
        return (
            f"SELECT * FROM ({sql}) UNION ALL SELECT * FROM ({sql})"
            if table == "sessions_daily"
            else sql
        )

    monkeypatch.setattr(summary_tables, "typed_summary_sql", doubled)
    result = pipeline.materialize(FIRST_DAY)

    assert not result.success
    failed = [
        (e.asset_key.path[-1], e.check_name)
        for e in result.get_asset_check_evaluations()
        if not e.passed
    ]
    assert failed == [("sessions_daily", SESSIONS_AGREE_CHECK)]
    events = result.get_asset_materialization_events()
    materialized = {e.asset_key.path[-1] for e in events if e.asset_key}
    assert "sessions_daily" not in materialized
    assert {"sessions", "traffic_sources", "funnels"} <= materialized
    # Readers still find the version that passed, read by an independent reader.
    assert catalog.partitions("sessions_daily")[FIRST_DAY] == before["sessions_daily"]
    assert pq.read_table(before["sessions_daily"]).equals(good)
    assert catalog.partitions("funnels")[FIRST_DAY] != before["funnels"]
    assert not [name for name in catalog.tables() if name.endswith(STAGED_SUFFIX)]
