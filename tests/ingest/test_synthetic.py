"""The generator's traffic has what real traffic has: returning anonymous visitors, bots,
clicks without a session, busier weekdays."""

from collections import Counter
from datetime import date

from ingest_service.synthetic import synthetic_clicks

MONDAY = date(2026, 3, 2)


def test_a_week_has_busier_weekdays_and_keeps_its_total() -> None:
    clicks = list(synthetic_clicks(MONDAY, 7, 1000, seed=1, weekly=True))

    per_day = Counter(c.event_date.weekday() for c in clicks)
    assert len(clicks) == 7 * 1000
    assert min(per_day[d] for d in range(5)) > max(per_day[5], per_day[6])


def test_without_weekly_each_day_has_exactly_its_clicks() -> None:
    clicks = list(synthetic_clicks(MONDAY, 3, 250, seed=1))

    assert Counter(c.event_date for c in clicks) == {
        date(2026, 3, 2): 250, date(2026, 3, 3): 250, date(2026, 3, 4): 250
    }  # fmt: skip


def test_some_visitors_are_anonymous_returning_bots_or_without_a_session() -> None:
    clicks = list(synthetic_clicks(MONDAY, 3, 2000, seed=2))

    bots = [c for c in clicks if c.is_bot]
    assert 0.01 < len(bots) / len(clicks) < 0.15
    assert all(c.device_type == "bot" and c.anonymous_id is None for c in bots)
    assert 0.01 < sum(c.session_id is None for c in clicks) / len(clicks) < 0.15
    anonymous = [c for c in clicks if c.anonymous_id]
    assert 0.2 < len(anonymous) / len(clicks) < 0.6
    days_per_visitor = Counter(
        visitor for visitor, _ in {(c.anonymous_id, c.event_date) for c in anonymous}
    )
    assert max(days_per_visitor.values()) > 1, "no visitor came back on another day"
