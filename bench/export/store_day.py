"""A SQLite click store holding one synthetic day of any size, built quickly.

Synthetic clicks are generated once (`BASE_CLICKS`) and then copied inside SQLite with
fresh ids until the day has the clicks asked for: the export reads realistic rows
without minutes of Python generation per million.
"""

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks

BASE_CLICKS = 100_000
_COPY_CHUNK = 50_000


def build_store(path: Path, day: date, clicks: int, seed: int = 1) -> None:
    store = SQLiteClickStore(path)
    store.setup()
    base = min(clicks, BASE_CLICKS)
    generated = synthetic_clicks(day, 1, base, seed=seed)
    store.write(list(generated))
    store.close()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(clicks)")]
        copied = ", ".join(columns[1:])
        copy = 1
        while (have := conn.execute("SELECT count(*) FROM clicks").fetchone()[0]) < clicks:
            take = min(base, clicks - have)
            conn.execute("BEGIN")
            # A copy's ids differ from the original's in their first 8 hex digits.
            conn.execute(
                f"INSERT INTO clicks (id, {copied}) SELECT printf('%08x', ?) || substr(id, 9),"
                f" {copied} FROM clicks WHERE rowid <= ?",
                (copy, take),
            )
            conn.execute("COMMIT")
            copy += 1
