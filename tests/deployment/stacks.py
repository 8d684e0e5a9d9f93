"""The deploy guide's stacks, in its order and with its parameters, against moto's server.

Stacks whose resources moto models (images, data, trigger) are created by moto's
CloudFormation, so their tables, buckets, queue and topic exist and their exports are
what the stack made. The others are resolved here (`resolve.py`) over what the test
stands up for their own resources: a secret in moto's Secrets Manager for a generated
secret, the test's PostgreSQL for the RDS database, a bucket for the log bucket.
"""

import json
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3

from tests.deployment.resolve import REGION, Container, Resolver
from tests.infra.cfn import REPO, load
from tests.infra.test_deploy_docs import DeployCommand, deploy_commands

GUIDE = REPO / "infra" / "README.md"
CREATED_BY_MOTO = {"images", "data", "trigger"}
# `$(...)` in the guide other than `$(output STACK KEY)`: the image tag from git.
IMAGE_TAG = "test"


@dataclass
class Account:
    """What the guide's commands deployed: exports, outputs, every container resolved."""

    client: Callable[[str], Any]
    exports: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    containers: dict[str, Container] = field(default_factory=dict)

    def secret(self, value_from: str) -> str:
        """A secret's value as ECS injects it: `<arn>[:json-key::]`."""
        parts = value_from.split(":")
        arn, json_key = ":".join(parts[:7]), (parts[7] if len(parts) > 7 else "")
        value: str = self.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"]
        return str(json.loads(value)[json_key]) if json_key else value

    def environment(self, container: str) -> dict[str, str]:
        """The container's environment and secrets, as ECS would start it."""
        found = self.containers[container]
        secrets = {name: self.secret(value_from) for name, value_from in found.secrets.items()}
        return {**found.environment, **secrets}


def guide_variables(guide: str) -> dict[str, str]:
    """The shell variables the guide sets (`VPC=...`, `export AWS_REGION=...`)."""
    found: dict[str, str] = {}
    for line in guide.splitlines():
        if re.fullmatch(r"(export )?([A-Z_]+=[^\s$()]+ ?)+", line):
            words = shlex.split(line.removeprefix("export "))
            found.update(word.partition("=")[::2] for word in words)
    return found


def deploy_guide(
    client: Callable[[str], Any], physical: Mapping[str, Mapping[str, str]]
) -> Account:
    """`physical`: per stack, what stands in for its own resources (`Ref`/`GetAtt` names)."""
    account = Account(client)
    guide = GUIDE.read_text()
    variables = guide_variables(guide)
    for line in guide.splitlines():
        if not line.startswith("aws cloudformation deploy "):
            continue
        line = re.sub(r"\$\(output (\S+) (\S+)\)", lambda m: account.outputs[m[1]][m[2]], line)
        (command,) = deploy_commands(re.sub(r"\$\([^)]*\)", IMAGE_TAG, line))
        parameters = {
            name: re.sub(r"\$(\w+)", lambda m: variables.get(m[1], IMAGE_TAG), value)
            for name, value in command.overrides.items()
        }
        _deploy(account, command, parameters, physical)
    return account


def _deploy(
    account: Account,
    command: DeployCommand,
    parameters: dict[str, str],
    physical: Mapping[str, Mapping[str, str]],
) -> None:
    template_name = command.template_file.rsplit("/", 1)[-1].removesuffix(".yaml")
    if template_name in CREATED_BY_MOTO:
        account.outputs[command.stack_name] = _create_in_moto(account, command, parameters)
        exports = account.client("cloudformation").list_exports()["Exports"]
        account.exports.update({e["Name"]: e["Value"] for e in exports})
        return
    template = load(REPO / command.template_file)
    own = physical.get(command.stack_name, {})
    resolver = Resolver(template, command.stack_name, parameters, account.exports, own)
    account.containers.update({c.name: c for c in resolver.containers()})
    outputs: dict[str, str] = {}
    for key, output in resolver.deployment.evaluate(template.get("Outputs", {})).items():
        try:
            outputs[key] = resolver.value(output["Value"])
        except AssertionError:
            continue  # an output of a resource nobody reads here (cluster, service)
        if "Export" in output:
            account.exports[resolver.value(output["Export"]["Name"])] = outputs[key]
    account.outputs[command.stack_name] = outputs


def _create_in_moto(
    account: Account, command: DeployCommand, parameters: dict[str, str]
) -> dict[str, str]:
    cloudformation = account.client("cloudformation")
    cloudformation.create_stack(
        StackName=command.stack_name,
        TemplateBody=(REPO / command.template_file).read_text(),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=command.capabilities,
    )
    stack = cloudformation.describe_stacks(StackName=command.stack_name)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def moto_client(endpoint: str) -> Callable[[str], Any]:
    def client(service: str) -> Any:
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    return client
