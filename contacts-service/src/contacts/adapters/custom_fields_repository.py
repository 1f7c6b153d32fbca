"""All SQL of custom field definitions."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.custom_field_definitions import DefinitionsCache
from contacts.adapters.orm import contacts, custom_fields
from contacts.domain.custom_fields import CustomField


class CustomFieldRepository:
    def __init__(self, session: AsyncSession, cache: DefinitionsCache | None = None) -> None:
        self.session = session
        self.cache = cache
        # Whether this unit of work changes definitions: its commit makes the cache forget.
        self.changing = False

    def add(self, definition: CustomField) -> None:
        self.changing = True
        self.session.add(definition)

    async def get(self, key: str, *, for_update: bool = False) -> CustomField | None:
        query = select(CustomField).where(custom_fields.c.key == key)
        if for_update:
            self.changing = True
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def all(self) -> Mapping[str, CustomField]:
        """Every definition by key; there are few, so each write checks against all.
        Shared between requests when cached: read them, never change them."""
        if self.cache is None:
            return await self._read_all()
        definitions = self.cache.current()
        if definitions is None:
            generation = self.cache.generation
            definitions = await self._read_all()
            if not self.changing:
                # Kept apart from this session: a rollback of it (a create refused for a
                # duplicate e-mail) would expire them, and later requests could not read
                # them. A unit of work changing definitions keeps nothing: its objects
                # are the ones it writes.
                for definition in definitions.values():
                    self.session.expunge(definition)
                self.cache.keep(generation, definitions)
        return definitions

    async def _read_all(self) -> dict[str, CustomField]:
        rows = await self.session.scalars(select(CustomField).order_by(custom_fields.c.key))
        return {definition.key: definition for definition in rows}

    async def in_use(self, key: str) -> bool:
        """Whether a contact holds a value of the field. Rare (an admin deleting a field),
        so a scan that stops at the first hit is fine."""
        query = select(exists().where(contacts.c.custom_fields.has_key(key)))
        return bool(await self.session.scalar(query))

    async def delete(self, key: str) -> None:
        self.changing = True
        await self.session.execute(delete(custom_fields).where(custom_fields.c.key == key))
