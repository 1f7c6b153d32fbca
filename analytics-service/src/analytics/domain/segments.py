"""Segmentation rules (A3): ABC classes by value share and RFM quintiles.

The classes are computed set-based in the database (a million customers at a time); this
module holds what the rules are, so they are stated and checked once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ABC_CLASSES = ("A", "B", "C")


class InvalidThresholds(ValueError):
    pass


@dataclass(frozen=True)
class AbcThresholds:
    """Shares of the total value in percent: A holds the customers making the first `a`
    percent of the value (most valuable first), B the next `b` percent, C the rest.

    A customer's value is the predicted CLV of the last run, or, for a customer the run did
    not cover (no order up to its as_of), the historical net value. Customers whose value is
    zero or negative add nothing to the total and are C.
    """

    a: Decimal = Decimal(80)
    b: Decimal = Decimal(15)

    def __post_init__(self) -> None:
        if self.a <= 0 or self.b <= 0 or self.a + self.b >= 100:
            raise InvalidThresholds(
                f"A ({self.a}) and B ({self.b}) must be positive and leave a share for C"
            )

    @property
    def c(self) -> Decimal:
        return 100 - self.a - self.b

    @property
    def a_share(self) -> Decimal:
        return self.a / 100

    @property
    def ab_share(self) -> Decimal:
        return (self.a + self.b) / 100

    def as_dict(self) -> dict[str, Decimal]:
        return {"A": self.a, "B": self.b, "C": self.c}
