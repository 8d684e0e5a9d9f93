"""The journey panels' figures: sessions, sources, paths, funnels, retention.

Read as the click figures are (`Figures`): one query each over the compacted journey
tables, in Athena's dialect, transpiled for the engine.
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
        rows = {row["part"]: row for row in self._rows("session_figures", "sessions", period, {})}
        return SessionFigures(
            period=period,
            previous=period.previous(),
            coverage=self.coverage(period),
            rows=[
                _session_row("period", period, rows.get("period")),
                _session_row("previous", period.previous(), rows.get("previous")),
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


def _session_row(part: Any, period: Period, row: dict[str, Any] | None) -> SessionRow:
    return SessionRow(
        part=part,
        start=period.start,
        end=period.end,
        sessions=int(row["sessions"]) if row else 0,
        median_duration_s=_number(row, "median_duration_s"),
        bounce_rate=_number(row, "bounce_rate"),
        page_views_per_session=_number(row, "page_views_per_session"),
    )


def _number(row: dict[str, Any] | None, name: str) -> float | None:
    return None if row is None or row[name] is None else float(row[name])


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
