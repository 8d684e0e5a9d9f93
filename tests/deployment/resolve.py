"""ECS container definitions with their references resolved, as CloudFormation would.

Parameters come from the deploy guide's command for the stack (defaults for the rest),
`Fn::If` from the template's conditions (`tests/infra/cfn.py`), `Fn::ImportValue` from
the exports of the stacks deployed before. A stack's own resources (its secrets, its
database, its load balancer) are what the test stands up for them, named in `physical`;
a reference to anything else fails, naming it.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from tests.infra.cfn import Deployment, Template, mappings

REGION = "eu-west-1"
ACCOUNT_ID = "123456789012"  # moto's default account


@dataclass(frozen=True)
class Container:
    task_definition: str
    name: str
    image: str
    command: list[str]
    environment: dict[str, str]
    # Secret variable -> ValueFrom (an ARN, optionally with `:json-key::`), as ECS reads it.
    secrets: dict[str, str]
    # Every variable the container sets in some deployment (either side of an `Fn::If`).
    settable: frozenset[str]


class Resolver:
    def __init__(
        self,
        template: Template,
        stack_name: str,
        parameters: Mapping[str, str],
        exports: Mapping[str, str],
        physical: Mapping[str, str],
    ) -> None:
        defaults = {
            name: str(spec["Default"])
            for name, spec in template.get("Parameters", {}).items()
            if "Default" in spec
        }
        self.deployment = Deployment(template, {**defaults, **parameters})
        self.pseudo = {
            "AWS::StackName": stack_name,
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
        self.exports = exports
        self.physical = physical

    def containers(self) -> list[Container]:
        found = []
        resources = self.deployment.template["Resources"]
        for name, resource in resources.items():
            if resource["Type"] != "AWS::ECS::TaskDefinition" or not self.deployment.has(name):
                continue
            for definition in resource["Properties"]["ContainerDefinitions"]:
                container = self._container(name, self.deployment.evaluate(definition))
                found.append(replace(container, settable=_names_in(definition)))
        return found

    def _container(self, task_definition: str, definition: dict[str, Any]) -> Container:
        return Container(
            task_definition=task_definition,
            name=definition["Name"],
            image=self.value(definition["Image"]),
            command=[self.value(word) for word in definition.get("Command", [])],
            environment={
                pair["Name"]: self.value(pair["Value"])
                for pair in definition.get("Environment", [])
            },
            secrets={
                pair["Name"]: self.value(pair["ValueFrom"])
                for pair in definition.get("Secrets", [])
            },
            settable=frozenset(),
        )

    def value(self, node: Any) -> str:
        node = self.deployment.evaluate(node)
        if isinstance(node, str | int | float):
            return str(node)
        ((function, argument),) = node.items()
        if function == "Ref":
            return self._named(argument)
        if function == "Fn::GetAtt":
            return self._named(".".join(argument) if isinstance(argument, list) else argument)
        if function == "Fn::ImportValue":
            return self.exports[self.value(argument)]
        if function == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument
            values = {name: self.value(v) for name, v in variables.items()}
            return re.sub(r"\$\{([^}]+)\}", lambda m: values.get(m[1]) or self._named(m[1]), text)
        if function == "Fn::Join":
            separator, parts = argument
            return str(separator).join(self.value(part) for part in parts)
        raise AssertionError(f"the test cannot resolve {function}: {argument}")

    def _named(self, name: str) -> str:
        parameters = self.deployment.parameters
        for source in (parameters, self.pseudo, self.physical):
            if name in source:
                return str(source[name])
        raise AssertionError(f"nothing stands in for {name}: add it to the test's resources")


def _names_in(definition: dict[str, Any]) -> frozenset[str]:
    """The variable names of Environment and Secrets, on every side of their `Fn::If`s."""
    variables = [definition.get("Environment", []), definition.get("Secrets", [])]
    return frozenset(
        node["Name"]
        for node in mappings(variables)
        if "Name" in node and ("Value" in node or "ValueFrom" in node)
    )
