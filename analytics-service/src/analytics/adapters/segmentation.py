"""All SQL of the segmentation recompute (A3): ABC classes and RFM quintiles, set-based over
the whole read model, with a `segment.changed` event for each class that changed."""

from __future__ import annotations

from sqlalchemy import column, text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.domain.segments import AbcThresholds
from treue.events.contracts import SegmentChangedV1
from treue.outbox import OutboxStream

# The running total ranks customers by value (ties by id, so the classes are deterministic);
# a customer is A while the value before them is under the A share.
_CLASSIFY = text(
    """
    UPDATE customers AS c
    SET abc_class = n.abc_class
    FROM (
        SELECT contact_id, previous,
               CASE WHEN value <= 0 OR total <= 0 THEN 'C'
                    WHEN running - value < CAST(:a_share AS numeric) * total THEN 'A'
                    WHEN running - value < CAST(:ab_share AS numeric) * total THEN 'B'
                    ELSE 'C' END AS abc_class
        FROM (
            SELECT contact_id, abc_class AS previous,
                   GREATEST(COALESCE(clv, net_value), 0) AS value,
                   sum(GREATEST(COALESCE(clv, net_value), 0)) OVER (
                       ORDER BY COALESCE(clv, net_value) DESC, contact_id ROWS UNBOUNDED PRECEDING
                   ) AS running,
                   sum(GREATEST(COALESCE(clv, net_value), 0)) OVER () AS total
            FROM customers
        ) AS ranked
    ) AS n
    WHERE c.contact_id = n.contact_id AND c.abc_class IS DISTINCT FROM n.abc_class
    RETURNING c.contact_id::text AS subject,
              jsonb_build_object(
                  'contact_id', c.contact_id, 'kind', 'abc', 'segment_id', NULL,
                  'previous', n.previous, 'current', n.abc_class, 'changed_at', now()
              ) AS data
    """
).columns(column("subject"), column("data"))

# Quintiles among customers with at least one order: 5 is the most recent last order, the
# most orders, the highest revenue. ntile splits ties by id, so every quintile is a fifth.
_SCORE_RFM = text(
    """
    UPDATE customers AS c
    SET rfm_recency = s.r, rfm_frequency = s.f, rfm_monetary = s.m, rfm = concat(s.r, s.f, s.m)
    FROM (
        SELECT customers.contact_id,
               ntile(5) OVER (ORDER BY last_order_at, contact_id) AS r,
               ntile(5) OVER (ORDER BY orders, contact_id) AS f,
               ntile(5) OVER (ORDER BY revenue, contact_id) AS m
        FROM customers
        WHERE orders > 0
    ) AS s
    WHERE c.contact_id = s.contact_id
      AND (c.rfm_recency, c.rfm_frequency, c.rfm_monetary) IS DISTINCT FROM (s.r, s.f, s.m)
    """
)
_CLEAR_RFM = text(
    """
    UPDATE customers
    SET rfm_recency = NULL, rfm_frequency = NULL, rfm_monetary = NULL, rfm = NULL
    WHERE orders = 0 AND rfm IS NOT NULL
    """
)


class SegmentationRepository:
    def __init__(self, session: AsyncSession, stream: OutboxStream) -> None:
        self.session = session
        self.stream = stream

    async def classify_abc(self, thresholds: AbcThresholds) -> None:
        """Every customer's ABC class; each change is a `segment.changed` event (kind abc)."""
        changed = _CLASSIFY.bindparams(
            a_share=thresholds.a_share, ab_share=thresholds.ab_share
        ).cte("changed")
        await self.stream.publish_from(self.session, SegmentChangedV1, changed)

    async def score_rfm(self) -> None:
        await self.session.execute(_SCORE_RFM)
        await self.session.execute(_CLEAR_RFM)
