from __future__ import annotations

from contacts.adapters.interactions_repository import InteractionRepository
from contacts.adapters.orders_repository import OrderRepository
from contacts.adapters.products_repository import ProductRepository
from contacts.adapters.repository import ContactRepository
from contacts.adapters.timeline_repository import TimelineRepository
from treue.uow import UnitOfWork


class ContactsUnitOfWork(UnitOfWork):
    contacts: ContactRepository
    interactions: InteractionRepository
    products: ProductRepository
    orders: OrderRepository
    timeline: TimelineRepository
    unique_constraint_fields = {
        "uq_contacts_email_lower": "email",
        "uq_contacts_external_id": "external_id",
        "uq_products_sku": "sku",
        "uq_orders_external_id": "external_id",
    }

    def open_repositories(self) -> None:
        self.contacts = ContactRepository(self.session)
        self.interactions = InteractionRepository(self.session)
        self.products = ProductRepository(self.session)
        self.orders = OrderRepository(self.session)
        self.timeline = TimelineRepository(self.session)
