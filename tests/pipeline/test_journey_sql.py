"""The journey tables' SQL is Athena's: it parses there and transpiles for DuckDB."""

from datetime import date

import duckdb
import pyarrow as pa
import pytest
import sqlglot

from orchestration.assets.journey_tables import JOURNEY_TABLES
from orchestration.funnels import load_funnels, step_values_sql
from orchestration.sql import summary_sql
from tests.dashboard.conftest import FUNNELS_FILE

STEPS = step_values_sql(load_funnels(FUNNELS_FILE).funnels)
DAY = date(2026, 3, 1)


def test_durations_are_kept_to_two_significant_digits_rounded_down() -> None:
    durations = [0, 7, 99, 100, 109, 123, 999, 1_234, 9_999, 12_345, 123_456]
    sessions = pa.table(
        {
            "event_date": [DAY] * (len(durations) + 1),
            "duration_s": [*durations, 5],
            "is_bot": [False] * len(durations) + [True],
            "year": ["2026"] * (len(durations) + 1),
            "month": ["03"] * (len(durations) + 1),
            "day": ["01"] * (len(durations) + 1),
        }
    )
    sql = summary_sql("session_durations", DAY, DAY, "duckdb")
    with duckdb.connect() as conn:
        conn.register("sessions", sessions)
        rows = conn.execute(sql).fetchall()
    assert [(duration, count) for _, duration, count in rows] == [
        (0, 1), (7, 1), (99, 1), (100, 2), (120, 1), (990, 1), (1_200, 1), (9_900, 1),
        (12_000, 1), (120_000, 1),
    ]  # fmt: skip


@pytest.mark.parametrize("name", [table.name for table in JOURNEY_TABLES])
@pytest.mark.parametrize("dialect", ["athena", "trino", "duckdb"])
def test_each_journey_query_transpiles(name: str, dialect: str) -> None:
    sql = summary_sql(name, date(2026, 3, 1), date(2026, 3, 31), dialect, STEPS)
    (statement,) = sqlglot.parse(sql, read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
    assert statement is not None
    assert "${" not in sql
