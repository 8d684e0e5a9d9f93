"""Summary tables against counts made in Python from the clicks the store was given."""

from collections import Counter
from datetime import date

import pyarrow as pa

from ingest_service.contract import Click
from ingest_service.settings import Settings
from orchestration.assets.regions import to_regions
from orchestration.query_output import run_query
from tests.pipeline.conftest import DAYS, FIRST_DAY, Pipeline, days

LAST_DAY = days(FIRST_DAY, DAYS)[-1]


def _rows(settings: Settings, sql: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = run_query(settings, sql).to_pylist()
    return rows


def test_clicks_per_button_leave_bots_out_and_count_them_apart(
    pipeline: Pipeline, settings: Settings, clicks: list[Click]
) -> None:
    assert pipeline.materialize(FIRST_DAY, LAST_DAY).success

    rows = _rows(settings, "SELECT event_date, button, clicks, bot_clicks FROM clicks_by_button")
    humans = Counter((c.event_date, c.button) for c in clicks if not c.is_bot)
    bots = Counter((c.event_date, c.button) for c in clicks if c.is_bot)
    assert {(r["event_date"], r["button"]): r["clicks"] for r in rows} == {
        key: humans[key] for key in humans | bots
    }
    assert sum(int(str(r["bot_clicks"])) for r in rows) == sum(bots.values())


def test_hours_pages_devices_and_sessions_add_up_to_the_days_clicks(
    pipeline: Pipeline, settings: Settings, clicks: list[Click]
) -> None:
    assert pipeline.materialize(FIRST_DAY, LAST_DAY).success

    per_day = Counter(c.event_date for c in clicks if not c.is_bot)
    for table in ("clicks_by_hour", "clicks_by_page", "clicks_by_device", "clicks_by_region"):
        sums = _rows(settings, f"SELECT event_date, sum(clicks) AS n FROM {table} GROUP BY 1")
        assert {r["event_date"]: r["n"] for r in sums} == per_day, table
    sessions = _rows(settings, "SELECT event_date, sessions, session_clicks FROM sessions")
    expected = Counter(
        c.event_date for c in {(c.event_date, c.session_id): c for c in clicks}.values()
    )
    assert {r["event_date"]: r["sessions"] for r in sessions} == expected
    assert {r["event_date"]: r["session_clicks"] for r in sessions} == per_day


def test_a_summary_partition_is_replaced_not_appended(
    pipeline: Pipeline, settings: Settings
) -> None:
    pipeline.materialize(FIRST_DAY)
    before = _rows(settings, "SELECT * FROM clicks_by_hour ORDER BY hour")

    pipeline.materialize(FIRST_DAY)

    assert _rows(settings, "SELECT * FROM clicks_by_hour ORDER BY hour") == before


def test_regions_come_from_coordinates_else_from_the_clients_place() -> None:
    places = pa.table(
        {
            "event_date": [date(2026, 3, 1)] * 3,
            "latitude": [51.51, 51.52, None],
            "longitude": [-0.13, -0.12, None],
            "city": [None, None, "Lyon"],
            "country": [None, None, "FR"],
            "clicks": [2, 3, 4],
            "bot_clicks": [0, 1, 0],
        }
    )

    regions = to_regions(places).sort_by("country").to_pylist()

    assert regions == [
        {"event_date": date(2026, 3, 1), "country": "FR", "region": "Lyon", "clicks": 4,
         "bot_clicks": 0},
        {"event_date": date(2026, 3, 1), "country": "United Kingdom", "region": "England",
         "clicks": 5, "bot_clicks": 1},
    ]  # fmt: skip
