"""Settings every Treue process shares; each service subclasses them with its own prefix."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_INTERNAL_SECRET = "treue-development-internal-secret-change-me"  # noqa: S105


def shared(name: str) -> AliasChoices:
    """Accept the service's own variable and, as a fallback, the project-wide TREUE_ one."""
    return AliasChoices(name, f"TREUE_{name.upper()}")


class ServiceSettings(BaseSettings):
    """Fields every service needs; subclasses set `env_prefix` (e.g. TREUE_CONTACTS_)."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service_name: str = "service"
    env: Literal["development", "test", "production"] = Field(
        "development", validation_alias=shared("env")
    )
    database_url: str = "postgresql+asyncpg://treue:treue@127.0.0.1:5433/treue"
    database_pool_size: int = 20
    database_max_overflow: int = 10
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", validation_alias=shared("kafka_bootstrap_servers")
    )
    topic_prefix: str = Field("treue", validation_alias=shared("topic_prefix"))
    internal_token_secret: str = Field(
        DEVELOPMENT_INTERNAL_SECRET, validation_alias=shared("internal_token_secret")
    )
    log_level: str = Field("INFO", validation_alias=shared("log_level"))
    log_format: Literal["json", "console"] = Field("json", validation_alias=shared("log_format"))
    outbox_batch_size: int = 1000
    outbox_idle_poll_seconds: float = 0.5
    outbox_retention_hours: int = 24
    # Answers replayed for a repeated Idempotency-Key hold personal data: kept a day, like
    # the outbox, so an erased contact's data leaves both within a day.
    idempotency_retention_hours: int = 24
    consumer_batch_size: int = 2000
    # Applied batches' offsets are committed at most this often while events flow (at once
    # when they pause): a re-read after a crash is skipped by the inbox.
    consumer_commit_seconds: float = 1.0
    # The broker holds a fetch until this many bytes are waiting or the wait is over, so a
    # steady trickle of events is handled in batches of a few (one transaction and one inbox
    # write each) instead of one transaction per event; the wait bounds the latency it adds.
    consumer_fetch_min_bytes: int = 64 * 1024
    consumer_fetch_wait_ms: int = 50
    run_background: bool = True

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> ServiceSettings:
        if self.env == "production" and self.internal_token_secret == DEVELOPMENT_INTERNAL_SECRET:
            raise ValueError("TREUE_INTERNAL_TOKEN_SECRET must be set in production")
        return self

    @property
    def consumer_group(self) -> str:
        """The Kafka consumer group of this service, e.g. treue.analytics.

        Prefixed like the topics, so two stacks sharing one broker never rebalance each other.
        """
        return f"{self.topic_prefix}.{self.service_name}"

    def topic(self, owner: str) -> str:
        """The topic an owning service publishes to, e.g. topic("contacts") -> treue.contacts."""
        return f"{self.topic_prefix}.{owner}"
