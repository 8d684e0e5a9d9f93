"""What the journey panels' endpoints answer: one typed shape each, rows CSV-ready."""

from datetime import date
from typing import Literal

import msgspec

from orchestration.dashboard.period import Period
from orchestration.dashboard.responses import Coverage


class SessionRow(msgspec.Struct, kw_only=True):
    part: Literal["period", "previous"]
    start: date
    end: date
    sessions: int
    # Null without sessions.
    median_duration_s: float | None
    bounce_rate: float | None
    page_views_per_session: float | None


class SessionFigures(msgspec.Struct, kw_only=True):
    """Human sessions of the period and of the one before it."""

    period: Period
    coverage: Coverage
    previous: Period
    rows: list[SessionRow]


class SourceRow(msgspec.Struct, kw_only=True):
    source: str
    medium: str
    campaign: str
    sessions: int
    share: float
    page_views: int
    clicks: int
    previous_sessions: int
    change: float | None


class Sources(msgspec.Struct, kw_only=True):
    """Sessions by source, medium and campaign, most first, beside the previous period."""

    period: Period
    coverage: Coverage
    previous: Period
    total: int
    rows: list[SourceRow]


class PathRow(msgspec.Struct, kw_only=True):
    from_page: str
    to_page: str
    transitions: int
    # Of the page views of `from_page` in the period, the share followed by `to_page`.
    share: float


class Paths(msgspec.Struct, kw_only=True):
    """The most taken steps from a page to the next, or to the exit ('(exit)')."""

    period: Period
    previous: Period
    coverage: Coverage
    rows: list[PathRow]


class FunnelStepRow(msgspec.Struct, kw_only=True):
    funnel: str
    step: int
    label: str
    sessions: int
    # Of the sessions that reached the first step, and of those that reached the one before.
    conversion: float | None
    from_previous: float | None


class FunnelFigures(msgspec.Struct, kw_only=True):
    """Each configured funnel's steps, or the error that keeps the funnel file from use."""

    period: Period
    previous: Period
    coverage: Coverage
    error: str | None
    rows: list[FunnelStepRow]


class RetentionCell(msgspec.Struct, kw_only=True):
    cohort_week: date
    week_offset: int
    visitors: int
    # Of the cohort's visitors (its week 0).
    share: float


class Retention(msgspec.Struct, kw_only=True):
    """The weekly retention triangle of the cohorts first seen in the period."""

    period: Period
    previous: Period
    coverage: Coverage
    rows: list[RetentionCell]
