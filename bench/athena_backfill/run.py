"""What a 30-day backfill moves through the Dagster process in aws mode: before and after
Athena wrote the summaries itself.

Each run is `driver.py` in a fresh process under moto with its request recording on,
once with the code of `--baseline` and once with that of `--candidate` (git refs, each
exported to a temporary directory, so edits made meanwhile change nothing), alternating,
so both are measured in the same invocation.

    .tools/bin/uv run --frozen python bench/athena_backfill/run.py [--days 30] [--runs 3]
"""

import argparse
import json
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
    return {
        "StartQueryExecution": calls.get("StartQueryExecution", 0),
        "GetQueryResults (recorded)": calls.get("GetQueryResults", 0),
        "summary rows returned": sum(result["results_rows"]),
        "GetQueryResults pages on Athena": sum(
            -(-rows // PAGE_ROWS) for rows in result["results_rows"]
        ),
        "bytes in (GetQueryResults)": result["results_bytes"],
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
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--candidate", default="HEAD")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as before, tempfile.TemporaryDirectory() as after:
        export(args.baseline, Path(before))
        export(args.candidate, Path(after))
        measured: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
        for n in range(args.runs):
            for label, code in (("before", Path(before)), ("after", Path(after))):
                measured[label].append(figures(run(code, args.days, args.clicks_per_day)))
                print(f"run {n + 1} {label}: {measured[label][-1]}", flush=True)
    print(f"\n{args.days} days x {args.clicks_per_day} clicks, median of {args.runs} runs")
    print(f"{'figure':<34} {'before':>12} {'after':>12}")
    for name in measured["before"][0]:
        before = statistics.median(r[name] for r in measured["before"])
        after = statistics.median(r[name] for r in measured["after"])
        print(f"{name:<34} {before:>12,.1f} {after:>12,.1f}")


if __name__ == "__main__":
    main()
