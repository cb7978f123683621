"""ASGI middleware: the security headers of every response."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, tls: bool) -> None:
        self.app, self.tls = app, tls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {
                    b"content-security-policy": CSP.encode(),
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"no-referrer",
                    b"x-frame-options": b"DENY",
                    b"cross-origin-opener-policy": b"same-origin",
                    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
                }
                if not static:
                    # Pages carry marked data: never keep them in a shared or disk cache.
                    extra[b"cache-control"] = b"no-store"
                if self.tls:
                    extra[b"strict-transport-security"] = b"max-age=31536000; includeSubDomains"
                headers += [(k, v) for k, v in extra.items() if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimitRefusal:
    """FastAPI's ``max_body_size`` answers 413 in plain text from below the exception
    handlers. Replace that answer with Baken's own refusal: problem details or a page in
    the user's language, audited like every other refusal."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replaced = False

        async def rewrite(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the plain-text body of the answer we replaced
            if message["type"] == "http.response.start" and message["status"] == 413:
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/plain"):
                    from starlette.concurrency import run_in_threadpool
                    from starlette.requests import Request

                    from baken.web.errors import refusal

                    replaced = True
                    response = await run_in_threadpool(
                        refusal, Request(scope), 413, "body too large"
                    )
                    await response(scope, receive, send)
                    return
            await send(message)

        await self.app(scope, receive, rewrite)
