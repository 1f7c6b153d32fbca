"""One contact's survey data: the answers across surveys (paged) and the GDPR export part."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from treue.events.contracts import ContactErasedV1, EventContract, SegmentChangedV1
from treue.identity import Identity
from treue.testing import identity_headers

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
Deliver = Callable[[EventContract], Awaitable[None]]


async def post_answer(
    client: httpx.AsyncClient, survey: Json, contact: Json, score: int, days_ago: int
) -> Json:
    answer = await client.post(
        f"/api/v1/surveys/{survey['id']}/responses",
        json={
            "contact_id": contact["contact_id"],
            "score": score,
            "comment": f"Antwort mit {score}",
            "responded_at": (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(),
        },
    )
    assert answer.status_code == 201, answer.text
    created: Json = answer.json()
    return created


async def test_a_contacts_answers_across_surveys_newest_first_page_by_page(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    spring, autumn = await new_survey(name="Frühjahr"), await new_survey(name="Herbst")
    jana, karl = await new_contact(), await new_contact(first_name="Karl")
    await post_answer(client, spring, jana, 3, days_ago=30)
    await post_answer(client, autumn, jana, 8, days_ago=10)
    await post_answer(client, spring, jana, 10, days_ago=1)
    await post_answer(client, spring, karl, 0, days_ago=2)

    first = await client.get(
        f"/api/v1/surveys/contacts/{jana['contact_id']}/responses", params={"limit": 2}
    )
    assert first.status_code == 200, first.text
    second = await client.get(
        f"/api/v1/surveys/contacts/{jana['contact_id']}/responses",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
    )

    items = first.json()["items"] + second.json()["items"]
    assert [(i["score"], i["category"], i["survey_name"]) for i in items] == [
        (10, "promoter", "Frühjahr"),
        (8, "passive", "Herbst"),
        (3, "detractor", "Frühjahr"),
    ]
    assert items[2]["comment"] == "Antwort mit 3"
    assert second.json()["next_cursor"] is None
    unknown = await client.get(f"/api/v1/surveys/contacts/{uuid.uuid4()}/responses")
    assert unknown.json() == {"items": [], "next_cursor": None}


async def test_the_contacts_answers_need_the_read_scope(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    jana = await new_contact()
    headers = identity_headers(Identity(subject="key-1", kind="api_key", scopes=["contacts:read"]))
    for part in ("responses", "export"):
        answer = await client.get(
            f"/api/v1/surveys/contacts/{jana['contact_id']}/{part}", headers=headers
        )
        assert answer.status_code == 403, part


async def test_the_export_holds_invitations_answers_cases_mails_and_memberships_then_what_the_erasure_left(  # noqa: E501
    client: httpx.AsyncClient,
    public: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    deliver: Deliver,
) -> None:
    survey = await new_survey(name="Nach dem Kauf")
    jana = await new_contact(email="jana@example.de")
    segment = uuid.uuid4()
    await deliver(
        SegmentChangedV1(
            contact_id=jana["contact_id"],
            kind="segment",
            segment_id=segment,
            previous="out",
            current="in",
            changed_at=datetime.now(UTC),
        )
    )
    invited = await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [jana["contact_id"]], "channel": "email"},
    )
    token = invited.json()["items"][0]["token"]
    answered = await public.post(
        f"/api/v1/public/invitations/{token}/response",
        json={"score": 2, "comment": "Lieferung kam zu spät"},
    )
    assert answered.status_code in (200, 201), answered.text

    export = await client.get(f"/api/v1/surveys/contacts/{jana['contact_id']}/export")

    assert export.status_code == 200, export.text
    data = export.json()
    assert data["service"] == "survey"
    assert data["erased_at"] is None
    assert data["contact"]["email"] == "jana@example.de"
    assert [i["survey_name"] for i in data["invitations"]] == ["Nach dem Kauf"]
    assert "token" not in data["invitations"][0]
    assert token not in export.text
    assert [(r["score"], r["comment"]) for r in data["responses"]] == [(2, "Lieferung kam zu spät")]
    assert [(c["response_id"], c["score"], c["survey_name"]) for c in data["feedback_cases"]] == [
        (data["responses"][0]["id"], 2, "Nach dem Kauf")
    ]
    assert [m["recipient"] for m in data["mails"]] == ["jana@example.de"]
    assert [m["segment_id"] for m in data["segment_memberships"]] == [str(segment)]

    erased_at = datetime.now(UTC)
    await deliver(ContactErasedV1(contact_id=jana["contact_id"], erased_at=erased_at))
    after = (await client.get(f"/api/v1/surveys/contacts/{jana['contact_id']}/export")).json()

    assert datetime.fromisoformat(after["erased_at"]) == erased_at
    assert after["contact"] is None
    assert after["mails"] == []
    assert after["segment_memberships"] == []
    assert [(r["score"], r["comment"]) for r in after["responses"]] == [(2, None)]
    assert "jana" not in str(after).lower()
