"""Checks of the journey tables, on the days a run wrote (blocking: ERROR).

- funnels: no step counts more sessions than the step before it, and no step is
  skipped (a step with sessions has every earlier step with sessions);
- sessions_daily, session_durations, traffic_sources: their sessions per day equal the
  human sessions of the sessions table; page_transitions: one exit per human session
  with a page view.
"""

from collections import Counter
from collections.abc import Mapping
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from orchestration.checks.outcome import CheckOutcome

FUNNEL_STEPS_CHECK = "funnel_steps_never_increase"
SESSIONS_AGREE_CHECK = "sessions_agree_with_sessions_table"
EXIT = "(exit)"


def _outcome(check: str, problems: list[str], fine: str) -> CheckOutcome:
    found = "; ".join(problems[:5]) + (f"; {len(problems) - 5} more" if len(problems) > 5 else "")
    return CheckOutcome(
        check=check,
        passed=not problems,
        severity="ERROR",
        found=found or fine,
        metadata={"problems": len(problems)},
    )


def funnel_steps_never_increase(funnels: pa.Table) -> CheckOutcome:
    steps: dict[tuple[date, str], dict[int, int]] = {}
    for row in funnels.to_pylist():
        steps.setdefault((row["event_date"], row["funnel"]), {})[row["step"]] = row["sessions"]
    problems = []
    for (day, funnel), counts in sorted(steps.items()):
        for step in range(2, max(counts) + 1):
            before, now = counts.get(step - 1, 0), counts.get(step, 0)
            if now > before:
                problems.append(f"{day} {funnel!r}: step {step} {now} > step {step - 1} {before}")
    return _outcome(FUNNEL_STEPS_CHECK, problems, "every funnel narrows step by step")


def _per_day(table: pa.Table, column: str) -> Counter[date]:
    """Sum of `column` per day."""
    days = table.column("event_date").to_pylist()
    values = table.column(column).to_pylist()
    counts: Counter[date] = Counter()
    for day, value in zip(days, values, strict=True):
        counts[day] += value
    return counts


def sessions_agree(
    name: str, table: pa.Table, sessions: pa.Table, days: list[date]
) -> CheckOutcome:
    """The table's per-day sessions (exits, for page_transitions) against the sessions
    table, given as counts: `sessions` per event_date, is_bot and viewed (a page)."""
    humans = sessions.filter(pc.invert(sessions.column("is_bot")))
    if name == "page_transitions":
        table = table.filter(pc.equal(table.column("to_page"), EXIT))
        expected = _per_day(humans.filter(humans.column("viewed")), "sessions")
        found = _per_day(table, "transitions")
    else:
        expected, found = _per_day(humans, "sessions"), _per_day(table, "sessions")
    problems = [
        f"{day}: {found[day]} here, {expected[day]} in sessions"
        for day in days
        if found[day] != expected[day]
    ]
    return _outcome(SESSIONS_AGREE_CHECK, problems, "every day agrees with the sessions table")


# Which check guards which journey table.
JOURNEY_CHECKS: Mapping[str, str] = {
    "funnels": FUNNEL_STEPS_CHECK,
    "sessions_daily": SESSIONS_AGREE_CHECK,
    "session_durations": SESSIONS_AGREE_CHECK,
    "traffic_sources": SESSIONS_AGREE_CHECK,
    "page_transitions": SESSIONS_AGREE_CHECK,
}


def run_journey_check(
    name: str, table: pa.Table, sessions: pa.Table | None, day: date
) -> CheckOutcome:
    """The check of table `name` on one day; `sessions`: the sessions table on that day
    (the funnels' check needs none)."""
    rows = table.filter(pc.equal(table.column("event_date"), pa.scalar(day, pa.date32())))
    if name == "funnels":
        return funnel_steps_never_increase(rows)
    assert sessions is not None, f"the check of {name} needs the sessions table"
    return sessions_agree(name, rows, sessions, [day])
