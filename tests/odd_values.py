"""A generated corpus of odd values, for tests that throw them at every field and parameter.

Each family is built from its parts (limits of the calendar, control and invisible
characters, numbers past every machine width, wrong JSON shapes) rather than listed by
hand, so that a new part multiplies through the whole family.
"""

import copy
import itertools
from collections.abc import Iterator
from typing import Any

_DAYS = ["0001-01-01", "0001-01-02", "1969-12-31", "1970-01-01", "2000-01-01", "2099-12-31"]
_DAYS += ["2100-01-01", "9999-12-30", "9999-12-31", "2024-02-29", "2026-02-29", "0000-01-01"]
_ZONES = ["", "Z", "+14:00", "-12:00", "+23:59", "-23:59", "-00:01", "+00:01", "+24:00"]
_TIMES = ["T00:00:00", "T23:59:59.999999", "T24:00:00", "T12:00:00.1234567"]
TIMESTAMPS = [day + time + zone for day, time, zone in itertools.product(_DAYS, _TIMES, _ZONES)]

# C0 and C1 controls, DEL, the zero-width and direction characters, BOM, replacement.
SPECIAL_CHARS = ["\x00", "\x01", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\u00a0"]
SPECIAL_CHARS += [
    "\u200b",
    "\u200e",
    "\u202e",
    "\u2028",
    "\u2060",
    "\ufeff",
    "\ufffd",
    "\U0001f600",
]
_WORDS = ["", " ", "x", "=1+1", "-1", "@SUM(A1)", "%00", "%ff", "../../etc/passwd"]
_WORDS += ["<script>alert(1)</script>", "' OR 1=1 --", "{{7*7}}", "${jndi:x}", "null"]
TEXT = (
    _WORDS
    + [char + word for char, word in itertools.product(SPECIAL_CHARS, ["", "=cmd", "x"])]
    + ["x" * n for n in (64, 65, 128, 129, 200, 201, 512, 513, 2048, 2049, 100_000)]
    + ["é" * 1000, "\U0001f600" * 300]
)
_MAGNITUDES = [0, 1, 2**31, 2**53 + 1, 2**63, 2**64, 10**30]
INTEGERS = [sign * m for sign, m in itertools.product((1, -1), _MAGNITUDES)]
FLOATS = [0.5, -0.0, 1e-320, 1.7976931348623157e308, -1.7976931348623157e308, 90.0000001]
SHAPES: list[Any] = [None, True, False, [], {}, [None], {"a": None}, [[[[[]]]]], {"": {"": {}}}]
JSON_VALUES: list[Any] = [*TEXT, *TIMESTAMPS, *INTEGERS, *FLOATS, *SHAPES]

# What a query string or form field can carry: text only.
DATE_PARAMETERS = [*_DAYS, "99999-01-01", "2026-13-01", "2026-1-1", "20260101", "today"]
QUERY_VALUES = DATE_PARAMETERS + [str(n) for n in INTEGERS[::2]] + TEXT[:12] + SPECIAL_CHARS
QUERY_VALUES += ["1e9", "NaN", "-0", "x" * 5000]


def leaf_paths(document: Any, prefix: str = "") -> Iterator[str]:
    """Every field of a JSON document, dotted (`device.screen.width`), leaves and branches."""
    if isinstance(document, dict):
        for key, value in document.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            yield from leaf_paths(value, path)


def with_value(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of the document with the field at `path` set to `value`."""
    changed = copy.deepcopy(document)
    *parents, last = path.split(".")
    target = changed
    for key in parents:
        target = target[key]
    target[last] = value
    return changed
