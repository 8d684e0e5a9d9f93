"""Blocking checks (ERROR): a partition that fails one must not reach the summaries."""

from datetime import UTC, date, datetime, time, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from ingest_service.contract import CLICK_SCHEMA, EARLIEST_CLIENT_TS, LATEST_CLIENT_TS
from orchestration.checks.outcome import CheckOutcome

SCHEMA_CHECK = "schema_matches_contract"
REQUIRED_CHECK = "required_fields_present"
UNIQUE_IDS_CHECK = "ids_unique"
RECONCILE_CHECK = "row_count_matches_store"
COORDINATES_CHECK = "coordinates_in_range"
TIMESTAMPS_CHECK = "timestamps_valid"

REQUIRED_COLUMNS = tuple(field.name for field in CLICK_SCHEMA if not field.nullable)


def _outcome(check: str, passed: bool, found: str, **metadata: int | str) -> CheckOutcome:
    return CheckOutcome(
        check=check, passed=passed, severity="ERROR", found=found, metadata=metadata
    )


def _counted_outcome(check: str, fine: str, counts: dict[str, tuple[int, str]]) -> CheckOutcome:
    """Passes when every count of bad rows is zero; `found` names each other one.

    `counts` maps a metadata key to the count and what it counts ("3 <what>").
    """
    found = "; ".join(f"{count} {what}" for count, what in counts.values() if count) or fine
    passed = not any(count for count, _ in counts.values())
    return _outcome(check, passed, found, **{key: count for key, (count, _) in counts.items()})


def schema_matches(schema: pa.Schema) -> CheckOutcome:
    """Column names, order and types as `CLICK_SCHEMA` (nullability is checked on values)."""
    expected = {field.name: field.type for field in CLICK_SCHEMA}
    actual = {field.name: field.type for field in schema}
    missing = [name for name in expected if name not in actual]
    extra = [name for name in actual if name not in expected]
    wrong = [f"{n} is {actual[n]}, not {t}" for n, t in expected.items() if actual.get(n, t) != t]
    problems = [*(f"missing {n}" for n in missing), *(f"unexpected {n}" for n in extra), *wrong]
    if not problems and list(actual) != list(expected):
        problems.append("columns out of contract order")
    found = "; ".join(problems) or "schema matches the contract"
    return _outcome(SCHEMA_CHECK, not problems, found, problems=len(problems))


def required_present(table: pa.Table) -> CheckOutcome:
    nulls = {
        name: table.column(name).null_count
        for name in REQUIRED_COLUMNS
        if name in table.column_names and table.column(name).null_count
    }
    absent = [name for name in REQUIRED_COLUMNS if name not in table.column_names]
    problems = [f"{n}: {count} null" for n, count in nulls.items()] + [
        f"{n}: absent" for n in absent
    ]
    found = "; ".join(problems) or "no required field is null"
    return _outcome(REQUIRED_CHECK, not problems, found, null_values=sum(nulls.values()))


def ids_unique(table: pa.Table) -> CheckOutcome:
    ids = table.column("id")
    distinct = pc.count_distinct(ids, mode="all").as_py()
    duplicates = len(ids) - distinct
    if not duplicates:
        return _outcome(UNIQUE_IDS_CHECK, True, "every id appears once", duplicate_rows=0)
    counts = pc.value_counts(ids)
    repeated = counts.filter(pc.greater(counts.field("counts"), 1)).field("values")
    sample = ", ".join(str(v) for v in repeated[:3].to_pylist())
    found = f"{duplicates} duplicate row(s) over {len(repeated)} id(s), e.g. {sample}"
    return _outcome(UNIQUE_IDS_CHECK, False, found, duplicate_rows=duplicates)


def rows_match_store(parquet_rows: int, store_rows: int) -> CheckOutcome:
    passed = parquet_rows == store_rows
    if passed:
        found = f"{parquet_rows} rows, as in the store"
    else:
        found = f"the partition has {parquet_rows} rows, the store {store_rows}"
    return _outcome(
        RECONCILE_CHECK, passed, found, parquet_rows=parquet_rows, store_rows=store_rows
    )


def coordinates_in_range(table: pa.Table) -> CheckOutcome:
    latitude, longitude = table.column("latitude"), table.column("longitude")
    bad_latitude = _count(pc.or_(pc.less(latitude, -90), pc.greater(latitude, 90)))
    bad_longitude = _count(pc.or_(pc.less(longitude, -180), pc.greater(longitude, 180)))
    # One without the other means a row was built by something other than the intake.
    half = _count(pc.xor(pc.is_null(latitude), pc.is_null(longitude)))
    return _counted_outcome(
        COORDINATES_CHECK,
        "every coordinate in range",
        {
            "bad_latitude": (bad_latitude, "latitude(s) outside [-90, 90]"),
            "bad_longitude": (bad_longitude, "longitude(s) outside [-180, 180]"),
            "half_coordinates": (half, "row(s) with only one of latitude/longitude"),
        },
    )


def timestamps_valid(table: pa.Table, day: date) -> CheckOutcome:
    """Client times present and plausible; arrival times and event_date inside the day."""
    start = datetime.combine(day, time(), tzinfo=UTC)
    end = start + timedelta(days=1)
    client_ts, received_at = table.column("client_ts"), table.column("received_at")
    bad_client = client_ts.null_count + _count(
        pc.or_(
            pc.less(client_ts, EARLIEST_CLIENT_TS), pc.greater_equal(client_ts, LATEST_CLIENT_TS)
        )
    )
    outside_day = received_at.null_count + _count(
        pc.or_(pc.less(received_at, start), pc.greater_equal(received_at, end))
    )
    event_date = table.column("event_date")
    wrong_date = event_date.null_count + _count(pc.not_equal(event_date, pa.scalar(day)))
    years = f"{EARLIEST_CLIENT_TS.year}-{LATEST_CLIENT_TS.year}"
    return _counted_outcome(
        TIMESTAMPS_CHECK,
        f"every timestamp valid for {day}",
        {
            "bad_client_ts": (bad_client, f"client time(s) missing or outside {years}"),
            "received_outside_day": (outside_day, f"received_at outside {day}"),
            "wrong_event_date": (wrong_date, f"event_date other than {day}"),
        },
    )


def _count(mask: pa.ChunkedArray | pa.Array) -> int:
    # Nulls in the mask count as "not bad": nullness is the required-fields check's concern.
    return int(pc.sum(mask).as_py() or 0)
