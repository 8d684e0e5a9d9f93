"""Every invalid field of a JSON object against a msgspec Struct, each with its reason.

msgspec stops at the first error it meets; a client fixing its payload wants them all.
"""

import re
import types
from typing import Union, get_args, get_origin

import msgspec

# A map's bad key is reported "at `key` in `$.path`".
_MSGSPEC_PATH = re.compile(
    r"^(?P<message>.*?)(?: - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`)?$", re.DOTALL
)
_MISSING_FIELD = re.compile(r"missing required field `(?P<name>[^`]+)`")


class FieldError(msgspec.Struct, kw_only=True):
    field: str
    message: str


def field_error(exc: msgspec.ValidationError, prefix: str = "") -> FieldError:
    """msgspec says "Expected `int`, got `str` - at `$.screen.width`": split field from reason."""
    match = _MSGSPEC_PATH.match(str(exc))
    assert match is not None  # the pattern matches any text
    # A map's value is at `$.properties[...]`: the map is the field to name.
    path = (match["path"] or "").lstrip(".").replace("[...]", "")
    message = f"a key: {match['message']}" if match["key"] else match["message"]
    missing = _MISSING_FIELD.search(message)
    if missing:
        path = f"{path}.{missing['name']}" if path else missing["name"]
        message = "required"
    return FieldError(field=_join(prefix, path) or "$", message=message)


def struct_errors(value: object, cls: type[msgspec.Struct], path: str = "") -> list[FieldError]:
    """The errors of every field of `value` (decoded JSON), nested objects field by field."""
    if not isinstance(value, dict):
        return _convert_errors(value, cls, path)
    errors: list[FieldError] = []
    for field in msgspec.structs.fields(cls):
        name = _join(path, field.encode_name)
        if field.encode_name not in value:
            if field.required:
                errors.append(FieldError(field=name, message="required"))
            continue
        nested = _struct_in(field.type)
        item = value[field.encode_name]
        if nested is not None and isinstance(item, dict):
            errors += struct_errors(item, nested, name)
        else:
            errors += _convert_errors(item, field.type, name)
    return errors


def _convert_errors(value: object, type_: object, path: str) -> list[FieldError]:
    try:
        msgspec.convert(value, type_)
    except msgspec.ValidationError as exc:
        return [field_error(exc, path)]
    return []


def _struct_in(type_: object) -> type[msgspec.Struct] | None:
    """The Struct of a field typed `SomeStruct` or `SomeStruct | None`."""
    candidates = get_args(type_) if get_origin(type_) in (Union, types.UnionType) else (type_,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, msgspec.Struct):
            return candidate
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path and name else path or name
