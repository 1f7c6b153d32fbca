from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contacts.adapters.analytics_flags_repository import AnalyticsFlagRepository
from contacts.adapters.bulk import publish_all
from contacts.adapters.contracts_repository import ContractRepository
from contacts.adapters.custom_field_definitions import DefinitionsCache
from contacts.adapters.custom_fields_repository import CustomFieldRepository
from contacts.adapters.duplicates_repository import DuplicateRepository
from contacts.adapters.imports_repository import ImportRepository
from contacts.adapters.interactions_repository import InteractionRepository
from contacts.adapters.lifecycle_repository import LifecycleRepository
from contacts.adapters.orders_repository import OrderRepository
from contacts.adapters.personal_data_repository import PersonalDataRepository
from contacts.adapters.products_repository import ProductRepository
from contacts.adapters.repository import ContactRepository
from contacts.adapters.segments_repository import SegmentRepository
from contacts.adapters.survey_responses_repository import SurveyResponseRepository
from contacts.adapters.tasks_repository import TaskRepository
from contacts.adapters.timeline_repository import TimelineRepository
from treue.events.contracts import EventContract
from treue.jobs import JobRepository
from treue.outbox import OutboxStream, OutboxWriter
from treue.tables import BackboneTables
from treue.uow import UnitOfWork


class ContactsUnitOfWork(UnitOfWork):
    contacts: ContactRepository
    interactions: InteractionRepository
    products: ProductRepository
    orders: OrderRepository
    timeline: TimelineRepository
    contracts: ContractRepository
    tasks: TaskRepository
    survey_responses: SurveyResponseRepository
    analytics_flags: AnalyticsFlagRepository
    lifecycle: LifecycleRepository
    imports: ImportRepository
    custom_fields: CustomFieldRepository
    segments: SegmentRepository
    duplicates: DuplicateRepository
    personal_data: PersonalDataRepository
    jobs: JobRepository
    unique_constraint_fields = {
        "uq_contacts_email_lower": "email",
        "uq_contacts_external_id": "external_id",
        "uq_products_sku": "sku",
        "uq_orders_external_id": "external_id",
        "uq_tasks_source_key": "source_key",
        "pk_custom_fields": "key",
    }

    # The process's kept custom field definitions; None: every unit of work reads them.
    definitions: DefinitionsCache | None = None

    async def commit(self) -> None:
        await super().commit()
        if self.custom_fields.changing and self.definitions is not None:
            self.definitions.forget()

    def open_repositories(self) -> None:
        stream = OutboxStream(self._tables.outbox, self._source, self._topic)
        self._stream = stream
        self.contacts = ContactRepository(self.session, stream)
        self.interactions = InteractionRepository(self.session, stream)
        self.products = ProductRepository(self.session)
        self.orders = OrderRepository(self.session)
        self.timeline = TimelineRepository(self.session)
        self.contracts = ContractRepository(self.session)
        self.tasks = TaskRepository(self.session)
        self.survey_responses = SurveyResponseRepository(self.session)
        self.analytics_flags = AnalyticsFlagRepository(self.session)
        self.lifecycle = LifecycleRepository(self.session)
        self.imports = ImportRepository(self.session, self._tables.jobs)
        self.custom_fields = CustomFieldRepository(self.session, self.definitions)
        self.segments = SegmentRepository(self.session)
        self.duplicates = DuplicateRepository(self.session)
        self.personal_data = PersonalDataRepository(self.session)
        self.jobs = JobRepository(self.session, self._tables)

    async def publish_all(self, events: Sequence[tuple[str, EventContract]]) -> None:
        """Many (subject, event) pairs of a bulk write into the outbox now, set-based;
        `publish` queues one at a time until the commit."""
        await publish_all(self.session, self._stream, events)


class InboxUnitOfWork(ContactsUnitOfWork):
    """Joins the transaction of an event handler: `commit` writes the events into the
    outbox and flushes, and the inbox commits it all with the event's inbox row."""

    def __init__(self, session: AsyncSession, tables: BackboneTables, source: str, topic: str):
        super().__init__(async_sessionmaker(), tables, source, topic)
        self._joined = session

    async def __aenter__(self) -> Self:
        self.session = self._joined
        self._outbox = OutboxWriter(self._tables, self._source)
        self.open_repositories()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """The inbox owns the session and its transaction."""

    async def commit(self) -> None:
        await self._outbox.flush(self.session)
        await self.session.flush()

    async def rollback(self) -> None:
        raise RuntimeError("an event handler's changes are rolled back by the inbox")
