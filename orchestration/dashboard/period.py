"""The date range a dashboard request asks about, and the period of equal length before it."""

from datetime import date, timedelta

import msgspec
from litestar.plugins.problem_details import ProblemDetailsException

# A year and a leap day: enough for "this year against last year".
MAX_DAYS = 366
DEFAULT_DAYS = 30


class Period(msgspec.Struct, frozen=True, kw_only=True):
    """Whole UTC days, both ends included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The same number of days, ending the day before this period starts."""
        end = self.start - timedelta(days=1)
        return Period(start=end - timedelta(days=self.days - 1), end=end)

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]


class InvalidPeriod(ProblemDetailsException):
    def __init__(self, detail: str) -> None:
        super().__init__(
            status_code=400,
            type_="/problems/invalid-period",
            title="Invalid date range",
            detail=detail,
        )


def requested_period(start: date | None, end: date | None, today: date) -> Period:
    """The asked range; by default the last 30 complete days (today is not in the lake yet)."""
    try:
        last = end or today - timedelta(days=1)
        first = start or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise InvalidPeriod(f"start {first} is after end {last}")
        period = Period(start=first, end=last)
        if period.days > MAX_DAYS:
            raise InvalidPeriod(f"{period.days} days asked; at most {MAX_DAYS} at a time")
        period.previous()  # every figure is compared with it: it must be in the calendar too
    except OverflowError:
        raise InvalidPeriod(
            "the range, or the period of equal length before it, starts before 0001-01-01"
        ) from None
    return period
