"""OpenAPI request bodies for handlers that decode their body themselves.

The intake reads raw bytes (each batch item is validated on its own, and text/plain
bodies avoid a CORS preflight), so Litestar cannot infer the body's schema: it is taken
from msgspec's JSON Schema of the contract instead, inlined (Litestar rebuilds the
components section from the types it sees).
"""

import re
from dataclasses import dataclass, fields
from typing import Any

import msgspec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema

from ingest_service.contract import ClickIn

_SCHEMA_FIELDS = {f.name for f in fields(Schema)}
BODY_MEDIA_TYPES = ("application/json", "text/plain")


def operation_with_body(body_type: type, description: str) -> type[Operation]:
    """An Operation class whose request body is `body_type`, for `@post(operation_class=...)`."""
    # ClickIn's definition is always there: a batch's raw items are documented as clicks.
    (schema, _), definitions = msgspec.json.schema_components([body_type, ClickIn])
    spec = _to_spec(schema, definitions)
    body = RequestBody(
        content={media: OpenAPIMediaType(schema=spec) for media in BODY_MEDIA_TYPES},
        description=description,
        required=True,
    )

    @dataclass
    class _OperationWithBody(Operation):
        def __post_init__(self) -> None:
            self.request_body = body

    return _OperationWithBody


def _to_spec(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_to_spec(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _to_spec(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
    kwargs: dict[str, Any] = {}
    for key, value in node.items():
        name = re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()
        if name not in _SCHEMA_FIELDS:
            continue
        if name == "type":
            kwargs[name] = OpenAPIType(value)
        elif name == "properties":
            kwargs[name] = {prop: _to_spec(sub, definitions) for prop, sub in value.items()}
        else:
            kwargs[name] = _to_spec(value, definitions)
    return Schema(**kwargs)
