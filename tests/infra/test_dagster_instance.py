"""The production dagster.yaml and the orchestration stack agree.

The webserver, the daemon and every run load the same code location and instance, so
their containers get the same environment, and it provides each `env:` the instance reads.
"""

from collections.abc import Iterator
from typing import Any

from cfnlint.decode import cfn_yaml

from tests.infra.cfn import REPO, TEMPLATE_DIR, Deployment, deployments, load

INSTANCE_PATH = REPO / "infra" / "dagster" / "dagster.yaml"
TASK_DEFINITIONS = ["WebserverTaskDefinition", "DaemonTaskDefinition", "RunTaskDefinition"]


def env_names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if set(node) == {"env"}:
            yield node["env"]
        for value in node.values():
            yield from env_names(value)


def container(deployment: Deployment, task_definition: str) -> dict[str, Any]:
    resource = deployment.template["Resources"][task_definition]
    (only,) = deployment.evaluate(resource["Properties"])["ContainerDefinitions"]
    return dict(only)


def test_the_three_tasks_share_one_environment() -> None:
    for deployment in deployments(load(TEMPLATE_DIR / "orchestration.yaml")):
        webserver, daemon, run = (container(deployment, t) for t in TASK_DEFINITIONS)
        assert webserver["Environment"] == daemon["Environment"] == run["Environment"]
        assert webserver["Secrets"] == daemon["Secrets"] == run["Secrets"]


def test_every_variable_the_instance_reads_is_provided() -> None:
    instance = cfn_yaml.load(str(INSTANCE_PATH))
    needed = set(env_names(instance))
    assert "DAGSTER_PG_PASSWORD" in needed
    for deployment in deployments(load(TEMPLATE_DIR / "orchestration.yaml")):
        run = container(deployment, "RunTaskDefinition")
        provided = {v["Name"] for v in run["Environment"]} | {s["Name"] for s in run["Secrets"]}
        assert needed <= provided, f"missing {needed - provided}"


def test_the_run_launcher_names_the_run_task_definition() -> None:
    instance = cfn_yaml.load(str(INSTANCE_PATH))
    launcher = instance["run_launcher"]["config"]
    template = load(TEMPLATE_DIR / "orchestration.yaml")
    deployment = next(deployments(template))
    run_definition = template["Resources"]["RunTaskDefinition"]["Properties"]
    environment = {
        v["Name"]: v["Value"] for v in container(deployment, "RunTaskDefinition")["Environment"]
    }

    assert launcher["task_definition"] == {"env": "DAGSTER_RUN_TASK_DEFINITION"}
    assert environment["DAGSTER_RUN_TASK_DEFINITION"] == run_definition["Family"]
    assert container(deployment, "RunTaskDefinition")["Name"] == launcher["container_name"]


def test_the_roles_reach_the_compute_log_prefix() -> None:
    instance = cfn_yaml.load(str(INSTANCE_PATH))
    prefix = instance["compute_logs"]["config"]["prefix"]
    template_text = (TEMPLATE_DIR / "orchestration.yaml").read_text()

    assert template_text.count(f'"${{ComputeLogsBucket.Arn}}/{prefix}/*"') == 2


def test_the_summaries_pool_is_limited_as_in_the_local_instance() -> None:
    production = cfn_yaml.load(str(INSTANCE_PATH))
    local = cfn_yaml.load(str(REPO / "dagster.yaml"))
    assert production["concurrency"]["pools"] == local["concurrency"]["pools"]


def test_both_instances_retry_runs_whose_worker_died_not_runs_a_step_failed() -> None:
    for path in (INSTANCE_PATH, REPO / "dagster.yaml"):
        retries = cfn_yaml.load(str(path))["run_retries"]
        assert retries["enabled"] is True
        assert retries["max_retries"] >= 1
        assert retries["retry_on_asset_or_op_failure"] is False
