"""The dashboard page for readers, and the token form for everyone else.

Both pages come from the frontend build. A browser that may not read yet gets the
form, which posts the token here once; the answer sets an HttpOnly cookie holding a
signed session, not the token. Signing in and out are posts from this site's own pages
only, and wrong tokens are throttled per client.
"""

from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType, RequestEncodingType
from litestar.params import Body
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.response import Redirect

from ingest_service.read_access import ReadAccess
from ingest_service.same_origin import same_origin_guard
from ingest_service.sign_in import SignInThrottle

DASHBOARD_PAGE = "dashboard.html"
LOGIN_PAGE = "dashboard-login.html"
DASHBOARD_PATH = "/dashboard"


class TokenForm(msgspec.Struct, kw_only=True):
    token: str = ""


class Reader(msgspec.Struct, kw_only=True):
    signed_in: bool


@get("/", include_in_schema=False)
async def dashboard_page(
    request: Request[Any, Any, Any],
    read_access: NamedDependency[ReadAccess],
    pages_dir: NamedDependency[Path],
) -> Response[bytes]:
    if read_access.allows(request):
        return _page(pages_dir / DASHBOARD_PAGE, 200, {})
    return _page(pages_dir / LOGIN_PAGE, 401, {"WWW-Authenticate": 'Bearer realm="clickstream"'})


@post("/login", include_in_schema=False, guards=[same_origin_guard])
async def log_in(
    request: Request[Any, Any, Any],
    read_access: NamedDependency[ReadAccess],
    sign_in: NamedDependency[SignInThrottle],
    data: Annotated[TokenForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Redirect:
    attempt = sign_in.attempt(request)
    token = data.token.strip()
    if not read_access.accepts(token):
        sign_in.failed(attempt)
        return Redirect(f"{DASHBOARD_PATH}?login=failed", status_code=303)
    sign_in.succeeded(attempt)
    return Redirect(DASHBOARD_PATH, status_code=303, cookies=[read_access.cookie(request, token)])


@post("/logout", include_in_schema=False, guards=[same_origin_guard])
async def log_out(
    request: Request[Any, Any, Any], read_access: NamedDependency[ReadAccess]
) -> Redirect:
    return Redirect(DASHBOARD_PATH, status_code=303, cookies=[read_access.cookie(request, None)])


@get("/reader", include_in_schema=False)
async def reader(
    request: Request[Any, Any, Any], read_access: NamedDependency[ReadAccess]
) -> Reader:
    """Whether this browser signed in with a token (loopback readers need not)."""
    return Reader(signed_in=read_access.signed_in(request))


def _page(path: Path, status_code: int, headers: dict[str, str]) -> Response[bytes]:
    try:
        html = path.read_bytes()
    except FileNotFoundError:
        raise ProblemDetailsException(
            status_code=503,
            title="Dashboard not built",
            detail=f"{path.name} is missing: build the frontend (make frontend)",
        ) from None
    # Who may read decides which page this URL shows: no cache may keep either.
    return Response(
        html,
        status_code=status_code,
        media_type=MediaType.HTML,
        headers={"Cache-Control": "no-store", **headers},
    )
