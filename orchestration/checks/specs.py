"""The export's checks as Dagster sees them: specs on the asset, results in its output."""

from collections.abc import Sequence

import dagster as dg

from orchestration.checks.contract import (
    COORDINATES_CHECK,
    RECONCILE_CHECK,
    REQUIRED_CHECK,
    SCHEMA_CHECK,
    TIMESTAMPS_CHECK,
    UNIQUE_IDS_CHECK,
)
from orchestration.checks.outcome import CheckOutcome
from orchestration.checks.trends import (
    BOT_SHARE_CHECK,
    CLOCK_SKEW_CHECK,
    EMPTY_DAY_CHECK,
    VOLUME_CHECK,
)
from orchestration.expectations import GX_SUITE_CHECK

# Blocking: a failure (ERROR) keeps the day out of the catalog and the summaries.
BLOCKING_CHECKS: dict[str, str] = {
    SCHEMA_CHECK: "Columns and types are those of the click contract.",
    REQUIRED_CHECK: "No null in a required field.",
    UNIQUE_IDS_CHECK: "Each click id appears once in the partition.",
    RECONCILE_CHECK: "The partition holds as many rows as the store has for the day.",
    COORDINATES_CHECK: "Latitude in [-90, 90], longitude in [-180, 180], both or neither.",
    TIMESTAMPS_CHECK: "Client times present and plausible; received_at within the day.",
    GX_SUITE_CHECK: "The Great Expectations suite of the export passes.",
}
SOFT_CHECKS: dict[str, str] = {
    VOLUME_CHECK: "Clicks within 50%-200% of the median of the previous 7 days.",
    CLOCK_SKEW_CHECK: "At most 5% of clicks with a client time over 5 minutes from arrival.",
    EMPTY_DAY_CHECK: "The day has clicks.",
    BOT_SHARE_CHECK: "The bot share is at most 10 points above its recent median.",
}


def export_check_specs(asset_key: dg.AssetKey) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(name, asset=asset_key, description=text, blocking=True)
        for name, text in BLOCKING_CHECKS.items()
    ] + [
        dg.AssetCheckSpec(name, asset=asset_key, description=text)
        for name, text in SOFT_CHECKS.items()
    ]


def to_check_result(outcome: CheckOutcome, partition: str, remedy: str) -> dg.AssetCheckResult:
    """The partition goes in the metadata: in-asset checks carry none of their own."""
    return dg.AssetCheckResult(
        check_name=outcome.check,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity(outcome.severity),
        description=outcome.found,
        metadata={**outcome.metadata, "partition": partition, "what_to_do": remedy},
    )


def partition_label(days: Sequence[object]) -> str:
    """One day as its key, a range as `first...last` (Dagster's own range notation)."""
    return str(days[0]) if len(days) == 1 else f"{days[0]}...{days[-1]}"
