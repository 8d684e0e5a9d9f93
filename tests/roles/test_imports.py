"""Roles as rooms: each process loads only what its role needs (DESIGN.md, Roles).

Each check runs in a fresh interpreter, so that nothing another test imported counts.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("dagster", "duckdb", "great_expectations")
AWS_LAKE = {
    "CLICKSTREAM_ENV": "aws",
    "CLICKSTREAM_LAKE_URI": "s3://lake-bucket/lake",
    "CLICKSTREAM_ATHENA_OUTPUT": "s3://results-bucket/athena/",
    "AWS_DEFAULT_REGION": "eu-west-1",
}


def _packages_loaded(code: str, environ: dict[str, str] | None = None) -> set[str]:
    listing = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\nimport json, sys\n{listing}"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=environ, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_the_intake_loads_neither_pipeline_nor_dashboard(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CLICKSTREAM_")}
    code = "import ingest_service.server, ingest_service.__main__\n"
    # The app built as a worker builds it, on the local store.
    code += "ingest_service.server.app_from_env()"
    loaded = _packages_loaded(code, {**environ, "CLICKSTREAM_DATA_DIR": str(tmp_path)})

    # Only the pipeline reads days and writes the lake: the store's day reader and pyarrow
    # (numpy where installed) are a tenth of a second and 40 MiB of each worker's start
    # otherwise. boto3 is for the aws store alone.
    pipeline_only = {"pyarrow", "numpy", "pandas", "boto3", "botocore"}
    assert loaded.isdisjoint({*HEAVY, "orchestration", "sqlglot", *pipeline_only})


def test_the_intake_on_aws_stores_clicks_without_pyarrow() -> None:
    loaded = _packages_loaded("import ingest_service.server, ingest_service.store.dynamodb")
    assert "botocore" in loaded
    assert loaded.isdisjoint({"pyarrow", "numpy"})


@pytest.mark.parametrize(
    "module", ["orchestration.dashboard.server", "orchestration.server", "orchestration.cli"]
)
def test_the_dashboard_and_serve_load_no_dagster(module: str) -> None:
    assert _packages_loaded(f"import {module}").isdisjoint(HEAVY)


def test_the_dashboard_on_aws_queries_athena_without_duckdb() -> None:
    code = (
        "from ingest_service.settings import DashboardSettings\n"
        "from orchestration.resources import lake_access\n"
        "from orchestration.dashboard.journeys import JourneyFigures\n"
        "JourneyFigures.from_lake(lake_access(DashboardSettings.from_env()))"
    )
    assert _packages_loaded(code, AWS_LAKE).isdisjoint(HEAVY)


def test_the_code_location_in_local_mode_leaves_what_its_steps_use_to_them(
    tmp_path: Path,
) -> None:
    # Every Dagster process loads the location: webserver, daemon, code server, each run.
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CLICKSTREAM_")}
    code = (
        "from ingest_service.settings import PipelineSettings\n"
        "from orchestration.definitions import build_definitions\n"
        "build_definitions(PipelineSettings.from_env()).get_repository_def()"
    )
    loaded = _packages_loaded(code, {**environ, "CLICKSTREAM_DATA_DIR": str(tmp_path)})

    assert "dagster" in loaded
    # boto3: aws mode only; the geocoder (scipy): the regions step; sqlglot: a query.
    assert loaded.isdisjoint({"boto3", "scipy", "reverse_geocode", "sqlglot"})


def test_the_pipeline_on_aws_loads_and_audits_a_day_without_duckdb(tmp_path: Path) -> None:
    # The Dagster image has no DuckDB (infra/docker/dagster.Dockerfile): Athena counts.
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CLICKSTREAM_")}
    code = (
        "from ingest_service.settings import PipelineSettings\n"
        "from orchestration.definitions import build_definitions\n"
        "import orchestration.checks.export_run, orchestration.resources.aws\n"
        "build_definitions(PipelineSettings.from_env()).get_repository_def()"
    )
    aws = {**AWS_LAKE, "CLICKSTREAM_DATA_DIR": str(tmp_path)}
    aws["CLICKSTREAM_ALERT_TOPIC_ARN"] = "arn:aws:sns:eu-west-1:123456789012:alerts"
    loaded = _packages_loaded(code, {**environ, **aws})

    assert "dagster" in loaded
    assert "duckdb" not in loaded


# A day whose clicks have coordinates, exported and audited with nothing else selected.
_EXPORT_ALONE = """
from datetime import date
import dagster as dg
from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.definitions import build_definitions

settings = PipelineSettings.from_env()
store = SQLiteClickStore(settings.store_path)
store.setup()
clicks = list(synthetic_clicks(date(2026, 3, 1), 1, 300, seed=3))
assert any(click.latitude is not None for click in clicks)
store.write(clicks)
store.close()
job = build_definitions(settings).resolve_job_def("daily_pipeline_job")
result = job.execute_in_process(
    instance=dg.DagsterInstance.ephemeral(),
    partition_key="2026-03-01",
    asset_selection=[dg.AssetKey("clicks_export")],
)
assert result.success
assert len(result.get_asset_materialization_events()) == 1
"""


def test_the_export_step_alone_leaves_the_geocoder_to_the_regions_step(tmp_path: Path) -> None:
    loaded = _packages_loaded(
        _EXPORT_ALONE,
        {
            **{k: v for k, v in os.environ.items() if not k.startswith("CLICKSTREAM_")},
            "CLICKSTREAM_DATA_DIR": str(tmp_path),
            "CLICKSTREAM_START_DATE": "2026-01-01",
        },
    )

    # The audit ran (Great Expectations brings scipy along); the geocoder did not load.
    assert "great_expectations" in loaded
    assert "reverse_geocode" not in loaded
