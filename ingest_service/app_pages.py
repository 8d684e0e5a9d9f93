"""Deep links into the single-page demo app: a page's address, reloaded, gets the app.

The app's pages (`/pricing`, `/checkout?plan=pro`, ...) exist only in its router, not
as files: a path the static files do not hold is answered with the app's index.html, so
a reload or a shared link shows the page. Files (a name with a dot, as `/assets/x.js`)
and the read API keep their 404.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.plugins.problem_details import ProblemDetailsException

API_PREFIX = "/api/"
Fallback = Callable[[Request[Any, Any, Any], NotFoundException], Response[Any]]
_PAGE_METHODS = {"GET", "HEAD"}


def app_page_fallback(index: Path) -> Fallback:
    """The static files' 404 handler: the app for a page's path, else the problem."""

    def fallback(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[Any]:
        if _is_page(request):
            html = b"" if request.method == "HEAD" else index.read_bytes()
            # The build replaces index.html: no cache may keep an old one.
            return Response(html, media_type=MediaType.HTML, headers={"Cache-Control": "no-cache"})
        problem = ProblemDetailsException(
            status_code=exc.status_code, title=exc.detail, extra=exc.extra, headers=exc.headers
        )
        return problem.to_response(request)

    return fallback


def _is_page(request: Request[Any, Any, Any]) -> bool:
    path: str = request.scope["path"]
    last = path.rsplit("/", 1)[-1]
    return request.method in _PAGE_METHODS and not path.startswith(API_PREFIX) and "." not in last
