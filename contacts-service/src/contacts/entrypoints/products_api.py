"""HTTP routes of products: thin, they parse, call a handler and shape the answer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from contacts.adapters.products_repository import ProductFilter
from contacts.entrypoints.dependencies import UowDep, problem_responses
from contacts.entrypoints.product_schemas import ProductCreate, ProductRead, ProductUpdate
from contacts.service_layer import product_handlers
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound, ValidationFailed

router = APIRouter(
    prefix="/api/v1/products", tags=["products"], dependencies=[Depends(current_identity)]
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductRead,
    responses=problem_responses(403, 409),
)
async def create_product(
    body: ProductCreate, uow: UowDep, identity: CurrentIdentity
) -> ProductRead:
    identity.require_scope("contacts:write")
    product = await product_handlers.create_product(
        product_handlers.CreateProduct(body.model_dump()), uow
    )
    return ProductRead.model_validate(product)


@router.get("", response_model=Page[ProductRead])
async def list_products(
    uow: UowDep,
    identity: CurrentIdentity,
    q: Annotated[
        str | None, Query(max_length=200, description="Words matched against SKU and name")
    ] = None,
    active: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ProductRead]:
    """Ordered by SKU."""
    identity.require_scope("contacts:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.products.page(ProductFilter(q=q, active=active), limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda product: [product.sku, str(product.id)],
        item=ProductRead.model_validate,
    )


@router.get("/{product_id}", response_model=ProductRead, responses=problem_responses(404))
async def get_product(product_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity) -> ProductRead:
    identity.require_scope("contacts:read")
    async with uow:
        product = await uow.products.get(product_id)
    if product is None:
        raise NotFound(f"product {product_id} does not exist")
    return ProductRead.model_validate(product)


@router.patch(
    "/{product_id}", response_model=ProductRead, responses=problem_responses(403, 404, 409)
)
async def update_product(
    product_id: uuid.UUID, body: ProductUpdate, uow: UowDep, identity: CurrentIdentity
) -> ProductRead:
    """Changes apply to later orders; recorded orders keep the prices they were sold at."""
    identity.require_scope("contacts:write")
    changes = body.model_dump(exclude_unset=True)
    for name in sorted(changes):
        if changes[name] is None:
            raise ValidationFailed(name, "must not be null")
    product = await product_handlers.update_product(
        product_handlers.UpdateProduct(product_id, changes), uow
    )
    return ProductRead.model_validate(product)
