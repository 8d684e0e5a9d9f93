"""On-call hears from CloudWatch, not only from Dagster: the alarms, counted by metric."""

from collections import Counter
from typing import Any

from tests.infra.cfn import resources_of, templates

TOPIC_IMPORT = {"Fn::ImportValue": {"Fn::Sub": "${TriggerStackName}-AlertTopicArn"}}


def alarms() -> dict[str, dict[str, Any]]:
    return {
        f"{name}.{alarm}": resource["Properties"]
        for name, template in templates().items()
        for alarm, resource in resources_of(template, "AWS::CloudWatch::Alarm").items()
    }


def metrics_of(alarm: dict[str, Any]) -> set[tuple[str, str]]:
    """(namespace, metric) an alarm watches, alone or summed in metric math."""
    if "MetricName" in alarm:
        return {(alarm["Namespace"], alarm["MetricName"])}
    stats = [m["MetricStat"]["Metric"] for m in alarm["Metrics"] if "MetricStat" in m]
    return {(m["Namespace"], m["MetricName"]) for m in stats}


def test_the_alarms_watch_these_metrics() -> None:
    by_metric = Counter(metric for alarm in alarms().values() for metric in metrics_of(alarm))

    assert by_metric == {
        ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"): 1,
        ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"): 1,
        ("AWS/ApplicationELB", "TargetResponseTime"): 1,
        # One per ECS service: ingest, Dagster's webserver, Dagster's daemon.
        ("ECS/ContainerInsights", "RunningTaskCount"): 3,
        ("AWS/DynamoDB", "WriteThrottleEvents"): 1,
        ("AWS/DynamoDB", "ReadThrottleEvents"): 1,
        ("AWS/DynamoDB", "SystemErrors"): 1,
        ("AWS/RDS", "CPUUtilization"): 1,
        ("AWS/RDS", "FreeStorageSpace"): 1,
        ("AWS/RDS", "DatabaseConnections"): 1,
        ("AWS/Athena", "TotalExecutionTime"): 1,
        # Both Lambdas: the nightly trigger and the watchdog.
        ("AWS/Lambda", "Errors"): 2,
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible"): 1,
    }


def test_each_ecs_service_has_its_task_count_alarm() -> None:
    services = {
        str(dimension["Value"]["Fn::ImportValue"]["Fn::Sub"])
        for alarm in alarms().values()
        if alarm.get("MetricName") == "RunningTaskCount"
        for dimension in alarm["Dimensions"]
        if dimension["Name"] == "ServiceName"
    }
    assert services == {
        "${IngestStackName}-ServiceName",
        "${OrchestrationStackName}-WebserverServiceName",
        "${OrchestrationStackName}-DaemonServiceName",
    }


def test_every_alarm_publishes_to_the_alert_topic() -> None:
    for name, alarm in alarms().items():
        assert alarm["AlarmActions"] in ([{"Ref": "AlertTopic"}], [TOPIC_IMPORT]), name
        assert alarm["AlarmDescription"].strip(), f"{name}: says nothing to on-call"
