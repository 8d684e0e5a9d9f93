"""The daily summary tables: their SQL, their columns, and how a range of days is written.

Bots' clicks are left out of every count and kept in a `bot_clicks` (or `bot_sessions`)
column beside it, so an analyst still sees how much bot traffic a day had.

The query engine writes every partition itself (Athena with UNLOAD, DuckDB with COPY):
no summary row passes through this process. Write, audit, publish: each partition is
written to a new location that no reader knows of; once every write of the batch has
succeeded, the catalog is pointed at the new locations (what readers go by) and the
partitions' earlier files are deleted. A failed write leaves every partition of the
batch at its previous version.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pyarrow as pa

from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import Lake, compacted_table
from orchestration.resources.query_engine import QueryEngine, Unload
from orchestration.sql import month_sql, typed_summary_sql

# The summaries' Arrow types as Athena's SQL names them.
_SQL_TYPES = {
    pa.string(): "varchar",
    pa.int64(): "bigint",
    pa.float64(): "double",
    pa.date32(): "date",
}


def _counted(*columns: tuple[str, pa.DataType]) -> pa.Schema:
    fields = [("event_date", pa.date32()), *columns]
    return pa.schema([*fields, ("clicks", pa.int64()), ("bot_clicks", pa.int64())])


@dataclass(frozen=True)
class Summary:
    name: str
    description: str
    schema: pa.Schema

    def columns(self) -> list[tuple[str, str]]:
        """(name, SQL type) of each column, in order."""
        return [(field.name, _SQL_TYPES[field.type]) for field in self.schema]


SUMMARIES = (
    Summary(
        "clicks_by_button", "Human clicks per button and day.", _counted(("button", pa.string()))
    ),
    Summary(
        "clicks_by_page",
        "Human clicks per page (URL without query or fragment) and day.",
        _counted(("page", pa.string())),
    ),
    Summary(
        "clicks_by_hour",
        "Human clicks per UTC hour of arrival and day.",
        _counted(("hour", pa.int64())),
    ),
    Summary(
        "clicks_by_device",
        "Human clicks per device type, browser and OS and day.",
        _counted(("device_type", pa.string()), ("browser", pa.string()), ("os", pa.string())),
    ),
    Summary(
        "clicks_by_region",
        "Human clicks per country and region (state/province) and day, from coordinates "
        "reverse-geocoded offline, else from the client's own city and country.",
        _counted(("country", pa.string()), ("region", pa.string())),
    ),
    Summary(
        "sessions",
        "Human sessions per day and clicks per session; bot sessions counted apart.",
        pa.schema(
            [
                ("event_date", pa.date32()),
                ("sessions", pa.int64()),
                ("session_clicks", pa.int64()),
                ("clicks_per_session", pa.float64()),
                ("max_clicks_per_session", pa.int64()),
                ("clicks_without_session", pa.int64()),
                ("bot_sessions", pa.int64()),
            ]
        ),
    ),
)


# Where each (table, day) partition of a batch was written.
Written = dict[str, dict[date, str]]


def publish_summaries(
    days: Sequence[date],
    engine: QueryEngine,
    lake: Lake,
    catalog: Catalog,
    summaries: Sequence[Summary] = SUMMARIES,
) -> Written:
    """Computes and publishes the summary tables (daily and compacted) of `days` from the
    catalogued clicks: what the pipeline runs for the days it published, and what any
    rewrite of those clicks outside it (an erase) runs to bring the figures back in line.

    The days' partitions first, all tables at once (Athena runs them side by side), then
    the months', which the engine reads from the daily tables as just published. A day
    without clicks gets an empty partition: a re-run after the store was emptied must not
    leave the old figures in place. Two runs compacting the same month at once could each
    miss the other's days: the step runs in a concurrency pool of one (dagster.yaml).
    Returns the daily partitions' new locations.
    """
    if not days:
        return {}
    for summary in summaries:
        for name in (summary.name, compacted_table(summary.name)):
            catalog.ensure_table(name, summary.schema, lake.table_uri(name))
    daily = {
        (summary.name, day): typed_summary_sql(
            summary.name, summary.columns(), day, day, engine.dialect
        )
        for summary in summaries
        for day in days
    }
    written = _write_then_publish(daily, engine, lake, catalog)
    months = sorted({day.replace(day=1) for day in days})
    monthly = {
        (compacted_table(summary.name), month): month_sql(
            summary.name, summary.schema.names, month, engine.dialect
        )
        for summary in summaries
        for month in months
    }
    _write_then_publish(monthly, engine, lake, catalog)
    return written


def _write_then_publish(
    partitions: dict[tuple[str, date], str], engine: QueryEngine, lake: Lake, catalog: Catalog
) -> Written:
    """Has the engine write each (table, day) partition's SELECT to a new location; only
    when all are written, points the catalog at them and deletes the partitions' older
    files (an earlier write's, or what a crashed run left in a location never published)."""
    locations = {key: lake.new_location(*key) for key in partitions}
    engine.unload([Unload(sql, locations[key]) for key, sql in partitions.items()])
    written: Written = {}
    for (table, day), location in locations.items():
        catalog.add_partition(table, day, location)
        lake.retire(table, day, keep=location)
        written.setdefault(table, {})[day] = location
    return written
