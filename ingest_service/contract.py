"""The click contract v2: what clients send, and the record the service stores.

This is the one home of the click's shape. The ingest service decodes `ClickIn`, the
stores keep `Click`, and the pipeline writes `CLICK_SCHEMA` to the lake.

v2 is additive: an event is a click (v1's, the default) or a page view, and may carry
its session's referrer and campaign and a few properties. Their columns come last in the
lake and are nullable, so the partitions written before them stay readable beside them.
"""

import json
import types
import typing
import uuid
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Literal, NamedTuple

import msgspec

if TYPE_CHECKING:  # the intake never reads or writes Arrow: pyarrow is imported on first use
    import pyarrow as pa

BUTTON_MAX_LENGTH = 200
EVENT_TYPES = ("click", "pageview")
# The landing URL's campaign parameters, `utm_<name>`, kept for the whole session.
UTM_PARAMETERS = ("source", "medium", "campaign", "term", "content")
UTM_MAX_LENGTH = 200
PROPERTIES_MAX_KEYS = 20
PROPERTY_KEY_MAX_LENGTH = 64
PROPERTY_VALUE_MAX_LENGTH = 200
URL_MAX_LENGTH = 2048
# What the server derives into `Click.device_type`.
DEVICE_TYPES = ("desktop", "mobile", "tablet", "other", "bot")
# Client times outside this range are not believed: the intake refuses them, the checks flag them.
EARLIEST_CLIENT_TS = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_CLIENT_TS = datetime(2100, 1, 1, tzinfo=UTC)

Text64 = Annotated[str, msgspec.Meta(max_length=64)]
Text128 = Annotated[str, msgspec.Meta(max_length=128)]
Text512 = Annotated[str, msgspec.Meta(max_length=512)]
Pixels = Annotated[int, msgspec.Meta(ge=0, le=100_000)]
Url = Annotated[str, msgspec.Meta(min_length=1, max_length=URL_MAX_LENGTH)]
Utm = Annotated[str, msgspec.Meta(max_length=UTM_MAX_LENGTH)]
PropertyKey = Annotated[str, msgspec.Meta(min_length=1, max_length=PROPERTY_KEY_MAX_LENGTH)]
PropertyValue = Annotated[str, msgspec.Meta(max_length=PROPERTY_VALUE_MAX_LENGTH)]
Properties = Annotated[
    dict[PropertyKey, PropertyValue], msgspec.Meta(max_length=PROPERTIES_MAX_KEYS)
]


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
    """One event as a client posts it. Unknown fields, server ones included, are ignored.

    `button` is required of a click (the normalizer says so) and unused by a page view.
    """

    id: uuid.UUID
    type: Literal["click", "pageview"] = "click"
    button: (
        Annotated[
            str,
            msgspec.Meta(
                min_length=1,
                max_length=BUTTON_MAX_LENGTH,
                description="What was clicked; required of a click, unused by a page view.",
            ),
        ]
        | None
    ) = None
    timestamp: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    page_url: Url
    device: DeviceIn | None = None
    location: LocationIn | None = None
    session_id: Text64 | None = None
    anonymous_id: Text64 | None = None
    # The session's landing page's referrer (only its host is kept) and campaign.
    referrer: Annotated[str, msgspec.Meta(max_length=URL_MAX_LENGTH)] | None = None
    utm_source: Utm | None = None
    utm_medium: Utm | None = None
    utm_campaign: Utm | None = None
    utm_term: Utm | None = None
    utm_content: Utm | None = None
    properties: Properties | None = None


def properties_json(properties: dict[str, str]) -> str:
    """How a `Click.properties` is stored: compact JSON, keys sorted, text as it is."""
    return json.dumps(properties, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
    # v2's columns: nullable, so that v1 partitions (without them) read as NULL beside
    # the newer ones. The intake always sets the type.
    event_type: str | None = "click"
    referrer_host: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None
    # JSON of the string map, keys sorted: one text column reads the same in every engine.
    properties: str | None = None


class Column(NamedTuple):
    """A `Click` field as a column: `X | None` is a nullable column of X."""

    name: str
    kind: type
    nullable: bool


def _column(name: str, annotation: object) -> Column:
    members = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else ()
    nullable = type(None) in members
    if nullable:
        (annotation,) = [member for member in members if member is not type(None)]
    assert isinstance(annotation, type), annotation
    return Column(name, annotation, nullable)


# Derived, so that a column is added in one place: `Click` above. The store's tables and
# the lake's schema are derived from these.
CLICK_COLUMNS: tuple[str, ...] = Click.__struct_fields__
COLUMNS: tuple[Column, ...] = tuple(
    _column(name, kind) for name, kind in typing.get_type_hints(Click).items()
)

# The lake's schema, built by `__getattr__` below when first used (pyarrow is a tenth of
# a second of the intake's start-up, which never uses it).
CLICK_SCHEMA: "pa.Schema"


def arrow_field(column: Column) -> "pa.Field":
    """Microsecond timestamps: nanosecond Parquet timestamps are typed bigint by a Glue
    crawler and misread by older Athena engines. Integers are pixel sizes: int32."""
    import pyarrow as pa

    arrow_types: dict[type, pa.DataType] = {
        str: pa.string(),
        bool: pa.bool_(),
        int: pa.int32(),
        float: pa.float64(),
        datetime: pa.timestamp("us", tz="UTC"),
        date: pa.date32(),
    }
    return pa.field(column.name, arrow_types[column.kind], nullable=column.nullable)


def __getattr__(name: str) -> object:
    if name == "CLICK_SCHEMA":
        import pyarrow as pa

        schema = pa.schema([arrow_field(column) for column in COLUMNS])
        globals()[name] = schema
        return schema
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
