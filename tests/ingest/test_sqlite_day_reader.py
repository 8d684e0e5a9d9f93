"""Reading one day of the SQLite store: two readers, rowid ranges, handed on in order."""

import sqlite3
import threading
from collections.abc import Generator
from datetime import date
from pathlib import Path

import msgspec
import pyarrow as pa
import pytest

from ingest_service.contract import CLICK_SCHEMA
from ingest_service.store import sqlite_arrow
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks

FIRST, SECOND = date(2026, 3, 1), date(2026, 3, 2)


@pytest.fixture
def interleaved(sqlite_store: SQLiteClickStore) -> SQLiteClickStore:
    """Two days written in alternating chunks, so each day's rowids have gaps."""
    first = list(synthetic_clicks(FIRST, 1, 300, seed=1))
    second = list(synthetic_clicks(SECOND, 1, 300, seed=2))
    for start in range(0, 300, 40):
        sqlite_store.write(first[start : start + 40])
        sqlite_store.write(second[start : start + 40])
    return sqlite_store


def _ids_in_rowid_order(path: Path, day: date) -> list[str]:
    with sqlite3.connect(path) as conn:
        query = "SELECT id FROM clicks WHERE event_date = ? ORDER BY rowid"
        return [row[0] for row in conn.execute(query, (day.isoformat(),))]


def test_the_day_comes_whole_in_rowid_order_in_bounded_batches(
    interleaved: SQLiteClickStore,
) -> None:
    for day in (FIRST, SECOND):
        batches = list(interleaved.read_day(day, batch_rows=7))

        assert all(0 < batch.num_rows <= 7 for batch in batches)
        table = pa.Table.from_batches(batches, schema=CLICK_SCHEMA)
        assert table.column("id").to_pylist() == _ids_in_rowid_order(interleaved.path, day)
        assert set(table.column("event_date").to_pylist()) == {day}


def test_a_day_without_clicks_gives_no_batches(interleaved: SQLiteClickStore) -> None:
    assert list(interleaved.read_day(date(2026, 3, 3))) == []


def _day_readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("day-reader-")]


def test_readers_stop_when_the_consumer_stops_early(interleaved: SQLiteClickStore) -> None:
    batches = interleaved.read_day(FIRST, batch_rows=5)
    assert isinstance(batches, Generator)
    next(batches)
    batches.close()  # what an export that fails while writing does to the generator

    assert _day_readers() == []


def test_a_readers_error_reaches_the_consumer(
    interleaved: SQLiteClickStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_range = sqlite_arrow._read_range
    with sqlite3.connect(interleaved.path) as conn:
        (first_rowid,) = conn.execute("SELECT min(rowid) FROM clicks").fetchone()

    def failing_after_the_first_range(
        conn: object, day: date, low: int, high: int
    ) -> list[pa.RecordBatch]:
        if low != first_rowid:
            raise sqlite3.OperationalError("disk I/O error")
        return read_range(conn, day, low, high)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite_arrow, "_read_range", failing_after_the_first_range)

    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        list(interleaved.read_day(FIRST, batch_rows=5))
    assert _day_readers() == []


def test_a_store_made_before_contract_v2_gets_its_columns(tmp_path: Path) -> None:
    old, (new,) = synthetic_clicks(FIRST, 1, 5, seed=3), synthetic_clicks(FIRST, 1, 1, seed=4)
    store = SQLiteClickStore(tmp_path / "clicks.sqlite3")
    store.setup()
    store.write(list(old))
    store.close()
    v2_columns = CLICK_SCHEMA.names[CLICK_SCHEMA.names.index("event_type") :]
    with sqlite3.connect(store.path) as conn:  # the store as v1 left it, with its clicks
        # v1's live-view index had no type (the column cannot go while an index holds it).
        conn.execute("DROP INDEX clicks_by_arrival_and_type")
        conn.execute("CREATE INDEX clicks_by_arrival ON clicks (received_at, is_bot)")
        for column in v2_columns:
            conn.execute(f"ALTER TABLE clicks DROP COLUMN {column}")

    store.setup()
    store.write([msgspec.structs.replace(new, event_type="pageview", utm_source="ads")])
    rows = [row for batch in store.read_day(FIRST) for row in batch.to_pylist()]
    store.close()
    assert sorted((r["event_type"] or "", r["utm_source"] or "") for r in rows) == [
        ("", "")
    ] * 5 + [("pageview", "ads")]
