from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from contacts.settings import ContactsRuntimeSettings, ContactsSettings
from treue.problems import problem_responses as problem_responses
from treue.runtime_settings import current_settings


async def unit_of_work(request: Request) -> ContactsUnitOfWork:
    runtime = request.app.state.runtime
    uow = ContactsUnitOfWork(
        runtime.session_factory,
        runtime.tables,
        source=runtime.settings.service_name,
        topic=runtime.settings.topic("contacts"),
    )
    uow.definitions = request.app.state.custom_field_definitions
    return uow


UowDep = Annotated[ContactsUnitOfWork, Depends(unit_of_work)]


async def contacts_settings(request: Request) -> ContactsSettings:
    settings: ContactsSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[ContactsSettings, Depends(contacts_settings)]
# The rules in force (run-time settings over the environment's defaults).
RulesDep = Annotated[ContactsRuntimeSettings, Depends(current_settings)]
