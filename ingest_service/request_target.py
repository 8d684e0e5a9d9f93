"""Request paths no handler can serve, refused before one tries: 400 or 414, never a 500.

The server percent-decodes the path before the app sees it, so `/%00` arrives with a NUL
byte and `/%ff` with U+FFFD in place of the undecodable byte. Handled paths are short
ASCII; the static files handler would otherwise pass any of these to the file system,
which fails on NUL bytes and on names longer than it allows.
"""

import unicodedata

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_414_REQUEST_URI_TOO_LONG
from litestar.types import ASGIApp, Receive, Scope, Send

MAX_PATH_BYTES = 2048
# NAME_MAX of Linux file systems: no file, so no page, has a longer name.
MAX_SEGMENT_BYTES = 255


def path_problem(path: str) -> ProblemDetailsException | None:
    """Why this decoded path is refused, or None when a handler may see it."""
    encoded = path.encode("utf-8", "surrogatepass")
    if len(encoded) > MAX_PATH_BYTES:
        return _problem(HTTP_414_REQUEST_URI_TOO_LONG, f"is longer than {MAX_PATH_BYTES} bytes")
    if any(len(segment) > MAX_SEGMENT_BYTES for segment in encoded.split(b"/")):
        return _problem(
            HTTP_414_REQUEST_URI_TOO_LONG, f"has a segment longer than {MAX_SEGMENT_BYTES} bytes"
        )
    if "\ufffd" in path:
        return _problem(HTTP_400_BAD_REQUEST, "is not UTF-8 once percent-decoded")
    # Cc: C0 and C1 controls and DEL; Cs: lone surrogates, which no UTF-8 decodes to.
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in path):
        return _problem(HTTP_400_BAD_REQUEST, "holds control characters")
    return None


def _problem(status_code: int, why: str) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=status_code,
        type_="/problems/invalid-path",
        title="Invalid request path",
        detail=f"the path {why}",
    )


class RequestPathCheck(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        problem = path_problem(scope["path"])
        if problem is not None:
            raise problem
        await next_app(scope, receive, send)
