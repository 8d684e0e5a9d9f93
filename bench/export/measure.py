"""One export of one day, in this process, without Dagster and without the checks: prints
seconds, clicks and peak RSS as JSON. `export` is the pipeline's write (stage, publish)
without the audit, `seed` the seed's pandas method.

Run once per measurement in a fresh interpreter, so that peak RSS is this export's.
"""

import argparse
import json
import resource
import sqlite3
import time
from datetime import date
from pathlib import Path

import pandas as pd

from ingest_service.store.sqlite import SQLiteClickStore
from orchestration.assets.export import publish_day, stage_day
from orchestration.resources.lake import LocalLake


def pipeline_export(store_path: Path, lake_root: Path, day: date) -> int:
    """What `clicks_export` does but the audit: the day staged, then published."""
    lake = LocalLake(root=str(lake_root))
    return publish_day(lake, stage_day(SQLiteClickStore(store_path), lake, day)).rows


def seed_export(store_path: Path, lake_root: Path, day: date) -> int:
    """The seed's method: the whole day in a pandas DataFrame, then `to_parquet`."""
    with sqlite3.connect(store_path) as conn:
        frame = pd.read_sql("SELECT * FROM clicks WHERE event_date = ?", conn, params=(str(day),))
    target = lake_root / "seed" / "dynamodb_export.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(target)
    return len(frame)


METHODS = {"export": pipeline_export, "seed": seed_export}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("method", choices=sorted(METHODS))
    parser.add_argument("store", type=Path)
    parser.add_argument("lake", type=Path)
    parser.add_argument("day", type=date.fromisoformat)
    args = parser.parse_args()
    started, cpu_started = time.perf_counter(), time.process_time()
    clicks = METHODS[args.method](args.store, args.lake, args.day)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"clicks": clicks, "seconds": seconds, "cpu_seconds": cpu_seconds}
    print(json.dumps({**figures, "peak_rss_mib": peak_mib}))


if __name__ == "__main__":
    main()
