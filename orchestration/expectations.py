"""The Great Expectations suite of the daily export, run as one of its checks.

GX is imported when an `ExportSuite` is built: the import takes seconds, and only the
export's step needs it, not every process that loads the definitions.
"""

import warnings
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ingest_service.contract import BUTTON_MAX_LENGTH, CLICK_COLUMNS, CLICK_SCHEMA, DEVICE_TYPES
from orchestration.checks.outcome import CheckOutcome

GX_SUITE_CHECK = "great_expectations_suite"
# GX works on a pandas copy, slowly: it validates a small fixed sample of the day, which
# bounds its memory and time. The checks beside it (unique ids, ranges) count every row.
GX_SAMPLE_ROWS = 10_000
# How many row groups the sample is taken from: what bounds the bytes it reads.
SAMPLE_ROW_GROUPS = 4
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

    def validate(self, sample: pa.Table) -> CheckOutcome:
        """Validates a sample of one day of the export; names each failed expectation."""
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


def sample_file(source: str | pa.NativeFile, rows: int = GX_SAMPLE_ROWS) -> pa.Table:
    """A fixed sample of up to `rows` rows: the first rows of a few row groups spread
    over the file (its first and last included).

    Row groups are the store's rowid ranges, in arrival order, so the sample spans the
    day, and a re-run validates the same rows. Only those row groups are read (one
    coalesced read each), whatever the day's size: on S3, a few ranged GETs.
    """
    parquet = pq.ParquetFile(source)
    if parquet.metadata.num_rows <= rows:
        return parquet.read()
    filled = [g for g in range(parquet.num_row_groups) if parquet.metadata.row_group(g).num_rows]
    count = min(SAMPLE_ROW_GROUPS, len(filled))
    spread = sorted({filled[i * (len(filled) - 1) // max(count - 1, 1)] for i in range(count)})
    per_group = -(-rows // len(spread))
    heads = [
        next(parquet.iter_batches(batch_size=per_group, row_groups=[group])) for group in spread
    ]
    return pa.Table.from_batches(heads, schema=parquet.schema_arrow).slice(0, rows)


def _describe(result: Any) -> str:
    config = result.expectation_config
    column = config.kwargs.get("column")
    target = f"{config.type}({column})" if column else config.type
    unexpected = (result.result or {}).get("unexpected_count")
    return f"{target}: {unexpected} unexpected" if unexpected is not None else target
