"""The soft checks (volume, clock skew, empty day, bot share), freshness, and ranges."""

from datetime import UTC, date, datetime, timedelta

from orchestration.checks import trends
from orchestration.checks.day_stats import stats_of
from orchestration.checks.freshness import expected_day, freshness
from orchestration.checks.trends import DayFigures
from tests.quality.tables import DAY, clicks, table_of, with_column

WEEK = [DayFigures(1000, 10)] * 7


def test_volume_passes_near_the_median_and_warns_far_from_it() -> None:
    assert trends.volume_near_median(1000, WEEK).passed
    low = trends.volume_near_median(400, WEEK)
    high = trends.volume_near_median(2100, WEEK)
    assert (low.passed, high.passed) == (False, False)
    assert low.severity == "WARN"
    assert "40% of the median 1000 clicks of 7 earlier days" in low.found


def test_volume_without_history_passes_with_a_note() -> None:
    outcome = trends.volume_near_median(5, [DayFigures(0, 0)])
    assert outcome.passed
    assert "no earlier day" in outcome.found


def test_clock_skew_warns_above_five_percent_of_clicks() -> None:
    table = table_of(clicks(100))
    assert trends.clock_skew(stats_of(table, DAY)).passed
    client = table.column("client_ts").to_pylist()
    skewed: list[object] = [t - timedelta(minutes=6) for t in client[:6]] + client[6:]
    outcome = trends.clock_skew(stats_of(with_column(table, "client_ts", skewed), DAY))
    assert not outcome.passed
    assert outcome.metadata["skewed_clicks"] == 6


def test_an_empty_day_warns() -> None:
    assert not trends.not_empty(0).passed
    assert trends.not_empty(1).passed


def test_bot_share_jump_warns_and_steady_share_passes() -> None:
    assert trends.bot_share_steady(DayFigures(1000, 30), WEEK).passed
    outcome = trends.bot_share_steady(DayFigures(1000, 250), WEEK)
    assert not outcome.passed
    assert outcome.found == "bot share 25.0%, recent median 1.0%"


def test_bot_share_is_counted_from_the_is_bot_column() -> None:
    table = with_column(table_of(clicks(10)), "event_type", ["click"] * 10)
    bots: list[object] = [True, True, *[False] * 8]
    assert trends.figures_of(stats_of(with_column(table, "is_bot", bots), DAY)) == DayFigures(10, 2)


def test_page_views_are_not_counted_as_clicks() -> None:
    """Volume and bot share are of click events; the page views are named beside them."""
    kinds: list[object] = [*["pageview"] * 6, *["click"] * 4]
    table = with_column(table_of(clicks(10)), "event_type", kinds)
    bots: list[object] = [True, False, False, False, False, False, True, False, False, False]
    stats = stats_of(with_column(table, "is_bot", bots), DAY)
    assert trends.figures_of(stats) == DayFigures(4, 1)
    outcome = trends.volume_near_median(stats.clicks, [DayFigures(4, 0)] * 7, stats.page_views)
    assert outcome.passed
    assert (
        outcome.found
        == "4 clicks (and 6 page views), 100% of the median 4 clicks of 7 earlier days"
    )


def test_a_file_written_before_page_views_existed_is_all_clicks() -> None:
    table = table_of(clicks(10))
    stats = stats_of(table.drop_columns(["event_type"]), DAY)
    assert (stats.clicks, stats.page_views) == (10, 0)


def test_freshness_expects_yesterday_once_the_hour_has_passed() -> None:
    before = datetime(2026, 3, 10, 5, 59, tzinfo=UTC)
    after = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    assert expected_day(before, 6) == date(2026, 3, 8)
    assert expected_day(after, 6) == date(2026, 3, 9)
    assert not freshness(after, 6, None).passed
    assert freshness(after, 6, after - timedelta(hours=5)).passed
