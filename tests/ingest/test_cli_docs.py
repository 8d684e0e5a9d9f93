"""The command works without dev dependencies, and the README documents it as it is."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from orchestration.cli_docs import END, README, START, render_reference, with_reference

REPO = Path(__file__).resolve().parents[2]


def test_readme_command_reference_is_current() -> None:
    readme = README.read_text()
    assert readme == with_reference(readme), (
        "README.md's command reference is stale: run "
        "`uv run python -m orchestration.cli_docs` and commit README.md"
    )


def test_reference_covers_every_subcommand() -> None:
    reference = render_reference()
    for command in ("serve", "generate", "setup"):
        assert f"#### `clickstream {command}`" in reference
        assert f"usage: clickstream {command}" in reference


def test_missing_markers_are_reported() -> None:
    with pytest.raises(ValueError, match=START):
        with_reference("# A README without the markers\n")
    assert with_reference(f"a\n{START}\nold\n{END}\nb").startswith(f"a\n{START}\n#### ")


def _uv() -> str:
    # The Makefile's choice: uv from PATH, else the one it installs under .tools/.
    found = shutil.which("uv") or str(REPO / ".tools" / "bin" / "uv")
    if not Path(found).is_file():
        pytest.fail("uv not found: run `make install`")
    return found


@pytest.mark.slow
def test_help_runs_without_dev_dependencies(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv)}
    env.pop("VIRTUAL_ENV", None)
    uv_run = [_uv(), "run", "--frozen", "--no-dev", "--project", str(REPO)]
    result = subprocess.run(
        [*uv_run, "clickstream", "--help"], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: clickstream")
    # The proof that the environment really lacks them, not that it borrowed the shared one.
    probe = subprocess.run(
        [*uv_run, "python", "-c", "import pytest"], env=env, capture_output=True, text=True
    )
    assert "No module named 'pytest'" in probe.stderr
