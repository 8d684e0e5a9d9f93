"""Turns a client's click into the stored record, or says which field is wrong and why."""

import json
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
)
from ingest_service.user_agent import parse_user_agent

_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
# A map's bad key is reported "at `key` in `$.path`".
_MSGSPEC_PATH = re.compile(
    r"^(?P<message>.*?)(?: - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`)?$", re.DOTALL
)
_MISSING_FIELD = re.compile(r"missing required field `(?P<name>[^`]+)`")
_DEVICE_TYPES = frozenset({"desktop", "mobile", "tablet"})


class FieldError(msgspec.Struct, kw_only=True):
    field: str
    message: str


class InvalidClick(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


def field_error(exc: msgspec.ValidationError) -> FieldError:
    """msgspec says "Expected `int`, got `str` - at `$.screen.width`": split field from reason."""
    match = _MSGSPEC_PATH.match(str(exc))
    assert match is not None  # the pattern matches any text
    # A map's value is at `$.properties[...]`: the map is the field to name.
    path = (match["path"] or "").lstrip(".").replace("[...]", "")
    message = f"a key: {match['message']}" if match["key"] else match["message"]
    missing = _MISSING_FIELD.search(message)
    if missing:
        path = f"{path}.{missing['name']}" if path else missing["name"]
        message = "required"
    return FieldError(field=path or "$", message=message)


class ClickNormalizer:
    """Validates one decoded click, then adds the server-side fields."""

    def __init__(self, *, client_tz: str = "UTC", geo_precision: int = 2) -> None:
        self._client_tz = ZoneInfo(client_tz)
        self._geo_precision = geo_precision

    def normalize(self, click: ClickIn, received_at: datetime) -> Click:
        errors: list[FieldError] = []
        client_ts, zoneless = self._client_timestamp(click.timestamp, errors)
        if not _URL.fullmatch(click.page_url):
            errors.append(FieldError(field="pageUrl", message="must be an http(s) URL"))
        if click.type == "click" and click.button is None:
            errors.append(FieldError(field="button", message="required"))
        referrer_host = _referrer_host(click.referrer, errors)
        location = click.location or LocationIn()
        if (location.latitude is None) != (location.longitude is None):
            errors.append(
                FieldError(field="location", message="latitude and longitude come together")
            )
        if errors:
            raise InvalidClick(errors)
        assert client_ts is not None
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
            properties=_json(click.properties) if click.properties else None,
        )

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


def _json(properties: dict[str, str]) -> str:
    return json.dumps(properties, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _referrer_host(referrer: str | None, errors: list[FieldError]) -> str | None:
    """Only the host of where the visitor came from: its path may carry personal data."""
    if not referrer:
        return None
    host = urlsplit(referrer).hostname if _URL.fullmatch(referrer) else None
    if not host:
        errors.append(FieldError(field="referrer", message="must be an http(s) URL"))
    return host


def _client_device_type(declared: str | None) -> str:
    declared = (declared or "").lower()
    return declared if declared in _DEVICE_TYPES else "other"
