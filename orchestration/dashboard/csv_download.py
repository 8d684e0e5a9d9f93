"""CSV downloads of the dashboard's tables: the same rows as the JSON, one per line."""

import csv
import io
import unicodedata
from collections.abc import Sequence

import msgspec
from litestar import Response

from orchestration.dashboard.period import Period

# Button labels and page URLs come from any browser: a cell starting like a formula would
# run as one in a spreadsheet (CSV injection). Spreadsheets also split a cell at their own
# locale's separator (Excel: `;`) and may skip what they do not show (zero-width
# characters, BOM), so every field start inside a cell, after any such run, is checked.
# The fullwidth forms are formulas too in East Asian locales.
_FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_SEPARATORS = frozenset(",;|\t\r\n\u2028\u2029")
# Controls, format characters (zero-width, direction marks, BOM), every kind of space.
_UNSEEN = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp"))


def csv_response(
    name: str, period: Period, rows: Sequence[msgspec.Struct], row_type: type[msgspec.Struct]
) -> Response[str]:
    buffer = io.StringIO()
    columns = [field.name for field in msgspec.structs.fields(row_type)]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in msgspec.to_builtins(list(rows)):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    filename = f"clickstream-{name}-{period.start}-to-{period.end}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _cell(value: object) -> object:
    return neutralized(value) if isinstance(value, str) else value


def neutralized(text: str) -> str:
    """The text with `'` before each formula start that begins a field, so it reads as text."""
    cell: list[str] = []
    at_field_start = True
    for char in text:
        if at_field_start and char in _FORMULA_STARTS:
            cell.append("'")
            at_field_start = False
        if char in _SEPARATORS:
            at_field_start = True
        elif unicodedata.category(char) not in _UNSEEN:
            at_field_start = False
        cell.append(char)
    return "".join(cell)
