"""The daily summary tables: their SQL, their columns, and how a range of days is written.

Bots' clicks are left out of every count and kept in a `bot_clicks` (or `bot_sessions`)
column beside it, so an analyst still sees how much bot traffic a day had.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from orchestration.assets.regions import to_regions
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import Lake, WrittenPartition, compacted_table, location_of
from orchestration.resources.query_engine import QueryEngine
from orchestration.sql import summary_sql


def _keep(table: pa.Table) -> pa.Table:
    return table


def _counted(*columns: tuple[str, pa.DataType]) -> pa.Schema:
    fields = [("event_date", pa.date32()), *columns]
    return pa.schema([*fields, ("clicks", pa.int64()), ("bot_clicks", pa.int64())])


@dataclass(frozen=True)
class Summary:
    name: str
    description: str
    schema: pa.Schema
    sql: str = ""
    finish: Callable[[pa.Table], pa.Table] = _keep

    @property
    def sql_name(self) -> str:
        return self.sql or self.name


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
        sql="clicks_by_location",
        finish=to_regions,
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


def materialize_summary(
    summary: Summary, days: Sequence[date], engine: QueryEngine, lake: Lake, catalog: Catalog
) -> dict[date, WrittenPartition]:
    """One query over the days, then each day's rows replace that day's partition, and
    each month with one of the days is compacted again.

    Every day is staged before any is published, so a failed query or write leaves all
    of them at their previous version. A day without clicks gets an empty partition: a
    re-run after the store was emptied must not leave the old figures in place.
    """
    sql = summary_sql(summary.sql_name, min(days), max(days), engine.dialect)
    table = summary.finish(engine.query(sql)).select(summary.schema.names).cast(summary.schema)
    catalog.ensure_table(summary.name, summary.schema, lake.table_uri(summary.name))
    fresh = {
        day: table.filter(pc.equal(table.column("event_date"), pa.scalar(day, pa.date32())))
        for day in days
    }
    staged = [
        lake.stage_partition(summary.name, d, rows, summary.schema) for d, rows in fresh.items()
    ]
    written = {}
    for partition in staged:
        written[partition.day] = lake.publish(partition)
        catalog.add_partition(summary.name, partition.day, location_of(written[partition.day].uri))
    _compact_months(summary, fresh, lake, catalog)
    return written


def publish_summaries(
    days: Sequence[date],
    engine: QueryEngine,
    lake: Lake,
    catalog: Catalog,
    summaries: Sequence[Summary] = SUMMARIES,
) -> dict[str, dict[date, WrittenPartition]]:
    """Computes and publishes the summary tables (daily and compacted) of `days` from the
    catalogued clicks: what the pipeline runs for the days it published, and what any
    rewrite of those clicks outside it (an erase) runs to bring the figures back in line."""
    if not days:
        return {}
    return {s.name: materialize_summary(s, days, engine, lake, catalog) for s in summaries}


def _compact_months(
    summary: Summary, fresh: dict[date, pa.Table], lake: Lake, catalog: Catalog
) -> None:
    """Rewrites the compacted partition of each month in `fresh` from its daily partitions.

    The days just written come from memory; the month's other days are read back. Two
    runs compacting the same month at once would each miss the other's days: the
    summaries step runs in a concurrency pool of one (dagster.yaml).
    """
    name = compacted_table(summary.name)
    catalog.ensure_table(name, summary.schema, lake.table_uri(name))
    stored = list(catalog.partitions(summary.name))
    for month in sorted({_first_of_month(day) for day in fresh}):
        month_days = [day for day in stored if _first_of_month(day) == month]
        parts = [
            fresh[day] if day in fresh else lake.read_partition(summary.name, day)
            for day in month_days
        ]
        rows = pa.concat_tables(parts)
        written = lake.write_partition(name, month, rows, summary.schema)
        catalog.add_partition(name, month, location_of(written.uri))


def _first_of_month(day: date) -> date:
    return day.replace(day=1)
