"""The dashboard's JSON API, one endpoint per chart, each with a CSV twin (`<path>.csv`)."""

from datetime import date
from typing import Annotated

import anyio
from litestar import Response, get
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import Parameter

from orchestration.dashboard.csv_download import csv_response
from orchestration.dashboard.figures import Dimension, Figures
from orchestration.dashboard.live import Clock
from orchestration.dashboard.period import MAX_DAYS, Period, requested_period
from orchestration.dashboard.responses import (
    DailyClicks,
    DayClicks,
    HourClicks,
    HourlyClicks,
    RankedRow,
    Ranking,
)

Start = Annotated[
    date | None,
    Parameter(description="First day, YYYY-MM-DD (UTC). Default: 30 days up to `end`."),
]
End = Annotated[date | None, Parameter(description="Last day, included. Default: yesterday (UTC).")]
Limit = Annotated[int, Parameter(ge=1, le=100, description="How many rows, most clicked first.")]
RANGE_NOTE = f" The range is at most {MAX_DAYS} days; the previous period has the same length."


def _period(start: date | None, end: date | None, clock: Clock) -> Period:
    return requested_period(start, end, clock().date())


@get("/clicks/daily", tags=["dashboard"], description=RANGE_NOTE)
async def clicks_per_day(
    figures: NamedDependency[Figures],
    clock: NamedDependency[Clock],
    start: Start = None,
    end: End = None,
) -> DailyClicks:
    """Human clicks per day, each beside the same day of the previous period."""
    return await anyio.to_thread.run_sync(figures.daily, _period(start, end, clock))


@get("/clicks/daily.csv", tags=["dashboard"], media_type="text/csv")
async def clicks_per_day_csv(
    figures: NamedDependency[Figures],
    clock: NamedDependency[Clock],
    start: Start = None,
    end: End = None,
) -> Response[str]:
    """Clicks per day as CSV."""
    period = _period(start, end, clock)
    daily = await anyio.to_thread.run_sync(figures.daily, period)
    return csv_response("clicks-per-day", period, daily.days, DayClicks)


@get("/clicks/hourly", tags=["dashboard"], description=RANGE_NOTE)
async def clicks_per_hour(
    figures: NamedDependency[Figures],
    clock: NamedDependency[Clock],
    start: Start = None,
    end: End = None,
) -> HourlyClicks:
    """Human clicks per hour of the day (UTC) over the period and the previous one."""
    return await anyio.to_thread.run_sync(figures.hourly, _period(start, end, clock))


@get("/clicks/hourly.csv", tags=["dashboard"], media_type="text/csv")
async def clicks_per_hour_csv(
    figures: NamedDependency[Figures],
    clock: NamedDependency[Clock],
    start: Start = None,
    end: End = None,
) -> Response[str]:
    """Clicks per hour of the day as CSV."""
    period = _period(start, end, clock)
    hourly = await anyio.to_thread.run_sync(figures.hourly, period)
    return csv_response("clicks-per-hour", period, hourly.hours, HourClicks)


def ranking_handlers(path: str, dimension: Dimension, what: str) -> list[HTTPRouteHandler]:
    """The JSON and CSV endpoints that rank the values of one dimension."""

    async def ranking(
        figures: NamedDependency[Figures],
        clock: NamedDependency[Clock],
        start: Start = None,
        end: End = None,
        limit: Limit = 10,
    ) -> Ranking:
        period = _period(start, end, clock)
        return await anyio.to_thread.run_sync(figures.ranking, dimension, period, limit)

    async def ranking_csv(
        figures: NamedDependency[Figures],
        clock: NamedDependency[Clock],
        start: Start = None,
        end: End = None,
        limit: Limit = 10,
    ) -> Response[str]:
        period = _period(start, end, clock)
        result = await anyio.to_thread.run_sync(figures.ranking, dimension, period, limit)
        return csv_response(path.replace("/", "-"), period, result.rows, RankedRow)

    summary = f"Top {what}"
    return [
        get(
            f"/{path}",
            tags=["dashboard"],
            summary=summary,
            description=f"{summary}: clicks, share of all clicks, trend against the previous"
            f" period.{RANGE_NOTE}",
        )(ranking),
        get(f"/{path}.csv", tags=["dashboard"], summary=f"{summary} as CSV", media_type="text/csv")(
            ranking_csv
        ),
    ]


def period_handlers() -> list[HTTPRouteHandler]:
    return [clicks_per_day, clicks_per_day_csv, clicks_per_hour, clicks_per_hour_csv]
