"""CSV downloads of the dashboard's tables: the same rows as the JSON, one per line."""

import csv
import io
from collections.abc import Sequence

import msgspec
from litestar import Response

from orchestration.dashboard.period import Period

# Button labels and page URLs come from any browser: a cell starting like a formula would
# run as one in a spreadsheet (CSV injection), so such text is quoted as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
