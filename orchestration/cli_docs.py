"""The README's command reference, rendered from the `clickstream` parser itself.

`python -m orchestration.cli_docs` rewrites the part of README.md between the markers;
a test fails when the README differs, so the reference cannot drift from the command.
"""

import argparse
import functools
import sys
from pathlib import Path

from orchestration.cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"
START = "<!-- cli:start -->"
END = "<!-- cli:end -->"
# A fixed width: the terminal's would make the rendering differ between machines.
WIDTH = 88


def render_reference() -> str:
    parser = build_parser()
    sections = [_section("clickstream", parser)]
    for name, subparser in _subcommands(parser).items():
        sections.append(_section(f"clickstream {name}", subparser))
    return "\n".join(sections)


def _section(command: str, parser: argparse.ArgumentParser) -> str:
    parser.formatter_class = functools.partial(argparse.HelpFormatter, width=WIDTH)
    return f"#### `{command}`\n\n```text\n{parser.format_help().rstrip()}\n```\n"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    # argparse keeps its subcommands on a private action class; there is no public accessor.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def with_reference(readme: str) -> str:
    """The README text with the reference between the markers replaced."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"README.md has no {START} ... {END} markers")
    return f"{head}{START}\n{render_reference()}{END}{tail}"


def main() -> int:
    current = README.read_text()
    updated = with_reference(current)
    if updated != current:
        README.write_text(updated)
        print(f"updated the command reference in {README.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
