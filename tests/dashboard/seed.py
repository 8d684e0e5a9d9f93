"""Hand-made clicks whose every dashboard figure is known in advance.

The period asked about is 8-14 March 2026; the previous one 1-7 March.
"""

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta

from ingest_service.contract import Click

PERIOD = {"start": "2026-03-08", "end": "2026-03-14"}
DAYS = [date(2026, 2, 28) + timedelta(days=n) for n in range(15)]
SITE = "https://shop.example"
_ids = itertools.count()


def click(
    received_at: datetime,
    button: str,
    page: str,
    *,
    device: tuple[str, str, str] = ("desktop", "Chrome", "Windows"),
    coordinates: tuple[float, float] | None = None,
    place: tuple[str, str] | None = None,
    is_bot: bool = False,
) -> Click:
    device_type, browser, os = device
    return Click(
        id=str(uuid.UUID(int=next(_ids))),
        button=button,
        page_url=SITE + page,
        client_ts=received_at,
        client_ts_zoneless=False,
        received_at=received_at,
        event_date=received_at.date(),
        device_type=device_type,
        browser=browser,
        os=os,
        latitude=coordinates[0] if coordinates else None,
        longitude=coordinates[1] if coordinates else None,
        city=place[0] if place else None,
        country=place[1] if place else None,
        is_bot=is_bot,
    )


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


LONDON = (51.51, -0.13)
IPHONE = ("mobile", "Mobile Safari", "iOS")


def seeded_clicks() -> list[Click]:
    current = [
        *(click(at(10, 9, n), "Sign up", "/pricing", coordinates=LONDON) for n in range(3)),
        *(
            click(
                at(12, 18, n),
                "Buy now",
                "/checkout?step=2#pay",
                device=IPHONE,
                place=("Berlin", "DE"),
            )
            for n in range(2)
        ),
        # A crawler: stored, and left out of every figure.
        click(
            at(12, 18, 5), "Sign up", "/pricing", device=("bot", "Googlebot", "Other"), is_bot=True
        ),
    ]
    previous = [
        click(at(3, 9), "Sign up", "/pricing", coordinates=LONDON),
        *(click(at(5, 18, n), "Buy now", "/checkout", device=IPHONE) for n in range(4)),
    ]
    # Before the previous period: in the lake, in neither figure.
    earlier = [click(datetime(2026, 2, 28, 12, n, tzinfo=UTC), "Log in", "/") for n in range(5)]
    return [*current, *previous, *earlier]
