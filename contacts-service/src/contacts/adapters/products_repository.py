"""All SQL of contacts-service's products lives here."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import products
from contacts.domain.products import Product
from treue.pagination import after


@dataclass(frozen=True)
class ProductFilter:
    q: str | None = None
    active: bool | None = None


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, product: Product) -> None:
        self.session.add(product)

    async def get(self, product_id: uuid.UUID, *, for_update: bool = False) -> Product | None:
        query = select(Product).where(products.c.id == product_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def sku_taken(self, sku: str) -> bool:
        query = select(products.c.id).where(products.c.sku == sku).limit(1)
        return (await self.session.scalar(query)) is not None

    async def by_ids(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Product]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(Product).where(products.c.id.in_(ids)))
        return {product.id: product for product in rows}

    async def by_skus(self, skus: Collection[str]) -> dict[str, Product]:
        if not skus:
            return {}
        rows = await self.session.scalars(select(Product).where(products.c.sku.in_(skus)))
        return {product.sku: product for product in rows}

    async def page(
        self, filters: ProductFilter, limit: int, cursor: list[Any] | None
    ) -> list[Product]:
        """By SKU, continuing after `cursor`; a catalogue is read like a price list."""
        key: list[ColumnElement[Any]] = [products.c.sku, products.c.id]
        query = select(Product)
        for term in (filters.q or "").split()[:5]:
            pattern = f"%{term}%"
            query = query.where(or_(products.c.sku.ilike(pattern), products.c.name.ilike(pattern)))
        if filters.active is not None:
            query = query.where(products.c.active == filters.active)
        if cursor is not None:
            query = query.where(after(key, cursor, descending=False))
        query = query.order_by(*key).limit(limit)
        return list((await self.session.scalars(query)).all())
