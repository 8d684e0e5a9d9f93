"""Security headers on every response of the service, errors and static files included."""

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

# Only the app's own scripts and styles; the built frontend has no inline ones. `data:`
# images: the demo page's icon is an inline SVG.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The OpenAPI viewer pages are Litestar's: they load the viewer from its CDN and start it
# with an inline script. Only those pages get this policy.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net "
    "https://cdn.redoc.ly; style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net "
    "https://fonts.googleapis.com; font-src 'self' https://fonts.gstatic.com; "
    "img-src 'self' data: https://cdn.jsdelivr.net; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)
_FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def security_headers_hook(docs_path: str) -> "_SecurityHeaders":
    return _SecurityHeaders(docs_path.rstrip("/"))


class _SecurityHeaders:
    """A Litestar `before_send` hook: it sees every response, unlike route middleware."""

    def __init__(self, docs_path: str) -> None:
        self._docs_path = docs_path

    async def __call__(self, message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in _FIXED_HEADERS.items():
            headers[name] = value
        headers["Content-Security-Policy"] = self._policy(scope["path"])

    def _policy(self, path: str) -> str:
        docs_page = path == self._docs_path or path.startswith(self._docs_path + "/")
        if docs_page and not path.endswith((".json", ".yaml", ".yml")):
            return DOCS_CONTENT_SECURITY_POLICY
        return CONTENT_SECURITY_POLICY
