"""Turns a client's click into the stored record, or says which field is wrong and why."""

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import msgspec

from ingest_service.contract import (
    EARLIEST_CLIENT_TS,
    LATEST_CLIENT_TS,
    Click,
    ClickIn,
    DeviceIn,
    LocationIn,
    properties_json,
)
from ingest_service.field_errors import FieldError, field_error, struct_errors
from ingest_service.user_agent import parse_user_agent

_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
_DEVICE_TYPES = frozenset({"desktop", "mobile", "tablet"})


class InvalidClick(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


class _CheckedFields(msgspec.Struct, kw_only=True, rename="camel"):
    """The fields checked beyond their type, each present only when well typed."""

    type: str = "click"
    button: str | None = None
    timestamp: str | None = None
    page_url: str | None = None
    location: LocationIn | None = None
    referrer: str | None = None


class ClickNormalizer:
    """Validates one decoded click, then adds the server-side fields."""

    def __init__(self, *, client_tz: str = "UTC", geo_precision: int = 2) -> None:
        self._client_tz = ZoneInfo(client_tz)
        self._geo_precision = geo_precision

    def normalize(self, click: ClickIn, received_at: datetime) -> Click:
        errors: list[FieldError] = []
        client_ts, zoneless = self._client_timestamp(click.timestamp, errors)
        referrer_host = _referrer_host(click.referrer, errors)
        errors += _content_errors(click.type, click.button, click.page_url, click.location)
        if errors:
            raise InvalidClick(errors)
        assert client_ts is not None
        location = click.location or LocationIn()
        device = click.device or DeviceIn()
        # A page view has no button: empty, so that the column stays non-null as in v1.
        button = click.button or ""
        user_agent = device.user_agent or device.browser
        agent = parse_user_agent(user_agent) if user_agent else None
        device_type = agent.device_type if agent else _client_device_type(device.device_type)
        return Click(
            id=str(click.id),
            button=button.strip() or button,
            page_url=click.page_url,
            client_ts=client_ts,
            client_ts_zoneless=zoneless,
            received_at=received_at,
            event_date=received_at.date(),
            session_id=click.session_id,
            anonymous_id=click.anonymous_id,
            user_agent=user_agent,
            platform=device.platform,
            language=device.language,
            screen_width=device.screen.width if device.screen else None,
            screen_height=device.screen.height if device.screen else None,
            viewport_width=device.viewport.width if device.viewport else None,
            viewport_height=device.viewport.height if device.viewport else None,
            time_zone=device.time_zone,
            device_type=device_type,
            browser=agent.browser if agent else None,
            browser_version=agent.browser_version if agent else None,
            os=agent.os if agent else None,
            os_version=agent.os_version if agent else None,
            latitude=self._round(location.latitude),
            longitude=self._round(location.longitude),
            accuracy_m=location.accuracy,
            city=location.city,
            country=location.country,
            is_bot=bool(device.webdriver) or (agent.is_bot if agent else False),
            event_type=click.type,
            referrer_host=referrer_host,
            utm_source=click.utm_source or None,
            utm_medium=click.utm_medium or None,
            utm_campaign=click.utm_campaign or None,
            utm_term=click.utm_term or None,
            utm_content=click.utm_content or None,
            properties=properties_json(click.properties) if click.properties else None,
        )

    def invalid(self, body: bytes | msgspec.Raw, first: msgspec.ValidationError) -> InvalidClick:
        """Every invalid field of a click that failed to decode as `first` says, with why."""
        try:
            value = msgspec.json.decode(body)
        except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
            return InvalidClick([field_error(first)])
        errors = struct_errors(value, ClickIn)
        if not isinstance(value, dict):
            return InvalidClick(errors)
        # The checks beyond types, on the fields whose type is right.
        wrong = {e.field.split(".")[0] for e in errors}
        fields = msgspec.convert({k: v for k, v in value.items() if k not in wrong}, _CheckedFields)
        if fields.timestamp is not None:
            self._client_timestamp(fields.timestamp, errors)
        _referrer_host(fields.referrer, errors)
        button = "" if {"button", "type"} & wrong else fields.button
        errors += _content_errors(fields.type, button, fields.page_url, fields.location)
        order = [f.encode_name for f in msgspec.structs.fields(ClickIn)]
        return InvalidClick(sorted(errors, key=lambda e: order.index(e.field.split(".")[0])))

    def _client_timestamp(
        self, text: str, errors: list[FieldError]
    ) -> tuple[datetime | None, bool]:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parsed = None
        if parsed is None or "T" not in text.upper():
            errors.append(FieldError(field="timestamp", message="must be an ISO 8601 date-time"))
            return None, False
        zoneless = parsed.tzinfo is None
        if zoneless:
            parsed = parsed.replace(tzinfo=self._client_tz)
        try:
            in_utc: datetime | None = parsed.astimezone(UTC)
        except OverflowError:
            # 0001-01-01T00:00+14:00 and 9999-12-31T23:59-00:01 have no UTC datetime.
            in_utc = None
        if in_utc is None or not EARLIEST_CLIENT_TS <= in_utc < LATEST_CLIENT_TS:
            between = f"must be between {EARLIEST_CLIENT_TS.year} and {LATEST_CLIENT_TS.year}"
            errors.append(FieldError(field="timestamp", message=between))
        return in_utc, zoneless

    def _round(self, degrees: float | None) -> float | None:
        return None if degrees is None else round(degrees, self._geo_precision)


def _referrer_host(referrer: str | None, errors: list[FieldError]) -> str | None:
    """Only the host of where the visitor came from: its path may carry personal data."""
    if not referrer:
        return None
    host = urlsplit(referrer).hostname if _URL.fullmatch(referrer) else None
    if not host:
        errors.append(FieldError(field="referrer", message="must be an http(s) URL"))
    return host


def _content_errors(
    kind: str, button: str | None, page_url: str | None, location: LocationIn | None
) -> list[FieldError]:
    errors = []
    if kind == "click" and button is None:
        errors.append(FieldError(field="button", message="required"))
    if page_url is not None and not _URL.fullmatch(page_url):
        errors.append(FieldError(field="pageUrl", message="must be an http(s) URL"))
    if location is not None and (location.latitude is None) != (location.longitude is None):
        errors.append(FieldError(field="location", message="latitude and longitude come together"))
    return errors


def _client_device_type(declared: str | None) -> str:
    declared = (declared or "").lower()
    return declared if declared in _DEVICE_TYPES else "other"
