"""What a check found, in a shape that needs no Dagster: tests and the CLI read it as is."""

from collections.abc import Mapping
from datetime import date
from typing import Literal

import msgspec

Severity = Literal["ERROR", "WARN"]
MetadataValue = int | float | str | bool


class CheckOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """One check on one day (or on the days of a range), as on-call reads it."""

    check: str
    passed: bool
    severity: Severity
    found: str
    metadata: Mapping[str, MetadataValue] = msgspec.field(default_factory=dict)


def combine_days(outcomes: Mapping[date, CheckOutcome]) -> CheckOutcome:
    """The days of a range run as one result: Dagster takes one result per check per step.

    Each day is still checked on its own; the result fails when any day does and names
    those days, so an alert points at the partitions to look at.
    """
    if len(outcomes) == 1:
        return next(iter(outcomes.values()))
    first = next(iter(outcomes.values()))
    failed = {day: outcome for day, outcome in sorted(outcomes.items()) if not outcome.passed}
    days = sorted(outcomes)
    if failed:
        found = "; ".join(f"{day}: {outcome.found}" for day, outcome in failed.items())
    else:
        found = f"all {len(days)} days passed"
    return CheckOutcome(
        check=first.check,
        passed=not failed,
        severity=first.severity,
        found=found,
        metadata={
            "days_checked": len(days),
            "failed_days": ", ".join(str(day) for day in failed),
        },
    )
