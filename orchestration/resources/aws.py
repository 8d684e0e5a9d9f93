"""The resources of aws mode, by the same keys as local mode's (see `build_resources`)."""

import dagster as dg

from ingest_service.settings import Settings, SettingsError
from orchestration.resources.athena import AthenaQueryEngine
from orchestration.resources.glue_catalog import GlueCatalog
from orchestration.resources.s3_lake import S3Lake
from orchestration.resources.sns_alerts import SNSAlerter
from orchestration.resources.store import ClickStoreResource
from orchestration.resources.trigger_queue import TriggerQueue


def aws_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:  # type: ignore[type-arg]
    if settings.alert_topic_arn is None:
        raise SettingsError("CLICKSTREAM_ALERT_TOPIC_ARN: required when CLICKSTREAM_ENV=aws")
    # Settings.from_env has checked both for aws mode; a Settings built by hand may not have.
    if settings.athena_output is None:
        raise SettingsError("CLICKSTREAM_ATHENA_OUTPUT: required when CLICKSTREAM_ENV=aws")
    return {
        "store": ClickStoreResource.from_settings(settings),
        "lake": S3Lake(root=settings.lake_root),
        "catalog": GlueCatalog(database=settings.glue_database),
        "query_engine": AthenaQueryEngine(
            database=settings.glue_database,
            workgroup=settings.athena_workgroup,
            output_location=settings.athena_output,
        ),
        "alerter": SNSAlerter(
            topic_arn=settings.alert_topic_arn, webhook_url=settings.alert_webhook_url
        ),
        "trigger_queue": TriggerQueue(queue_url=settings.trigger_queue_url),
    }
