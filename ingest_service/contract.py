"""The click contract v1: what clients send, and the record the service stores.

This is the one home of the click's shape. The ingest service decodes `ClickIn`, the
stores keep `Click`, and the pipeline writes `CLICK_SCHEMA` to the lake.
"""

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

import msgspec
import pyarrow as pa

BUTTON_MAX_LENGTH = 200
# What the server derives into `Click.device_type`.
DEVICE_TYPES = ("desktop", "mobile", "tablet", "other", "bot")
# Client times outside this range are not believed: the intake refuses them, the checks flag them.
EARLIEST_CLIENT_TS = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_CLIENT_TS = datetime(2100, 1, 1, tzinfo=UTC)

Text64 = Annotated[str, msgspec.Meta(max_length=64)]
Text128 = Annotated[str, msgspec.Meta(max_length=128)]
Text512 = Annotated[str, msgspec.Meta(max_length=512)]
Pixels = Annotated[int, msgspec.Meta(ge=0, le=100_000)]


class Size(msgspec.Struct, kw_only=True):
    width: Pixels
    height: Pixels


class DeviceIn(msgspec.Struct, kw_only=True, rename="camel"):
    """Both the tracker's device fields and the original app's `{deviceType, platform, browser}`."""

    user_agent: Text512 | None = None
    platform: Text128 | None = None
    language: Text64 | None = None
    screen: Size | None = None
    viewport: Size | None = None
    time_zone: Text64 | None = None
    webdriver: bool | None = None
    device_type: Text64 | None = None
    # The original app puts the whole user agent here.
    browser: Text512 | None = None


class LocationIn(msgspec.Struct, kw_only=True):
    """Coordinates from the Geolocation API, or the original app's `{city, country}`."""

    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    accuracy: Annotated[float, msgspec.Meta(ge=0, le=10_000_000)] | None = None
    city: Text128 | None = None
    country: Text128 | None = None


class ClickIn(msgspec.Struct, kw_only=True, rename="camel"):
    """One click as a client posts it. Unknown fields, server ones included, are ignored."""

    id: uuid.UUID
    button: Annotated[str, msgspec.Meta(min_length=1, max_length=BUTTON_MAX_LENGTH)]
    timestamp: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    page_url: Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]
    device: DeviceIn | None = None
    location: LocationIn | None = None
    session_id: Text64 | None = None
    anonymous_id: Text64 | None = None


# Raw to the decoder, a ClickIn to the OpenAPI schema.
RawClick = Annotated[msgspec.Raw, msgspec.Meta(extra_json_schema={"$ref": "#/$defs/ClickIn"})]


class BatchIn(msgspec.Struct, kw_only=True):
    # Items stay raw so that each one is validated, and rejected, on its own.
    clicks: Annotated[list[RawClick], msgspec.Meta(min_length=1)]


class Click(msgspec.Struct, kw_only=True):
    """The stored click: the client's fields plus what the server derives.

    Field order is the column order of the store and of `CLICK_SCHEMA`.
    """

    id: str
    button: str
    page_url: str
    client_ts: datetime
    client_ts_zoneless: bool
    received_at: datetime
    event_date: date
    session_id: str | None = None
    anonymous_id: str | None = None
    user_agent: str | None = None
    platform: str | None = None
    language: str | None = None
    screen_width: int | None = None
    screen_height: int | None = None
    viewport_width: int | None = None
    viewport_height: int | None = None
    time_zone: str | None = None
    device_type: str = "other"
    browser: str | None = None
    browser_version: str | None = None
    os: str | None = None
    os_version: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    city: str | None = None
    country: str | None = None
    is_bot: bool = False


_TIMESTAMP = pa.timestamp("us", tz="UTC")

# Microsecond timestamps: nanosecond Parquet timestamps are typed bigint by a Glue
# crawler and misread by older Athena engines.
CLICK_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("button", pa.string(), nullable=False),
        pa.field("page_url", pa.string(), nullable=False),
        pa.field("client_ts", _TIMESTAMP, nullable=False),
        pa.field("client_ts_zoneless", pa.bool_(), nullable=False),
        pa.field("received_at", _TIMESTAMP, nullable=False),
        pa.field("event_date", pa.date32(), nullable=False),
        pa.field("session_id", pa.string()),
        pa.field("anonymous_id", pa.string()),
        pa.field("user_agent", pa.string()),
        pa.field("platform", pa.string()),
        pa.field("language", pa.string()),
        pa.field("screen_width", pa.int32()),
        pa.field("screen_height", pa.int32()),
        pa.field("viewport_width", pa.int32()),
        pa.field("viewport_height", pa.int32()),
        pa.field("time_zone", pa.string()),
        pa.field("device_type", pa.string(), nullable=False),
        pa.field("browser", pa.string()),
        pa.field("browser_version", pa.string()),
        pa.field("os", pa.string()),
        pa.field("os_version", pa.string()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        pa.field("accuracy_m", pa.float64()),
        pa.field("city", pa.string()),
        pa.field("country", pa.string()),
        pa.field("is_bot", pa.bool_(), nullable=False),
    ]
)

CLICK_COLUMNS: tuple[str, ...] = Click.__struct_fields__
assert tuple(CLICK_SCHEMA.names) == CLICK_COLUMNS, "Click and CLICK_SCHEMA disagree"
