"""The checks as Dagster sees them: specs on the export, one evaluation per check and day."""

import warnings
from datetime import date

import dagster as dg

from orchestration.checks.journeys import JOURNEY_CHECKS
from orchestration.checks.outcome import CheckOutcome
from orchestration.checks.registry import CHECKS, EXPORT_CHECKS


def export_check_specs(
    asset_key: dg.AssetKey, partitions: dg.PartitionsDefinition
) -> list[dg.AssetCheckSpec]:
    """Partitioned like the asset, so the UI keeps each day's check history."""
    with warnings.catch_warnings():
        # A partitioned check spec is a preview in Dagster 1.13 and warns when built; it is
        # what lets a range run record each day's result against that day.
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return [_spec(entry.name, asset_key, partitions) for entry in EXPORT_CHECKS]


def journey_check_specs(partitions: dg.PartitionsDefinition) -> list[dg.AssetCheckSpec]:
    """The journey tables' checks, each on the table it guards."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)  # as in export_check_specs
        return [
            _spec(check, dg.AssetKey(table), partitions) for table, check in JOURNEY_CHECKS.items()
        ]


def _spec(
    check: str, asset_key: dg.AssetKey, partitions: dg.PartitionsDefinition
) -> dg.AssetCheckSpec:
    entry = CHECKS[check]
    return dg.AssetCheckSpec(
        entry.name,
        asset=asset_key,
        description=entry.description,
        blocking=entry.blocking,
        partitions_def=partitions,
    )


def to_evaluation(
    outcome: CheckOutcome, asset_key: dg.AssetKey, day: date
) -> dg.AssetCheckEvaluation:
    """One check on one day, attached to that day's partition."""
    entry = CHECKS[outcome.check]
    return dg.AssetCheckEvaluation(
        asset_key=asset_key,
        check_name=outcome.check,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity(outcome.severity),
        description=outcome.found,
        blocking=entry.blocking,
        partition=day.isoformat(),
        metadata={**outcome.metadata, "partition": day.isoformat(), "what_to_do": entry.remedy},
    )


def to_check_result(outcome: CheckOutcome, partition: str) -> dg.AssetCheckResult:
    """For a check that runs on its own: the partition it judged goes in the metadata."""
    return dg.AssetCheckResult(
        check_name=outcome.check,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity(outcome.severity),
        description=outcome.found,
        metadata={
            **outcome.metadata,
            "partition": partition,
            "what_to_do": CHECKS[outcome.check].remedy,
        },
    )
