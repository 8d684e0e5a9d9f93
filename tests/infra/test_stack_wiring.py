"""Each cross-stack import names an export of the stack its parameter points at.

Stacks refer to each other by name parameters (`DataStackName`, default
`clickstream-data`, is the stack of data.yaml); moto resolves the imports of the stacks
it can deploy, this covers every template.
"""

import re
from collections.abc import Iterator
from typing import Any

from tests.infra.cfn import templates

IMPORT = re.compile(r"\$\{(\w+StackName)\}-(\w+)")


def imports(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if set(node) == {"Fn::ImportValue"}:
            yield node["Fn::ImportValue"]["Fn::Sub"]
        for value in node.values():
            yield from imports(value)
    elif isinstance(node, list):
        for value in node:
            yield from imports(value)


def exports(template: dict[str, Any]) -> set[str]:
    return {
        output["Export"]["Name"]["Fn::Sub"].removeprefix("${AWS::StackName}-")
        for output in template.get("Outputs", {}).values()
        if "Export" in output
    }


def test_every_import_matches_an_export() -> None:
    by_stack_name = {f"clickstream-{name}": t for name, t in templates().items()}
    checked = 0
    for name, template in templates().items():
        for expression in imports(template["Resources"]):
            match = IMPORT.fullmatch(expression)
            assert match, f"{name}: import {expression} is not ${{<X>StackName}}-<Export>"
            parameter, export = match.groups()
            stack_name = template["Parameters"][parameter]["Default"]
            assert stack_name in by_stack_name, f"{name}: {parameter} names no template"
            assert export in exports(by_stack_name[stack_name]), f"{name}: {expression}"
            checked += 1
    assert checked > 20
