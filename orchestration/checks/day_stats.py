"""A day's figures for the checks, from one pass of the query engine over its staged file.

The audit never holds the day in memory: locally DuckDB streams the staged Parquet file
row group by row group under a memory limit (spilling its distinct-id table to disk if it
must); on AWS, Athena reads the staged partition through the Glue staging table. The SQL
is written once, in Athena's dialect, and transpiled for DuckDB. A day counts in one
query; only a day with repeated ids takes a second, which names them.
"""

import tempfile
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import msgspec
import pyarrow as pa
import pyarrow.parquet as pq

from ingest_service.contract import CLICK_SCHEMA, EARLIEST_CLIENT_TS, LATEST_CLIENT_TS
from orchestration.resources.lake import (
    CLICKS_TABLE,
    StagedPartition,
    WrittenPartition,
    partition_values,
)
from orchestration.resources.query_engine import QueryEngine, staged_table
from orchestration.sql import transpile

SKEW_LIMIT = timedelta(minutes=5)
DUPLICATES_NAMED = 3

REQUIRED_COLUMNS = tuple(field.name for field in CLICK_SCHEMA if not field.nullable)


def is_click_sql(columns: Collection[str]) -> str:
    """Whether a row is a click event, not a page view: every row of a file, or table,
    from before contract v2's types (no `event_type` column), and a NULL type, is one."""
    return "coalesce(event_type, 'click') = 'click'" if "event_type" in columns else "true"


class DayStats(msgspec.Struct, frozen=True, kw_only=True):
    """Counts of rows, and of rows that break each rule, for one day."""

    rows: int
    # Of the rows, the click events and the page views (contract v2's types).
    clicks: int
    page_views: int
    duplicate_rows: int
    duplicate_ids: int
    duplicate_sample: list[str]
    nulls: Mapping[str, int]
    bad_latitude: int
    bad_longitude: int
    half_coordinates: int
    bad_client_ts: int
    received_outside_day: int
    wrong_event_date: int
    # Bots' click events: the bot share is of clicks, as the volume is.
    bot_clicks: int
    skewed_clicks: int


def _timestamp(moment: datetime) -> str:
    # A cast, not a TIMESTAMP literal: sqlglot gives a literal a precision, TIMESTAMP(0).
    return f"CAST('{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S}' AS TIMESTAMP)"


def _staged_day(day: date) -> str:
    """The staged partition of the day, as `QueryEngine.query_staged` presents it."""
    keys = " AND ".join(f"{k} = '{v}'" for k, v in partition_values(CLICKS_TABLE, day).items())
    return f"{staged_table(CLICKS_TABLE)} WHERE {keys}"


def stats_sql(day: date, columns: set[str]) -> str:
    """The day's counts, in Athena's dialect (the lake's timestamps are UTC in both)."""
    start = datetime.combine(day, time(), tzinfo=UTC)
    end = start + timedelta(days=1)
    nulls = [
        f'count(*) - count("{name}") AS "null_{name}"'
        for name in REQUIRED_COLUMNS
        if name in columns
    ]
    is_click = is_click_sql(columns)
    is_page_view = "event_type = 'pageview'" if "event_type" in columns else "false"
    skew = f"INTERVAL '{int(SKEW_LIMIT.total_seconds())}' SECOND"
    return f"""
        SELECT
            count(*) AS "rows",
            count(*) FILTER (WHERE {is_click}) AS clicks,
            count(*) FILTER (WHERE {is_page_view}) AS page_views,
            count(id) - count(DISTINCT id) AS duplicate_rows,
            {", ".join([*nulls, "0 AS no_required"])},
            count(*) FILTER (WHERE latitude < -90 OR latitude > 90) AS bad_latitude,
            count(*) FILTER (WHERE longitude < -180 OR longitude > 180) AS bad_longitude,
            count(*) FILTER (WHERE (latitude IS NULL) <> (longitude IS NULL)) AS half_coordinates,
            count(*) FILTER (
                WHERE client_ts IS NULL OR client_ts < {_timestamp(EARLIEST_CLIENT_TS)}
                OR client_ts >= {_timestamp(LATEST_CLIENT_TS)}
            ) AS bad_client_ts,
            count(*) FILTER (
                WHERE received_at IS NULL OR received_at < {_timestamp(start)}
                OR received_at >= {_timestamp(end)}
            ) AS received_outside_day,
            count(*) FILTER (
                WHERE event_date IS NULL OR event_date <> DATE '{day.isoformat()}'
            ) AS wrong_event_date,
            count(*) FILTER (WHERE is_bot AND {is_click}) AS bot_clicks,
            count(*) FILTER (
                WHERE client_ts > received_at + {skew} OR client_ts < received_at - {skew}
            ) AS skewed_clicks
        FROM {_staged_day(day)}
    """


def _duplicates_sql(day: date) -> str:
    # The window counts every repeated id before LIMIT keeps the first few.
    return f"""
        SELECT id, count(*) OVER () AS duplicate_ids FROM {_staged_day(day)}
        GROUP BY id HAVING count(*) > 1 ORDER BY id LIMIT {DUPLICATES_NAMED}
    """


# SQL in Athena's dialect over the staged day -> its result.
StagedQuery = Callable[[str], pa.Table]


def stats_of_staged(engine: QueryEngine, staged: StagedPartition, schema: pa.Schema) -> DayStats:
    """The figures of a staged day, counted by the engine over the staged file."""

    def query(sql: str) -> pa.Table:
        return engine.query_staged(staged, schema, transpile(sql, engine.dialect))

    return _stats(query, staged.day, schema.names)


def stats_of(table: pa.Table, day: date) -> DayStats:
    """The same figures of a table in memory (tests, small days), counted by DuckDB."""
    # DuckDB is local mode's engine only: not in the AWS images.
    from orchestration.resources.duckdb_engine import DuckDBQueryEngine

    with tempfile.TemporaryDirectory(prefix="clickstream-stats-") as directory:
        path = Path(directory) / "day.parquet"
        pq.write_table(table, path)
        written = WrittenPartition(rows=table.num_rows, bytes=path.stat().st_size, uri=str(path))
        staged = StagedPartition(table=CLICKS_TABLE, day=day, written=written)
        engine = DuckDBQueryEngine(catalog_path=str(Path(directory) / "catalog.sqlite3"))
        return stats_of_staged(engine, staged, table.schema)


def _stats(query: StagedQuery, day: date, columns: list[str]) -> DayStats:
    (row,) = query(stats_sql(day, set(columns))).to_pylist()
    nulls = {name: int(row.pop(f"null_{name}")) for name in REQUIRED_COLUMNS if name in columns}
    row.pop("no_required")
    duplicate_ids, sample = 0, []
    if row["duplicate_rows"]:
        repeated = query(_duplicates_sql(day)).to_pylist()
        duplicate_ids = int(repeated[0]["duplicate_ids"]) if repeated else 0
        sample = [str(found["id"]) for found in repeated]
    counts = {key: int(value or 0) for key, value in row.items()}
    return DayStats(**counts, duplicate_ids=duplicate_ids, duplicate_sample=sample, nulls=nulls)
