"""Every error the service raises, as RFC 9457 problem details, mapped in one place.

An error nobody expected is logged with its traceback under a fresh request id, and the
answer carries that id (`request_id`), so a report from a client finds its log line.
"""

import logging
import uuid
from typing import Any

from litestar import Request, Response
from litestar.config.app import AppConfig
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from ingest_service.intake import MalformedBody, TooManyClicks
from ingest_service.rate_limit import RateLimited
from ingest_service.store import StoreUnavailable
from ingest_service.validation import InvalidClick

_log = logging.getLogger(__name__)


def _invalid_click(exc: InvalidClick) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=422,
        type_="/problems/invalid-click",
        title="Invalid click",
        detail=str(exc),
        extra={"errors": [{"field": e.field, "message": e.message} for e in exc.errors]},
    )


def _malformed_body(exc: MalformedBody) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=400, type_="/problems/malformed-body", title="Malformed body", detail=str(exc)
    )


def _too_many_clicks(exc: TooManyClicks) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=413, type_="/problems/batch-too-large", title="Batch too large", detail=str(exc)
    )


def _rate_limited(exc: RateLimited) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=429,
        type_="/problems/rate-limited",
        title="Too many clicks",
        detail=str(exc),
        headers={"Retry-After": str(exc.retry_after_s)},
    )


def _store_unavailable(exc: StoreUnavailable) -> ProblemDetailsException:
    # 503: nothing was stored and the client should retry later.
    return ProblemDetailsException(
        status_code=503,
        type_="/problems/store-unavailable",
        title="Click store unavailable",
        detail="the click was not stored; retry later",
        headers={"Retry-After": "5"},
    )


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    request_id = uuid.uuid4().hex
    # From the scope: `request.url` parses the Host header, which may itself be the fault.
    # Quoted (%r), as the path may hold control characters that would forge log lines.
    _log.error(
        "unexpected %s on %s %r, request id %s",
        type(exc).__name__,
        request.method,
        request.scope["path"],
        request_id,
        exc_info=exc,
    )
    problem = ProblemDetailsException(
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
        type_="/problems/unexpected",
        title="Unexpected error",
        detail=f"the server failed; quote request id {request_id} when reporting it",
        extra={"request_id": request_id},
        headers={"X-Request-Id": request_id},
    )
    return problem.to_response(request)


class _ServiceProblems(ProblemDetailsPlugin):
    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config = super().on_app_init(app_config)
        # Status 500 catches Litestar's own InternalServerException, whatever it wraps;
        # Exception catches the rest, the HTTP exceptions above being more specific.
        app_config.exception_handlers[HTTP_500_INTERNAL_SERVER_ERROR] = _unexpected
        app_config.exception_handlers[Exception] = _unexpected
        return app_config


def problem_details_plugin() -> ProblemDetailsPlugin:
    return _ServiceProblems(
        ProblemDetailsConfig(
            enable_for_all_http_exceptions=True,
            exception_to_problem_detail_map={
                InvalidClick: _invalid_click,
                MalformedBody: _malformed_body,
                TooManyClicks: _too_many_clicks,
                RateLimited: _rate_limited,
                StoreUnavailable: _store_unavailable,
            },
        )
    )
