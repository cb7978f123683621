"""Every refusal as a clear 4xx: an error page in the user's language, or RFC 9457
problem details for the API. Nothing internal is shown, and every refusal is audited."""

from __future__ import annotations

import errno
import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from baken.core import audit
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.policy import PolicyDenied
from baken.web.context import (
    SESSION_COOKIE,
    CsrfFailed,
    Forbidden,
    LoginRequired,
    NotFound,
    bare_context,
)
from baken.web.ratelimit import TooManyAttempts

log = logging.getLogger("baken.web")

# status -> (English title, used as the message id for the Dutch text)
TITLES = {
    400: "The request could not be understood",
    401: "Sign in first",
    403: "You may not do this",
    404: "Not found",
    405: "This method is not allowed here",
    413: "The request is too large",
    415: "This type of content is not accepted",
    422: "The data sent is not valid",
    429: "Too many attempts; wait a moment",
    500: "Something went wrong on our side",
    503: "Baken is briefly unavailable; try again in a moment",
    507: "The storage is full",
}
# Full disks: the write is refused (nothing half-written stays, see holdings.blobs).
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def record_refusal(request: Request, status: int, reason: str) -> None:
    """Audit a refused request in its own transaction (the work itself rolled back)."""
    principal = getattr(request.state, "principal", None)
    try:
        with transaction(request.app.state.sessionmaker) as session:
            audit.record(
                session,
                principal=principal,
                actor="anonymous",
                action="request.refused",
                outcome=str(status),
                details={
                    "method": request.method,
                    "path": request.url.path[:300],
                    "reason": reason,
                },
            )
    except Exception:  # the refusal itself must still be answered
        log.exception("could not audit a refused request")


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def refusal(
    request: Request,
    status: int,
    reason: str,
    detail: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    record_refusal(request, status, reason)
    ctx = bare_context(request)
    title = TITLES.get(status, TITLES[400])
    if is_api(request):
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail or title,
        }
        if errors:
            body["errors"] = errors
        return JSONResponse(
            body, status_code=status, media_type="application/problem+json", headers=headers
        )
    from baken.web.render import render

    response = render(
        ctx,
        "error.html",
        status_code=status,
        title=ctx._(title),
        status=status,
        message=ctx._(title),
        detail=ctx._(detail) if detail else None,
    )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


# What every refusal of the JSON API looks like (RFC 9457), for its OpenAPI document.
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["loc", "msg"],
                "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "msg": {"type": "string"},
                },
            },
        },
    },
}
API_REFUSALS = (400, 401, 403, 404, 413, 422, 429, 503, 507)


def document_refusals(app: FastAPI) -> None:
    """Say in the OpenAPI document what the API answers when it refuses: problem details
    (``application/problem+json``) for each refusal, instead of FastAPI's default 422
    (``application/json``, a shape this app never sends)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith("/api/"):
                continue
            for operation in operations.values():
                for status in API_REFUSALS:
                    operation["responses"][str(status)] = {
                        "description": TITLES[status],
                        "content": {"application/problem+json": problem},
                    }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Field locations and messages only: the input is the sender's own and is not echoed.
    return [
        {"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", ""))}
        for err in exc.errors()
    ]


def install(app: FastAPI) -> None:
    document_refusals(app)

    # Plain functions: Starlette runs them in the thread pool, so auditing the refusal
    # (a database write) never blocks the event loop.
    @app.exception_handler(LoginRequired)
    def _login(request: Request, exc: LoginRequired) -> Response:
        reason = "session expired" if exc.expired else "not signed in"
        if is_api(request):
            return refusal(request, 401, reason, headers={"WWW-Authenticate": "Bearer"})
        record_refusal(request, 401, reason)
        target = "/login?next=" + quote(request.url.path, safe="/")
        if exc.expired:
            target += "&expired=1"
        response = RedirectResponse(target, status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.exception_handler(TooManyAttempts)
    def _too_many(request: Request, exc: TooManyAttempts) -> Response:
        return refusal(
            request,
            429,
            f"rate limited: {exc.door}",
            N_("Too many attempts from your address. Try again in a minute."),
            headers={"Retry-After": str(exc.retry_after)},
        )

    @app.exception_handler(CsrfFailed)
    def _csrf(request: Request, exc: CsrfFailed) -> Response:
        return refusal(
            request,
            403,
            "csrf",
            "The form was out of date or not sent from Baken. Reload and try again.",
        )

    @app.exception_handler(Forbidden)
    def _forbidden(request: Request, exc: Forbidden) -> Response:
        return refusal(request, 403, f"missing permission {exc.what}")

    @app.exception_handler(PolicyDenied)
    def _denied(request: Request, exc: PolicyDenied) -> Response:
        return refusal(request, 403, f"policy: {exc}")

    @app.exception_handler(NotFound)
    def _not_found(request: Request, exc: NotFound) -> Response:
        return refusal(request, 404, "not found or not readable")

    @app.exception_handler(LookupError)
    def _lookup(request: Request, exc: LookupError) -> Response:
        return refusal(request, 404, "not found or not readable")

    @app.exception_handler(DomainError)
    def _domain(request: Request, exc: DomainError) -> Response:
        return refusal(request, 422, "refused", detail=str(exc))

    @app.exception_handler(ValidationError)
    def _invalid_shape(request: Request, exc: ValidationError) -> Response:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return refusal(request, 422, "invalid data", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code if 400 <= exc.status_code < 600 else 400
        return refusal(request, status, f"http {status}", headers=dict(exc.headers or {}))

    @app.exception_handler(OverflowError)
    def _overflow(request: Request, exc: OverflowError) -> Response:
        # A number in the request past what the database stores (SQLite's 64 bits).
        return refusal(
            request, 422, "number out of range", N_("A number in the request is out of range.")
        )

    @app.exception_handler(DataError)
    def _data(request: Request, exc: DataError) -> Response:
        # PostgreSQL's own "numeric value out of range" (SQLSTATE 22003) for such a number.
        if getattr(exc.orig, "sqlstate", None) == "22003":
            return _overflow(request, OverflowError(str(exc.orig)))
        return _crash(request, exc)

    @app.exception_handler(OperationalError)
    def _database_gone(request: Request, exc: DBAPIError) -> Response:
        # The database is unreachable (restarting, network): the pool reconnects on
        # the next request (pool_pre_ping), so this one is a 503, not a crash.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return refusal(request, 503, "database unavailable", headers={"Retry-After": "5"})

    @app.exception_handler(DBAPIError)
    def _database_error(request: Request, exc: DBAPIError) -> Response:
        if exc.connection_invalidated:
            return _database_gone(request, exc)
        return _crash(request, exc)

    @app.exception_handler(OSError)
    def _os_error(request: Request, exc: OSError) -> Response:
        if exc.errno in DISK_FULL:
            log.error("disk full on %s %s: %s", request.method, request.url.path, exc)
            return refusal(
                request,
                507,
                "disk full",
                N_(
                    "There is no room left to store this. Nothing was saved; ask the "
                    "administrator to free space and try again."
                ),
            )
        return _crash(request, exc)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return refusal(request, 422, "invalid request", errors=_validation_errors(exc))

    @app.exception_handler(Exception)
    def _crash(request: Request, exc: Exception) -> Response:
        # The handler runs outside the ``except`` block: hand the exception over, or the
        # log says "NoneType: None" instead of the traceback.
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return refusal(request, 500, f"error {type(exc).__name__}")
