"""Every ECS task the templates describe, started here as ECS would start it.

Each container's command runs with exactly its task definition's environment and secrets
(resolved as the stack would, with the guide's parameters) and its image's own `ENV`.
Only what AWS itself provides is stood in for: moto's server for the APIs (reached by
`AWS_ENDPOINT_URL`, with fake task-role credentials), the test's PostgreSQL for RDS, and
127.0.0.1 with a free port for the task's address. The production `dagster.yaml` runs
with one change: the default run launcher instead of the ECS one.
"""

from contextlib import closing
from datetime import date
from pathlib import Path

import httpx
import msgspec
import psycopg2
import pyarrow as pa
import pytest
import yaml

from ingest_service import variables
from ingest_service.contract import CLICK_SCHEMA, Click
from ingest_service.settings import (
    DashboardSettings,
    IntakeSettings,
    PipelineSettings,
    RoleSettings,
)
from ingest_service.store.dynamodb import DynamoDBClickStore
from ingest_service.synthetic import synthetic_clicks
from orchestration.assets.summary_tables import SUMMARIES
from orchestration.checks.day_stats import stats_sql
from orchestration.launch import launch_run
from orchestration.resources.duckdb_engine import DuckDBQueryEngine
from orchestration.resources.glue_catalog import GlueCatalog
from orchestration.resources.lake import CLICKS_TABLE, LocalLake
from orchestration.resources.query_engine import staged_table
from orchestration.resources.s3_lake import S3Lake
from orchestration.sql import transpile
from tests.deployment.conftest import DATABASE
from tests.deployment.stacks import Account
from tests.deployment.tasks import (
    aws_platform,
    local_command,
    location_loaded,
    queue_athena,
    running,
    task_environment,
    wait_for_run,
)
from tests.infra.cfn import REPO
from tests.ingest.clicks import tracker_click
from tests.servers import PostgresServer, answers, free_port, started

pytestmark = pytest.mark.slow

# Which settings each container's process reads: its role's.
ROLES: dict[str, type[RoleSettings]] = {
    "intake": IntakeSettings,
    "dashboard": DashboardSettings,
    "webserver": PipelineSettings,
    "daemon": PipelineSettings,
    "run": PipelineSettings,
}
OPTIONAL = {
    variable.name
    for variable in vars(variables).values()
    if isinstance(variable, variables.Variable) and variable.default is None
}
PRODUCTION_INSTANCE = REPO / "infra" / "dagster" / "dagster.yaml"
DEFAULT_LAUNCHER = {"module": "dagster", "class": "DefaultRunLauncher"}
DAY = date(2026, 3, 10)
RUN_TIMEOUT_S = 420.0


def test_each_task_definition_sets_exactly_the_variables_its_role_reads(account: Account) -> None:
    assert set(account.containers) == set(ROLES)
    for name, container in account.containers.items():
        given = set(container.environment) | set(container.secrets)
        # An optional variable (a feature, such as the alert webhook) may be left unset by
        # the guide's deployment, as long as the template can set it.
        missing = ROLES[name].variables("aws") - given - (OPTIONAL & container.settable)
        assert not missing, f"{container.task_definition}/{name} does not set {sorted(missing)}"
        # And nothing of another role's: the intake is not handed the pipeline's topic.
        ours = {n for n in given if n.startswith("CLICKSTREAM_")}
        extra = ours - ROLES[name].variables("aws")
        assert not extra, f"{container.task_definition}/{name} sets {sorted(extra)}, unread"
        assert container.environment["CLICKSTREAM_ENV"] == "aws"


def test_the_intake_task_answers_ready_and_stores_a_click_in_dynamodb(
    account: Account, moto: str, logs: Path, tmp_path: Path
) -> None:
    environment = task_environment(account, "intake", moto, tmp_path)
    click = tracker_click()
    with running(account, "intake", environment, logs, "/ready") as base_url:
        stored = httpx.post(f"{base_url}/clicks", json=click, timeout=30.0)

    assert stored.status_code == 202, stored.text
    items = account.client("dynamodb").scan(TableName=environment["CLICKSTREAM_DYNAMODB_TABLE"])
    assert click["id"] in {item["id"]["S"] for item in items["Items"]}


def test_the_dashboard_task_answers_its_api_from_athena(
    account: Account, moto: str, logs: Path, tmp_path: Path
) -> None:
    environment = task_environment(account, "dashboard", moto, tmp_path)
    database = environment["CLICKSTREAM_GLUE_DATABASE"]
    account.client("glue").create_table(
        DatabaseName=database,
        TableInput={"Name": "clicks_by_hour_compacted", "StorageDescriptor": {"Columns": []}},
    )
    figures = pa.table(
        {"event_date": [date(2026, 3, 1), date(2026, 3, 2)], "clicks": pa.array([12, 30])}
    )
    queue_athena([figures], moto)
    reader = {"Authorization": f"Bearer {environment['CLICKSTREAM_READ_TOKEN']}"}
    # Through the load balancer, from a visitor's address: only the token lets it in.
    through_alb = {"X-Forwarded-For": "203.0.113.9"}
    period = {"start": "2026-03-01", "end": "2026-03-02"}
    with running(account, "dashboard", environment, logs, "/ready") as base_url:
        daily = f"{base_url}/api/dashboard/clicks/daily"
        refused = httpx.get(daily, params=period, headers=through_alb, timeout=30.0)
        answered = httpx.get(daily, params=period, headers=reader | through_alb, timeout=60.0)

    assert refused.status_code == 401
    assert answered.status_code == 200, answered.text
    assert [day["clicks"] for day in answered.json()["days"]] == [12, 30]
    athena = account.client("athena")
    executions = [
        athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]
        for execution_id in athena.list_query_executions()["QueryExecutionIds"]
    ]
    (daily,) = [e for e in executions if "clicks_by_hour_compacted" in e["Query"]]
    assert daily["WorkGroup"] == environment["CLICKSTREAM_ATHENA_WORKGROUP"]


def _audit_counts(clicks: list[Click], work: Path) -> pa.Table:
    """What Athena answers the export's audit of the day: its counts, by DuckDB."""
    rows = pa.Table.from_pylist([msgspec.structs.asdict(c) for c in clicks], CLICK_SCHEMA)
    staged = LocalLake(root=str(work)).stage_partition(CLICKS_TABLE, DAY, rows, CLICK_SCHEMA)
    sql = transpile(stats_sql(DAY, set(CLICK_SCHEMA.names)), "duckdb")
    engine = DuckDBQueryEngine(catalog_path=str(work / "catalog.sqlite3"))
    return engine.query_staged(staged, CLICK_SCHEMA, sql)


@pytest.mark.timeout(900)
def test_dagster_tasks_load_and_materialize_a_day_on_postgres(
    account: Account,
    moto: str,
    database: PostgresServer,
    logs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "dagster-home"
    home.mkdir()
    production = yaml.safe_load(PRODUCTION_INSTANCE.read_text())
    # The one change: runs start as local processes instead of ECS tasks.
    swapped = production | {"run_launcher": DEFAULT_LAUNCHER}
    (home / "dagster.yaml").write_text(yaml.safe_dump(swapped))
    webserver = task_environment(account, "webserver", moto, tmp_path, dagster_home=home)
    daemon = task_environment(account, "daemon", moto, tmp_path, dagster_home=home)
    # This process seeds and reads back through moto too, in the task's region.
    for name, value in aws_platform(moto, tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", webserver["AWS_DEFAULT_REGION"])
    clicks = list(synthetic_clicks(DAY, 1, 200, seed=11))
    store = DynamoDBClickStore(webserver["CLICKSTREAM_DYNAMODB_TABLE"], retention_days=30)
    store.write(clicks)
    store.close()
    # Moto's Athena runs no SQL: it answers the export's audit with the day's counts as
    # DuckDB gives them over the same rows; the summaries' UNLOADs succeed and write nothing
    # here (tests/aws/test_aws_pipeline.py has them done by DuckDB and checks the values).
    # The journey checks read each batch as written, in this order, and find it empty.
    # Moto hands queued answers out as queries start: the audit's, then each batch's
    # UNLOADs (a day's per table) before its checks.
    day, sessions = ("event_date", pa.date32()), ("sessions", pa.int64())
    sessions_per_day = pa.schema([day, ("is_bot", pa.bool_()), ("viewed", pa.bool_()), sessions])
    unloads = [len([s for s in SUMMARIES if bool(s.reads) is second]) for second in (False, True)]
    queue_athena(
        [_audit_counts(clicks, tmp_path / "audit")]
        + [pa.schema([])] * unloads[0]
        + [
            sessions_per_day,
            pa.schema([day, ("to_page", pa.string()), ("transitions", pa.int64())]),
            pa.schema([day, ("funnel", pa.string()), ("step", pa.int64()), sessions]),
        ]
        + [pa.schema([])] * unloads[1]
        + [sessions_per_day, *[pa.schema([day, sessions])] * 3],
        moto,
    )

    port = free_port()
    command = local_command(account.containers["webserver"].command, port)
    base_url = f"http://127.0.0.1:{port}"
    with (
        started(
            command, webserver, logs / "webserver.log", lambda: answers(f"{base_url}/server_info")
        ),
        started(account.containers["daemon"].command, daemon, logs / "daemon.log", lambda: True),
    ):
        assert location_loaded(base_url), (logs / "webserver.log").read_text()
        run_id = launch_run(
            f"{base_url}/graphql",
            "clickstream",
            "daily_pipeline_job",
            {"dagster/partition": DAY.isoformat()},
        )
        status = wait_for_run(base_url, run_id, RUN_TIMEOUT_S)
        assert status == "SUCCESS", (logs / "daemon.log").read_text()[-5000:]

    lake = S3Lake(root=webserver["CLICKSTREAM_LAKE_URI"])
    assert lake.read_partition(CLICKS_TABLE, DAY).num_rows == len(clicks)
    catalog = GlueCatalog(database=webserver["CLICKSTREAM_GLUE_DATABASE"])
    assert DAY in catalog.partitions(CLICKS_TABLE)
    assert catalog.partitions(staged_table(CLICKS_TABLE)) == {}
    with (
        closing(psycopg2.connect(database.database_url(DATABASE))) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT status FROM runs WHERE run_id = %s", (run_id,))
        assert cursor.fetchone() == ("SUCCESS",)
        cursor.execute(
            "SELECT count(*) FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'"
            " AND partition = %s AND run_id = %s",
            (DAY.isoformat(), run_id),
        )
        (materializations,) = cursor.fetchone()
    assert materializations >= 3  # the export, the catalog, the summaries
