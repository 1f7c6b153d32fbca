from pydantic_settings import SettingsConfigDict

from treue.settings import ServiceSettings


class ContactsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TREUE_CONTACTS_", extra="ignore")

    service_name: str = "contacts"
    database_url: str = "postgresql+asyncpg://treue:treue@127.0.0.1:5433/contacts"
