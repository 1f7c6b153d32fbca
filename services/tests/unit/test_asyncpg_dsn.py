from treue.outbox import asyncpg_dsn


def test_the_dialects_ssl_option_becomes_libpqs_sslmode() -> None:
    # asyncpg reads unknown query options of a DSN as server settings, so `ssl=require`
    # left as it is would fail the relay's own connection at startup.
    dsn = asyncpg_dsn("postgresql+asyncpg://u:p@db:5432/contacts?ssl=require")

    assert dsn == "postgresql://u:p@db:5432/contacts?sslmode=require"


def test_a_url_without_options_only_loses_the_driver_name() -> None:
    assert asyncpg_dsn("postgresql+asyncpg://u:p@db/contacts") == "postgresql://u:p@db/contacts"
