"""`make run` builds the frontend again only when a source, a config or the lockfile changed."""

import subprocess

import pytest

from tests.servers import REPO

SOURCES = [
    "frontend/src/dashboard/main.ts",
    "frontend/src/tracker/queue.ts",
    "frontend/dashboard.html",
    "frontend/package-lock.json",
    "frontend/vite.config.ts",
]
NOT_SOURCES = ["frontend/README.md", "frontend/tests/coverage.test.ts", "README.md"]


def _up_to_date(*what_if_newer: str) -> bool:
    """`make -q`: is the build current, if these files were newer than it (`-W`)?"""
    command = ["make", "-q", *(f"--what-if={path}" for path in what_if_newer), "frontend"]
    status = subprocess.run(command, cwd=REPO, capture_output=True, check=False).returncode
    assert status in (0, 1), f"make -q failed ({status})"
    return status == 0


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    subprocess.run(["make", "frontend"], cwd=REPO, check=True, capture_output=True)


def test_a_built_frontend_is_not_built_again() -> None:
    assert _up_to_date()


@pytest.mark.parametrize("source", SOURCES)
def test_a_newer_source_builds_it_again(source: str) -> None:
    assert not _up_to_date(source)


@pytest.mark.parametrize("other", NOT_SOURCES)
def test_other_files_do_not(other: str) -> None:
    assert _up_to_date(other)
