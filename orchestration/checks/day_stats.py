"""A day's figures for the checks, from one streaming pass of DuckDB over its file.

The audit never holds the day in memory: DuckDB reads the staged Parquet file row group
by row group under a memory limit (spilling its distinct-id table to disk if it must),
so a day of 5M clicks is audited in about the memory of a day of 1M.
"""

import tempfile
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import duckdb
import msgspec
import pyarrow as pa

from ingest_service.contract import CLICK_SCHEMA, EARLIEST_CLIENT_TS, LATEST_CLIENT_TS

# Enough for DuckDB's scan buffers and a few million ids' hash table; the rest spills.
MEMORY_LIMIT = "256MB"
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


def _stats_sql(day: date, columns: set[str]) -> str:
    start = datetime.combine(day, time(), tzinfo=UTC)
    end = start + timedelta(days=1)
    nulls = [
        f'count(*) - count("{name}") AS "null_{name}"'
        for name in REQUIRED_COLUMNS
        if name in columns
    ]
    is_click = is_click_sql(columns)
    is_page_view = "event_type = 'pageview'" if "event_type" in columns else "false"
    return f"""
        SELECT
            count(*) AS rows,
            count(*) FILTER (WHERE {is_click}) AS clicks,
            count(*) FILTER (WHERE {is_page_view}) AS page_views,
            count(id) - count(DISTINCT id) AS duplicate_rows,
            {", ".join([*nulls, "0 AS no_required"])},
            count(*) FILTER (WHERE latitude < -90 OR latitude > 90) AS bad_latitude,
            count(*) FILTER (WHERE longitude < -180 OR longitude > 180) AS bad_longitude,
            count(*) FILTER (WHERE (latitude IS NULL) <> (longitude IS NULL)) AS half_coordinates,
            count(*) FILTER (
                WHERE client_ts IS NULL OR client_ts < '{EARLIEST_CLIENT_TS.isoformat()}'
                OR client_ts >= '{LATEST_CLIENT_TS.isoformat()}'
            ) AS bad_client_ts,
            count(*) FILTER (
                WHERE received_at IS NULL OR received_at < '{start.isoformat()}'
                OR received_at >= '{end.isoformat()}'
            ) AS received_outside_day,
            count(*) FILTER (
                WHERE event_date IS NULL OR event_date <> DATE '{day.isoformat()}'
            ) AS wrong_event_date,
            count(*) FILTER (WHERE is_bot AND {is_click}) AS bot_clicks,
            count(*) FILTER (
                WHERE abs(epoch_us(client_ts) - epoch_us(received_at))
                    > {int(SKEW_LIMIT.total_seconds() * 1_000_000)}
            ) AS skewed_clicks
        FROM day
    """


_DUPLICATES_SQL = f"""
    SELECT id, count(*) AS copies FROM day GROUP BY id HAVING count(*) > 1
    ORDER BY id LIMIT {DUPLICATES_NAMED}
"""
_DUPLICATE_IDS_SQL = "SELECT count(*) FROM (SELECT id FROM day GROUP BY id HAVING count(*) > 1)"


@contextmanager
def _connection() -> Iterator[duckdb.DuckDBPyConnection]:
    with tempfile.TemporaryDirectory(prefix="clickstream-audit-") as spill:
        conn = duckdb.connect()
        try:
            conn.execute("SET TimeZone = 'UTC'")
            conn.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            conn.execute(f"SET temp_directory = '{spill}'")
            conn.execute("SET preserve_insertion_order = false")
            yield conn
        finally:
            conn.close()


def stats_of_file(path: str, day: date, columns: list[str]) -> DayStats:
    """The figures of a Parquet file, read by streaming."""
    with _connection() as conn:
        quoted = path.replace("'", "''")
        conn.execute(f"CREATE VIEW day AS SELECT * FROM read_parquet('{quoted}')")
        return _stats(conn, day, columns)


def stats_of(table: pa.Table, day: date) -> DayStats:
    """The same figures of a table in memory (tests, small days)."""
    with _connection() as conn:
        conn.register("day", table)
        return _stats(conn, day, table.column_names)


def _stats(conn: duckdb.DuckDBPyConnection, day: date, columns: list[str]) -> DayStats:
    cursor = conn.execute(_stats_sql(day, set(columns)))
    names = [column[0] for column in cursor.description or ()]
    row = dict(zip(names, cursor.fetchone() or (), strict=True))
    nulls = {name: int(row.pop(f"null_{name}")) for name in REQUIRED_COLUMNS if name in columns}
    row.pop("no_required")
    duplicate_ids, sample = 0, []
    if row["duplicate_rows"]:
        duplicate_ids = int((conn.execute(_DUPLICATE_IDS_SQL).fetchone() or (0,))[0])
        sample = [str(found) for found, _ in conn.execute(_DUPLICATES_SQL).fetchall()]
    counts = {key: int(value or 0) for key, value in row.items()}
    return DayStats(**counts, duplicate_ids=duplicate_ids, duplicate_sample=sample, nulls=nulls)
