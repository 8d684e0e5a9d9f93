"""The click store interface: the service writes through it, the pipeline reads through it."""

import abc
import asyncio
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from ingest_service.contract import Click

if TYPE_CHECKING:
    import pyarrow as pa


class StoreUnavailable(RuntimeError):
    """The store cannot be reached or refused the write; the client may retry."""


@dataclass(frozen=True)
class ErasedClicks:
    """What an erase removed: how many clicks, from which days (in order), and what else
    the store rewrote so that no copy of them is left (one line each)."""

    count: int
    days: tuple[date, ...]
    notes: tuple[str, ...] = ()


class ClickStore(abc.ABC):
    """Durable, idempotent storage of clicks, keyed by click id, read back by day."""

    @abc.abstractmethod
    def submit(self, clicks: Sequence[Click]) -> "Future[list[bool]]":
        """Stores the clicks; the future resolves once they are durable.

        Its result says, per click, True when newly stored and False when the id was
        already there (the call is still a success: writes are idempotent).
        """

    def write(self, clicks: Sequence[Click]) -> list[bool]:
        return self.submit(clicks).result()

    async def write_async(self, clicks: Sequence[Click]) -> list[bool]:
        return await asyncio.wrap_future(self.submit(clicks))

    @abc.abstractmethod
    def setup(self) -> None:
        """Creates what the store needs when it is missing; safe to run again."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raises StoreUnavailable when the store cannot be reached."""

    @abc.abstractmethod
    def count_day(self, day: date) -> int:
        """How many clicks arrived on this UTC day."""

    @abc.abstractmethod
    def read_day(self, day: date, batch_rows: int = 65_536) -> Iterator["pa.RecordBatch"]:
        """The day's clicks as record batches of CLICK_SCHEMA, in bounded memory."""

    @abc.abstractmethod
    def clicks_per_minute(self, since: datetime) -> list[tuple[datetime, int]]:
        """Human clicks (bots left out) received from `since` on, per UTC minute.

        Minutes without clicks are left out; the list is in time order. The live view
        reads this: today is not in the lake yet.
        """

    @abc.abstractmethod
    def erase(
        self, *, anonymous_id: str | None = None, session_id: str | None = None
    ) -> ErasedClicks:
        """Deletes every click of that visitor or session (either id matching); idempotent.

        At least one id is given (callers check). Run again, it finds nothing: count 0.
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Releases connections and threads."""
