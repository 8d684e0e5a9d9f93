"""A run launched as the Dagster UI launches one: GraphQL `launchRun` to the webserver.

The run is queued; the daemon's run coordinator dequeues it and the instance's run
launcher starts it. Used by what drives a running deployment from outside (the
deployment test, the run-overhead benchmark).
"""

from collections.abc import Mapping

import httpx

LAUNCH_RUN = """
mutation ($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on Error { message }
  }
}
"""


def launch_run(graphql_url: str, location: str, job: str, tags: Mapping[str, str]) -> str:
    """The id of the run launched; an error names what Dagster answered instead."""
    params = {
        "selector": {
            "repositoryLocationName": location,
            "repositoryName": "__repository__",
            "jobName": job,
        },
        "executionMetadata": {"tags": [{"key": k, "value": v} for k, v in tags.items()]},
    }
    reply = httpx.post(
        graphql_url, json={"query": LAUNCH_RUN, "variables": {"params": params}}, timeout=60.0
    )
    reply.raise_for_status()
    launched = reply.json()["data"]["launchRun"]
    if launched["__typename"] != "LaunchRunSuccess":
        raise RuntimeError(f"launchRun: {launched['__typename']}: {launched.get('message')}")
    run_id: str = launched["run"]["runId"]
    return run_id
