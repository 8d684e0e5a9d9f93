"""What a 30-day backfill moves through the Dagster process in aws mode: before and after
Athena wrote the summaries itself.

Each run is `driver.py` in a fresh process under moto with its request recording on,
with the code of `--baseline` or of `--candidate` (git refs, each exported to a
temporary directory, so edits made meanwhile change nothing), alternating, so both are
measured in the same invocation. Every figure but the run's seconds is a count, the same
in each run (a count that varies is flagged), so the baseline runs once by default.

    .tools/bin/uv run --frozen python bench/athena_backfill/run.py [--days 30] [--runs 3]
        [--baseline-runs 1]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("driver.py")
# The last commit in which summary rows came back through GetQueryResults.
BASELINE = "e6320ca"
# Athena's largest GetQueryResults page.
PAGE_ROWS = 1000
CLICKS = "clicks"
# The one figure that is a time; the others are counts.
TIMED = "seconds"


def run(code: Path, days: int, clicks_per_day: int) -> dict[str, Any]:
    command = [sys.executable, str(DRIVER), "--days", str(days)]
    command += ["--clicks-per-day", str(clicks_per_day)]
    done = subprocess.run(
        command,
        cwd=code,
        env={"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["success"], f"the backfill failed with the code of {code}"
    return result


def export(ref: str, directory: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(directory)], input=archive.stdout, check=True)


def figures(result: dict[str, Any]) -> dict[str, float]:
    calls = result["api_calls"]
    # A query over the clicks computes a summary (the code before wrote its rows as the
    # summary's Parquet); one over summary tables reads them back for a check.
    summaries = [r for r in result["results"] if CLICKS in r["reads"]]
    checks = [r for r in result["results"] if CLICKS not in r["reads"]]
    return {
        "StartQueryExecution": calls.get("StartQueryExecution", 0),
        "  of which UNLOAD": result["statements"].get("UNLOAD", 0),
        "  of which return rows": result["statements"].get("SELECT", 0),
        "GetQueryResults (recorded)": calls.get("GetQueryResults", 0),
        "  of summary queries": len(summaries),
        "  of check queries": len(checks),
        "summary rows returned": sum(r["rows"] for r in summaries),
        "GetQueryResults pages on Athena": sum(-(-r["rows"] // PAGE_ROWS) for r in summaries),
        "bytes in (GetQueryResults)": sum(r["bytes"] for r in summaries),
        "check rows returned": sum(r["rows"] for r in checks),
        "check bytes in (GetQueryResults)": sum(r["bytes"] for r in checks),
        "bytes out (summary PUTs)": result["summary_put_bytes"],
        "summary GETs": result["summary_get_calls"],
        "bytes out (places PUTs)": result["places_put_bytes"],
        "run seconds (moto)": round(result["seconds"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--clicks-per-day", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    # The counts are the same run after run; only the times vary. The code before costs
    # the most time under moto, so it runs once unless asked.
    parser.add_argument("--baseline-runs", type=int, default=1)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--candidate", default="HEAD")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as before, tempfile.TemporaryDirectory() as after:
        export(args.baseline, Path(before))
        export(args.candidate, Path(after))
        measured: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
        last: dict[str, dict[str, Any]] = {}
        for n in range(max(args.runs, args.baseline_runs)):
            for label, code, runs in (
                ("before", Path(before), args.baseline_runs),
                ("after", Path(after), args.runs),
            ):
                if n < runs:
                    last[label] = run(code, args.days, args.clicks_per_day)
                    measured[label].append(figures(last[label]))
                    print(f"run {n + 1} {label}: {measured[label][-1]}", flush=True)
    print(f"load average at end: {os.getloadavg()}")
    print(
        f"\n{args.days} days x {args.clicks_per_day} clicks, median of"
        f" {args.baseline_runs} run(s) before and {args.runs} after"
    )
    print(f"{'figure':<34} {'before':>12} {'after':>12}")
    for name in measured["before"][0]:
        values = {label: [r[name] for r in runs] for label, runs in measured.items()}
        varied = "" if TIMED in name else _varied(values)
        before, after = (statistics.median(values[label]) for label in ("before", "after"))
        print(f"{name:<34} {before:>12,.1f} {after:>12,.1f}{varied}")
    for label, result in last.items():
        _print_checks(label, result)


def _print_checks(label: str, result: dict[str, Any]) -> None:
    """The check queries' results by the tables they read: calls, rows, bytes."""
    by_table: dict[str, list[int]] = {}
    for r in result["results"]:
        if CLICKS not in r["reads"]:
            totals = by_table.setdefault(", ".join(r["reads"]), [0, 0, 0])
            for n, value in enumerate((1, r["rows"], r["bytes"])):
                totals[n] += value
    for table, (calls, rows, size) in sorted(by_table.items()):
        print(f"{label} check queries over {table}: {calls} calls, {rows} rows, {size:,} bytes")


def _varied(values: dict[str, list[float]]) -> str:
    """A count that was not the same in every run of a side: said, never hidden."""
    spread = {label: sorted(set(v)) for label, v in values.items() if len(set(v)) > 1}
    return f"  VARIED: {spread}" if spread else ""


if __name__ == "__main__":
    main()
