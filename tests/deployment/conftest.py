"""The deployment the guide describes, stood up once per module against moto's server.

Stand-ins, each for what AWS would run and nothing more: moto's server for the AWS APIs,
the test's PostgreSQL for RDS, fake credentials for the task roles, 127.0.0.1 and a free
port for each task's address. Every process is stopped by its pid.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deployment.resolve import REGION
from tests.deployment.stacks import Account, deploy_guide, moto_client
from tests.servers import PostgresServer, moto_server, postgresql

DATABASE = "dagster"
DATABASE_USER = "dagster"
DATABASE_PASSWORD = "a-password-rds-would-generate"
COMPUTE_LOGS_BUCKET = "clickstream-orchestration-computelogs"


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="module")
def moto(logs: Path) -> Iterator[str]:
    with moto_server(logs) as url:
        yield url


@pytest.fixture(scope="module")
def database(logs: Path) -> Iterator[PostgresServer]:
    import psycopg2

    with postgresql(logs, DATABASE_USER, DATABASE_PASSWORD) as server:
        connection = psycopg2.connect(server.database_url("postgres"))
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {DATABASE}")
        connection.close()
        yield server


@pytest.fixture(scope="module")
def account(moto: str, database: PostgresServer) -> Account:
    client = moto_client(moto)
    secrets = client("secretsmanager")
    token = secrets.get_random_password(PasswordLength=40, ExcludePunctuation=True)
    read_token = secrets.create_secret(
        Name="clickstream-ingest-ReadTokenSecret", SecretString=token["RandomPassword"]
    )["ARN"]
    # RDS keeps the master user's password as JSON in a secret it manages.
    credentials = {"username": DATABASE_USER, "password": DATABASE_PASSWORD}
    database_secret = secrets.create_secret(
        Name="rds!db-clickstream", SecretString=json.dumps(credentials)
    )["ARN"]
    client("s3").create_bucket(
        Bucket=COMPUTE_LOGS_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    physical = {
        "clickstream-frontend": {"Distribution.DomainName": "d111111abcdef8.cloudfront.net"},
        "clickstream-ingest": {
            "ReadTokenSecret": read_token,
            "LoadBalancer.DNSName": "clickstream-ingest.eu-west-1.elb.amazonaws.com",
        },
        "clickstream-orchestration": {
            "Database.Endpoint.Address": "127.0.0.1",
            "Database.Endpoint.Port": str(database.port),
            "Database.MasterUserSecret.SecretArn": database_secret,
            "ComputeLogsBucket": COMPUTE_LOGS_BUCKET,
            "LoadBalancer.DNSName": "internal-clickstream-dagster.eu-west-1.elb.amazonaws.com",
        },
    }
    deployed = deploy_guide(client, physical)
    # Moto's CloudFormation skips these two types (tests/infra/test_moto_stacks.py).
    client("glue").create_database(
        DatabaseInput={"Name": deployed.exports["clickstream-data-GlueDatabaseName"]}
    )
    client("athena").create_work_group(
        Name=deployed.exports["clickstream-data-AthenaWorkGroupName"]
    )
    return deployed
