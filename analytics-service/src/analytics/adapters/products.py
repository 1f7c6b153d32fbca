"""All SQL of the products analytics knows by name: the newest version of each."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import products


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep_newer(self, rows: list[dict[str, Any]]) -> None:
        """Insert each product, or update it when its version is newer than the stored one
        (a late, older event changes nothing). One row per product."""
        if not rows:
            return
        statement = insert(products).values(rows)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[products.c.product_id],
                set_={
                    "version": statement.excluded.version,
                    "sku": statement.excluded.sku,
                    "name": statement.excluded.name,
                },
                where=products.c.version < statement.excluded.version,
            )
        )
