"""The FastAPI app factory: settings in, app out; modules plug in through the registry."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from baken import __version__
from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker
from baken.plugins import Registry, registry
from baken.web import accesslog, errors
from baken.web.middleware import BodyLimitRefusal, SecurityHeaders
from baken.web.ratelimit import RateLimits


def create_app(settings: Settings | None = None, reg: Registry | None = None) -> FastAPI:
    settings = settings or Settings()
    reg = reg or registry()
    app = FastAPI(
        title="Baken API",
        version=__version__,
        description="HTTP API of Baken. Every answer passes the same policy as the UI.",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        openapi_url="/api/openapi.json",
    )
    engine = make_engine(settings)
    app.state.settings = settings
    app.state.registry = reg
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.rate_limits = RateLimits(settings)
    accesslog.install()  # no query strings (search terms, BSNs) in the access log
    for router in reg.collect(reg.hook.baken_routers):
        # FastAPI's own cap: 413 by Content-Length up front or as a chunked body
        # streams. Set per router, so the answer passes through BodyLimitRefusal.
        # Upload routers (``baken_uploads``) get the larger upload limit.
        limit = (
            settings.upload_max_bytes
            if getattr(router, "baken_uploads", False)
            else settings.max_body_bytes
        )
        app.include_router(router, max_body_size=limit)
    static = resources.files("baken.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    errors.install(app)

    app.add_middleware(BodyLimitRefusal)
    app.add_middleware(SecurityHeaders, tls=settings.secure_cookies)
    return app
