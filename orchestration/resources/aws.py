"""The implementations of aws mode (see `_MODES` in `__init__`): they import boto3."""

from typing import TYPE_CHECKING

from ingest_service.settings import LakeSettings, PipelineSettings, SettingsError
from orchestration.resources import LakeAccess
from orchestration.resources.athena import AthenaQueryEngine
from orchestration.resources.glue_catalog import GlueCatalog
from orchestration.resources.s3_lake import S3Lake

if TYPE_CHECKING:
    from orchestration.resources.sns_alerts import SNSAlerter


def aws_lake(settings: LakeSettings) -> LakeAccess:
    # LakeSettings.from_env checks it in aws mode; settings built by hand may not have it.
    if settings.athena_output is None:
        raise SettingsError("CLICKSTREAM_ATHENA_OUTPUT: required when CLICKSTREAM_ENV=aws")
    return LakeAccess(
        lake=S3Lake(root=settings.lake_root),
        catalog=GlueCatalog(database=settings.glue_database),
        query_engine=AthenaQueryEngine(
            database=settings.glue_database,
            workgroup=settings.athena_workgroup,
            output_location=settings.athena_output,
        ),
    )


def aws_alerter(settings: PipelineSettings) -> "SNSAlerter":
    # The SNS alerter imports Dagster: only the pipeline builds one.
    from orchestration.resources.sns_alerts import SNSAlerter

    if settings.alert_topic_arn is None:
        raise SettingsError("CLICKSTREAM_ALERT_TOPIC_ARN: required when CLICKSTREAM_ENV=aws")
    return SNSAlerter(topic_arn=settings.alert_topic_arn, webhook_url=settings.alert_webhook_url)
