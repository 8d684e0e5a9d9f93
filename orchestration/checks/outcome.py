"""What a check found, in a shape that needs no Dagster: tests and the CLI read it as is."""

from collections.abc import Mapping
from typing import Literal

import msgspec

Severity = Literal["ERROR", "WARN"]
MetadataValue = int | float | str | bool


class CheckOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """One check on one day, as on-call reads it."""

    check: str
    passed: bool
    severity: Severity
    found: str
    metadata: Mapping[str, MetadataValue] = msgspec.field(default_factory=dict)
