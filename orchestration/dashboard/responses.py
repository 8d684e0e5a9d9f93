"""What the dashboard API answers: one typed shape per chart, all in the OpenAPI schema."""

from datetime import date, datetime

import msgspec

from orchestration.dashboard.period import Period


class DayClicks(msgspec.Struct, kw_only=True):
    day: date
    clicks: int
    previous_day: date
    previous_clicks: int


class DailyClicks(msgspec.Struct, kw_only=True):
    """Clicks per UTC day, each beside the same day of the previous period."""

    period: Period
    previous: Period
    total: int
    previous_total: int
    days: list[DayClicks]


class HourClicks(msgspec.Struct, kw_only=True):
    hour: int
    clicks: int
    previous_clicks: int


class HourlyClicks(msgspec.Struct, kw_only=True):
    """Clicks per hour of the day (UTC) over the whole period and the previous one."""

    period: Period
    previous: Period
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
