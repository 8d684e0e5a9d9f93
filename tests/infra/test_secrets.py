"""Tokens, passwords and webhook URLs reach the tasks from Secrets Manager, never as
literals in a template or plain environment variables."""

import re
from collections.abc import Iterator
from typing import Any

from tests.infra.cfn import TEMPLATE_PATHS, deployments, load, resources_of

SECRET_NAME = re.compile(r"TOKEN|PASSWORD|SECRET|WEBHOOK|KEY", re.IGNORECASE)


def containers() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in TEMPLATE_PATHS:
        for name, task in resources_of(load(path), "AWS::ECS::TaskDefinition").items():
            for container in task["Properties"]["ContainerDefinitions"]:
                yield f"{path.stem}/{name}", container


def values_under(node: Any, key: str) -> Iterator[Any]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from values_under(v, key)
    elif isinstance(node, list):
        for item in node:
            yield from values_under(item, key)


def test_no_secret_is_a_plain_environment_variable() -> None:
    checked = 0
    for where, container in containers():
        plain = [v["Name"] for v in container.get("Environment", [])]
        assert not [n for n in plain if SECRET_NAME.search(n)], f"{where}: {plain}"
        checked += 1
    assert checked == 5


def test_the_read_token_and_webhook_come_from_secrets() -> None:
    fetched: set[str] = set()
    for path in TEMPLATE_PATHS:
        template = load(path)
        tasks = resources_of(template, "AWS::ECS::TaskDefinition")
        for deployment in deployments(template) if tasks else []:
            for task in tasks.values():
                for container in deployment.evaluate(task["Properties"])["ContainerDefinitions"]:
                    fetched.update(secret["Name"] for secret in container.get("Secrets", []))

    assert {"CLICKSTREAM_READ_TOKEN", "CLICKSTREAM_ALERT_WEBHOOK_URL", "DAGSTER_PG_PASSWORD"} <= (
        fetched
    )


def test_sign_in_client_secrets_are_dynamic_references() -> None:
    found = [
        value
        for path in TEMPLATE_PATHS
        for value in values_under(load(path)["Resources"], "ClientSecret")
    ]

    assert found
    assert all(v["Fn::Sub"].startswith("{{resolve:secretsmanager:") for v in found)
