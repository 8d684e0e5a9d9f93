"""HTTP handlers of the intake and of the load balancer's probes."""

from typing import Any

import anyio
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.status_codes import (
    HTTP_202_ACCEPTED,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from ingest_service.contract import BatchIn, ClickIn
from ingest_service.intake import BatchAccepted, ClickAccepted, Intake
from ingest_service.openapi import BODY_MEDIA_TYPES, operation_with_body
from ingest_service.rate_limit import ClientAdmission
from ingest_service.shared_buckets import Taken
from ingest_service.store import ClickStore, StoreUnavailable


async def _json_body(request: Request[Any, Any, Any]) -> bytes:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in BODY_MEDIA_TYPES:
        raise ProblemDetailsException(
            status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            title="Unsupported media type",
            detail=f"send JSON as {' or '.join(BODY_MEDIA_TYPES)}, not {media_type or 'no type'}",
        )
    return await request.body()


def _admit(request: Request[Any, Any, Any], clicks: int) -> Taken:
    # From the app's state, not a dependency: Litestar resolves two or more dependencies in
    # a task group, which cost the intake a quarter of its throughput.
    admission: ClientAdmission = request.app.state.admission
    peer = request.client.host if request.client else None
    return admission.admit(peer, request.headers, clicks)


@post(
    "/clicks",
    status_code=HTTP_202_ACCEPTED,
    operation_class=operation_with_body(ClickIn, "One click."),
    tags=["intake"],
)
async def post_click(
    request: Request[Any, Any, Any],
    intake: NamedDependency[Intake],
) -> ClickAccepted:
    """Stores one click; answers once it is durable. The same id twice is stored once."""
    _admit(request, 1)
    return await intake.accept_one(await _json_body(request))


@post(
    "/clicks/batch",
    status_code=HTTP_202_ACCEPTED,
    operation_class=operation_with_body(BatchIn, "Up to the configured number of clicks."),
    tags=["intake"],
)
async def post_click_batch(
    request: Request[Any, Any, Any],
    intake: NamedDependency[Intake],
) -> Response[BatchAccepted]:
    """Stores every valid click of the batch; each item has its own result.

    Over the rate limit, the batch is taken as far as the client's allowance goes; the
    items past it are `rate_limited`, to be sent again after `Retry-After` seconds.
    """
    batch = intake.decode_batch(await _json_body(request))
    admitted = _admit(request, len(batch.clicks))  # a batch counts its items
    accepted = await intake.accept_batch(
        batch, admitted=admitted.count, retry_after_s=admitted.retry_after_s
    )
    headers = {"Retry-After": str(admitted.retry_after_s)} if accepted.rate_limited else {}
    return Response(accepted, status_code=HTTP_202_ACCEPTED, headers=headers)


@get("/health", tags=["probes"])
async def health() -> dict[str, str]:
    """Liveness: the process answers. Touches nothing else."""
    return {"status": "ok"}


@get("/ready", tags=["probes"])
async def ready(store: NamedDependency[ClickStore]) -> dict[str, str]:
    """Readiness: the click store answers."""
    try:
        await anyio.to_thread.run_sync(store.ping)
    except StoreUnavailable as exc:
        raise ProblemDetailsException(
            status_code=HTTP_503_SERVICE_UNAVAILABLE, title="Not ready", detail=str(exc)
        ) from None
    return {"status": "ready"}
