"""The daily summary tables: their SQL, their columns, and how a range of days is written.

Bots' clicks are left out of every count and kept in a `bot_clicks` (or `bot_sessions`)
column beside it, so an analyst still sees how much bot traffic a day had.

The query engine writes every partition itself (Athena with UNLOAD, DuckDB with COPY):
no summary row passes through this process. Write, audit, publish: each partition is
written to a new location that no reader knows of; once every write of the batch has
succeeded, the journey tables' checks read the written partitions through scratch
tables (`staged_table`, dropped after), and the catalog is pointed at the new locations
(what readers go by) of every partition that passed, and their earlier files are
deleted. A failed write leaves every partition of the batch at its previous version; a
partition that fails its check keeps its previous version too (its write stays unread
until the next run of the day deletes it).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyarrow as pa

from orchestration.assets.journey_tables import FUNNELS, JOURNEY_TABLES
from orchestration.assets.regions import REGIONS_SUMMARY, publish_places
from orchestration.assets.summary_spec import Summary
from orchestration.checks.journey_run import TABLES_READ, journey_outcomes
from orchestration.checks.journeys import JOURNEY_CHECKS
from orchestration.checks.outcome import CheckOutcome
from orchestration.funnels import FunnelConfig, step_values_sql
from orchestration.resources.catalog import Catalog
from orchestration.resources.lake import CLICKS_TABLE, Lake, compacted_table
from orchestration.resources.query_engine import QueryEngine, Unload, staged_table
from orchestration.sql import month_sql, typed_summary_sql


def _counted(*columns: tuple[str, pa.DataType]) -> pa.Schema:
    fields = [("event_date", pa.date32()), *columns]
    return pa.schema([*fields, ("clicks", pa.int64()), ("bot_clicks", pa.int64())])


CLICK_SUMMARIES = (
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
        REGIONS_SUMMARY,
        "Human clicks per country and region (state/province) and day, from coordinates "
        "reverse-geocoded offline, else from the client's own city and country.",
        _counted(("country", pa.string()), ("region", pa.string())),
    ),
)
# The journey tables come after the click summaries: some read the sessions table.
SUMMARIES = (*CLICK_SUMMARIES, *JOURNEY_TABLES)


# Where each (table, day) partition of a batch was written.
Written = dict[str, dict[date, str]]


@dataclass
class Published:
    """The partitions published (table -> day -> location), and the checks' outcomes on
    the partitions written, those that held theirs back included."""

    written: Written = field(default_factory=dict)
    outcomes: list[tuple[str, date, CheckOutcome]] = field(default_factory=list)


def publish_summaries(
    days: Sequence[date],
    engine: QueryEngine,
    lake: Lake,
    catalog: Catalog,
    funnels: FunnelConfig,
    summaries: Sequence[Summary] = SUMMARIES,
    *,
    hold_failing: bool = True,
) -> Published:
    """Computes and publishes the summary tables (daily and compacted) of `days` from the
    catalogued clicks: what the pipeline runs for the days it published, and what any
    rewrite of those clicks outside it (an erase) runs to bring the figures back in line.

    The days' partitions first, all tables at once (Athena runs them side by side), but
    the tables that read other summaries (`reads`: the sessions table) after those are
    published; then the months', which the engine reads from the daily tables as just
    published. The regions' summary joins the days' places: these are written first, from
    the days' published clicks. `funnels`: the configured ones
    (`funnels.configured_funnels`), never optional, so no caller recounts the funnels
    table without its steps; from a wrong file the funnels table is left as it was, for
    the caller to report. A day without clicks gets an empty partition: a re-run after
    the store was emptied must not leave the old figures in place. Two runs compacting
    the same month at once could each miss the other's days: the step runs in a
    concurrency pool of one (dagster.yaml). `hold_failing`: a partition that fails its
    check keeps its previous version (else it is published all the same, and its outcome
    says it failed).
    """
    published = Published()
    if not days:
        return published
    if funnels.error:
        summaries = [summary for summary in summaries if summary.name != FUNNELS]
    steps = step_values_sql(funnels.funnels)
    for summary in summaries:
        for name in (summary.name, compacted_table(summary.name)):
            catalog.ensure_table(name, summary.schema, lake.table_uri(name))
    if any(summary.name == REGIONS_SUMMARY for summary in summaries):
        publish_places(lake, catalog, days)
    schemas = {summary.name: summary.schema for summary in summaries}
    # Tables counted per session also rewrite the published day before the first.
    before = min(days) - timedelta(days=1)
    per_session = any(summary.per_session for summary in summaries)
    session_days = (
        [before, *days] if per_session and before in catalog.partitions(CLICKS_TABLE) else days
    )
    for stage in ([s for s in summaries if not s.reads], [s for s in summaries if s.reads]):
        daily = {
            (summary.name, day): typed_summary_sql(
                summary.name, summary.columns(), day, day, engine.dialect, steps
            )
            for summary in stage
            for day in (session_days if summary.per_session else days)
        }
        locations = _write(daily, engine, lake)
        outcomes = _audit(locations, schemas, engine, lake, catalog)
        failing = {(name, day) for name, day, outcome in outcomes if not outcome.passed}
        held = failing if hold_failing else set()
        passed = {key: location for key, location in locations.items() if key not in held}
        published.written.update(_publish(passed, lake, catalog))
        published.outcomes += outcomes
    written = published.written
    months = sorted({day.replace(day=1) for per_day in written.values() for day in per_day})
    monthly = {
        (compacted_table(summary.name), month): month_sql(
            summary.name, summary.schema.names, month, engine.dialect
        )
        for summary in summaries
        for month in months
    }
    _publish(_write(monthly, engine, lake), lake, catalog)
    return published


def _write(
    partitions: dict[tuple[str, date], str], engine: QueryEngine, lake: Lake
) -> dict[tuple[str, date], str]:
    """Has the engine write each (table, day) partition's SELECT to a new location, which
    no reader knows of; all of them, or an error."""
    locations = {key: lake.new_location(*key) for key in partitions}
    engine.unload([Unload(sql, locations[key]) for key, sql in partitions.items()])
    return locations


def _audit(
    locations: dict[tuple[str, date], str],
    schemas: dict[str, pa.Schema],
    engine: QueryEngine,
    lake: Lake,
    catalog: Catalog,
) -> list[tuple[str, date, CheckOutcome]]:
    """The checks of the written partitions, read through a scratch table per table of
    the batch they read (the sessions table they compare with included, when it is in
    the batch)."""
    written = _by_table(locations)
    if not any(table in JOURNEY_CHECKS for table in written):
        return []
    read_as = {table: staged_table(table) for table in written if table in TABLES_READ}
    try:
        for table, scratch in read_as.items():
            catalog.ensure_table(scratch, schemas[table], lake.table_uri(table))
            for day, location in written[table].items():
                catalog.add_partition(scratch, day, location)
        return list(journey_outcomes(written, engine, read_as))
    finally:
        for scratch in read_as.values():
            catalog.drop_table(scratch)


def _publish(locations: dict[tuple[str, date], str], lake: Lake, catalog: Catalog) -> Written:
    """Points the catalog at each written partition and deletes the partition's older
    files (an earlier write's, or what a crashed run left in a location never
    published)."""
    for (table, day), location in locations.items():
        catalog.add_partition(table, day, location)
        lake.retire(table, day, keep=location)
    return _by_table(locations)


def _by_table(locations: dict[tuple[str, date], str]) -> Written:
    written: Written = {}
    for (table, day), location in locations.items():
        written.setdefault(table, {})[day] = location
    return written
