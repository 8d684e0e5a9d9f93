"""The intake: decodes posted bodies, validates each click, stores the valid ones."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal, TypeVar

import msgspec

from ingest_service.contract import BatchIn, Click, ClickIn
from ingest_service.field_errors import FieldError, field_error
from ingest_service.store import ClickStore
from ingest_service.validation import ClickNormalizer, InvalidClick

ItemStatus = Literal["stored", "duplicate", "rejected", "rate_limited"]
T = TypeVar("T")


class MalformedBody(ValueError):
    """The body is not JSON, or not the envelope the endpoint expects."""


class TooManyClicks(ValueError):
    pass


class ClickAccepted(msgspec.Struct, kw_only=True):
    id: str
    status: Literal["stored", "duplicate"]


class ItemResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    index: int
    id: str | None
    status: ItemStatus
    errors: list[FieldError] = []
    # rate_limited: the item was not looked at; send it again after this many seconds.
    retry_after: int | None = None


class BatchAccepted(msgspec.Struct, kw_only=True):
    stored: int
    duplicates: int
    rejected: int
    rate_limited: int = 0
    results: list[ItemResult]


class Intake:
    def __init__(
        self,
        store: ClickStore,
        normalizer: ClickNormalizer,
        *,
        max_batch_clicks: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self._normalizer = normalizer
        self._max_batch_clicks = max_batch_clicks
        self._clock = clock
        self._click_decoder = msgspec.json.Decoder(ClickIn)
        self._batch_decoder = msgspec.json.Decoder(BatchIn)

    async def accept_one(self, body: bytes) -> ClickAccepted:
        click_in = _decode(self._click_decoder, body, lambda e: self._normalizer.invalid(body, e))
        click = self._normalizer.normalize(click_in, self._clock())
        (inserted,) = await self.store.write_async([click])
        return ClickAccepted(id=click.id, status="stored" if inserted else "duplicate")

    def decode_batch(self, body: bytes) -> BatchIn:
        """The batch's envelope, its items still raw; each is validated by `accept_batch`."""
        batch = _decode(self._batch_decoder, body, lambda e: InvalidClick([field_error(e)]))
        if len(batch.clicks) > self._max_batch_clicks:
            raise TooManyClicks(
                f"a batch holds at most {self._max_batch_clicks} clicks, got {len(batch.clicks)}"
            )
        return batch

    async def accept_batch(
        self, batch: BatchIn, *, admitted: int | None = None, retry_after_s: int = 0
    ) -> BatchAccepted:
        """Validates and stores the first `admitted` items (all by default); the others
        are answered `rate_limited`, with the wait the rate limit asked for."""
        received_at = self._clock()
        admitted = len(batch.clicks) if admitted is None else admitted
        results = [
            ItemResult(
                index=index, id=_raw_id(raw), status="rate_limited", retry_after=retry_after_s
            )
            for index, raw in enumerate(batch.clicks[admitted:], start=admitted)
        ]
        valid: list[tuple[int, Click]] = []
        for index, raw in enumerate(batch.clicks[:admitted]):
            try:
                click = self._normalizer.normalize(self._click_decoder.decode(raw), received_at)
            except msgspec.ValidationError as exc:
                results.append(_rejected(index, raw, self._normalizer.invalid(raw, exc).errors))
            except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
                error = FieldError(field="$", message=_unreadable(exc))
                results.append(_rejected(index, raw, [error]))
            except InvalidClick as exc:
                results.append(_rejected(index, raw, exc.errors))
            else:
                valid.append((index, click))
        inserted = await self.store.write_async([c for _, c in valid]) if valid else []
        for (index, click), new in zip(valid, inserted, strict=True):
            results.append(ItemResult(index=index, id=click.id, status=_stored(new)))
        results.sort(key=lambda r: r.index)
        return BatchAccepted(
            stored=sum(inserted),
            duplicates=len(inserted) - sum(inserted),
            rejected=admitted - len(valid),
            rate_limited=len(batch.clicks) - admitted,
            results=results,
        )


def _decode(
    decoder: msgspec.json.Decoder[T],
    body: bytes,
    invalid: Callable[[msgspec.ValidationError], InvalidClick],
) -> T:
    try:
        return decoder.decode(body)
    except msgspec.ValidationError as exc:
        raise invalid(exc) from None
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise MalformedBody(f"the body is not valid JSON: {_unreadable(exc)}") from None


def _unreadable(exc: Exception) -> str:
    # msgspec maps only its DecodeError; the other two would otherwise be 500s.
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, UnicodeDecodeError):
        return "not valid UTF-8"
    return str(exc)


def _stored(new: bool) -> ItemStatus:
    return "stored" if new else "duplicate"


def _rejected(index: int, raw: msgspec.Raw, errors: list[FieldError]) -> ItemResult:
    return ItemResult(index=index, id=_raw_id(raw), status="rejected", errors=errors)


class _IdOnly(msgspec.Struct):
    id: str | None = None


def _raw_id(raw: msgspec.Raw) -> str | None:
    # Echo the id of a rejected item when it can be read, so the client can match it.
    try:
        return msgspec.json.decode(raw, type=_IdOnly).id
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, UnicodeDecodeError):
        return None
