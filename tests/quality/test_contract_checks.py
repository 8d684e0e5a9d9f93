"""The blocking checks, each on a good day and on a day broken in its own way."""

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest

from orchestration.checks import contract
from orchestration.checks.day_stats import stats_of
from tests.quality.tables import DAY, clicks, table_of, with_column


@pytest.fixture
def good() -> pa.Table:
    return table_of(clicks())


def test_every_blocking_check_passes_on_a_good_day(good: pa.Table) -> None:
    outcomes = [
        contract.schema_matches(good.schema),
        contract.required_present(stats_of(good, DAY)),
        contract.ids_unique(stats_of(good, DAY)),
        contract.rows_match_store(good.num_rows, good.num_rows),
        contract.coordinates_in_range(stats_of(good, DAY)),
        contract.timestamps_valid(stats_of(good, DAY), DAY),
    ]
    assert [o.check for o in outcomes if not o.passed] == []
    assert {o.severity for o in outcomes} == {"ERROR"}


def test_schema_names_a_missing_column_and_a_wrong_type(good: pa.Table) -> None:
    broken = good.drop_columns(["button"]).set_column(
        0, "id", good.column("id").cast(pa.large_string())
    )
    outcome = contract.schema_matches(broken.schema)
    assert not outcome.passed
    assert "missing button" in outcome.found
    assert "id is large_string" in outcome.found


def test_schema_notices_columns_out_of_order(good: pa.Table) -> None:
    reordered = good.select([*good.column_names[1:], "id"])
    assert "order" in contract.schema_matches(reordered.schema).found


def test_required_fields_counts_nulls(good: pa.Table) -> None:
    buttons: list[object] = good.column("button").to_pylist()
    buttons[:3] = [None, None, None]
    outcome = contract.required_present(stats_of(with_column(good, "button", buttons), DAY))
    assert not outcome.passed
    assert outcome.metadata["null_values"] == 3


def test_duplicate_ids_are_counted_and_named(good: pa.Table) -> None:
    ids: list[object] = good.column("id").to_pylist()
    ids[1] = ids[2] = ids[0]
    outcome = contract.ids_unique(stats_of(with_column(good, "id", ids), DAY))
    assert not outcome.passed
    assert outcome.metadata["duplicate_rows"] == 2
    assert str(ids[0]) in outcome.found


def test_row_count_must_equal_the_store() -> None:
    assert contract.rows_match_store(10, 10).passed
    outcome = contract.rows_match_store(9, 10)
    assert not outcome.passed
    assert outcome.found == "the partition has 9 rows, the store 10"


def test_impossible_coordinates_fail(good: pa.Table) -> None:
    latitudes: list[object] = [51.5] * good.num_rows
    longitudes: list[object] = [-0.1] * good.num_rows
    latitudes[0], longitudes[1], latitudes[2] = 91.0, -181.0, None
    table = with_column(with_column(good, "latitude", latitudes), "longitude", longitudes)
    outcome = contract.coordinates_in_range(stats_of(table, DAY))
    assert not outcome.passed
    assert outcome.metadata == {"bad_latitude": 1, "bad_longitude": 1, "half_coordinates": 1}


def test_timestamps_outside_the_day_or_implausible_fail(good: pa.Table) -> None:
    received: list[object] = good.column("received_at").to_pylist()
    received[0] = datetime(2026, 3, 11, 0, 0, tzinfo=UTC)
    client: list[object] = good.column("client_ts").to_pylist()
    client[1] = datetime(1999, 12, 31, tzinfo=UTC)
    table = with_column(with_column(good, "received_at", received), "client_ts", client)
    outcome = contract.timestamps_valid(stats_of(table, DAY), DAY)
    assert not outcome.passed
    assert outcome.metadata["received_outside_day"] == 1
    assert outcome.metadata["bad_client_ts"] == 1
    assert outcome.metadata["wrong_event_date"] == 0


def test_a_day_checked_as_another_day_fails(good: pa.Table) -> None:
    other_day = DAY + timedelta(days=1)
    outcome = contract.timestamps_valid(stats_of(good, other_day), other_day)
    assert not outcome.passed
    assert outcome.metadata["wrong_event_date"] == good.num_rows
