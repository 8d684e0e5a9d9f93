"""The journey tables: sessions, paths, sources, funnels and retention (SQL in sql/).

Each session counts on the day it started, so one that spans midnight counts once.
`sessions` holds one row per session; `sessions_daily` (the daily figures that were the
`sessions` table before contract v2), `session_durations`, `traffic_sources` and
`retention` are derived from it; `page_transitions` and `funnels` follow each session's
events in order. The dashboard reads the daily tables only: a year of `sessions` is one
row per session (about 256,000 for the generator's year).
"""

import pyarrow as pa

from orchestration.assets.summary_spec import Summary

SESSIONS = "sessions"
FUNNELS = "funnels"
_TIMESTAMP = pa.timestamp("us", tz="UTC")


def _daily(*columns: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([("event_date", pa.date32()), *columns])


JOURNEY_TABLES = (
    Summary(
        SESSIONS,
        "One row per session, on the day it started: start, end, duration, page views, "
        "clicks, entry and exit page, bounce, source, medium, campaign, device; bot "
        "sessions flagged (is_bot).",
        _daily(
            ("session_id", pa.string()),
            ("anonymous_id", pa.string()),
            ("started_at", _TIMESTAMP),
            ("ended_at", _TIMESTAMP),
            ("duration_s", pa.int64()),
            ("page_views", pa.int64()),
            ("clicks", pa.int64()),
            ("entry_page", pa.string()),
            ("exit_page", pa.string()),
            ("bounce", pa.bool_()),
            ("referrer_host", pa.string()),
            ("source", pa.string()),
            ("medium", pa.string()),
            ("campaign", pa.string()),
            ("device_type", pa.string()),
            ("is_bot", pa.bool_()),
        ),
        per_session=True,
    ),
    Summary(
        "sessions_daily",
        "Human sessions per day (the day they started), their clicks, page views, "
        "bounces and total duration; clicks without a session and bot sessions apart.",
        _daily(
            ("sessions", pa.int64()),
            ("session_clicks", pa.int64()),
            ("clicks_per_session", pa.float64()),
            ("max_clicks_per_session", pa.int64()),
            ("clicks_without_session", pa.int64()),
            ("page_views", pa.int64()),
            ("bounces", pa.int64()),
            ("duration_s", pa.int64()),
            ("bot_sessions", pa.int64()),
        ),
        reads=(SESSIONS,),
        per_session=True,
    ),
    Summary(
        "session_durations",
        "Human sessions per day by duration in seconds, to two significant digits "
        "rounded down (exact under 100 s): what the median duration of a range is "
        "read from.",
        _daily(("duration_s", pa.int64()), ("sessions", pa.int64())),
        reads=(SESSIONS,),
        per_session=True,
    ),
    Summary(
        "traffic_sources",
        "Human sessions, page views and clicks per day by source, medium, campaign and "
        "referrer host.",
        _daily(
            ("source", pa.string()),
            ("medium", pa.string()),
            ("campaign", pa.string()),
            ("referrer_host", pa.string()),
            ("sessions", pa.int64()),
            ("page_views", pa.int64()),
            ("clicks", pa.int64()),
        ),
        reads=(SESSIONS,),
        per_session=True,
    ),
    Summary(
        "page_transitions",
        "The paths: page views of one page followed by the next page (or '(exit)') in "
        "the same human session, counted per day.",
        _daily(
            ("from_page", pa.string()),
            ("to_page", pa.string()),
            ("transitions", pa.int64()),
        ),
        per_session=True,
    ),
    Summary(
        FUNNELS,
        "Human sessions per day reaching each step of each configured funnel, with the "
        "steps in order.",
        _daily(("funnel", pa.string()), ("step", pa.int64()), ("sessions", pa.int64())),
        per_session=True,
    ),
    Summary(
        "retention",
        "Weekly cohorts: human visitors active on the day for the first time in its "
        "week, by the week first seen (cohort_week) and the weeks since (week_offset).",
        _daily(
            ("cohort_week", pa.date32()),
            ("week_offset", pa.int64()),
            ("visitors", pa.int64()),
        ),
        reads=(SESSIONS,),
        per_session=True,
    ),
)
