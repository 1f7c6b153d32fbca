from pydantic import ConfigDict, Field
from pydantic_settings import SettingsConfigDict

from treue.runtime_settings import RuntimeSettings
from treue.settings import ServiceSettings


class ContactsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TREUE_CONTACTS_", extra="ignore")

    service_name: str = "contacts"
    database_url: str = "postgresql+asyncpg://treue:treue@127.0.0.1:5433/contacts"
    # Automatic tasks: a follow-up this many days after each order; a renewal task for
    # contracts whose notice date is within this many days, checked this often.
    follow_up_after_days: int = Field(14, ge=0)
    renewal_window_days: int = Field(30, ge=0)
    renewal_check_seconds: float = Field(24 * 3600, gt=0)
    # How often the likely duplicates of the contacts changed since the last scan are
    # stored; the list compares the contacts changed after the last scan live.
    duplicate_scan_seconds: float = Field(600, gt=0)
    # Bulk import: the largest file taken (the gateway's limit for /api/v1/imports should
    # match), and how many records each transaction writes (with two contacts batches in
    # flight, 1,000 cost ~25 µs more CPU per row than 5,000: bench/README.md).
    import_max_bytes: int = Field(200 * 1024 * 1024, gt=0)
    import_batch_size: int = Field(5000, ge=1, le=10_000)


class ContactsRuntimeSettings(RuntimeSettings):
    """The automatic-task rules an admin changes at run time (PUT /api/v1/settings/contacts);
    the environment variables above are their defaults."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"follow_up_after_days": 14, "renewal_window_days": 30}]}
    )

    follow_up_after_days: int = Field(
        ge=0, le=365, description="Each new order gets a follow-up task due this many days later"
    )
    renewal_window_days: int = Field(
        ge=0,
        le=365,
        description="Contracts whose notice date is within this many days get a renewal task",
    )
