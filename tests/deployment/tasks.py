"""Starting a task's container here as ECS would: its command, image ENV and task environment."""

import shlex
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa

from tests.aws.athena_double import athena_result
from tests.deployment.resolve import ACCOUNT_ID, REGION
from tests.deployment.stacks import Account
from tests.infra.test_dockerfiles import DOCKER_DIR, stages
from tests.servers import answers, free_port, started


def task_environment(
    account: Account, container: str, moto: str, home: Path, dagster_home: Path | None = None
) -> dict[str, str]:
    """The image's ENV, then the task definition's environment and secrets, as ECS sets them."""
    image = account.containers[container].image
    dockerfile = DOCKER_DIR / f"{image.split(':')[0].rsplit('/', 1)[-1]}.Dockerfile"
    environment: dict[str, str] = {}
    for instruction in stages(dockerfile)[-1]:
        if instruction.keyword == "ENV":
            words = shlex.split(instruction.arguments)
            environment.update(word.partition("=")[::2] for word in words)
    # The image's paths, here: its venv is ours, its Dagster home the test's.
    venv_bin = str(Path(sys.executable).parent)
    environment["PATH"] = (
        environment["PATH"].replace("/app/.venv/bin", venv_bin).replace("$PATH", "/usr/bin:/bin")
    )
    if "DAGSTER_HOME" in environment:
        assert dagster_home is not None
        environment["DAGSTER_HOME"] = str(dagster_home)
    return {**environment, **account.environment(container), **aws_platform(moto, home)}


def aws_platform(moto: str, home: Path) -> dict[str, str]:
    """What the platform gives every task: an endpoint and the task role's credentials."""
    return {
        "AWS_ENDPOINT_URL": moto,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "HOME": str(home),
    }


def local_command(command: list[str], port: int) -> list[str]:
    """The task's command, bound to 127.0.0.1 and a free port instead of 0.0.0.0:<its port>."""
    words = list(command)
    for option, value in (("--host", "127.0.0.1"), ("--port", str(port))):
        words[words.index(option) + 1] = value
    return words


@contextmanager
def running(
    account: Account, container: str, environment: dict[str, str], logs: Path, probe: str
) -> Iterator[str]:
    """The container's process, once `probe` answers 200; its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = local_command(account.containers[container].command, port)
    log = logs / f"{container}.log"
    with started(command, environment, log, lambda: answers(f"{base_url}{probe}")):
        yield base_url


def queue_athena(tables: list[pa.Table | pa.Schema], moto: str) -> None:
    """Moto's answers to the next queries, in order (a schema: no rows)."""
    results = [t.empty_table() if isinstance(t, pa.Schema) else t for t in tables]
    body = {
        "account_id": ACCOUNT_ID,
        "region": REGION,
        "results": [athena_result(table) for table in results],
    }
    httpx.post(f"{moto}/moto-api/static/athena/query-results", json=body).raise_for_status()


LOCATION_QUERY = """
query {
  workspaceOrError {
    ... on Workspace { locationEntries { locationOrLoadError { __typename } } }
  }
}
"""


RUN_QUERY = """
query ($runId: ID!) { runOrError(runId: $runId) { ... on Run { status } } }
"""


def graphql(base_url: str, query: str, **variables: Any) -> dict[str, Any]:
    reply = httpx.post(
        f"{base_url}/graphql", json={"query": query, "variables": variables}, timeout=60.0
    )
    reply.raise_for_status()
    data: dict[str, Any] = reply.json()["data"]
    return data


def location_loaded(base_url: str, timeout_s: float = 300.0) -> bool:
    """Whether the webserver loaded the code location (False: it failed to, or timed out)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        entries = graphql(base_url, LOCATION_QUERY)["workspaceOrError"]["locationEntries"]
        kinds = {
            e["locationOrLoadError"]["__typename"] for e in entries if e["locationOrLoadError"]
        }
        if kinds:
            return kinds == {"RepositoryLocation"}
        time.sleep(1.0)
    return False


def wait_for_run(base_url: str, run_id: str, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = str(graphql(base_url, RUN_QUERY, runId=run_id)["runOrError"]["status"])
        if status in {"SUCCESS", "FAILURE", "CANCELED"}:
            return status
        time.sleep(2.0)
    return "TIMED OUT"
