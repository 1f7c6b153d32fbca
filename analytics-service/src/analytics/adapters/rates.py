"""The exchange rates as SQL sees them."""

# The exchange rates (:rates, {currency: rate}, the reporting currency at 1) as a table:
# joined by currency, a line in a currency without a rate drops out of the money figures.
RATES = """rates AS (
        SELECT key AS currency, CAST(value AS numeric) AS rate
        FROM jsonb_each_text(CAST(:rates AS jsonb))
    )"""
