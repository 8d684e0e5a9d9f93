"""The journey tables from a hand-built set of sessions whose answers are known, on DuckDB."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from ingest_service.contract import Click, properties_json
from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.query_output import run_query
from tests.dashboard.lake import store_and_summarize

MONDAY = date(2026, 3, 2)
TUESDAY = MONDAY + timedelta(days=1)
NEXT_MONDAY = MONDAY + timedelta(days=7)
FUNNELS = """
[[funnel]]
name = "Pricing to checkout"
steps = [{ page = "/pricing" }, { page = "/signup" }, { page = "/checkout" },
         { button = "Place order" }]
[[funnel]]
name = "Pro plan"
steps = [{ property = "plan", value = "pro" }, { page = "/checkout" }]
"""


def _at(day: date, clock: str) -> datetime:
    return datetime.combine(day, datetime.strptime(clock, "%H:%M").time(), tzinfo=UTC)


def _session(session: str | None, *events: tuple[Any, ...], **fields: Any) -> list[Click]:
    """Events as (day, "HH:MM", path, button or None for a page view[, properties])."""
    clicks = []
    for day, clock, path, button, *properties in events:
        moment = _at(day, clock)
        clicks.append(
            Click(
                id=str(uuid.uuid4()),
                button=button or "",
                page_url=f"https://shop.example{path}?ref=x#top",
                client_ts=moment,
                client_ts_zoneless=False,
                received_at=moment,
                event_date=moment.date(),
                session_id=session,
                event_type="click" if button else "pageview",
                properties=properties_json(properties[0]) if properties else None,
                **fields,
            )
        )
    return clicks


EVENTS = [
    # A: a campaign visit that converts, visitor v1.
    *_session(
        "A",
        (MONDAY, "10:00", "/", None),
        (MONDAY, "10:01", "/pricing", None),
        (MONDAY, "10:02", "/pricing", "Choose", {"plan": "pro"}),
        (MONDAY, "10:03", "/signup", None),
        (MONDAY, "10:05", "/checkout", None),
        (MONDAY, "10:06", "/checkout", "Place order"),
        anonymous_id="v1",
        referrer_host="mail.example.com",
        utm_source="newsletter",
        utm_medium="email",
        utm_campaign="winter",
    ),
    # B: from a news site, across midnight: Monday's session, 20 minutes long.
    *_session(
        "B",
        (MONDAY, "23:50", "/pricing", None),
        (TUESDAY, "00:10", "/signup", None),
        anonymous_id="v2",
        referrer_host="news.example",
    ),
    # C: one page and gone (a bounce), no anonymous id: the session is the visitor.
    *_session("C", (MONDAY, "12:00", "/", None)),
    # D: a bot.
    *_session("D", (MONDAY, "13:00", "/", None), is_bot=True, device_type="bot"),
    # F: checkout first, then pricing and signup: only two funnel steps in order.
    *_session(
        "F",
        (TUESDAY, "10:00", "/checkout", None),
        (TUESDAY, "10:01", "/pricing", None),
        (TUESDAY, "10:02", "/signup", None),
        anonymous_id="v3",
    ),
    # E: v1 comes back a week later.
    *_session(
        "E",
        (NEXT_MONDAY, "09:00", "/pricing", None),
        (NEXT_MONDAY, "09:01", "/checkout", None),
        anonymous_id="v1",
    ),
    # A click without a session belongs to no session.
    *_session(None, (MONDAY, "11:00", "/", "Buy")),
]
DAYS = [MONDAY + timedelta(days=n) for n in range(8)]


@pytest.fixture(scope="module")
def journeys(tmp_path_factory: pytest.TempPathFactory) -> PipelineSettings:
    """Built once for the module's tests, which only read it."""
    directory = tmp_path_factory.mktemp("journeys")
    (directory / "funnels.toml").write_text(FUNNELS)
    settings = PipelineSettings(
        data_dir=directory / "data",
        funnels_file=directory / "funnels.toml",
        start_date=date(2026, 1, 1),
    )
    store = SQLiteClickStore(settings.store_path)
    store.setup()
    try:
        store_and_summarize(settings, store, EVENTS, DAYS)
    finally:
        store.close()
    return settings


def _rows(settings: PipelineSettings, sql: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = run_query(settings, sql).to_pylist()
    return rows


def test_sessions_one_row_each_on_the_day_they_started(journeys: PipelineSettings) -> None:
    rows = _rows(
        journeys,
        "SELECT event_date, session_id, duration_s, page_views, clicks, entry_page, exit_page,"
        " bounce, source, medium, campaign, is_bot FROM sessions ORDER BY session_id",
    )
    assert [tuple(row.values()) for row in rows] == [
        (MONDAY, "A", 360, 4, 2, "/", "/checkout", False, "newsletter", "email", "winter", False),
        (MONDAY, "B", 1200, 2, 0, "/pricing", "/signup", False,
         "news.example", "referral", None, False),
        (MONDAY, "C", 0, 1, 0, "/", "/", True, "direct", "none", None, False),
        (MONDAY, "D", 0, 1, 0, "/", "/", True, "direct", "none", None, True),
        (NEXT_MONDAY, "E", 60, 2, 0, "/pricing", "/checkout", False, "direct", "none", None, False),
        (TUESDAY, "F", 120, 3, 0, "/checkout", "/signup", False, "direct", "none", None, False),
    ]  # fmt: skip


def test_sessions_daily_counts_each_session_once(journeys: PipelineSettings) -> None:
    rows = _rows(
        journeys,
        "SELECT event_date, sessions, session_clicks, page_views, bounces, duration_s,"
        " bot_sessions FROM sessions_daily WHERE sessions > 0 OR bot_sessions > 0"
        " ORDER BY event_date",
    )
    assert [tuple(row.values()) for row in rows] == [
        (MONDAY, 3, 2, 7, 1, 1560, 1),
        (TUESDAY, 1, 0, 3, 0, 120, 0),
        (NEXT_MONDAY, 1, 0, 2, 0, 60, 0),
    ]


def test_session_durations_count_human_sessions_by_duration(journeys: PipelineSettings) -> None:
    rows = _rows(
        journeys, "SELECT event_date, duration_s, sessions FROM session_durations ORDER BY 1, 2"
    )
    assert [tuple(row.values()) for row in rows] == [
        (MONDAY, 0, 1),
        (MONDAY, 360, 1),
        (MONDAY, 1200, 1),
        (TUESDAY, 120, 1),
        (NEXT_MONDAY, 60, 1),
    ]


def test_traffic_sources_by_source_medium_campaign_and_referrer(
    journeys: PipelineSettings,
) -> None:
    rows = _rows(
        journeys,
        "SELECT source, medium, campaign, referrer_host, sessions, page_views, clicks"
        f" FROM traffic_sources WHERE event_date = DATE '{MONDAY}' ORDER BY source",
    )
    assert [tuple(row.values()) for row in rows] == [
        ("direct", "none", "(none)", "(direct)", 1, 1, 0),
        ("news.example", "referral", "(none)", "news.example", 1, 2, 0),
        ("newsletter", "email", "winter", "mail.example.com", 1, 4, 2),
    ]


def test_page_transitions_are_the_paths_with_exits(journeys: PipelineSettings) -> None:
    rows = _rows(
        journeys,
        "SELECT from_page, to_page, transitions FROM page_transitions"
        f" WHERE event_date = DATE '{MONDAY}'",
    )
    assert {(r["from_page"], r["to_page"]): r["transitions"] for r in rows} == {
        ("/", "/pricing"): 1,
        ("/pricing", "/signup"): 2,
        ("/signup", "/checkout"): 1,
        ("/checkout", "(exit)"): 1,
        ("/signup", "(exit)"): 1,
        ("/", "(exit)"): 1,
    }


def test_funnels_count_sessions_reaching_the_steps_in_order(journeys: PipelineSettings) -> None:
    rows = _rows(journeys, "SELECT event_date, funnel, step, sessions FROM funnels")
    assert {(r["event_date"], r["funnel"], r["step"]): r["sessions"] for r in rows} == {
        (MONDAY, "Pricing to checkout", 1): 2,
        (MONDAY, "Pricing to checkout", 2): 2,
        (MONDAY, "Pricing to checkout", 3): 1,
        (MONDAY, "Pricing to checkout", 4): 1,
        (MONDAY, "Pro plan", 1): 1,
        (MONDAY, "Pro plan", 2): 1,
        (TUESDAY, "Pricing to checkout", 1): 1,
        (TUESDAY, "Pricing to checkout", 2): 1,
        (NEXT_MONDAY, "Pricing to checkout", 1): 1,
    }


def test_retention_weekly_cohorts(journeys: PipelineSettings) -> None:
    rows = _rows(
        journeys,
        "SELECT cohort_week, week_offset, sum(visitors) AS visitors FROM retention"
        " GROUP BY 1, 2 ORDER BY 1, 2",
    )
    assert [tuple(row.values()) for row in rows] == [(MONDAY, 0, 4), (MONDAY, 1, 1)]


def test_a_session_past_midnight_is_whole_once_the_next_day_runs(
    settings: PipelineSettings, sqlite_store: SQLiteClickStore
) -> None:
    # The nightly runs: Monday alone (B's Tuesday event is not there yet), then Tuesday.
    store_and_summarize(settings, sqlite_store, EVENTS, [MONDAY])
    store_and_summarize(settings, sqlite_store, [], [TUESDAY])
    rows = _rows(settings, "SELECT event_date, page_views FROM sessions WHERE session_id = 'B'")
    assert rows == [{"event_date": MONDAY, "page_views": 2}]
    daily = _rows(settings, "SELECT event_date, sessions FROM sessions_daily ORDER BY 1")
    assert [(r["event_date"], r["sessions"]) for r in daily] == [(MONDAY, 3), (TUESDAY, 1)]
