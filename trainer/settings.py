"""All configuration, read once from ``TRAINER_*`` environment variables and passed in.

Nothing else in the package reads the environment: ``Settings()`` is built at the edge (the CLI, the
app factory's caller, a test) and handed down.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def packaged_data_dir() -> Path:
    """The data files that ship inside the package (``trainer/data/``): scenarios, prompts, the
    rubrics and the eval suite. An installed wheel and a checkout read them from the same place."""
    folder = resources.files("trainer") / "data"
    if not isinstance(folder, Path):  # a zipped install (zipimport) has no folder to point at
        raise RuntimeError("the trainer must be installed as files, not inside a zip archive")
    return folder


DATA_DIR = packaged_data_dir()


def running_from_checkout() -> bool:
    """The package is imported from a source checkout (``make install``, tests), not an installed wheel."""
    return (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "trainer").is_dir()


def default_data_dir() -> Path:
    """Where the default SQLite file lives: ``./var`` of a checkout, else the user's data folder
    (``~/.local/share/trainer`` on Linux, or ``$XDG_DATA_HOME/trainer``)."""
    if running_from_checkout():
        return PROJECT_ROOT / "var"
    return Path(user_data_dir("trainer", appauthor=False))


DEFAULT_DB_PATH = default_data_dir() / "trainer.db"


def normalise_database_url(url: str) -> str:
    """Map plain ``sqlite://`` and ``postgresql://`` URLs to their async drivers."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    return url


class Settings(BaseSettings):
    """Every ``TRAINER_*`` variable the trainer reads, with its default."""

    model_config = SettingsConfigDict(env_prefix="TRAINER_", extra="ignore", frozen=True)

    database_url: str = Field(default=f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}")
    database_pool_size: int = Field(default=20, ge=1)
    scenarios_dir: Path = DATA_DIR / "scenarios"
    rubrics_path: Path = DATA_DIR / "rubrics.yaml"
    prompts_dir: Path = DATA_DIR / "prompts"
    # The safety screen's message and resources (trainer/safety/resources.py); unset: the packaged
    # international default, which points people to their local emergency services.
    safety_resources_path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_body_bytes: int = 64 * 1024
    # Rate limits: requests per minute; 0 turns the limit off. On by default, at the README's values.
    rate_limit_per_key: int = Field(default=600, ge=0)
    rate_limit_per_learner: int = Field(default=30, ge=0)
    # Sessions one learner may start in an hour (0: no cap).
    sessions_per_learner_per_hour: int = Field(default=30, ge=0)
    # Joining a workshop with a code (trainer.web.join_limits): per minute, and members per cohort.
    join_limit_per_address: int = Field(default=60, ge=0)
    join_guesses_per_address: int = Field(default=10, ge=0)
    join_limit_per_code: int = Field(default=60, ge=0)
    cohort_max_members: int = Field(default=100, ge=0)
    redis_url: str | None = None
    # How long a worker trusts a key it has checked; a revoked key stops working within this.
    key_cache_seconds: float = Field(default=10.0, ge=0)

    llm_provider: Literal["openai", "anthropic"] = "openai"
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_judge_model: str | None = None
    llm_partner_model: str | None = None
    llm_connect_timeout: float = 3.0
    llm_timeout: float = 20.0
    llm_max_retries: int = 2
    llm_max_in_flight: int = Field(default=64, ge=1)
    llm_breaker_failures: int = 5
    llm_breaker_reset_seconds: float = 30.0
    # JSON object: {"model-name": [input_usd_per_million, output_usd_per_million(, cached_input)]}
    llm_prices: dict[str, tuple[float, float] | tuple[float, float, float]] = Field(default_factory=dict)
    # Every turn is answered within this many seconds: a model still working then is left behind and
    # the turn is graded and answered offline (degraded).
    turn_deadline_seconds: float = Field(default=12.0, gt=0)
    # With a model configured, it also checks each reply the offline safety screen let through
    # (trainer.safety.model_check): one short call per reply, which the partner's words wait for.
    model_safety_check: bool = True
    # The offline screen's reader (trainer.safety.encoder): a small transformer for risk said without its
    # words. About 7 ms on one reply in ten and 70 MB per process; off, the screen is phrases and a
    # linear model (held-out recall 0.743 instead of 0.884).
    screen_reader: bool = True

    web_token_minutes: int = 240
    cookie_secure: bool = False
    # The address learners' phones use to reach this server (e.g. http://192.168.1.20:8000): the
    # board's join address and QR code use it. Unset: the address the facilitator's browser used.
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")

    # --- Operations (issue 20; docs/deployment.md says what each costs) ---
    # Overflow connections a worker may open above database_pool_size for a burst (then closed).
    database_max_overflow: int = Field(default=10, ge=0)
    # Comma-separated addresses or networks (CIDR) of proxies whose X-Forwarded-For/-Proto are
    # honoured; "*" trusts any peer; empty (the default) ignores the headers.
    trusted_proxies: str = ""
    # Prefix of every Redis key, so that several deployments (or test runs) can share one Redis.
    redis_prefix: str = "trainer:"
    # GET /metrics (Prometheus); keep it off the public side of the load balancer.
    metrics_enabled: bool = True
    # OpenTelemetry's own variables (no TRAINER_ prefix): tracing is on when an exporter is named.
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT", "otel_exporter_otlp_endpoint"),
    )
    otel_exporter_otlp_traces_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "otel_exporter_otlp_traces_endpoint"
        ),
    )
    otel_traces_exporter: str | None = Field(
        default=None, validation_alias=AliasChoices("OTEL_TRACES_EXPORTER", "otel_traces_exporter")
    )
    otel_service_name: str = Field(
        default="trainer", validation_alias=AliasChoices("OTEL_SERVICE_NAME", "otel_service_name")
    )

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalise_database_url(value)

    @property
    def llm_enabled(self) -> bool:
        """A model is configured: a base URL, or an Anthropic key (its URL has a default)."""
        if self.llm_base_url:
            return True
        return self.llm_provider == "anthropic" and self.llm_api_key is not None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
