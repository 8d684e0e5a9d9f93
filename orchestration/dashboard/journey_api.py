"""The journey panels' endpoints, each as JSON and as CSV (`<path>.csv`) of the same rows."""

from collections.abc import Callable, Sequence
from typing import Any

import anyio
import msgspec
from litestar import Response, get
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler

from orchestration.dashboard.api import RANGE_NOTE, End, Limit, Start, _period
from orchestration.dashboard.csv_download import csv_response
from orchestration.dashboard.journey_responses import (
    FunnelFigures,
    FunnelStepRow,
    PathRow,
    Paths,
    Retention,
    RetentionCell,
    SessionFigures,
    SessionRow,
    SourceRow,
    Sources,
)
from orchestration.dashboard.journeys import JourneyFigures
from orchestration.dashboard.live import Clock
from orchestration.dashboard.period import Period


def _handlers(
    path: str,
    summary: str,
    answer: type[msgspec.Struct],
    row_type: type[msgspec.Struct],
    compute: Callable[[JourneyFigures, Period, int], Any],
    *,
    limited: bool = False,
) -> list[HTTPRouteHandler]:
    """The JSON endpoint answering `answer` and its CSV twin listing its `rows`."""

    async def figures_json(
        figures: NamedDependency[JourneyFigures],
        clock: NamedDependency[Clock],
        start: Start = None,
        end: End = None,
        limit: Limit = 10,
    ) -> Any:
        period = _period(start, end, clock)
        return await anyio.to_thread.run_sync(compute, figures, period, limit)

    async def figures_csv(
        figures: NamedDependency[JourneyFigures],
        clock: NamedDependency[Clock],
        start: Start = None,
        end: End = None,
        limit: Limit = 10,
    ) -> Response[str]:
        period = _period(start, end, clock)
        result = await anyio.to_thread.run_sync(compute, figures, period, limit)
        rows: Sequence[msgspec.Struct] = result.rows
        return csv_response(path, period, rows, row_type)

    note = f"{RANGE_NOTE} `limit` applies." if limited else RANGE_NOTE
    figures_json.__annotations__["return"] = answer
    return [
        get(f"/{path}", tags=["dashboard"], summary=summary, description=summary + "." + note)(
            figures_json
        ),
        get(f"/{path}.csv", tags=["dashboard"], summary=f"{summary} as CSV", media_type="text/csv")(
            figures_csv
        ),
    ]


def journey_handlers() -> list[HTTPRouteHandler]:
    return [
        *_handlers(
            "sessions",
            "Sessions: count, median duration, bounce rate, page views per session",
            SessionFigures,
            SessionRow,
            lambda figures, period, _: figures.sessions(period),
        ),
        *_handlers(
            "sources",
            "Traffic sources and campaigns by sessions",
            Sources,
            SourceRow,
            lambda figures, period, limit: figures.sources(period, limit),
            limited=True,
        ),
        *_handlers(
            "paths",
            "Top paths: from a page to the next page or the exit",
            Paths,
            PathRow,
            lambda figures, period, limit: figures.paths(period, limit),
            limited=True,
        ),
        *_handlers(
            "funnels",
            "Each configured funnel's steps with conversion",
            FunnelFigures,
            FunnelStepRow,
            lambda figures, period, _: figures.funnel_steps(period),
        ),
        *_handlers(
            "retention",
            "Weekly retention of the cohorts first seen in the period",
            Retention,
            RetentionCell,
            lambda figures, period, _: figures.retention(period),
        ),
    ]
