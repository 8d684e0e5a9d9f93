"""Reading the CloudFormation templates the way the tests need them.

Templates are parsed by cfn-lint's loader, which turns `!Ref`/`!Sub`/... into their long
`Ref`/`Fn::Sub` forms. `evaluate` resolves a template's conditions and `Fn::If` for one
choice of parameter values, so a test can look at every deployment a template allows.
"""

import copy
import functools
import itertools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = REPO / "infra" / "cloudformation"
TEMPLATE_PATHS = sorted(TEMPLATE_DIR.glob("*.yaml"))

Template = dict[str, Any]
NO_VALUE = object()


def load(path: Path) -> Template:
    """A fresh copy each time, so a test may change its own."""
    return copy.deepcopy(_parsed(path))


@functools.cache
def _parsed(path: Path) -> Template:
    template: Template = cfn_yaml.load(str(path))
    return template


def templates() -> dict[str, Template]:
    return {path.stem: load(path) for path in TEMPLATE_PATHS}


def as_list(node: Any) -> list[Any]:
    """A policy field holds one item or a list of them."""
    return node if isinstance(node, list) else [node]


def resources_of(template: Template, resource_type: str) -> dict[str, Any]:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


class Deployment:
    """One choice of parameter values: its conditions, and values with `Fn::If` chosen."""

    def __init__(self, template: Template, parameters: Mapping[str, str]) -> None:
        self.template = template
        self.parameters = dict(parameters)
        self._conditions: dict[str, bool] = {}

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            self._conditions[name] = bool(self.evaluate(self.template["Conditions"][name]))
        return self._conditions[name]

    def has(self, resource_name: str) -> bool:
        condition = self.template["Resources"][resource_name].get("Condition")
        return condition is None or self.condition(condition)

    def allowed(self) -> bool:
        """Whether the template's Rules accept these parameter values."""
        for rule in self.template.get("Rules", {}).values():
            if "RuleCondition" in rule and not self.evaluate(rule["RuleCondition"]):
                continue
            if not all(self.evaluate(a["Assert"]) for a in rule["Assertions"]):
                return False
        return True

    def evaluate(self, node: Any) -> Any:
        """Conditions and `Fn::If` resolved; other intrinsics are kept as they are."""
        if isinstance(node, list):
            return [v for v in map(self.evaluate, node) if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, value),) = node.items()
            if key == "Ref" and value in self.parameters:
                return self.parameters[value]
            if key == "Ref" and value == "AWS::NoValue":
                return NO_VALUE
            if key == "Condition":
                return self.condition(value)
            if key == "Fn::If":
                name, when_true, when_false = value
                return self.evaluate(when_true if self.condition(name) else when_false)
            if key == "Fn::Equals":
                left, right = self.evaluate(value)
                return left == right
            if key == "Fn::Not":
                return not self.evaluate(value[0])
            if key == "Fn::And":
                return all(self.evaluate(value))
            if key == "Fn::Or":
                return any(self.evaluate(value))
        return {
            k: v for k, v in ((k, self.evaluate(v)) for k, v in node.items()) if v is not NO_VALUE
        }


def deployments(template: Template, given: Mapping[str, str] | None = None) -> Iterator[Deployment]:
    """Every allowed deployment that differs in a condition's outcome.

    Each parameter a condition reads takes its allowed values, or, without any, empty
    and a placeholder. Parameters only the Rules read (settings a choice requires) get
    the placeholder; the rest keep their defaults (or `given`).
    """
    varied = _parameters_read_by(template.get("Conditions", {}))
    ruled = _parameters_read_by(template.get("Rules", {})) - varied
    choices = {
        name: template["Parameters"][name].get("AllowedValues", ["", f"<{name}>"])
        for name in sorted(varied)
    }
    defaults = {
        name: str(parameter.get("Default", f"<{name}>"))
        for name, parameter in template["Parameters"].items()
    }
    defaults.update({name: f"<{name}>" for name in ruled})
    for values in itertools.product(*choices.values()):
        deployment = Deployment(
            template, {**defaults, **(given or {}), **dict(zip(choices, values, strict=True))}
        )
        if deployment.allowed():
            yield deployment


def mappings(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in a template's tree, the node itself included."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from mappings(value)
    elif isinstance(node, list):
        for value in node:
            yield from mappings(value)


def _parameters_read_by(*sections: Any) -> set[str]:
    return {
        node["Ref"]
        for node in mappings(list(sections))
        if set(node) == {"Ref"} and not str(node["Ref"]).startswith("AWS::")
    }
