"""The SQLite table follows the contract: a column added to `Click` needs no other edit."""

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pyarrow as pa

from ingest_service.contract import CLICK_SCHEMA, Click, _column, arrow_field
from ingest_service.store.sqlite import _PER_MINUTE, SQLiteClickStore
from ingest_service.store.sqlite_schema import DDL, row
from ingest_service.synthetic import synthetic_clicks

DAY = date(2026, 3, 1)


def test_a_new_optional_field_becomes_a_nullable_column() -> None:
    assert arrow_field(_column("referrer", str | None)) == pa.field("referrer", pa.string())
    assert arrow_field(_column("visits", int)) == pa.field("visits", pa.int32(), nullable=False)


def test_a_store_made_before_a_column_existed_gains_it_at_setup(tmp_path: Path) -> None:
    path = tmp_path / "clicks.sqlite3"
    older_ddl = DDL.replace("    country TEXT,\n", "")
    assert older_ddl != DDL
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(older_ddl)
    clicks = list(synthetic_clicks(DAY, 1, 40, seed=3))
    before, after = clicks[:20], clicks[20:]
    store = SQLiteClickStore(path)
    try:
        with closing(sqlite3.connect(path)) as conn:
            insert = f"INSERT INTO clicks VALUES ({', '.join('?' * (len(CLICK_SCHEMA) - 1))})"
            conn.executemany(insert, [_without_country(click) for click in before])
            conn.commit()
        store.setup()
        assert store.write(after) == [True] * len(after)
        table = pa.Table.from_batches(store.read_day(DAY), schema=CLICK_SCHEMA)
    finally:
        store.close()
    countries = dict(zip(table["id"].to_pylist(), table["country"].to_pylist(), strict=True))
    assert all(countries[click.id] is None for click in before)
    assert [countries[click.id] for click in after] == [click.country for click in after]
    assert any(click.country for click in after)


def _without_country(click: Click) -> tuple[object, ...]:
    values = dict(zip(CLICK_SCHEMA.names, row(click), strict=True))
    del values["country"]
    return tuple(values.values())


def test_a_store_made_before_the_event_type_gets_the_live_views_index(tmp_path: Path) -> None:
    """Its table gains the column first; the index without the type is replaced."""
    path = tmp_path / "clicks.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(DDL.replace("    event_type TEXT,\n", ""))
        conn.execute("CREATE INDEX clicks_by_arrival ON clicks (received_at, is_bot)")
    store = SQLiteClickStore(path)
    try:
        store.setup()
    finally:
        store.close()
    with closing(sqlite3.connect(path)) as conn:
        indexes = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        plan = conn.execute(f"EXPLAIN QUERY PLAN {_PER_MINUTE}", (0,)).fetchall()
    assert "clicks_by_arrival" not in indexes
    assert "COVERING INDEX clicks_by_arrival_and_type" in str(plan)
