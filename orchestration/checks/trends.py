"""Soft checks (WARN): the day is usable but unusual, and someone should look."""

import statistics
from collections.abc import Sequence

import msgspec

from orchestration.checks.day_stats import SKEW_LIMIT, DayStats
from orchestration.checks.outcome import CheckOutcome

VOLUME_CHECK = "volume_near_recent_median"
CLOCK_SKEW_CHECK = "client_clock_skew"
EMPTY_DAY_CHECK = "day_not_empty"
BOT_SHARE_CHECK = "bot_share_steady"

HISTORY_DAYS = 7
# Policy, tuned by on-call: half or double the usual traffic is worth a look.
VOLUME_LOW_RATIO = 0.5
VOLUME_HIGH_RATIO = 2.0
SKEW_MAX_SHARE = 0.05
BOT_SHARE_MAX_RISE = 0.10


class DayFigures(msgspec.Struct, frozen=True):
    """What the trend checks remember of a day: its click events (page views are not
    clicks), and how many of them were bots."""

    clicks: int
    bot_clicks: int

    @property
    def bot_share(self) -> float:
        return self.bot_clicks / self.clicks if self.clicks else 0.0


def figures_of(stats: DayStats) -> DayFigures:
    return DayFigures(stats.clicks, stats.bot_clicks)


def _warn(check: str, passed: bool, found: str, **metadata: float | int | str) -> CheckOutcome:
    return CheckOutcome(check=check, passed=passed, severity="WARN", found=found, metadata=metadata)


def volume_near_median(
    clicks: int, previous: Sequence[DayFigures], page_views: int = 0
) -> CheckOutcome:
    """Click events against the median of the previous days that have data; no history
    is not a failure. The day's page views are named beside them, not counted."""
    views = f" (and {page_views} page views)" if page_views else ""
    history = [day.clicks for day in previous if day.clicks]
    if not history:
        found = f"{clicks} clicks{views}; no earlier day to compare with"
        return _warn(VOLUME_CHECK, True, found, clicks=clicks, page_views=page_views)
    median = statistics.median(history)
    ratio = clicks / median
    passed = VOLUME_LOW_RATIO <= ratio <= VOLUME_HIGH_RATIO
    found = (
        f"{clicks} clicks{views}, {ratio:.0%} of the median {median:g} clicks of"
        f" {len(history)} earlier days"
    )
    metadata = {"clicks": clicks, "page_views": page_views, "median": float(median)}
    return _warn(VOLUME_CHECK, passed, found, **metadata, ratio=ratio)


def clock_skew(stats: DayStats) -> CheckOutcome:
    """Share of clicks whose client time is far from arrival: wrong clocks or a wrong zone."""
    if stats.rows == 0:
        return _warn(CLOCK_SKEW_CHECK, True, "no clicks", skewed_share=0.0)
    skewed = stats.skewed_clicks
    share = skewed / stats.rows
    passed = share <= SKEW_MAX_SHARE
    found = f"{share:.1%} of clicks ({skewed}) more than {SKEW_LIMIT} from arrival"
    return _warn(CLOCK_SKEW_CHECK, passed, found, skewed_clicks=skewed, skewed_share=share)


def not_empty(clicks: int) -> CheckOutcome:
    found = f"{clicks} clicks" if clicks else "no clicks arrived this day"
    return _warn(EMPTY_DAY_CHECK, clicks > 0, found, clicks=clicks)


def bot_share_steady(today: DayFigures, previous: Sequence[DayFigures]) -> CheckOutcome:
    """Warns when the share of `is_bot` clicks rises well above its recent median."""
    shares = [day.bot_share for day in previous if day.clicks]
    if not today.clicks or not shares:
        found = f"bot share {today.bot_share:.1%}; nothing to compare with"
        return _warn(BOT_SHARE_CHECK, True, found, bot_share=today.bot_share)
    baseline = statistics.median(shares)
    rise = today.bot_share - baseline
    passed = rise <= BOT_SHARE_MAX_RISE
    found = f"bot share {today.bot_share:.1%}, recent median {baseline:.1%}"
    return _warn(BOT_SHARE_CHECK, passed, found, bot_share=today.bot_share, baseline=baseline)
