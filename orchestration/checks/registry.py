"""One entry per check: its name, what it asserts, whether it blocks, what on-call does.

Descriptions quote the thresholds from the constants the checks use, never retyped.
Blocking checks fail with ERROR and hold the day back from publication; the others
warn (WARN) and leave the day published.
"""

from dataclasses import dataclass

from ingest_service.contract import EARLIEST_CLIENT_TS, LATEST_CLIENT_TS
from orchestration.checks import contract, freshness, journeys, trends
from orchestration.checks.day_stats import SKEW_LIMIT
from orchestration.checks.outcome import Severity
from orchestration.expectations import GX_SAMPLE_ROWS, GX_SUITE_CHECK


@dataclass(frozen=True)
class CheckEntry:
    name: str
    description: str
    blocking: bool
    remedy: str

    @property
    def severity(self) -> Severity:
        return "ERROR" if self.blocking else "WARN"


_REPUBLISH = "then re-run the day; it stays at its last good version until then"
_SKEW_MINUTES = int(SKEW_LIMIT.total_seconds() // 60)

_ENTRIES = (
    CheckEntry(
        contract.SCHEMA_CHECK,
        "Columns and types are those of the click contract.",
        True,
        "Compare the export's columns with ingest_service/contract.py; fix the writer or the "
        f"contract, {_REPUBLISH}.",
    ),
    CheckEntry(
        contract.REQUIRED_CHECK,
        "No null in a required field.",
        True,
        "Find the rows with null required fields in the store (something wrote around the "
        f"intake), repair or delete them, {_REPUBLISH}.",
    ),
    CheckEntry(
        contract.UNIQUE_IDS_CHECK,
        "Each click id appears once in the partition.",
        True,
        "Duplicate click ids: look for a second writer or a store restored twice; remove the "
        f"duplicates from the store, {_REPUBLISH}.",
    ),
    CheckEntry(
        contract.RECONCILE_CHECK,
        "The partition holds as many rows as the store has for the day.",
        True,
        "The partition and the store disagree: clicks may have arrived during the export "
        f"(late writer) or the write was cut; {_REPUBLISH}.",
    ),
    CheckEntry(
        contract.COORDINATES_CHECK,
        "Latitude in [-90, 90], longitude in [-180, 180], both or neither.",
        True,
        "Impossible coordinates reached the store past the intake's validation: find the "
        f"writer, fix or null the rows, {_REPUBLISH}.",
    ),
    CheckEntry(
        contract.TIMESTAMPS_CHECK,
        f"Client times present and within {EARLIEST_CLIENT_TS.year}-{LATEST_CLIENT_TS.year};"
        " received_at and event_date within the day.",
        True,
        "Rows whose times do not belong to the day: check the server clock and any bulk "
        f"import, fix the rows in the store, {_REPUBLISH}.",
    ),
    CheckEntry(
        GX_SUITE_CHECK,
        f"The Great Expectations suite of the export passes (on up to {GX_SAMPLE_ROWS:,} rows).",
        True,
        "Open the check's result in the Dagster UI to see the failed expectations; fix the "
        f"rows in the store, {_REPUBLISH}.",
    ),
    CheckEntry(
        trends.VOLUME_CHECK,
        f"Clicks (click events, not page views) within {trends.VOLUME_LOW_RATIO:.0%}-"
        f"{trends.VOLUME_HIGH_RATIO:.0%} of the median of the previous {trends.HISTORY_DAYS} days.",
        False,
        "Traffic is unusual: check the intake's health and the tracker on the sites (a broken "
        "deploy, a blocked endpoint), or a campaign that explains it.",
    ),
    CheckEntry(
        trends.CLOCK_SKEW_CHECK,
        f"At most {trends.SKEW_MAX_SHARE:.0%} of clicks with a client time over"
        f" {_SKEW_MINUTES} minutes from arrival.",
        False,
        "Many client clocks are off: check CLICKSTREAM_CLIENT_TZ for zoneless timestamps and "
        "the tracker version on the sites.",
    ),
    CheckEntry(
        trends.EMPTY_DAY_CHECK,
        "The day has clicks.",
        False,
        "No clicks arrived: check that the intake is up and reachable from the sites, and that "
        "the tracker is still installed.",
    ),
    CheckEntry(
        trends.BOT_SHARE_CHECK,
        f"The bot share is at most {trends.BOT_SHARE_MAX_RISE * 100:g} points above its"
        f" median over the previous {trends.HISTORY_DAYS} days.",
        False,
        "Bot traffic rose: look at the day's user agents and consider the rate limit "
        "(CLICKSTREAM_RATE_LIMIT); summaries already leave bots out.",
    ),
    CheckEntry(
        journeys.FUNNEL_STEPS_CHECK,
        "No funnel step counts more sessions than the step before it, and none is skipped.",
        True,
        "A funnel step counts more sessions than the one before: the funnels SQL "
        "(orchestration/sql/funnels.sql) is wrong; fix it and re-materialize.",
    ),
    CheckEntry(
        journeys.SESSIONS_AGREE_CHECK,
        "sessions_daily, session_durations and traffic_sources count the human sessions of"
        " the sessions table per day; page_transitions one exit per human session with a"
        " page view.",
        True,
        "A journey table disagrees with the sessions table: re-materialize the summaries "
        "for the range in one run; if it persists, compare their SQL.",
    ),
    CheckEntry(
        freshness.FRESHNESS_CHECK,
        "Yesterday's partition is materialized by the freshness hour (UTC); judged only by"
        " its own schedule, never in other runs.",
        False,
        "Yesterday's partition is missing: look for a failed or missing run of the nightly "
        "schedule (is the daemon running?) and launch it from the UI.",
    ),
)

CHECKS: dict[str, CheckEntry] = {entry.name: entry for entry in _ENTRIES}
# The checks that travel with the export, in the order the UI lists them.
EXPORT_CHECKS = tuple(
    entry
    for entry in _ENTRIES
    if entry.name not in (freshness.FRESHNESS_CHECK, *journeys.JOURNEY_CHECKS.values())
)
