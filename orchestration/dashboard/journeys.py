"""The journey panels' figures: sessions, sources, paths, funnels, retention.

Read as the click figures are (`Figures`): one query each over the compacted journey
tables, in Athena's dialect, transpiled for the engine. Only daily tables are read, a
few rows a day: the sessions panel takes its median from `session_durations`, not from
`sessions`, one row per session.
"""

from datetime import date
from typing import Any

from orchestration.dashboard.figures import Figures
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
from orchestration.dashboard.period import Period
from orchestration.dashboard.recent import RecentResults
from orchestration.funnels import FunnelConfig, Step
from orchestration.resources import LakeAccess
from orchestration.resources.catalog import Catalog
from orchestration.resources.query_engine import QueryEngine

NO_FUNNELS = FunnelConfig(source="(none)")


class JourneyFigures(Figures):
    """The click figures and the journey panels' (one object: one cache of results)."""

    def __init__(
        self,
        engine: QueryEngine,
        catalog: Catalog,
        recent: RecentResults,
        funnels: FunnelConfig = NO_FUNNELS,
    ) -> None:
        super().__init__(engine, catalog, recent)
        self.funnels = funnels

    @classmethod
    def with_funnels(cls, access: LakeAccess, funnels: FunnelConfig) -> "JourneyFigures":
        figures = cls.from_lake(access)
        figures.funnels = funnels
        return figures

    def sessions(self, period: Period) -> SessionFigures:
        rows = self._rows("session_figures", "sessions_daily", period, {})
        sums = {row["part"]: row for row in rows}
        durations: dict[str, list[tuple[int, int]]] = {"period": [], "previous": []}
        for row in self._rows("session_durations", "session_durations", period, {}):
            durations[row["part"]].append((int(row["duration_s"]), int(row["sessions"])))
        return SessionFigures(
            period=period,
            previous=period.previous(),
            coverage=self.coverage(period),
            rows=[
                _session_row(part, days, sums.get(part), durations[part])
                for part, days in (("period", period), ("previous", period.previous()))
            ],
        )

    def sources(self, period: Period, limit: int) -> Sources:
        values = {"limit": str(limit)}
        rows = self._rows("sources", "traffic_sources", period, values)
        total = int(rows[0]["total"]) if rows else 0
        return Sources(
            period=period,
            previous=period.previous(),
            coverage=self.coverage(period),
            total=total,
            rows=[_source_row(row, total) for row in rows],
        )

    def paths(self, period: Period, limit: int) -> Paths:
        rows = self._rows("paths", "page_transitions", period, {"limit": str(limit)})
        return Paths(
            period=period,
            previous=period.previous(),
            coverage=self.coverage(period),
            rows=[
                PathRow(
                    from_page=row["from_page"],
                    to_page=row["to_page"],
                    transitions=int(row["transitions"]),
                    share=int(row["transitions"]) / int(row["from_views"]),
                )
                for row in rows
            ],
        )

    def funnel_steps(self, period: Period) -> FunnelFigures:
        counts = {
            (row["funnel"], int(row["step"])): int(row["sessions"])
            for row in self._rows("funnel_steps", "funnels", period, {})
        }
        rows = []
        for funnel in self.funnels.funnels:
            first = counts.get((funnel.name, 1), 0)
            before = first
            for number, step in enumerate(funnel.steps, 1):
                sessions = counts.get((funnel.name, number), 0)
                rows.append(
                    FunnelStepRow(
                        funnel=funnel.name,
                        step=number,
                        label=_label(step),
                        sessions=sessions,
                        conversion=sessions / first if first else None,
                        from_previous=sessions / before if before else None,
                    )
                )
                before = sessions
        return FunnelFigures(
            period=period,
            previous=period.previous(),
            coverage=self.coverage(period),
            error=self.funnels.error,
            rows=rows,
        )

    def retention(self, period: Period) -> Retention:
        rows = self._rows("retention_cells", "retention", period, {})
        sizes: dict[date, int] = {
            row["cohort_week"]: int(row["visitors"]) for row in rows if row["week_offset"] == 0
        }
        return Retention(
            period=period,
            previous=period.previous(),
            coverage=self.coverage(period),
            rows=[
                RetentionCell(
                    cohort_week=row["cohort_week"],
                    week_offset=int(row["week_offset"]),
                    visitors=int(row["visitors"]),
                    share=int(row["visitors"]) / sizes[row["cohort_week"]]
                    if sizes.get(row["cohort_week"])
                    else 0.0,
                )
                for row in rows
            ],
        )


def _session_row(
    part: Any, period: Period, sums: dict[str, Any] | None, durations: list[tuple[int, int]]
) -> SessionRow:
    sessions = int(sums["sessions"] or 0) if sums else 0
    return SessionRow(
        part=part,
        start=period.start,
        end=period.end,
        sessions=sessions,
        median_duration_s=median_of(durations),
        bounce_rate=int(sums["bounces"]) / sessions if sums and sessions else None,
        page_views_per_session=int(sums["page_views"]) / sessions if sums and sessions else None,
    )


def median_of(counted: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many); of an even count, the mean of
    the middle two."""
    total = sum(count for _, count in counted)
    if not total:
        return None
    ordered = sorted(counted)

    def at(rank: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if seen >= rank:
                return value
        raise AssertionError("rank past the total")

    return (at((total + 1) // 2) + at(total // 2 + 1)) / 2


def _source_row(row: dict[str, Any], total: int) -> SourceRow:
    sessions, previous = int(row["sessions"]), int(row["previous_sessions"])
    return SourceRow(
        source=row["source"],
        medium=row["medium"],
        campaign=row["campaign"],
        sessions=sessions,
        share=sessions / total if total else 0.0,
        page_views=int(row["page_views"]),
        clicks=int(row["clicks"]),
        previous_sessions=previous,
        change=(sessions - previous) / previous if previous else None,
    )


def _label(step: Step) -> str:
    if step.page is not None:
        return f"page {step.page}"
    if step.button is not None:
        return f"button {step.button}"
    return f"{step.property} = {step.value}"
