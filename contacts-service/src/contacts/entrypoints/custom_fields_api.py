"""HTTP routes of custom field definitions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from contacts.domain.custom_fields import FieldType
from contacts.entrypoints.dependencies import UowDep, problem_responses
from contacts.service_layer import custom_field_handlers
from treue.identity import CurrentIdentity, current_identity
from treue.problems import NotFound, not_null

router = APIRouter(
    prefix="/api/v1/custom-fields",
    tags=["custom-fields"],
    dependencies=[Depends(current_identity)],
)

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Option = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Key = Annotated[str, Path(max_length=50)]


class CustomFieldCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "key": "branche",
                    "label": "Branche",
                    "type": "select",
                    "required": False,
                    "options": ["Maschinenbau", "Handel", "Dienstleistung"],
                }
            ]
        },
    )

    key: str = Field(
        max_length=50, description="The key in `custom_fields`: a-z, 0-9 and _, a letter first"
    )
    label: Label
    type: FieldType
    required: bool = False
    options: list[Option] = Field(default=[], description="The choices of a select field")


class CustomFieldUpdate(BaseModel):
    """Only the fields sent are changed; key and type stay."""

    model_config = ConfigDict(extra="forbid")

    label: Label | None = None
    required: bool | None = None
    options: list[Option] | None = None


class CustomFieldRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: str
    label: str
    type: str
    required: bool
    options: list[str]
    version: int
    created_at: datetime
    updated_at: datetime


class CustomFieldList(BaseModel):
    items: list[CustomFieldRead]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CustomFieldRead,
    responses=problem_responses(403, 409),
)
async def define_custom_field(
    body: CustomFieldCreate, uow: UowDep, identity: CurrentIdentity
) -> CustomFieldRead:
    """Defines a custom field. From then on every contact write checks `custom_fields`
    against the definitions: only defined keys, values of their type (number, text, date
    as YYYY-MM-DD, boolean, one of a select's options), required ones present."""
    identity.require_scope("contacts:write")
    command = custom_field_handlers.DefineCustomField(body.model_dump())
    definition = await custom_field_handlers.define_custom_field(command, uow)
    return CustomFieldRead.model_validate(definition)


@router.get("", response_model=CustomFieldList)
async def list_custom_fields(uow: UowDep, identity: CurrentIdentity) -> CustomFieldList:
    identity.require_scope("contacts:read")
    async with uow:
        definitions = await uow.custom_fields.all()
    return CustomFieldList(items=[CustomFieldRead.model_validate(d) for d in definitions.values()])


@router.get("/{key}", response_model=CustomFieldRead, responses=problem_responses(404))
async def get_custom_field(key: Key, uow: UowDep, identity: CurrentIdentity) -> CustomFieldRead:
    identity.require_scope("contacts:read")
    async with uow:
        definition = await uow.custom_fields.get(key)
    if definition is None:
        raise NotFound(f"custom field {key} does not exist")
    return CustomFieldRead.model_validate(definition)


@router.patch("/{key}", response_model=CustomFieldRead, responses=problem_responses(403, 404))
async def change_custom_field(
    key: Key, body: CustomFieldUpdate, uow: UowDep, identity: CurrentIdentity
) -> CustomFieldRead:
    identity.require_scope("contacts:write")
    changes = body.model_dump(exclude_unset=True)
    for name in ("label", "required"):
        if name in changes and changes[name] is None:
            raise not_null(name)
    command = custom_field_handlers.ChangeCustomField(key, changes)
    definition = await custom_field_handlers.change_custom_field(command, uow)
    return CustomFieldRead.model_validate(definition)


@router.delete(
    "/{key}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(403, 404, 409),
)
async def delete_custom_field(key: Key, uow: UowDep, identity: CurrentIdentity) -> None:
    """Deletes a definition no contact holds a value of (409 otherwise: remove the values
    from the contacts first)."""
    identity.require_scope("contacts:write")
    await custom_field_handlers.delete_custom_field(key, uow)
