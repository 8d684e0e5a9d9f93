"""The deploy guide's commands fit the templates they deploy.

Read from infra/README.md and, once folded in, from the README's section between
`<!-- deploy:start -->` and `<!-- deploy:end -->`: every template is deployed once, after
the stacks it imports from, with the capabilities it needs, only real parameters, every
required one, and every parameter explained.
"""

import re
import shlex
from dataclasses import dataclass, field

import pytest

from tests.infra.cfn import REPO, TEMPLATE_PATHS, Template, load, resources_of

IAM_TYPES = ("AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy")
NAMED_IAM = ("RoleName", "ManagedPolicyName")


@dataclass
class DeployCommand:
    template_file: str = ""
    stack_name: str = ""
    capabilities: list[str] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)


def guides() -> dict[str, str]:
    found = {"infra/README.md": (REPO / "infra" / "README.md").read_text()}
    readme = (REPO / "README.md").read_text()
    section = re.search(r"<!-- deploy:start -->(.*)<!-- deploy:end -->", readme, re.DOTALL)
    if section:
        found["README.md"] = section.group(1)
    return found


def deploy_commands(guide: str) -> list[DeployCommand]:
    commands = []
    for line in guide.splitlines():
        if not line.startswith("aws cloudformation deploy "):
            continue
        # Command substitutions are values computed at deploy time: one opaque word each.
        words = shlex.split(re.sub(r"\$\([^)]*\)", "COMPUTED", line))[3:]
        command = DeployCommand()
        option = ""
        for word in words:
            if word.startswith("--"):
                option = word
            elif option == "--template-file":
                command.template_file = word
            elif option == "--stack-name":
                command.stack_name = word
            elif option == "--capabilities":
                command.capabilities.append(word)
            elif option == "--parameter-overrides":
                key, _, value = word.partition("=")
                command.overrides[key] = value
            else:
                raise AssertionError(f"unexpected {word!r} after {option} in: {line}")
        commands.append(command)
    return commands


def capability_needed(template: Template) -> str | None:
    iam = [r for t in IAM_TYPES for r in resources_of(template, t).values()]
    if any(name in r["Properties"] for r in iam for name in NAMED_IAM):
        return "CAPABILITY_NAMED_IAM"
    return "CAPABILITY_IAM" if iam else None


@pytest.mark.parametrize("source", list(guides()))
def test_the_guide_deploys_every_template_once_in_order(source: str) -> None:
    commands = deploy_commands(guides()[source])
    deployed = [c.template_file for c in commands]

    assert sorted(deployed) == sorted(str(p.relative_to(REPO)) for p in TEMPLATE_PATHS)
    for position, command in enumerate(commands):
        template = load(REPO / command.template_file)
        parameters = template.get("Parameters", {})
        earlier = {c.stack_name for c in commands[:position]}
        given = set(command.overrides)
        required = {name for name, p in parameters.items() if "Default" not in p}
        where = f"{source}: {command.stack_name}"

        assert given <= set(parameters), f"{where}: no such parameters {given - set(parameters)}"
        assert required <= given, f"{where}: missing {required - given}"
        needed = capability_needed(template)
        assert command.capabilities == ([needed] if needed else []), f"{where}: capabilities"
        for name in (n for n in parameters if n.endswith("StackName")):
            stack = command.overrides.get(name, parameters[name]["Default"])
            assert stack in earlier, f"{where}: imports from {stack}, not deployed before it"


@pytest.mark.parametrize("source", list(guides()))
def test_the_guide_explains_every_parameter(source: str) -> None:
    guide = guides()[source]
    for path in TEMPLATE_PATHS:
        for name in load(path).get("Parameters", {}):
            assert f"`{name}`" in guide, f"{source} does not explain {path.name}'s {name}"


def test_the_command_reader_reads_options_and_overrides() -> None:
    (command,) = deploy_commands(
        "aws cloudformation deploy --template-file infra/x.yaml --stack-name s "
        "--capabilities CAPABILITY_IAM --parameter-overrides A=1 B=$(output s B)\n"
    )

    assert command == DeployCommand(
        "infra/x.yaml", "s", ["CAPABILITY_IAM"], {"A": "1", "B": "COMPUTED"}
    )
