"""Next best offers (A7) from co-purchases in order lines, through the real inbox and Postgres:
a product bought only together with another is the top offer to that other's buyers."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from .conftest import Deliver
from .test_customer_value import contact
from .test_product_margins import line, order_of

A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


async def test_the_product_bought_together_is_the_top_offer_with_its_reason(
    clean: None,
    deliver: Deliver,
    client: httpx.AsyncClient,
    associate: Callable[[], Awaitable[dict[str, Any]]],
) -> None:
    x, y, z, u, v, w = (uuid.uuid4() for _ in range(6))
    await deliver([contact(p) for p in (x, y, z, u, v, w)])
    # B (10.00 margin a sale) is only ever bought with A; C (20.00) mostly alone.
    together = [line(1, A, "1", "100.00", "60.00"), line(2, B, "1", "30.00", "20.00")]
    await deliver(
        [
            order_of(x, "2026-04-01", *together, line(3, C, "1", "50.00", "30.00")),
            order_of(y, "2026-04-02", *together),
            order_of(z, "2026-04-03", *together),
            order_of(u, "2026-04-04", line(1, C, "1", "50.00", "30.00")),
            order_of(v, "2026-04-05", line(1, C, "1", "50.00", "30.00")),
            order_of(w, "2026-04-06", line(1, A, "1", "100.00", "60.00")),
        ]
    )
    await associate()

    answer = await client.get(f"/api/v1/analytics/customers/{w}/offers")

    assert answer.status_code == 200
    first, second = answer.json()["items"]
    # 3 of A's 4 buyers bought B: confidence 0.75, lift 0.75 / (3 of 6 buyers) = 1.5.
    assert (first["product_id"], first["because_of"]) == (str(B), str(A))
    assert (first["confidence"], first["lift"], first["score"]) == (0.75, 1.5, 7.5)
    assert first["margin_per_sale"] == "10.00"
    sku_a, sku_b = f"SKU-{str(A)[:4]}", f"SKU-{str(B)[:4]}"
    assert first["reason"] == (
        f"3 of 4 customers who bought {sku_a} also bought {sku_b} "
        "(1.5 x as often as customers at large); 10.00 EUR margin per sale"
    )
    # C earns more a sale, but only 1 of 4 of A's buyers took it, below chance (lift < 1).
    assert (second["product_id"], second["confidence"], second["lift"]) == (str(C), 0.25, 0.5)
    assert second["score"] == 5.0

    one = await client.get(f"/api/v1/analytics/customers/{w}/offers", params={"limit": "1"})
    assert [o["product_id"] for o in one.json()["items"]] == [str(B)]
    # x has every product: nothing to offer. Nobody unknown gets offers.
    assert (await client.get(f"/api/v1/analytics/customers/{x}/offers")).json()["items"] == []
    unknown = await client.get(f"/api/v1/analytics/customers/{uuid.uuid4()}/offers")
    assert unknown.status_code == 404
    bad = await client.get(f"/api/v1/analytics/customers/{w}/offers", params={"limit": "0"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "limit")


async def test_customers_to_offer_a_product_to_are_ranked_by_their_best_association(
    clean: None,
    deliver: Deliver,
    client: httpx.AsyncClient,
    associate: Callable[[], Awaitable[dict[str, Any]]],
) -> None:
    x, y, u, w, loner = (uuid.uuid4() for _ in range(5))
    await deliver([contact(p) for p in (x, y, u, w, loner)])
    await deliver(
        [
            order_of(
                x,
                "2026-04-01",
                line(1, A, "1", "100.00", "60.00"),
                line(2, B, "1", "30.00", "20.00"),
            ),
            order_of(
                y,
                "2026-04-02",
                line(1, A, "1", "100.00", "60.00"),
                line(2, B, "1", "30.00", "20.00"),
            ),
            order_of(
                u,
                "2026-04-03",
                line(1, C, "1", "50.00", "30.00"),
                line(2, B, "1", "30.00", "20.00"),
            ),
            order_of(u, "2026-04-04", line(1, C, "1", "50.00", "30.00")),
            # w bought A (2 of its 3 buyers bought B); loner bought only what B's buyers did not.
            order_of(
                w,
                "2026-04-05",
                line(1, A, "1", "100.00", "60.00"),
                line(2, C, "1", "50.00", "30.00"),
            ),
            order_of(loner, "2026-04-06", line(1, uuid.uuid4(), "1", "5.00", "1.00")),
        ]
    )
    await associate()

    answer = await client.get(f"/api/v1/analytics/products/{B}/prospects")

    assert answer.status_code == 200
    [only] = answer.json()["items"]
    # Through A: 2 of 3 buyers (x, y of x, y, w); through C: 1 of 2 (u of u, w). A wins.
    assert (only["contact_id"], only["because_of"], only["confidence"]) == (str(w), str(A), 0.6667)
    assert only["reason"] == f"2 of 3 customers who bought SKU-{str(A)[:4]} also bought it"
    # Who to call and what they are worth: w paid 150.00 at 90.00 cost, acquired for 100.00.
    assert (only["first_name"], only["last_name"], only["company"]) == ("Jana", "Becker", None)
    assert (only["currency"], only["net_value"]) == ("EUR", "-40.00")
    assert (only["clv"], only["clv_currency"], only["abc_class"]) == (None, None, None)
    nobody = await client.get(f"/api/v1/analytics/products/{uuid.uuid4()}/prospects")
    assert nobody.json()["items"] == []
