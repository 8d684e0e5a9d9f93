"""Click payloads as real clients send them."""

import uuid
from typing import Any

SEED_USER_AGENT = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def seed_click(**overrides: Any) -> dict[str, Any]:
    """The original React app's payload: zoneless time, user agent in `browser`, city/country."""
    click: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "button": "Buy now",
        "timestamp": "2026-11-24T21:30:00",
        "pageUrl": "https://shop.example/pricing",
        "device": {"deviceType": "desktop", "platform": "MacIntel", "browser": SEED_USER_AGENT},
        "location": {"city": "Unknown", "country": "Unknown"},
    }
    click.update(overrides)
    return click


def tracker_click(**overrides: Any) -> dict[str, Any]:
    """The tracker's richer payload."""
    click: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "button": "Sign up",
        "timestamp": "2026-11-24T21:30:00.123Z",
        "pageUrl": "https://shop.example/",
        "sessionId": "s-1",
        "device": {
            "userAgent": SEED_USER_AGENT,
            "platform": "MacIntel",
            "language": "en-GB",
            "screen": {"width": 1440, "height": 900},
            "viewport": {"width": 1280, "height": 760},
            "timeZone": "Europe/London",
            "webdriver": False,
        },
        "location": {"latitude": 51.50735, "longitude": -0.12776, "accuracy": 35.0},
    }
    click.update(overrides)
    return click
