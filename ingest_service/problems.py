"""Every error the intake raises, as RFC 9457 problem details, mapped in one place."""

from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)

from ingest_service.intake import MalformedBody, TooManyClicks
from ingest_service.rate_limit import RateLimited
from ingest_service.store import StoreUnavailable
from ingest_service.validation import InvalidClick


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


def problem_details_plugin() -> ProblemDetailsPlugin:
    return ProblemDetailsPlugin(
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
