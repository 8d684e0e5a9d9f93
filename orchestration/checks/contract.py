"""Blocking checks (ERROR): a day that fails one is held back from publication.

They judge a day by its `DayStats`, counted in one streaming pass over its file.
"""

from datetime import date

import pyarrow as pa

from ingest_service.contract import CLICK_SCHEMA, EARLIEST_CLIENT_TS, LATEST_CLIENT_TS
from orchestration.checks.day_stats import REQUIRED_COLUMNS, DayStats
from orchestration.checks.outcome import CheckOutcome

SCHEMA_CHECK = "schema_matches_contract"
REQUIRED_CHECK = "required_fields_present"
UNIQUE_IDS_CHECK = "ids_unique"
RECONCILE_CHECK = "row_count_matches_store"
COORDINATES_CHECK = "coordinates_in_range"
TIMESTAMPS_CHECK = "timestamps_valid"


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


def required_present(stats: DayStats) -> CheckOutcome:
    nulls = {name: count for name, count in stats.nulls.items() if count}
    absent = [name for name in REQUIRED_COLUMNS if name not in stats.nulls]
    problems = [f"{n}: {count} null" for n, count in nulls.items()] + [
        f"{n}: absent" for n in absent
    ]
    found = "; ".join(problems) or "no required field is null"
    return _outcome(REQUIRED_CHECK, not problems, found, null_values=sum(nulls.values()))


def ids_unique(stats: DayStats) -> CheckOutcome:
    duplicates = stats.duplicate_rows
    if not duplicates:
        return _outcome(UNIQUE_IDS_CHECK, True, "every id appears once", duplicate_rows=0)
    sample = ", ".join(stats.duplicate_sample)
    found = f"{duplicates} duplicate row(s) over {stats.duplicate_ids} id(s), e.g. {sample}"
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


def coordinates_in_range(stats: DayStats) -> CheckOutcome:
    return _counted_outcome(
        COORDINATES_CHECK,
        "every coordinate in range",
        {
            "bad_latitude": (stats.bad_latitude, "latitude(s) outside [-90, 90]"),
            "bad_longitude": (stats.bad_longitude, "longitude(s) outside [-180, 180]"),
            # One without the other means a row was built by something other than the intake.
            "half_coordinates": (
                stats.half_coordinates,
                "row(s) with only one of latitude/longitude",
            ),
        },
    )


def timestamps_valid(stats: DayStats, day: date) -> CheckOutcome:
    """Client times present and plausible; arrival times and event_date inside the day."""
    years = f"{EARLIEST_CLIENT_TS.year}-{LATEST_CLIENT_TS.year}"
    return _counted_outcome(
        TIMESTAMPS_CHECK,
        f"every timestamp valid for {day}",
        {
            "bad_client_ts": (stats.bad_client_ts, f"client time(s) missing or outside {years}"),
            "received_outside_day": (stats.received_outside_day, f"received_at outside {day}"),
            "wrong_event_date": (stats.wrong_event_date, f"event_date other than {day}"),
        },
    )
