"""What the server decides itself: received time, day, parsed device, bot flag, rounding."""

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from ingest_service.settings import IntakeSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.ingest.apps import TestClient, app_client
from tests.ingest.clicks import seed_click, tracker_click

pytestmark = pytest.mark.anyio

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
HEADLESS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36"
)
FORGED_SERVER_FIELDS = {
    "received_at": "2001-01-01T00:00:00Z",
    "receivedAt": "2001-01-01T00:00:00Z",
    "event_date": "2001-01-01",
    "eventDate": "2001-01-01",
    "is_bot": True,
    "isBot": True,
    "client_ts_zoneless": True,
    "clientTsZoneless": True,
    "browser": "Forged",
    "browser_version": "1.0",
    "browserVersion": "1.0",
    "os": "Forged OS",
    "os_version": "9",
    "osVersion": "9",
    "device_type": "tablet",
    "deviceType": "tablet",
}


async def _stored(client: TestClient, store: SQLiteClickStore, click: Any) -> dict[str, Any]:
    response = await client.post("/clicks", json=click)
    assert response.status_code == 202, response.text
    rows = [row for batch in store.read_day(datetime.now(UTC).date()) for row in batch.to_pylist()]
    (row,) = [row for row in rows if row["id"] == click["id"]]
    stored: dict[str, Any] = row
    return stored


async def test_client_cannot_write_server_fields(
    client: TestClient,
    sqlite_store: SQLiteClickStore,
) -> None:
    click = tracker_click(**FORGED_SERVER_FIELDS)
    click["device"].update({k: v for k, v in FORGED_SERVER_FIELDS.items() if k != "browser"})
    before = datetime.now(UTC)
    row = await _stored(client, sqlite_store, click)
    assert before - timedelta(seconds=1) <= row["received_at"] <= datetime.now(UTC)
    assert row["event_date"] == row["received_at"].date() != date(2001, 1, 1)
    assert (row["is_bot"], row["client_ts_zoneless"]) == (False, False)
    assert (row["browser"], row["browser_version"]) == ("Chrome", "131.0")
    assert (row["os"], row["device_type"]) == ("Mac OS X", "desktop")


@pytest.mark.parametrize(
    ("device", "device_type"),
    [
        ({"userAgent": GOOGLEBOT}, "bot"),
        ({"userAgent": HEADLESS}, "bot"),
        ({"browser": GOOGLEBOT}, "bot"),  # the seed app's field for the user agent
        ({"userAgent": tracker_click()["device"]["userAgent"], "webdriver": True}, "desktop"),
    ],
    ids=["crawler", "headless chrome", "crawler in seed shape", "webdriver"],
)
async def test_bots_are_stored_flagged(
    client: TestClient,
    sqlite_store: SQLiteClickStore,
    device: dict[str, Any],
    device_type: str,
) -> None:
    row = await _stored(client, sqlite_store, tracker_click(device=device))
    assert row["is_bot"] is True
    assert row["device_type"] == device_type


async def test_a_browser_is_not_a_bot(
    client: TestClient,
    sqlite_store: SQLiteClickStore,
) -> None:
    row = await _stored(client, sqlite_store, seed_click())
    assert row["is_bot"] is False


@pytest.mark.parametrize(("precision", "expected"), [(2, (51.51, -0.13)), (0, (52.0, -0.0))])
async def test_coordinates_are_rounded_to_the_configured_precision(
    settings: IntakeSettings,
    sqlite_store: SQLiteClickStore,
    precision: int,
    expected: tuple[float, float],
) -> None:
    rounded = dataclasses.replace(settings, geo_precision=precision)
    click = tracker_click(location={"latitude": 51.50735, "longitude": -0.12776, "accuracy": 35})
    async with app_client(rounded, sqlite_store) as client:
        row = await _stored(client, sqlite_store, click)
    assert (row["latitude"], row["longitude"]) == expected
    assert row["accuracy_m"] == 35


@pytest.mark.parametrize(
    ("zone", "sent", "utc", "zoneless"),
    [
        ("UTC", "2026-11-24T21:30:00", datetime(2026, 11, 24, 21, 30, tzinfo=UTC), True),
        ("Europe/Paris", "2026-11-24T21:30:00", datetime(2026, 11, 24, 20, 30, tzinfo=UTC), True),
        ("Europe/Paris", "2026-07-01T12:00:00", datetime(2026, 7, 1, 10, 0, tzinfo=UTC), True),
        ("Europe/Paris", "2026-11-24T21:30:00Z", datetime(2026, 11, 24, 21, 30, tzinfo=UTC), False),
        (
            "America/New_York",
            "2026-11-24T21:30:00.5+01:00",
            datetime(2026, 11, 24, 20, 30, 0, 500_000, tzinfo=UTC),
            False,
        ),
    ],
)
async def test_zoneless_timestamps_read_in_the_configured_zone(
    settings: IntakeSettings,
    sqlite_store: SQLiteClickStore,
    zone: str,
    sent: str,
    utc: datetime,
    zoneless: bool,
) -> None:
    zoned = dataclasses.replace(settings, client_tz=zone)
    async with app_client(zoned, sqlite_store) as client:
        row = await _stored(client, sqlite_store, seed_click(timestamp=sent))
    assert (row["client_ts"], row["client_ts_zoneless"]) == (utc, zoneless)


async def test_v2_fields_are_stored_referrer_as_its_host_only(
    client: TestClient, sqlite_store: SQLiteClickStore
) -> None:
    view = tracker_click(
        type="pageview",
        referrer="https://Mail.Example.com:8443/inbox/42?token=secret#m",
        utmSource="newsletter",
        utmCampaign="winter",
        properties={"plan": "pro", "from": "héader"},
    )
    del view["button"]
    row = await _stored(client, sqlite_store, view)
    assert (row["event_type"], row["button"]) == ("pageview", "")
    assert row["referrer_host"] == "mail.example.com"
    assert (row["utm_source"], row["utm_medium"], row["utm_campaign"]) == (
        "newsletter",
        None,
        "winter",
    )
    assert row["properties"] == '{"from":"héader","plan":"pro"}'


async def test_a_v1_click_is_a_click_without_v2_fields(
    client: TestClient, sqlite_store: SQLiteClickStore
) -> None:
    row = await _stored(client, sqlite_store, seed_click())
    assert row["event_type"] == "click"
    v2 = ("referrer_host", "utm_source", "utm_term", "utm_content", "properties")
    assert [row[name] for name in v2] == [None] * len(v2)
