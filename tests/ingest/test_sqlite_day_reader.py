"""Reading one day of the SQLite store: two readers, rowid ranges, handed on in order, each
value in its contract type, and a stored value of another type refused."""

import sqlite3
import threading
from collections.abc import Generator
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
import pyarrow as pa
import pytest

from ingest_service.contract import CLICK_SCHEMA, URL_MAX_LENGTH, Click
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


def _every_kind_of_value(day: date) -> list[Click]:
    """Synthetic clicks, one with every optional column empty and one at the edges."""
    clicks = list(synthetic_clicks(day, 1, 200, seed=5))
    bare = Click(
        id="bare",
        button="",
        page_url="https://shop.example/",
        client_ts=datetime(2000, 1, 1, tzinfo=UTC),
        client_ts_zoneless=True,
        received_at=datetime.combine(day, datetime.min.time(), tzinfo=UTC),
        event_date=day,
        event_type=None,
    )
    edges = msgspec.structs.replace(
        clicks[0],
        id="edges",
        button="Panier \u2192 \U0001f6d2 \u00e9\u00e8",
        page_url="https://shop.example/" + "p" * (URL_MAX_LENGTH - 21),
        screen_width=0,
        viewport_height=100_000,
        latitude=-90.0,
        longitude=180.0,
        accuracy_m=0.0,
        is_bot=True,
        properties='{"k":"\u00fcber"}',
    )
    return [*clicks, bare, edges]


def test_every_column_reads_back_as_it_was_written(sqlite_store: SQLiteClickStore) -> None:
    clicks = _every_kind_of_value(FIRST)
    sqlite_store.write(clicks)

    # Large enough a range that the long texts outgrow the reader's first buffers.
    read = pa.Table.from_batches(sqlite_store.read_day(FIRST, batch_rows=150), CLICK_SCHEMA)

    expected = pa.Table.from_pylist([msgspec.structs.asdict(c) for c in clicks], CLICK_SCHEMA)
    assert read.equals(expected)
    read.validate(full=True)


@pytest.mark.parametrize(
    ("column", "stored"),
    [
        ("screen_width", "'wide'"),
        ("screen_width", "2147483648"),
        ("latitude", "'north'"),
        ("is_bot", "0.5"),
        ("received_at", "'2026-03-01T10:00:00'"),
        ("button", "x'00ff'"),
    ],
)
def test_a_value_stored_as_another_type_fails_the_read(
    sqlite_store: SQLiteClickStore, column: str, stored: str
) -> None:
    sqlite_store.write(list(synthetic_clicks(FIRST, 1, 50, seed=6)))
    with sqlite3.connect(sqlite_store.path) as conn:  # behind the service's back
        conn.execute(f"UPDATE clicks SET {column} = {stored} WHERE rowid = 30")

    with pytest.raises(sqlite3.OperationalError, match="rowid 30, column"):
        list(sqlite_store.read_day(FIRST, batch_rows=20))
    assert _day_readers() == []
