"""The journey tables' SQL is Athena's: it parses there and transpiles for DuckDB."""

from datetime import date

import pytest
import sqlglot

from orchestration.assets.journey_tables import JOURNEY_TABLES
from orchestration.funnels import load_funnels, step_values_sql
from orchestration.sql import summary_sql
from tests.dashboard.conftest import FUNNELS_FILE

STEPS = step_values_sql(load_funnels(FUNNELS_FILE).funnels)


@pytest.mark.parametrize("name", [table.name for table in JOURNEY_TABLES])
@pytest.mark.parametrize("dialect", ["athena", "trino", "duckdb"])
def test_each_journey_query_transpiles(name: str, dialect: str) -> None:
    sql = summary_sql(name, date(2026, 3, 1), date(2026, 3, 31), dialect, STEPS)
    (statement,) = sqlglot.parse(sql, read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
    assert statement is not None
    assert "${" not in sql
