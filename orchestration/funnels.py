"""Funnels: ordered steps (a page, a button, or a property) defined in a small TOML file.

```toml
[[funnel]]
name = "Pricing to checkout"
steps = [{ page = "/pricing" }, { button = "Start free trial" }, { page = "/checkout" }]
```

The file (`CLICKSTREAM_FUNNELS_FILE`) is read by `configured_funnels` when the
pipeline's code location and the dashboard start, and by an erase, which recounts the
funnels of the days it rewrites. A wrong file never stops the pipeline or the dashboard:
the funnels table is then left as it was (its step fails with the error) and the
dashboard's funnel panel shows the error, naming what to fix. An erase refuses to start.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

import msgspec

from ingest_service.contract import (
    BUTTON_MAX_LENGTH,
    PROPERTY_KEY_MAX_LENGTH,
    PROPERTY_VALUE_MAX_LENGTH,
    properties_json,
)
from ingest_service.settings import LakeSettings
from orchestration.sql import NO_FUNNEL_STEPS

MAX_STEPS = 8  # the funnels SQL follows at most this many steps
MAX_NAME_LENGTH = 100


class FunnelConfigError(ValueError):
    """The funnel file is wrong; the message says where and what to fix."""


class Step(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    page: str | None = None
    button: str | None = None
    property: str | None = None
    value: str | None = None


class Funnel(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str
    steps: list[Step]


class _File(msgspec.Struct, forbid_unknown_fields=True):
    funnel: list[Funnel] = []


@dataclass(frozen=True)
class FunnelConfig:
    """The funnels of a file, or, when it is wrong, none and the error."""

    source: str
    funnels: tuple[Funnel, ...] = ()
    error: str | None = None


def configured_funnels(settings: LakeSettings) -> FunnelConfig:
    """The funnels every reader counts or shows: the pipeline, the dashboard, an erase."""
    return load_funnels(settings.funnels_file)


def load_funnels(path: Path) -> FunnelConfig:
    """The file's funnels; no file is no funnels. Never raises: a wrong file is reported."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return FunnelConfig(source=str(path))
    except OSError as exc:
        return FunnelConfig(source=str(path), error=f"{path}: {exc.strerror}")
    try:
        return FunnelConfig(source=str(path), funnels=parse_funnels(text))
    except FunnelConfigError as exc:
        return FunnelConfig(source=str(path), error=f"{path}: {exc}")


def parse_funnels(text: str) -> tuple[Funnel, ...]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FunnelConfigError(f"not valid TOML: {exc}") from None
    try:
        funnels = msgspec.convert(raw, _File).funnel
    except msgspec.ValidationError as exc:
        raise FunnelConfigError(str(exc).replace("$.funnel", "funnel")) from None
    names: set[str] = set()
    for number, funnel in enumerate(funnels, 1):
        where = f"funnel {number} ({funnel.name!r})"
        if not funnel.name.strip() or len(funnel.name) > MAX_NAME_LENGTH:
            raise FunnelConfigError(f"{where}: a name of 1 to {MAX_NAME_LENGTH} characters")
        if funnel.name in names:
            raise FunnelConfigError(f"{where}: the name is used twice")
        names.add(funnel.name)
        if not 2 <= len(funnel.steps) <= MAX_STEPS:
            raise FunnelConfigError(f"{where}: 2 to {MAX_STEPS} steps, not {len(funnel.steps)}")
        for index, step in enumerate(funnel.steps, 1):
            _check_step(step, f"{where}, step {index}")
    return tuple(funnels)


def _check_step(step: Step, where: str) -> None:
    given = [kind for kind in ("page", "button", "property") if getattr(step, kind) is not None]
    if len(given) != 1:
        raise FunnelConfigError(f"{where}: exactly one of page, button or property")
    if (step.property is None) != (step.value is None):
        raise FunnelConfigError(f"{where}: a property needs a value, and only a property has one")
    if step.page is not None and not step.page.startswith("/"):
        raise FunnelConfigError(f"{where}: a page is a path starting with /, e.g. /pricing")
    limits = {"button": BUTTON_MAX_LENGTH, "property": PROPERTY_KEY_MAX_LENGTH}
    limits["value"] = PROPERTY_VALUE_MAX_LENGTH
    for field, limit in limits.items():
        text = getattr(step, field)
        if text is not None and not 1 <= len(text) <= limit:
            raise FunnelConfigError(f"{where}: {field} of 1 to {limit} characters")


def step_rows(funnels: tuple[Funnel, ...]) -> list[tuple[str, int, str, str]]:
    """(funnel, step, kind, target) per step; a property's target is how the stored JSON
    of an event's properties spells that key and value."""
    rows = []
    for funnel in funnels:
        for number, step in enumerate(funnel.steps, 1):
            if step.property is not None and step.value is not None:
                # `{"k":"v"}` without its braces: the pair as it appears in the JSON.
                pair = properties_json({step.property: step.value})[1:-1]
                rows.append((funnel.name, number, "property", pair))
            else:
                kind = "page" if step.page is not None else "button"
                rows.append((funnel.name, number, kind, str(step.page or step.button)))
    return rows


def step_values_sql(funnels: tuple[Funnel, ...]) -> str:
    """The rows as a SQL VALUES list (Athena and DuckDB alike); none without funnels."""
    if not funnels:
        return NO_FUNNEL_STEPS
    return ", ".join(
        f"({_literal(name)}, {number}, {_literal(kind)}, {_literal(target)})"
        for name, number, kind, target in step_rows(funnels)
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
