"""HTTP handlers of the intake and of the load balancer's probes."""

from typing import Any

import anyio
from litestar import Request, get, post
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


@post(
    "/clicks",
    status_code=HTTP_202_ACCEPTED,
    operation_class=operation_with_body(ClickIn, "One click."),
    tags=["intake"],
)
async def post_click(request: Request[Any, Any, Any], intake: NamedDependency[Intake]) -> ClickAccepted:
    """Stores one click; answers once it is durable. The same id twice is stored once."""
    return await intake.accept_one(await _json_body(request))


@post(
    "/clicks/batch",
    status_code=HTTP_202_ACCEPTED,
    operation_class=operation_with_body(BatchIn, "Up to the configured number of clicks."),
    tags=["intake"],
)
async def post_click_batch(request: Request[Any, Any, Any], intake: NamedDependency[Intake]) -> BatchAccepted:
    """Stores every valid click of the batch; each item has its own result."""
    return await intake.accept_batch(await _json_body(request))


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
