"""Offer margins (A6) from the order lines of order events, through the real inbox and Postgres."""

from __future__ import annotations

import uuid

import httpx

from treue.events.contracts import OrderLineV1, OrderRecordedV1

from .conftest import Deliver, event_of
from .test_customer_value import contact
from .test_dashboard import AS_OF, order_at

P, Q = uuid.uuid4(), uuid.uuid4()


def line(number: int, product: uuid.UUID, quantity: str, revenue: str, cost: str) -> OrderLineV1:
    unit = str(round(float(revenue) / float(quantity), 2))
    return OrderLineV1(
        line_no=number,
        product_id=product,
        sku=f"SKU-{str(product)[:4]}",
        quantity=quantity,
        unit_price=unit,
        unit_cost=unit,
        revenue=revenue,
        cost=cost,
    )


def order_of(contact_id: uuid.UUID, when: str, *lines: OrderLineV1) -> OrderRecordedV1:
    revenue = sum(float(x.revenue) for x in lines)
    cost = sum(float(x.cost) for x in lines)
    return order_at(contact_id, f"{revenue:.2f}", when).model_copy(
        update={"lines": list(lines), "cost": f"{cost:.2f}"}
    )


async def test_margins_per_product_and_month_flag_thin_products_with_their_customers(
    clean: None, deliver: Deliver, client: httpx.AsyncClient
) -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    first = order_of(
        a, "2026-04-10", line(1, P, "2", "200.00", "100.00"), line(2, Q, "1", "100.00", "90.00")
    )
    await deliver([contact(a), contact(b), contact(c), first])
    await deliver(
        [
            order_of(b, "2026-05-05", line(1, Q, "3", "300.00", "240.00")),
            # Before the three months asked for: counts nowhere.
            order_of(c, "2026-03-20", line(1, Q, "1", "1000.00", "100.00")),
            # A redelivered order adds no lines.
            event_of(first, str(a)),
        ]
    )

    answer = await client.get(
        "/api/v1/analytics/products/margins", params={"months": "3", "as_of": AS_OF}
    )

    assert answer.status_code == 200
    body = answer.json()
    assert (body["since"], body["threshold_percent"]) == ("2026-04-01T00:00:00Z", "20")
    q, p = body["products"]
    assert (q["product_id"], q["sku"], q["quantity"]) == (str(Q), f"SKU-{str(Q)[:4]}", "4.000")
    # Q: 400 revenue, 330 cost: 17.5 % is under 20 %, though May alone makes exactly 20 %.
    assert (q["revenue"], q["cost"], q["margin"], q["margin_percent"]) == (
        "400.00",
        "330.00",
        "70.00",
        17.5,
    )
    assert (q["orders"], q["customers"], q["candidate_to_drop"]) == (2, 2, True)
    assert [(m["month"], m["revenue"], m["margin_percent"]) for m in q["trend"]] == [
        ("2026-04-01", "100.00", 10.0),
        ("2026-05-01", "300.00", 20.0),
        ("2026-06-01", "0", None),
    ]
    assert (p["product_id"], p["margin"], p["margin_percent"]) == (str(P), "100.00", 50.0)
    assert (p["customers"], p["candidate_to_drop"]) == (1, False)
    assert body["candidates"] == {
        "products": 1,
        "revenue": "400.00",
        "margin": "70.00",
        "customers": 2,
    }

    lenient = await client.get(
        "/api/v1/analytics/products/margins",
        params={"months": "3", "as_of": AS_OF, "threshold_percent": "10"},
    )
    assert [x["candidate_to_drop"] for x in lenient.json()["products"]] == [False, False]
    assert lenient.json()["candidates"]["customers"] == 0

    # Over 12 months c's generous order of Q lifts it above the threshold: 970 of 1400.
    year = (await client.get("/api/v1/analytics/products/margins", params={"as_of": AS_OF})).json()
    assert [x["margin_percent"] for x in year["products"]] == [69.3, 50.0]

    # A saved segment's members only: a (110 margin) and c (900), not b (60). Of a's lines
    # Q's 10 % stays a candidate, bought by a alone; c's order is before the three months.
    segment = await client.post(
        "/api/v1/analytics/segments", json={"name": "Margin 100+", "filters": {"min_margin": 100}}
    )
    segment_id = segment.json()["id"]
    of_segment = await client.get(
        "/api/v1/analytics/products/margins",
        params={"months": "3", "as_of": AS_OF, "segment_id": segment_id},
    )
    assert of_segment.status_code == 200
    members = of_segment.json()
    assert members["segment_id"] == segment_id
    assert [(x["sku"], x["revenue"], x["margin_percent"]) for x in members["products"]] == [
        (f"SKU-{str(P)[:4]}", "200.00", 50.0),
        (f"SKU-{str(Q)[:4]}", "100.00", 10.0),
    ]
    assert members["candidates"] == {
        "products": 1,
        "revenue": "100.00",
        "margin": "10.00",
        "customers": 1,
    }
    unknown = await client.get(
        "/api/v1/analytics/products/margins", params={"segment_id": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404

    bad = await client.get("/api/v1/analytics/products/margins", params={"months": "0"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "months"
