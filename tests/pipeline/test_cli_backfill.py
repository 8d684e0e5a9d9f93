"""A backfill from the shell, as the README shows it, prints no beta notice: the code
location silences the one its single-run backfill policy raises (definitions.py)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest_service.store.sqlite import SQLiteClickStore
from tests.pipeline.conftest import FIRST_DAY
from tests.servers import REPO

DAGSTER = Path(sys.executable).with_name("dagster")


@pytest.mark.slow
def test_a_cli_backfill_prints_no_beta_warning(
    tmp_path: Path, filled_store: SQLiteClickStore
) -> None:
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    env = {key: value for key, value in os.environ.items() if not key.startswith("CLICKSTREAM_")}
    env.update(
        DAGSTER_HOME=str(home),
        CLICKSTREAM_DATA_DIR=str(tmp_path / "data"),
        CLICKSTREAM_START_DATE="2026-01-01",
    )
    last = FIRST_DAY.replace(day=FIRST_DAY.day + 1)
    command = [str(DAGSTER), "asset", "materialize", "-m", "orchestration.definitions"]
    command += ["--select", "clicks_export*", "--partition-range", f"{FIRST_DAY}...{last}"]

    done = subprocess.run(command, cwd=home, env=env, capture_output=True, text=True, check=False)

    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "RUN_SUCCESS" in output
    assert "BetaWarning" not in output
