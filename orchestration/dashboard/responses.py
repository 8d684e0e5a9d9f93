"""What the dashboard API answers: one typed shape per chart, all in the OpenAPI schema."""

from datetime import date, datetime

import msgspec

from orchestration.dashboard.period import Period


class Coverage(msgspec.Struct, kw_only=True):
    """Which days of the period and of the one before the nightly pipeline has summarized.

    A day not summarized yet is not a day without clicks: figures count it as 0, and
    readers are told here. `compared_days` have a summary in both periods.
    """

    data_up_to: date | None
    missing_days: list[date]
    previous_missing_days: list[date]
    compared_days: int
    complete: bool


class DayClicks(msgspec.Struct, kw_only=True):
    day: date
    clicks: int
    summarized: bool
    previous_day: date
    previous_clicks: int
    previous_summarized: bool


class DailyClicks(msgspec.Struct, kw_only=True):
    """Clicks per UTC day, each beside the same day of the previous period.

    `compared_total` and `compared_previous_total` count only the days summarized in both
    periods: the change between them is the honest one while days are missing.
    """

    period: Period
    previous: Period
    total: int
    previous_total: int
    compared_total: int
    compared_previous_total: int
    coverage: Coverage
    days: list[DayClicks]


class HourClicks(msgspec.Struct, kw_only=True):
    hour: int
    clicks: int
    previous_clicks: int


class HourlyClicks(msgspec.Struct, kw_only=True):
    """Clicks per hour of the day (UTC) over the whole period and the previous one."""

    period: Period
    previous: Period
    coverage: Coverage
    hours: list[HourClicks]


class RankedRow(msgspec.Struct, kw_only=True):
    name: str
    clicks: int
    share: float
    previous_clicks: int
    # Relative change against the previous period; null when it had no clicks.
    change: float | None


class Ranking(msgspec.Struct, kw_only=True):
    """The most clicked values of one dimension, each with its share of all clicks."""

    period: Period
    previous: Period
    total: int
    previous_total: int
    coverage: Coverage
    rows: list[RankedRow]


class MinuteClicks(msgspec.Struct, kw_only=True):
    minute: datetime
    clicks: int


class LiveClicks(msgspec.Struct, kw_only=True):
    """The last hour from the click store, per minute, the current minute so far included."""

    as_of: datetime
    last_5_minutes: int
    last_15_minutes: int
    last_60_minutes: int
    per_minute: list[MinuteClicks]
    # Today's clicks are here only: the lake gets a day when it closes, on this schedule.
    lake_schedule: str
