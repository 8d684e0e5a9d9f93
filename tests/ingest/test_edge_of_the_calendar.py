"""Client times at the limits of the calendar: a 422 naming `timestamp`, never a 500."""

import itertools
from datetime import UTC, datetime

import pytest

from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.ingest.apps import TestClient, app_client
from tests.ingest.clicks import seed_click, tracker_click

pytestmark = pytest.mark.anyio

QUOTED = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-00:01"]
# Each day at each limit, at both ends of the day, in the farthest zones and none.
EXTREMES = [
    f"{day}T{time}{zone}"
    for day, time, zone in itertools.product(
        ["0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31"],
        ["00:00:00", "23:59:59.999999"],
        ["+14:00", "-12:00", "+23:59", "-23:59", "-00:01", "+00:01", "Z", ""],
    )
]


@pytest.mark.parametrize("timestamp", QUOTED)
async def test_a_time_outside_utc_s_range_is_422_naming_the_field(
    client: TestClient, timestamp: str
) -> None:
    response = await client.post("/clicks", json=tracker_click(timestamp=timestamp))

    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [
        {"field": "timestamp", "message": "must be between 2000 and 2100"}
    ]


async def test_in_a_batch_only_that_item_fails(
    client: TestClient, sqlite_store: SQLiteClickStore
) -> None:
    clicks = [seed_click() for _ in range(500)]
    clicks[250]["timestamp"] = QUOTED[0]

    response = await client.post("/clicks/batch", json={"clicks": clicks})

    assert response.status_code == 202, response.text
    body = response.json()
    assert (body["stored"], body["rejected"]) == (499, 1)
    assert body["results"][250]["status"] == "rejected"
    assert body["results"][250]["errors"][0]["field"] == "timestamp"
    assert sqlite_store.count_day(datetime.now(UTC).date()) == 499


async def test_every_extreme_is_a_rejected_item_of_its_own(client: TestClient) -> None:
    clicks = [seed_click(timestamp=timestamp) for timestamp in EXTREMES]

    response = await client.post("/clicks/batch", json={"clicks": clicks})

    assert response.status_code == 202, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * len(EXTREMES)
    assert {e["field"] for r in results for e in r["errors"]} == {"timestamp"}


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Anchorage"])
async def test_a_zoneless_extreme_in_a_far_client_zone_is_422(
    settings: IntakeSettings, sqlite_store: SQLiteClickStore, zone: str
) -> None:
    far = IntakeSettings(data_dir=settings.data_dir, client_tz=zone)
    async with app_client(far, sqlite_store) as client:
        for timestamp in ("0001-01-01T00:00:00", "9999-12-31T23:59:59"):
            response = await client.post("/clicks", json=seed_click(timestamp=timestamp))
            assert response.status_code == 422, (timestamp, response.text)
