"""Each rule of the click contract, one valid or invalid case per row."""

from typing import Any

import pytest

from tests.ingest.apps import TestClient
from tests.ingest.clicks import seed_click, tracker_click

pytestmark = pytest.mark.anyio

_NO_ID = {k: v for k, v in seed_click().items() if k != "id"}
_NO_TIMESTAMP = {k: v for k, v in seed_click().items() if k != "timestamp"}
_NO_PAGE = {k: v for k, v in seed_click().items() if k != "pageUrl"}
_NO_BUTTON = {k: v for k, v in seed_click().items() if k != "button"}


def _with_device(**fields: Any) -> dict[str, Any]:
    click = tracker_click()
    click["device"].update(fields)
    return click


def _page_view(**fields: Any) -> dict[str, Any]:
    view = {k: v for k, v in tracker_click(type="pageview").items() if k != "button"}
    view.update(fields)
    return view


def _at(latitude: Any, longitude: Any) -> dict[str, Any]:
    return tracker_click(location={"latitude": latitude, "longitude": longitude})


VALID = {
    "seed app payload": seed_click(),
    "tracker payload": tracker_click(),
    "upper-case uuid": seed_click(id="9F1C3B0E-5D6A-4C2B-8E7F-0A1B2C3D4E5F"),
    "zoneless with fraction": seed_click(timestamp="2026-11-24T21:30:00.250"),
    "utc offset": seed_click(timestamp="2026-11-24T21:30:00+01:00"),
    "plain http url": seed_click(pageUrl="http://localhost:5173/?q=1#top"),
    "button at its cap": seed_click(button="b" * 200),
    "no device, no location": seed_click(device=None, location=None),
    "coordinates at their ranges' ends": _at(-90, 180),
    "integer coordinates": _at(51, 0),
    "unknown field ignored": seed_click(originalAppField="kept out"),
    "v2 click with referrer, campaign and properties": tracker_click(
        referrer="https://news.example/a?b=1",
        utmSource="newsletter",
        utmMedium="email",
        utmCampaign="winter",
        utmTerm="pens",
        utmContent="header",
        properties={"plan": "pro", "k" * 64: "v" * 200},
    ),
    "page view without a button": _page_view(),
    "page view with properties at their cap": _page_view(
        properties={f"key{i}": "v" for i in range(20)}
    ),
    "empty referrer": tracker_click(referrer=""),
}

INVALID = {
    "id not a uuid": (seed_click(id="click-1"), "id"),
    "id a number": (seed_click(id=42), "id"),
    "id missing": (_NO_ID, "id"),
    "timestamp not a date-time": (seed_click(timestamp="yesterday"), "timestamp"),
    "timestamp a date only": (seed_click(timestamp="2026-11-24"), "timestamp"),
    "timestamp before 2000": (seed_click(timestamp="1999-12-31T23:00:00Z"), "timestamp"),
    "timestamp a number": (seed_click(timestamp=1764019800), "timestamp"),
    "timestamp missing": (_NO_TIMESTAMP, "timestamp"),
    "url not http(s)": (seed_click(pageUrl="ftp://shop.example/"), "pageUrl"),
    "url javascript": (seed_click(pageUrl="javascript:alert(1)"), "pageUrl"),
    "url without host": (seed_click(pageUrl="https://"), "pageUrl"),
    "url too long": (seed_click(pageUrl="https://a.example/" + "p" * 2048), "pageUrl"),
    "url missing": (_NO_PAGE, "pageUrl"),
    "button empty": (seed_click(button=""), "button"),
    "button over its cap": (seed_click(button="b" * 201), "button"),
    "button a number": (seed_click(button=7), "button"),
    "button missing": (_NO_BUTTON, "button"),
    "user agent over its cap": (_with_device(userAgent="u" * 513), "device.userAgent"),
    "language over its cap": (_with_device(language="l" * 65), "device.language"),
    "screen width fractional": (
        _with_device(screen={"width": 1.5, "height": 900}),
        "device.screen.width",
    ),
    "screen width negative": (
        _with_device(screen={"width": -1, "height": 900}),
        "device.screen.width",
    ),
    "webdriver not a boolean": (_with_device(webdriver="yes"), "device.webdriver"),
    "device not an object": (seed_click(device="desktop"), "device"),
    "latitude above 90": (_at(90.5, 0), "location.latitude"),
    "latitude below -90": (_at(-91, 0), "location.latitude"),
    "longitude above 180": (_at(0, 180.01), "location.longitude"),
    "longitude below -180": (_at(0, -181), "location.longitude"),
    "latitude a string": (_at("51.5", 0), "location.latitude"),
    "latitude without longitude": (tracker_click(location={"latitude": 51.5}), "location"),
    "accuracy negative": (
        tracker_click(location={"latitude": 1, "longitude": 1, "accuracy": -1}),
        "location.accuracy",
    ),
    "body an array": ([seed_click()], "$"),
    "event type unknown": (tracker_click(type="scroll"), "type"),
    "event type a number": (tracker_click(type=1), "type"),
    "click without a button": (
        {k: v for k, v in tracker_click(type="click").items() if k != "button"},
        "button",
    ),
    "referrer not a url": (tracker_click(referrer="search engine"), "referrer"),
    "referrer not http(s)": (tracker_click(referrer="android-app://com.x/"), "referrer"),
    "referrer too long": (tracker_click(referrer="https://a.example/" + "r" * 2048), "referrer"),
    "utm value over its cap": (tracker_click(utmSource="s" * 201), "utmSource"),
    "utm value a number": (tracker_click(utmCampaign=7), "utmCampaign"),
    "properties not an object": (tracker_click(properties=["plan"]), "properties"),
    "properties over 20 keys": (
        _page_view(properties={f"key{i}": "v" for i in range(21)}),
        "properties",
    ),
    "property key over its cap": (tracker_click(properties={"k" * 65: "v"}), "properties"),
    "property key empty": (tracker_click(properties={"": "v"}), "properties"),
    "property value over its cap": (
        tracker_click(properties={"plan": "v" * 201}),
        "properties",
    ),
    "property value not a string": (tracker_click(properties={"n": 3}), "properties"),
}


@pytest.mark.parametrize("payload", VALID.values(), ids=VALID.keys())
async def test_valid_click_is_accepted(
    client: TestClient,
    payload: dict[str, Any],
) -> None:
    response = await client.post("/clicks", json=payload)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "stored"


@pytest.mark.parametrize(("payload", "field"), INVALID.values(), ids=INVALID.keys())
async def test_invalid_click_names_the_field(
    client: TestClient,
    payload: Any,
    field: str,
) -> None:
    response = await client.post("/clicks", json=payload)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "/problems/invalid-click"
    assert [error["field"] for error in problem["errors"]] == [field]
    assert all(error["message"] for error in problem["errors"])


# Several wrong fields at once: each is named with its reason, in the contract's order.
MANY_INVALID = {
    "id, button and timestamp": (
        seed_click(id="click-1", button="", timestamp="yesterday"),
        ["id", "button", "timestamp"],
    ),
    "missing and wrong": (
        {"button": 7, "pageUrl": "ftp://shop.example/"},
        ["id", "button", "timestamp", "pageUrl"],
    ),
    "nested fields and checks on the well-typed": (
        tracker_click(
            timestamp="1999-12-31T23:00:00Z",
            device={"screen": {"width": -1, "height": 1.5}, "webdriver": "yes"},
            location={"latitude": 91, "longitude": "0"},
        ),
        [
            "timestamp",
            "device.screen.width",
            "device.screen.height",
            "device.webdriver",
            "location.latitude",
            "location.longitude",
        ],
    ),
    "a type error beside an unpaired coordinate": (
        tracker_click(button=None, location={"latitude": 51.5}),
        ["button", "location"],
    ),
}


@pytest.mark.parametrize(("payload", "fields"), MANY_INVALID.values(), ids=MANY_INVALID.keys())
async def test_every_invalid_field_is_named_with_its_reason(
    client: TestClient, payload: dict[str, Any], fields: list[str]
) -> None:
    single = await client.post("/clicks", json=payload)
    batch = await client.post("/clicks/batch", json={"clicks": [tracker_click(), payload]})

    assert single.status_code == 422, single.text
    errors = single.json()["errors"]
    assert [error["field"] for error in errors] == fields
    assert all(error["message"] for error in errors)
    assert batch.status_code == 202, batch.text
    assert batch.json()["results"][1]["errors"] == errors
