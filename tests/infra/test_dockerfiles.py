"""The Dockerfiles, checked without a Docker engine.

They are parsed and held to the rules (pinned bases, the lock, a non-root user, context
files that exist and are not ignored), and the Dagster image's extra package is resolved
by uv against the lock's own pins, as its build does.
"""

import fnmatch
import functools
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.infra.cfn import REPO, TEMPLATE_DIR, load

DOCKER_DIR = REPO / "infra" / "docker"
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

    assert "uv sync --locked --no-dev" in runs
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
    (container,) = resources["TaskDefinition"]["Properties"]["ContainerDefinitions"]

    assert shlex.split(cmd.arguments.replace(",", " ").strip("[]")) == container["Command"]
    assert container["Command"] == ["clickstream", "serve", "--host", "0.0.0.0", "--port", "8000"]


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


def extra_dagster_requirements() -> list[str]:
    lines = instructions(DOCKER_DIR / "dagster.Dockerfile")
    runs = "\n".join(i.arguments for i in lines if i.keyword == "RUN")
    install = re.search(r"uv pip install (.+?)(?:&&|$)", runs, re.MULTILINE)
    assert install, "the Dagster image installs no extra package"
    words = shlex.split(install.group(1))
    takes_value = {"--python", "--constraint", "-c"}
    return [
        w
        for i, w in enumerate(words)
        if not w.startswith("-") and (i == 0 or words[i - 1] not in takes_value)
    ]


def test_dagster_postgres_matches_the_locked_dagster() -> None:
    lock = tomllib.loads((REPO / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}

    assert extra_dagster_requirements() == [f"dagster-postgres=={locked['dagster-aws']}"]


def test_the_dagster_image_dependencies_resolve_against_the_lock(tmp_path: Path) -> None:
    locked_path = tmp_path / "locked.txt"
    extra_path = tmp_path / "extra.in"
    extra_path.write_text("\n".join(extra_dagster_requirements()) + "\n")
    export = [uv(), "export", "--locked", "--no-dev", "--no-emit-project", "--no-hashes"]
    subprocess.run([*export, "--output-file", str(locked_path), "--quiet"], cwd=REPO, check=True)

    compile_command = [uv(), "pip", "compile", str(locked_path), str(extra_path)]
    target = ["--python-version", "3.11", "--python-platform", "x86_64-manylinux_2_28"]
    compiled = subprocess.run(
        [*compile_command, "--constraint", str(locked_path), *target, "--no-header", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert compiled.returncode == 0, compiled.stderr
    pins = dict(line.split("==", 1) for line in compiled.stdout.splitlines() if "==" in line)
    locked = dict(
        line.split(" ;")[0].split("==", 1)
        for line in locked_path.read_text().splitlines()
        if "==" in line
    )
    assert {name: pins[name] for name in locked} == locked, "the extra package moved a pin"
    assert pins["dagster-postgres"] == extra_dagster_requirements()[0].split("==")[1]
    assert "psycopg2-binary" in pins
