"""What one SQLite writer can insert, before any HTTP, JSON or validation: µs per click.

    .tools/bin/uv run --frozen python -m bench.ingest.sqlite_floor [--clicks 200000] [--runs 3]

SQLite has one writer at a time, so this bounds the clicks/s of the embedded store on any
number of cores. Synthetic clicks as the store stores them (`row`), committed in
transactions of 500 (what group commit gives under load), with the store's own pragmas
(WAL, synchronous=FULL, checkpoint every 10,000 pages, mmap), into three tables:
the schema as shipped (table, id index, day index, arrival index), the id key alone
(idempotency needs it), and no key or index at all (an append-only log).
"""

import argparse
import itertools
import statistics
import tempfile
import time
from contextlib import closing
from datetime import date
from pathlib import Path

from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.store.sqlite_schema import DDL, INDEXES, INSERT, row
from ingest_service.synthetic import synthetic_clicks

COMMIT_ROWS = 500
LAYOUTS = {
    "schema as shipped": DDL + INDEXES,
    "id key only": DDL,
    "append only, no key": DDL.replace("id TEXT PRIMARY KEY", "id TEXT"),
}


def insert_micros_per_row(ddl: str, rows: list[tuple[object, ...]]) -> float:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "clicks.sqlite3"
        with closing(SQLiteClickStore(path)._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(ddl)
            started = time.perf_counter()
            for start in range(0, len(rows), COMMIT_ROWS):
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(INSERT, rows[start : start + COMMIT_ROWS])
                conn.execute("COMMIT")
            return (time.perf_counter() - started) / len(rows) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clicks", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    clicks = synthetic_clicks(date(2026, 3, 1), 1, args.clicks, seed=1)
    rows = [row(click) for click in itertools.islice(clicks, args.clicks)]
    print("| table | µs per click (median) | runs | clicks/s, one writer |")
    print("|---|---:|---|---:|")
    for name, ddl in LAYOUTS.items():
        runs = [insert_micros_per_row(ddl, rows) for _ in range(args.runs)]
        median = statistics.median(runs)
        shown = ", ".join(f"{run:.1f}" for run in runs)
        print(f"| {name} | {median:.1f} | {shown} | {1e6 / median:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
