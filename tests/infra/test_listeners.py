"""No deployment the templates allow exposes the Dagster UI, or a signed-in path, publicly.

Every combination of the parameters that conditions read is tried (those the templates'
Rules refuse are skipped, as CloudFormation refuses them): wherever an internet-facing
load balancer forwards to a protected target, an ALB sign-in action must come first.
"""

from typing import Any

from tests.infra.cfn import TEMPLATE_DIR, Deployment, deployments, load, resources_of

SIGN_IN = {"authenticate-oidc", "authenticate-cognito"}
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
LISTENER_RULE = "AWS::ElasticLoadBalancingV2::ListenerRule"
SECURITY_GROUP = "AWS::EC2::SecurityGroup"


def forwards_to(actions: list[dict[str, Any]], target_group: str) -> bool:
    return any(a.get("TargetGroupArn") == {"Ref": target_group} for a in actions)


def signs_in_first(actions: list[dict[str, Any]]) -> bool:
    ordered = sorted(actions, key=lambda action: int(action.get("Order", 1)))
    return ordered[0]["Type"] in SIGN_IN and ordered[-1]["Type"] == "forward"


def listeners(deployment: Deployment) -> dict[str, dict[str, Any]]:
    return {
        name: deployment.evaluate(resource["Properties"])
        for name, resource in resources_of(deployment.template, LISTENER).items()
        if deployment.has(name)
    }


def is_internet_facing(deployment: Deployment, listener: dict[str, Any]) -> bool:
    balancer = listener["LoadBalancerArn"]["Ref"]
    properties = deployment.evaluate(deployment.template["Resources"][balancer]["Properties"])
    return bool(properties.get("Scheme", "internet-facing") == "internet-facing")


def public_unsigned_listeners(template: dict[str, Any], target_group: str) -> list[str]:
    """Listeners that forward to the target group from the internet without a sign-in."""
    found = []
    for deployment in deployments(template):
        for name, listener in listeners(deployment).items():
            actions = listener["DefaultActions"]
            if (
                forwards_to(actions, target_group)
                and is_internet_facing(deployment, listener)
                and not signs_in_first(actions)
            ):
                found.append(f"{name} with {deployment.parameters}")
    return found


def test_the_dagster_ui_is_internal_or_signed_in() -> None:
    template = load(TEMPLATE_DIR / "orchestration.yaml")
    access = {d.parameters["DagsterAccess"] for d in deployments(template)}

    assert access == {"internal", "oidc", "cognito"}
    assert public_unsigned_listeners(template, "WebserverTargetGroup") == []
    assert not resources_of(template, LISTENER_RULE), "a listener rule could skip the sign-in"


def test_the_check_finds_a_dagster_ui_left_public() -> None:
    template = load(TEMPLATE_DIR / "orchestration.yaml")
    https = template["Resources"]["HttpsListener"]["Properties"]
    https["DefaultActions"] = [
        {"Type": "forward", "TargetGroupArn": {"Ref": "WebserverTargetGroup"}}
    ]

    found = public_unsigned_listeners(template, "WebserverTargetGroup")

    assert found
    assert all(f.startswith("HttpsListener") for f in found)


def test_an_internal_dagster_ui_admits_only_the_client_cidr() -> None:
    template = load(TEMPLATE_DIR / "orchestration.yaml")
    internal = [d for d in deployments(template) if d.parameters["DagsterAccess"] == "internal"]
    assert internal
    for deployment in internal:
        group = deployment.evaluate(
            template["Resources"]["LoadBalancerSecurityGroup"]["Properties"]
        )
        cidrs = {rule["CidrIp"] for rule in group["SecurityGroupIngress"]}
        assert cidrs == {deployment.parameters["DagsterClientCidr"]} != {"0.0.0.0/0"}


def test_the_dagster_tasks_admit_only_their_load_balancer() -> None:
    template = load(TEMPLATE_DIR / "orchestration.yaml")
    groups = resources_of(template, SECURITY_GROUP)
    ingress = groups["TaskSecurityGroup"]["Properties"]["SecurityGroupIngress"]

    assert [rule["SourceSecurityGroupId"] for rule in ingress] == [
        {"Ref": "LoadBalancerSecurityGroup"}
    ]


def test_signed_in_dashboard_paths_reach_the_service_only_after_sign_in() -> None:
    template = load(TEMPLATE_DIR / "ingest.yaml")
    signed_in = [d for d in deployments(template) if d.parameters["DashboardAuth"] != "none"]
    assert {d.parameters["DashboardAuth"] for d in signed_in} == {"oidc", "cognito"}
    for deployment in signed_in:
        (rule,) = [
            deployment.evaluate(resource["Properties"])
            for name, resource in resources_of(template, LISTENER_RULE).items()
            if deployment.has(name)
        ]
        (condition,) = rule["Conditions"]
        assert condition["PathPatternConfig"]["Values"] == ["/dashboard*", "/api/*"]
        assert signs_in_first(rule["Actions"])
        assert {a["Type"] for a in rule["Actions"]} & SIGN_IN == {
            f"authenticate-{deployment.parameters['DashboardAuth']}"
        }
        # The rule sits on the HTTPS listener, and plain HTTP only redirects there.
        assert rule["ListenerArn"] == {"Ref": "HttpsListener"}
        http = listeners(deployment)["HttpListener"]["DefaultActions"]
        assert [action["Type"] for action in http] == ["redirect"]
