"""The Dockerfiles, checked without a Docker engine.

They are parsed and held to the rules (pinned bases, the lock, a non-root user, context
files that exist and are not ignored), and what each installs is read from the lock, as
its build installs it: the project's dependencies and its role's group, no other.
"""

import fnmatch
import functools
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.infra.cfn import REPO, TEMPLATE_DIR, load

DOCKER_DIR = REPO / "infra" / "docker"
# The dependency groups each image installs beside the project's own (pyproject.toml).
IMAGE_GROUPS = {"ingest.Dockerfile": ["dashboard"], "dagster.Dockerfile": ["pipeline"]}
PIPELINE_ONLY = {"dagster", "dagster-aws", "dagster-postgres", "dagster-webserver"}
DOCKERFILES = sorted(DOCKER_DIR.glob("*.Dockerfile"))
PINNED_IMAGE = re.compile(r"[\w./-]+(:[\w.-]*\d+\.\d+\.\d+[\w.-]*)?(@sha256:[0-9a-f]{64})?")


@dataclass
class Instruction:
    keyword: str
    arguments: str


def instructions(path: Path) -> list[Instruction]:
    logical = re.sub(r"\\\n", " ", path.read_text())
    lines = [line.strip() for line in logical.splitlines()]
    parsed = [line.split(maxsplit=1) for line in lines if line and not line.startswith("#")]
    return [Instruction(words[0].upper(), words[1] if len(words) > 1 else "") for words in parsed]


def stages(path: Path) -> list[list[Instruction]]:
    found: list[list[Instruction]] = []
    for instruction in instructions(path):
        if instruction.keyword == "FROM":
            found.append([])
        found[-1].append(instruction)
    return found


@functools.cache
def dockerignore_patterns() -> list[str]:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def dockerignored(relative: str) -> bool:
    """Docker's rule: the last matching pattern wins, a pattern also matches parent dirs."""
    ignored = False
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in dockerignore_patterns():
        body = pattern.removeprefix("!").rstrip("/")
        if any(fnmatch.fnmatchcase(prefix, body) for prefix in prefixes):
            ignored = not pattern.startswith("!")
    return ignored


def uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv") or str(REPO / ".tools" / "bin" / "uv")
    assert Path(found).exists(), "uv not found: run `make install`"
    return found


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_base_images_are_pinned(dockerfile: Path) -> None:
    stage_names = set()
    for instruction in instructions(dockerfile):
        if instruction.keyword != "FROM":
            continue
        image, *alias = instruction.arguments.split()
        if image not in stage_names:
            assert "latest" not in image, image
            assert PINNED_IMAGE.fullmatch(image), f"{image} is not pinned to a version"
            assert ":" in image or "@" in image, f"{image} has no tag"
        stage_names.update(alias[1:])


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_the_final_stage_runs_as_a_non_root_user(dockerfile: Path) -> None:
    final = stages(dockerfile)[-1]
    users = [i.arguments for i in final if i.keyword == "USER"]

    assert users, "the final stage sets no USER"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert final.index(next(i for i in final if i.keyword == "USER")) > max(
        final.index(i) for i in final if i.keyword in {"RUN", "COPY"}
    ), "USER comes after the last RUN or COPY, which run as root"


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_dependencies_come_from_the_lock(dockerfile: Path) -> None:
    runs = " ".join(i.arguments for i in instructions(dockerfile) if i.keyword == "RUN")
    copies = [i.arguments for i in instructions(dockerfile) if i.keyword == "COPY"]
    makefile = (REPO / "Makefile").read_text()
    uv_version = re.search(r"^UV_VERSION := (\S+)$", makefile, re.MULTILINE)

    syncs = re.findall(r"uv sync ([^&\n]+)", runs)
    groups = " ".join(f"--group {group}" for group in IMAGE_GROUPS[dockerfile.name])

    assert syncs, "the image installs nothing from the lock"
    for sync in syncs:
        assert sync.startswith(f"--locked --no-default-groups {groups}"), sync
    assert "pyproject.toml uv.lock ./" in copies
    assert uv_version, "the Makefile pins no UV_VERSION"
    assert f"uv=={uv_version.group(1)}" in runs, "the image's uv differs from the Makefile's"


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_copied_context_files_exist_and_are_not_ignored(dockerfile: Path) -> None:
    for instruction in instructions(dockerfile):
        words = shlex.split(instruction.arguments)
        if instruction.keyword != "COPY" or any(w.startswith("--from") for w in words):
            continue
        for source in (w for w in words[:-1] if not w.startswith("--")):
            path = REPO / source
            assert path.exists(), f"{dockerfile.name} copies {source}, which does not exist"
            files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
            sent = (not dockerignored(str(f.relative_to(REPO))) for f in files)
            assert any(sent), f"{dockerfile.name} copies {source}, which .dockerignore leaves out"


def test_dockerignore_keeps_local_state_out() -> None:
    for path in [".venv/bin/python", "data/clicks.sqlite3", ".git/HEAD", "frontend/node_modules/x"]:
        assert dockerignored(path), path
    assert not dockerignored("ingest_service/app.py")


def test_the_ingest_image_runs_what_the_task_definition_runs() -> None:
    (cmd,) = [i for i in instructions(DOCKER_DIR / "ingest.Dockerfile") if i.keyword == "CMD"]
    resources = load(TEMPLATE_DIR / "ingest.yaml")["Resources"]
    containers = resources["TaskDefinition"]["Properties"]["ContainerDefinitions"]
    commands = {container["Name"]: container["Command"] for container in containers}

    assert shlex.split(cmd.arguments.replace(",", " ").strip("[]")) == commands["intake"]
    assert commands == {
        "intake": ["python", "-m", "ingest_service", "--host", "0.0.0.0", "--port", "8000"],
        "dashboard": [
            "python",
            "-m",
            "orchestration.dashboard",
            "--host",
            "0.0.0.0",
            "--port",
            "8001",
        ],
    }


def test_the_dagster_image_carries_the_production_instance() -> None:
    lines = instructions(DOCKER_DIR / "dagster.Dockerfile")
    copies = [i.arguments for i in lines if i.keyword == "COPY"]
    dagster_home = re.search(r"DAGSTER_HOME=(\S+)", " ".join(i.arguments for i in lines))

    assert dagster_home
    assert any(
        c.endswith(f"infra/dagster/dagster.yaml {dagster_home.group(1)}/dagster.yaml")
        for c in copies
    )
    assert "workspace.yaml ./" in copies


def installed(dockerfile: str) -> dict[str, str]:
    """Package -> version, as the image's `uv sync` installs them from the lock."""
    groups = [word for group in IMAGE_GROUPS[dockerfile] for word in ("--group", group)]
    export = [uv(), "export", "--locked", "--no-default-groups", *groups, "--no-emit-project"]
    listed = subprocess.run(
        [*export, "--no-hashes", "--quiet"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    return dict(line.split(" ;")[0].split("==", 1) for line in listed.splitlines() if "==" in line)


def test_the_ingest_image_carries_neither_dagster_nor_duckdb_nor_gx() -> None:
    packages = installed("ingest.Dockerfile")

    assert {"litestar", "boto3", "sqlglot"} <= set(packages)
    assert not set(packages) & (PIPELINE_ONLY | {"duckdb", "great-expectations"})


def test_the_dagster_image_has_postgres_and_aws_of_its_dagster_release() -> None:
    packages = installed("dagster.Dockerfile")
    # dagster 1.13.N goes with its libraries 0.29.N.
    minor, patch = packages["dagster"].split(".")[1:]

    for library in ("dagster-postgres", "dagster-aws"):
        assert packages[library] == f"0.{int(minor) + 16}.{patch}", library
    assert "psycopg2-binary" in packages
    assert "duckdb" not in packages
