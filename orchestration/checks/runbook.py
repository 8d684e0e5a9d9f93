"""What on-call should do when a check fails: shown in the UI and sent with the alert."""

from orchestration.checks.contract import (
    COORDINATES_CHECK,
    RECONCILE_CHECK,
    REQUIRED_CHECK,
    SCHEMA_CHECK,
    TIMESTAMPS_CHECK,
    UNIQUE_IDS_CHECK,
)
from orchestration.checks.freshness import FRESHNESS_CHECK
from orchestration.checks.trends import (
    BOT_SHARE_CHECK,
    CLOCK_SKEW_CHECK,
    EMPTY_DAY_CHECK,
    VOLUME_CHECK,
)
from orchestration.expectations import GX_SUITE_CHECK

_REMATERIALIZE = "then re-materialize the partition; the summaries wait for it"

REMEDIES: dict[str, str] = {
    SCHEMA_CHECK: "Compare the export's columns with ingest_service/contract.py; fix the "
    f"writer or the contract, {_REMATERIALIZE}.",
    REQUIRED_CHECK: "Find the rows with null required fields in the store (something wrote "
    f"around the intake), repair or delete them, {_REMATERIALIZE}.",
    UNIQUE_IDS_CHECK: "Duplicate click ids: look for a second writer or a store restored "
    f"twice; remove the duplicates from the store, {_REMATERIALIZE}.",
    RECONCILE_CHECK: "The partition and the store disagree: clicks may have arrived during "
    f"the export (late writer) or the write was cut; {_REMATERIALIZE}.",
    COORDINATES_CHECK: "Impossible coordinates reached the store past the intake's "
    f"validation: find the writer, fix or null the rows, {_REMATERIALIZE}.",
    TIMESTAMPS_CHECK: "Rows whose times do not belong to the day: check the server clock and "
    f"any bulk import, fix the rows in the store, {_REMATERIALIZE}.",
    GX_SUITE_CHECK: "Open the check's result in the Dagster UI to see the failed "
    f"expectations; fix the rows in the store, {_REMATERIALIZE}.",
    VOLUME_CHECK: "Traffic is unusual: check the intake's health and the tracker on the "
    "sites (a broken deploy, a blocked endpoint), or a campaign that explains it.",
    CLOCK_SKEW_CHECK: "Many client clocks are off: check CLICKSTREAM_CLIENT_TZ for zoneless "
    "timestamps and the tracker version on the sites.",
    EMPTY_DAY_CHECK: "No clicks arrived: check that the intake is up and reachable from the "
    "sites, and that the tracker is still installed.",
    BOT_SHARE_CHECK: "Bot traffic rose: look at the day's user agents and consider the rate "
    "limit (CLICKSTREAM_RATE_LIMIT); summaries already leave bots out.",
    FRESHNESS_CHECK: "Yesterday's partition is missing: look for a failed or missing run of "
    "the nightly schedule (is the daemon running?) and launch it from the UI.",
}

RUN_FAILED = (
    "Open the run, read the failed step's error, fix the cause and re-execute the failed steps."
)
