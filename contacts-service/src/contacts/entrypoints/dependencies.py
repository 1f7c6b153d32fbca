from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from contacts.service_layer.unit_of_work import ContactsUnitOfWork


def unit_of_work(request: Request) -> ContactsUnitOfWork:
    runtime = request.app.state.runtime
    return ContactsUnitOfWork(
        runtime.session_factory,
        runtime.tables,
        source=runtime.settings.service_name,
        topic=runtime.settings.topic("contacts"),
    )


UowDep = Annotated[ContactsUnitOfWork, Depends(unit_of_work)]
