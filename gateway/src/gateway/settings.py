from datetime import timedelta
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from treue.settings import ServiceSettings

DEVELOPMENT_ACCESS_SECRET = "treue-development-access-secret-change-me"  # noqa: S105
# gateway/src/gateway/settings.py -> the repository root (`npm run build` writes frontend/dist).
REPOSITORY_ROOT = Path(__file__).resolve().parents[3]


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TREUE_GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    database_url: str = "postgresql+asyncpg://treue:treue@127.0.0.1:5433/gateway"
    contacts_url: str = "http://127.0.0.1:8001"
    survey_url: str = "http://127.0.0.1:8002"
    analytics_url: str = "http://127.0.0.1:8003"
    # Comma-separated URLs of a service's replicas; when set they replace the single URL.
    contacts_urls: str = ""
    survey_urls: str = ""
    analytics_urls: str = ""
    # A replica that refused or dropped a connection gets no requests for this long.
    upstream_down_seconds: float = 5.0
    upstream_timeout_seconds: float = 30.0
    admin_email: str | None = Field(None, validation_alias="TREUE_ADMIN_EMAIL")
    admin_password: str | None = Field(None, validation_alias="TREUE_ADMIN_PASSWORD")
    access_token_secret: str = DEVELOPMENT_ACCESS_SECRET
    access_token_ttl_seconds: int = 3600
    # How long a replica remembers who a key or token belongs to. Revocations, logouts and
    # user changes clear every replica's memory at once (NOTIFY); this bounds the rest.
    sign_in_cache_seconds: float = Field(5.0, ge=0)
    # Requests per minute (a fixed window per caller, counted in Postgres by every replica).
    rate_limit_user_per_minute: int = 1200
    rate_limit_api_key_per_minute: int = 6000
    # Login attempts per window, per account (e-mail) and per client address, across replicas.
    # The public survey pages answer without sign-in: limited per client address instead.
    rate_limit_public_per_minute: int = 120
    login_limit_per_account: int = 10
    login_limit_per_address: int = 50
    login_limit_window_seconds: int = 300
    body_limit_bytes: int = 10 * 1024 * 1024
    # Larger (or smaller) limits for paths under a prefix; the longest matching prefix wins.
    body_limits_by_prefix: dict[str, int] = {"/api/v1/imports": 200 * 1024 * 1024}
    audit_flush_seconds: float = 0.2
    # The built web app (index.html and assets/), served at /; without it / opens the API docs.
    spa_dir: Path = REPOSITORY_ROOT / "frontend" / "dist"
    # Webhook URLs on loopback and private networks: refused (SSRF) unless this is true.
    webhooks_allow_private_urls: bool = Field(
        False, validation_alias="TREUE_WEBHOOKS_ALLOW_PRIVATE_URLS"
    )
    webhook_timeout_seconds: float = 10.0
    # How long a claimed delivery stays with the replica that claimed it; after that another
    # replica sends it (its claimer died). Unset: twice the timeout plus 30 s. Must exceed
    # the timeout, or a slow attempt would be sent again in parallel.
    webhook_lease_seconds: float | None = None
    # Delays before each retry (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about a day).
    webhook_retry_delays_seconds: list[float] = [5, 300, 1800, 7200, 18000, 36000, 36000]
    # An endpoint whose every attempt failed for this long is disabled.
    webhook_disable_after_seconds: float = 24 * 3600
    # How long the previous secret still signs after a rotation.
    webhook_secret_overlap_seconds: float = 24 * 3600
    webhook_batch_size: int = 100
    # Batches in flight at once per replica (each up to webhook_batch_size deliveries).
    webhook_lanes: int = 4
    # Deliveries to one endpoint in one batch: a subscriber's backlog is sent this many at
    # a time per lane, not as a burst of a whole batch; the other endpoints fill the rest.
    webhook_endpoint_concurrency: int = Field(100, ge=1)
    # Without a notification the workers look for due retries this often.
    webhook_poll_seconds: float = 1.0
    webhook_response_body_limit_bytes: int = 2048
    # Finished deliveries, their attempts (answers may hold personal data) and messages are
    # deleted this many days after they were queued.
    webhook_retention_days: int = 30

    @model_validator(mode="after")
    def _lease_outlasts_an_attempt(self) -> "GatewaySettings":
        lease = self.webhook_lease_seconds
        if lease is not None and lease <= self.webhook_timeout_seconds:
            raise ValueError(
                "TREUE_GATEWAY_WEBHOOK_LEASE_SECONDS must exceed"
                " TREUE_GATEWAY_WEBHOOK_TIMEOUT_SECONDS"
            )
        return self

    def webhook_lease(self) -> timedelta:
        """How long a claimed delivery is leased (see webhook_lease_seconds)."""
        if self.webhook_lease_seconds is not None:
            return timedelta(seconds=self.webhook_lease_seconds)
        return timedelta(seconds=self.webhook_timeout_seconds * 2 + 30)

    @model_validator(mode="after")
    def _refuse_placeholder_access_secret(self) -> "GatewaySettings":
        if self.env == "production" and self.access_token_secret == DEVELOPMENT_ACCESS_SECRET:
            raise ValueError("TREUE_GATEWAY_ACCESS_TOKEN_SECRET must be set in production")
        return self

    def body_limit_for(self, path: str) -> int:
        matching = [
            prefix
            for prefix in self.body_limits_by_prefix
            if path == prefix or path.startswith(prefix.rstrip("/") + "/")
        ]
        if not matching:
            return self.body_limit_bytes
        return self.body_limits_by_prefix[max(matching, key=len)]

    def upstream_replicas(self) -> dict[str, list[str]]:
        """Every replica's URL per service."""
        configured = {
            "contacts": (self.contacts_urls, self.contacts_url),
            "survey": (self.survey_urls, self.survey_url),
            "analytics": (self.analytics_urls, self.analytics_url),
        }
        return {
            service: [url.strip() for url in many.split(",") if url.strip()] or [one]
            for service, (many, one) in configured.items()
        }
