"""A backfill from the shell, as the README shows it, prints no beta notice: the code
location silences the one its single-run backfill policy raises (definitions.py)."""

import subprocess
import sys
from pathlib import Path

import pytest

from ingest_service.settings import PipelineSettings
from ingest_service.store.sqlite import SQLiteClickStore
from tests.pipeline.conftest import FIRST_DAY, dagster_env

DAGSTER = Path(sys.executable).with_name("dagster")


@pytest.mark.slow
def test_a_cli_backfill_prints_no_beta_warning(
    tmp_path: Path, settings: PipelineSettings, filled_store: SQLiteClickStore
) -> None:
    env = dagster_env(tmp_path, settings)
    home = Path(env["DAGSTER_HOME"])
    last = FIRST_DAY.replace(day=FIRST_DAY.day + 1)
    command = [str(DAGSTER), "asset", "materialize", "-m", "orchestration.definitions"]
    command += ["--select", "clicks_export*", "--partition-range", f"{FIRST_DAY}...{last}"]

    done = subprocess.run(command, cwd=home, env=env, capture_output=True, text=True, check=False)

    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "RUN_SUCCESS" in output
    assert "BetaWarning" not in output
