"""The click contract v1: what clients send, and the record the service stores.

This is the one home of the click's shape. The ingest service decodes `ClickIn`, the
stores keep `Click`, and the pipeline writes `CLICK_SCHEMA` to the lake.
"""

import types
import typing
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

    Field order is the column order of the store and of `CLICK_SCHEMA`, which is derived
    from these annotations: a new column is one new field here.
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


# Microsecond timestamps: nanosecond Parquet timestamps are typed bigint by a Glue
# crawler and misread by older Athena engines. Integers are pixel sizes: int32.
_ARROW_TYPES: dict[object, pa.DataType] = {
    str: pa.string(),
    bool: pa.bool_(),
    int: pa.int32(),
    float: pa.float64(),
    datetime: pa.timestamp("us", tz="UTC"),
    date: pa.date32(),
}


def _arrow_field(name: str, annotation: object) -> pa.Field:
    """A `Click` field as a lake column: `X | None` is a nullable column of X."""
    members = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else ()
    nullable = type(None) in members
    if nullable:
        (annotation,) = [member for member in members if member is not type(None)]
    return pa.field(name, _ARROW_TYPES[annotation], nullable=nullable)


# Derived, so that a column is added in one place: `Click` above.
CLICK_SCHEMA = pa.schema(
    [_arrow_field(name, kind) for name, kind in typing.get_type_hints(Click).items()]
)
CLICK_COLUMNS: tuple[str, ...] = Click.__struct_fields__
