"""The optional QuickSight stack: a dataset per summary table, with the table's own columns."""

from orchestration.assets.summary_tables import SUMMARIES
from orchestration.resources.lake import MONTH_PARTITION_KEYS, compacted_table
from tests.infra.cfn import TEMPLATE_DIR, load, resources_of

TEMPLATE = load(TEMPLATE_DIR / "quicksight.yaml")
# QuickSight's types for the summaries' Arrow types (date32 is read as a date-time).
QUICKSIGHT_TYPES = {
    "string": "STRING",
    "int64": "INTEGER",
    "double": "DECIMAL",
    "date32[day]": "DATETIME",
    "timestamp[us, tz=UTC]": "DATETIME",
    "bool": "BOOLEAN",
}


def test_each_summary_has_a_dataset_over_its_compacted_table_with_its_columns() -> None:
    tables = {
        physical["RelationalTable"]["Name"]: physical["RelationalTable"]["InputColumns"]
        for dataset in resources_of(TEMPLATE, "AWS::QuickSight::DataSet").values()
        for physical in dataset["Properties"]["PhysicalTableMap"].values()
    }

    assert set(tables) == {compacted_table(s.name) for s in SUMMARIES}
    for summary in SUMMARIES:
        expected = [
            {"Name": field.name, "Type": QUICKSIGHT_TYPES[str(field.type)]}
            for field in summary.schema
        ] + [{"Name": key, "Type": "STRING"} for key in MONTH_PARTITION_KEYS]
        assert tables[compacted_table(summary.name)] == expected, summary.name


def test_the_data_source_and_every_dataset_are_shared_with_the_principal() -> None:
    shared = [
        *resources_of(TEMPLATE, "AWS::QuickSight::DataSource").values(),
        *resources_of(TEMPLATE, "AWS::QuickSight::DataSet").values(),
    ]

    assert len(shared) == 1 + len(SUMMARIES)
    for resource in shared:
        (permission,) = resource["Properties"]["Permissions"]
        assert permission["Principal"] == {"Ref": "QuickSightPrincipalArn"}
