"""Every template is clean under cfn-lint (errors and warnings), linted in one pass."""

import pytest
from cfnlint.api import ManualArgs, lint_by_config

from tests.infra.cfn import TEMPLATE_PATHS


@pytest.mark.slow
def test_templates_pass_cfn_lint() -> None:
    assert TEMPLATE_PATHS, "no templates found under infra/cloudformation"
    matches = lint_by_config(
        ManualArgs(templates=[str(path) for path in TEMPLATE_PATHS], regions=["us-east-1"])
    )
    assert not matches, "\n".join(str(match) for match in matches)
