"""Settings, read from the environment (prefix ``BAKEN_``) and passed in explicitly.

Nothing here runs at import time: callers build a :class:`Settings` and hand it on.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BAKEN_", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Root for the embedded store.")
    database_url: str = Field(
        default="", description="SQLAlchemy URL; empty means SQLite under data_dir."
    )
    # Seconds to wait for PostgreSQL to answer a new connection: a host that drops packets
    # (not one that refuses, as a restarting server does) must not hold requests for ever.
    db_connect_timeout: int = Field(default=10, ge=1, le=300)
    default_locale: str = "nl"
    session_idle_minutes: int = Field(default=30, ge=1)
    session_max_hours: int = Field(default=10, ge=1)
    # Lockout: after this many consecutive failures the account is locked, the lock
    # doubling from ``lockout_base_seconds`` with each further failure, up to the cap.
    lockout_threshold: int = Field(default=5, ge=1)
    lockout_base_seconds: int = Field(default=30, ge=1)
    lockout_max_seconds: int = Field(default=3600, ge=1)
    # Rate limits (``limits`` notation, e.g. "20/minute"), a moving window in each web
    # process: sign-in attempts and failed API tokens per client address, new API tokens
    # per user. The lockout above holds per account across processes; these slow password
    # spraying over many accounts and token guessing (see docs/architecture.md).
    rate_login: str = "20/minute"
    rate_bad_token: str = "30/minute"  # noqa: S105 (a rate, not a secret)
    rate_token_create: str = "20/hour"  # noqa: S105 (a rate, not a secret)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Cookies get the Secure flag when served behind TLS; set this in production.
    secure_cookies: bool = False
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=64)
    # Holdings: background work and ingest limits.
    queue: str = Field(default="local", pattern="^(local|procrastinate)$")
    workers: int = Field(default=2, ge=1, le=64)
    queue_size: int = Field(default=64, ge=1)
    frog: bool = Field(default=True, description="Dutch NER with Frog when installed.")
    ocr: bool = Field(default=True, description="OCR scanned pages with Tesseract.")
    ingest_max_bytes: int = Field(default=512 * 1024 * 1024, ge=1)
    upload_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    # Resolve: the default batch engine of a cross-referencing run (a run may choose).
    # "spark" needs ``spark_master``: a Spark standalone master (``spark://host:7077``) or
    # any master Spark accepts.
    xref_engine: str = Field(default="local", pattern="^(local|spark)$")
    spark_master: str | None = None
    # The address Spark's executors reach this process (the driver) at; loopback suits a
    # cluster on this machine only.
    spark_driver_host: str = "127.0.0.1"

    @field_validator("rate_login", "rate_bad_token", "rate_token_create")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a rate: write it as COUNT/PERIOD, e.g. 20/minute"
            ) from None
        return value

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'baken.sqlite').resolve()}"
        return self

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def bulk_dir(self) -> Path:
        return self.data_dir / "bulk"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
