"""Freshness: by `freshness_hour` UTC, yesterday's partition must have been materialized."""

from datetime import UTC, date, datetime, time, timedelta

from orchestration.checks.outcome import CheckOutcome

FRESHNESS_CHECK = "yesterday_materialized_in_time"


def deadline_passed(now: datetime, freshness_hour: int) -> datetime:
    """The latest deadline at or before `now`: today's at `freshness_hour`, or yesterday's."""
    today = datetime.combine(now.astimezone(UTC).date(), time(freshness_hour), tzinfo=UTC)
    return today if now >= today else today - timedelta(days=1)


def expected_day(now: datetime, freshness_hour: int) -> date:
    """The day that had to be in the lake by the last deadline: the one before it."""
    return deadline_passed(now, freshness_hour).date() - timedelta(days=1)


def freshness(now: datetime, freshness_hour: int, materialized_at: datetime | None) -> CheckOutcome:
    day = expected_day(now, freshness_hour)
    deadline = deadline_passed(now, freshness_hour)
    if materialized_at is None:
        found = f"partition {day} not materialized by {deadline:%Y-%m-%d %H:%M} UTC"
    else:
        found = f"partition {day} materialized at {materialized_at:%Y-%m-%d %H:%M} UTC"
    return CheckOutcome(
        check=FRESHNESS_CHECK,
        passed=materialized_at is not None,
        severity="WARN",
        found=found,
        metadata={"partition": str(day), "deadline": deadline.isoformat()},
    )
