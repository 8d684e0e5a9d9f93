"""The Great Expectations suite on a good day and on a broken one."""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.checks.day_stats import stats_of
from orchestration.expectations import ExportSuite, sample_file
from tests.quality.tables import DAY, clicks, table_of, with_column


@pytest.fixture(scope="module")
def suite() -> ExportSuite:
    return ExportSuite()


def test_the_suite_passes_on_a_good_day(suite: ExportSuite) -> None:
    outcome = suite.validate(table_of(clicks()))
    assert outcome.passed, outcome.found


def test_the_suite_names_what_fails_on_a_bad_day(suite: ExportSuite) -> None:
    good = table_of(clicks(50))
    ids: list[object] = good.column("id").to_pylist()
    ids[1] = ids[0]
    latitudes: list[object] = [100.0] * good.num_rows
    devices: list[object] = ["toaster", *good.column("device_type").to_pylist()[1:]]
    buttons: list[object] = good.column("button").to_pylist()
    # On a click: a page view has no button, so its length is not checked.
    buttons[good.column("event_type").to_pylist().index("click")] = "x" * 201
    bad: pa.Table = good
    for name, values in [
        ("id", ids),
        ("latitude", latitudes),
        ("device_type", devices),
        ("button", buttons),
    ]:
        bad = with_column(bad, name, values)
    outcome = suite.validate(bad)
    assert not outcome.passed
    assert outcome.metadata["failed"] == 4
    for failed in (
        "expect_column_values_to_be_unique(id): 2 unexpected",
        "expect_column_values_to_be_between(latitude): 50 unexpected",
        "expect_column_values_to_be_in_set(device_type): 1 unexpected",
        "expect_column_value_lengths_to_be_between(button): 1 unexpected",
    ):
        assert failed in outcome.found


def test_the_suite_validates_the_sample_it_is_given(suite: ExportSuite) -> None:
    outcome = suite.validate(table_of(clicks(25)))
    assert outcome.metadata["rows_validated"] == 25


def test_page_views_need_no_button_but_clicks_do(suite: ExportSuite) -> None:
    day = table_of(clicks(4))
    views = with_column(day, "event_type", ["pageview", "pageview", "click", None])
    assert suite.validate(with_column(views, "button", ["", "", "Buy", "Buy"])).passed
    outcome = suite.validate(with_column(views, "button", ["", "", "", "Buy"]))
    assert "expect_column_value_lengths_to_be_between(button): 1 unexpected" in outcome.found


def test_a_file_is_sampled_at_the_head_of_each_row_group_and_counted_whole(
    tmp_path: Path,
) -> None:
    table = table_of(clicks(25))
    ids: list[object] = table.column("id").to_pylist()
    ids[3] = ids[20]
    table = with_column(table, "id", ids)
    path = tmp_path / "day.parquet"
    pq.write_table(table, path, row_group_size=7)

    heads = [table.slice(0, 3), table.slice(7, 3), table.slice(14, 3), table.slice(21, 1)]
    assert sample_file(str(path), 10).equals(pa.concat_tables(heads).combine_chunks())
    assert sample_file(str(path), 30).equals(table)
    stats = stats_of(table, DAY)
    assert (stats.rows, stats.duplicate_rows, stats.duplicate_ids) == (25, 1, 1)
    assert stats.duplicate_sample == [ids[20]]
