"""Money in one reporting currency: amounts sold in another are converted by the exchange
rate an admin set for it, or left out of the money figures (and counted as left out) when
there is none. Summing a USD order into EUR figures as if dollars were euros is the one
thing never done."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ReportingCurrency:
    """`currency` (ISO 4217) and `rates`: how many units of it one unit of each other
    currency is worth (USD 0.92 with EUR: one dollar counts as 0.92 euros)."""

    currency: str
    rates: Mapping[str, Decimal] = field(default_factory=dict)

    def rate(self, currency: str) -> Decimal | None:
        if currency == self.currency:
            return Decimal(1)
        return self.rates.get(currency)

    def convert(self, amount: Decimal, currency: str) -> Decimal | None:
        """The amount in the reporting currency, to the cent; none without a rate."""
        rate = self.rate(currency)
        return None if rate is None else (amount * rate).quantize(CENT)

    def as_rates(self) -> dict[str, str]:
        """Every currency that converts, the reporting one at 1 (for the SQL that converts
        row by row: one JSON parameter)."""
        return {**{code: str(rate) for code, rate in self.rates.items()}, self.currency: "1"}


@dataclass
class Converted:
    """Amounts per currency added up in the reporting currency; what has no rate is counted
    apart (orders and currencies) instead of being added."""

    money: ReportingCurrency
    total: Decimal = Decimal(0)
    orders: int = 0
    left_out_orders: int = 0
    left_out_currencies: set[str] = field(default_factory=set)

    def add(self, amount: Decimal, currency: str, orders: int) -> None:
        converted = self.money.convert(amount, currency)
        if converted is None:
            self.left_out_orders += orders
            self.left_out_currencies.add(currency)
            return
        self.total += converted
        self.orders += orders

    def add_all(self, rows: Iterable[Mapping[Any, Any]]) -> Converted:
        """Rows with `revenue`, `currency` and `orders`."""
        for row in rows:
            self.add(Decimal(row["revenue"]), str(row["currency"]), int(row["orders"]))
        return self

    def left_out(self) -> dict[str, object]:
        return {"orders": self.left_out_orders, "currencies": sorted(self.left_out_currencies)}
