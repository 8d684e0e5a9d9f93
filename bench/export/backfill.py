"""A year backfilled end to end: 365 days of 10,000 clicks through export, catalog,
summaries and checks, as one single-run backfill of the daily job.

    .tools/bin/uv run --frozen python -m bench.export.backfill [--days 365] [--clicks-per-day 10000]

The year is one synthetic day copied inside SQLite onto the other days (fresh ids,
times shifted), then `dagster job execute` runs the range on a throwaway instance.
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

from bench.export.store_day import build_store
from orchestration.partitions import partition_range_tags

FIRST_DAY = date(2025, 1, 1)
_MICROS_PER_DAY = 86_400_000_000


def build_year(path: Path, days: int, clicks_per_day: int) -> None:
    build_store(path, FIRST_DAY, clicks_per_day)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(clicks)")]
        shifted = {
            "id": "printf('%08x', 4096 + ?1) || substr(id, 9)",
            "client_ts": f"client_ts + ?1 * {_MICROS_PER_DAY}",
            "received_at": f"received_at + ?1 * {_MICROS_PER_DAY}",
            "event_date": "date(event_date, '+' || ?1 || ' days')",
        }
        select = ", ".join(shifted.get(column, column) for column in columns)
        conn.execute("BEGIN")
        for offset in range(1, days):
            conn.execute(
                f"INSERT INTO clicks SELECT {select} FROM clicks WHERE event_date = ?2",
                (offset, FIRST_DAY.isoformat()),
            )
        conn.execute("COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--clicks-per-day", type=int, default=10_000)
    args = parser.parse_args()
    last_day = FIRST_DAY + timedelta(days=args.days - 1)
    with tempfile.TemporaryDirectory(prefix="bench-backfill-") as work:
        data = Path(work) / "data"
        data.mkdir()
        build_year(data / "clicks.sqlite3", args.days, args.clicks_per_day)
        env = {
            **os.environ,
            "CLICKSTREAM_ENV": "local",
            "CLICKSTREAM_DATA_DIR": str(data),
            "CLICKSTREAM_START_DATE": FIRST_DAY.isoformat(),
            "DAGSTER_HOME": str(Path(work) / "dagster"),
        }
        Path(env["DAGSTER_HOME"]).mkdir()
        tags = partition_range_tags(FIRST_DAY, last_day)
        command = [
            sys.executable, "-m", "dagster", "job", "execute",
            "-m", "orchestration.definitions", "-j", "daily_pipeline_job",
            "--tags", json.dumps(tags),
        ]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"backfill failed:\n{done.stderr[-4000:]}")
        print(
            f"backfill of {args.days} days x {args.clicks_per_day:,} clicks"
            f" ({FIRST_DAY}..{last_day}), one run: {seconds:.1f} s"
        )


if __name__ == "__main__":
    main()
