"""The churn-risk model (A4): what raises a customer's risk and by how much.

The score is computed set-based in the database for every customer at once; this module
states the model so that it is written down once (and shown in the OpenAPI description).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

DRIVERS = (
    "low_p_alive",
    "contract_cancelled",
    "contract_ending",
    "detractor",
    "negative_interactions",
)


@dataclass(frozen=True)
class ChurnModel:
    """Each signal contributes a probability-like weight w in [0, 1]; they combine as a
    noisy OR, score = 1 - product of (1 - w), so the score stays in [0, 1], one strong signal is
    enough for a high score and more signals only raise it.

    - low_p_alive: dormancy_weight * (1 - P(alive)) of the last CLV run (no run: no signal);
    - contract_cancelled: cancelled_weight when notice was given on a contract;
    - contract_ending: ending_weight when a running contract without auto-renewal ends
      within ending_within_days (only when no contract was cancelled);
    - detractor: detractor_weight when the latest NPS answer within detractor_within_days
      was a detractor's (a later passive or promoter answer clears it);
    - negative_interactions: negative_weight * min(1, n / negative_saturation) for n
      interactions with negative sentiment within negative_within_days.

    Drivers are the signals contributing at least min_driver, strongest first. A churned
    customer (customer.churned, not won back since) has no score: no longer at risk.
    Reaching `threshold` from below is announced once as customer.churn_risk.
    """

    threshold: float = 0.6
    dormancy_weight: float = 0.6
    cancelled_weight: float = 0.5
    ending_weight: float = 0.3
    ending_within_days: int = 90
    detractor_weight: float = 0.4
    detractor_within_days: int = 365
    negative_weight: float = 0.3
    negative_within_days: int = 90
    negative_saturation: int = 3
    min_driver: float = 0.05

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError(f"the churn-risk threshold must be in (0, 1], not {self.threshold}")

    def parameters(self, as_of: datetime) -> dict[str, Any]:
        """The model's parameters as of a moment, for the scoring statement."""
        return {
            "threshold": self.threshold,
            "w_dormancy": self.dormancy_weight,
            "w_cancelled": self.cancelled_weight,
            "w_ending": self.ending_weight,
            "ending_by": (as_of + timedelta(days=self.ending_within_days)).date(),
            "w_detractor": self.detractor_weight,
            "detractor_since": as_of - timedelta(days=self.detractor_within_days),
            "w_negative": self.negative_weight,
            "negative_since": as_of - timedelta(days=self.negative_within_days),
            "negative_saturation": float(self.negative_saturation),
            "min_driver": self.min_driver,
        }
