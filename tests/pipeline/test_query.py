"""`clickstream query` answers from the catalog, pruned to the partitions asked for."""

import json
from collections import Counter
from pathlib import Path

import pytest

from ingest_service.contract import Click
from ingest_service.settings import PipelineSettings
from orchestration.cli import main
from orchestration.query_output import QueryFailed, run_query
from orchestration.resources import lake_access
from orchestration.resources.lake import CLICKS_TABLE
from tests.pipeline.conftest import DAYS, FIRST_DAY, Pipeline, days

LAST_DAY = days(FIRST_DAY, DAYS)[-1]


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, settings: PipelineSettings) -> None:
    monkeypatch.setenv("CLICKSTREAM_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CLICKSTREAM_ENV", "local")


@pytest.mark.usefixtures("cli_env")
def test_query_prints_the_lakes_answer_as_json(
    pipeline: Pipeline, clicks: list[Click], capsys: pytest.CaptureFixture[str]
) -> None:
    pipeline.materialize(FIRST_DAY, LAST_DAY)

    sql = "SELECT day, count(*) AS clicks FROM clicks GROUP BY day ORDER BY day"
    assert main(["query", sql, "--format", "json"]) == 0

    per_day = Counter(f"{c.event_date:%d}" for c in clicks)
    assert json.loads(capsys.readouterr().out) == [
        {"day": day, "clicks": count} for day, count in sorted(per_day.items())
    ]


@pytest.mark.usefixtures("cli_env")
def test_query_prints_csv_and_tables(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    pipeline.materialize(FIRST_DAY)

    assert main(["query", "SELECT count(*) AS n FROM clicks", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ['"n"', "400"]
    assert main(["query", "SELECT count(*) AS n FROM clicks"]) == 0
    assert "400" in capsys.readouterr().out


@pytest.mark.usefixtures("cli_env")
def test_a_bad_statement_fails_in_one_line(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "SELECT nope FROM clicks"]) == 1
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize(
    "day_filter",
    [
        "year = '2026' AND month = '03' AND day = '01'",
        "year || '-' || month || '-' || day BETWEEN '2026-03-01' AND '2026-03-01'",
    ],
)
def test_a_filter_on_the_partition_keys_opens_only_that_days_file(
    pipeline: Pipeline, settings: PipelineSettings, day_filter: str
) -> None:
    pipeline.materialize(FIRST_DAY, LAST_DAY)
    lake = lake_access(settings).lake
    # Another day's file unreadable: only a query that opens it can fail.
    Path(lake.partition_uri(CLICKS_TABLE, LAST_DAY)).write_bytes(b"not parquet")

    pruned = run_query(settings, f"SELECT count(*) AS n FROM clicks WHERE {day_filter}")

    assert pruned.to_pylist() == [{"n": 400}]
    with pytest.raises(QueryFailed):
        run_query(settings, "SELECT count(*) FROM clicks")
