"""The Great Expectations suite of the daily export, run as one of its checks.

GX is imported when an `ExportSuite` is built: the import takes seconds, and only the
export's step needs it, not every process that loads the definitions.
"""

import bisect
import random
import warnings
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ingest_service.contract import BUTTON_MAX_LENGTH, CLICK_COLUMNS, CLICK_SCHEMA, DEVICE_TYPES
from orchestration.checks.outcome import CheckOutcome

GX_SUITE_CHECK = "great_expectations_suite"
# GX works on a pandas copy: on big days it validates a fixed sample, which bounds its
# memory and time. The checks beside it (unique ids, ranges) still count every row.
GX_SAMPLE_ROWS = 100_000
# What pandas makes of the contract's Arrow types. GX types zoned timestamp columns by their
# values (the exact zone and unit are the schema check's concern).
PANDAS_TYPES = {
    "client_ts": "Timestamp",
    "received_at": "Timestamp",
    "latitude": "float64",
    "longitude": "float64",
    "is_bot": "bool",
}


def _expectations(gx: Any) -> list[Any]:
    expect = gx.expectations
    required = [field.name for field in CLICK_SCHEMA if not field.nullable]
    return [
        expect.ExpectTableColumnsToMatchOrderedList(column_list=list(CLICK_COLUMNS)),
        *(expect.ExpectColumnValuesToBeOfType(column=c, type_=t) for c, t in PANDAS_TYPES.items()),
        *(expect.ExpectColumnValuesToNotBeNull(column=column) for column in required),
        expect.ExpectColumnValuesToBeUnique(column="id"),
        expect.ExpectColumnValuesToBeBetween(column="latitude", min_value=-90, max_value=90),
        expect.ExpectColumnValuesToBeBetween(column="longitude", min_value=-180, max_value=180),
        # A page view has no button (empty); every click has one.
        expect.ExpectColumnValueLengthsToBeBetween(
            column="button",
            min_value=1,
            max_value=BUTTON_MAX_LENGTH,
            row_condition=expect.row_conditions.Column("event_type") != "pageview",
        ),
        expect.ExpectColumnValuesToBeInSet(column="device_type", value_set=list(DEVICE_TYPES)),
    ]


def _import_gx() -> Any:
    with warnings.catch_warnings():
        # GX 1.24 imports the stdlib's deprecated `sre_constants`/`sre_parse`: not ours to fix.
        warnings.filterwarnings("ignore", "module 'sre_", DeprecationWarning)
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )
    # In memory, no analytics calls home, no progress bars in the run's logs.
    config = DataContextConfig(
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        store_backend_defaults=InMemoryStoreBackendDefaults(),
    )
    return gx, gx.get_context(mode="ephemeral", project_config=config)


class ExportSuite:
    """The suite and an in-memory GX context, built once per run and used for each day."""

    def __init__(self) -> None:
        gx, context = _import_gx()
        self._batches = (
            context.data_sources.add_pandas("lake")
            .add_dataframe_asset("clicks_export")
            .add_batch_definition_whole_dataframe("day")
        )
        self._suite = gx.ExpectationSuite(name="clicks_export", expectations=_expectations(gx))

    def validate(self, table: pa.Table) -> CheckOutcome:
        """Validates one day of the export (a sample of it past `GX_SAMPLE_ROWS`); names
        each failed expectation."""
        sample = _sample(table, GX_SAMPLE_ROWS)
        batch = self._batches.get_batch(batch_parameters={"dataframe": sample.to_pandas()})
        result = batch.validate(self._suite)
        failures = [_describe(r) for r in result.results if not r.success]
        found = "; ".join(failures) or f"all {len(result.results)} expectations met"
        return CheckOutcome(
            check=GX_SUITE_CHECK,
            passed=bool(result.success),
            severity="ERROR",
            found=found,
            metadata={
                "expectations": len(result.results),
                "failed": len(failures),
                "rows_validated": sample.num_rows,
            },
        )


def _picked(total: int, rows: int) -> list[int]:
    # Seeded: a re-run validates the same rows.
    return sorted(random.Random(total).sample(range(total), rows))


def _sample(table: pa.Table, rows: int) -> pa.Table:
    if table.num_rows <= rows:
        return table
    return table.take(pa.array(_picked(table.num_rows, rows), pa.int64()))


def sample_file(path: str, rows: int = GX_SAMPLE_ROWS) -> pa.Table:
    """The rows `_sample` would pick from the whole file, read one row group at a time,
    so the sample costs the memory of a row group, not of the day."""
    parquet = pq.ParquetFile(path)
    total = parquet.metadata.num_rows
    if total <= rows:
        return parquet.read()
    picked = _picked(total, rows)
    parts, first, taken = [], 0, 0
    for group in range(parquet.num_row_groups):
        end = first + parquet.metadata.row_group(group).num_rows
        upto = bisect.bisect_left(picked, end, lo=taken)
        if upto > taken:
            offsets = pa.array([row - first for row in picked[taken:upto]], pa.int64())
            parts.append(parquet.read_row_group(group).take(offsets))
        first, taken = end, upto
    return pa.concat_tables(parts)


def _describe(result: Any) -> str:
    config = result.expectation_config
    column = config.kwargs.get("column")
    target = f"{config.type}({column})" if column else config.type
    unexpected = (result.result or {}).get("unexpected_count")
    return f"{target}: {unexpected} unexpected" if unexpected is not None else target
