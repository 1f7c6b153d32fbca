from __future__ import annotations

from analytics.adapters.associations import AssociationRepository
from analytics.adapters.churn import ChurnRepository
from analytics.adapters.clv_repository import ClvRepository
from analytics.adapters.margins import MarginRepository
from analytics.adapters.order_line_reader import OrderLineReader
from analytics.adapters.repository import CustomerRepository
from analytics.adapters.segmentation import SegmentationRepository
from analytics.adapters.segments_repository import SegmentRepository
from treue.outbox import OutboxStream
from treue.uow import UnitOfWork


class AnalyticsUnitOfWork(UnitOfWork):
    customers: CustomerRepository
    associations: AssociationRepository
    margins: MarginRepository
    order_lines: OrderLineReader
    clv: ClvRepository
    segmentation: SegmentationRepository
    churn: ChurnRepository
    segments: SegmentRepository

    def open_repositories(self) -> None:
        stream = OutboxStream(self._tables.outbox, self._source, self._topic)
        self.customers = CustomerRepository(self.session)
        self.clv = ClvRepository(self.session)
        self.associations = AssociationRepository(self.session)
        self.margins = MarginRepository(self.session)
        self.order_lines = OrderLineReader(self.session)
        self.segmentation = SegmentationRepository(self.session, stream)
        self.churn = ChurnRepository(self.session, stream)
        self.segments = SegmentRepository(self.session, stream)
