"""The SMTP path across the stack: an e-mail invitation reaches the local mail sink, its link
carries the token, the public answer of a 3 opens a feedback case, contacts-service makes a
call-back task of the `nps.detractor` event and the gateway delivers that event to a
webhook subscriber."""

from __future__ import annotations

import json
import os
import re
import uuid
from typing import Any

import httpx
import pytest

from tests.support import create_contact, wait_for
from tests.webhooks import WebhookReceiver, subscribe, unsubscribe

pytestmark = pytest.mark.e2e

MAIL_SINK_URL = f"http://127.0.0.1:{os.environ.get('TREUE_MAIL_SINK_PORT', '8025')}"
# survey-service's answer link: <public base URL>/s/<token> (Policy.invitation_url).
LINK = re.compile(r"https?://\S+/s/([A-Za-z0-9_-]+)")


async def invite_by_mail(client: httpx.AsyncClient, survey_id: str, contact_id: str) -> None:
    """survey-service knows the contact only once its contact.created event arrived, so an
    unknown contact (422) is retried."""

    async def post() -> bool:
        answer = await client.post(
            f"/api/v1/surveys/{survey_id}/invitations",
            json={"contact_ids": [contact_id], "channel": "email"},
        )
        if answer.status_code == 422:
            return False
        assert answer.status_code == 201, answer.text
        assert len(answer.json()["items"]) == 1
        return True

    await wait_for(post, message="survey-service knows the contact")


async def mail_to(address: str) -> dict[str, Any] | None:
    async with httpx.AsyncClient(base_url=MAIL_SINK_URL, timeout=10) as sink:
        mails: list[dict[str, Any]] = (await sink.get("/api/mails")).json()
    found = [mail for mail in mails if address in mail["to"]]
    assert len(found) <= 1, found
    return found[0] if found else None


async def test_an_emailed_link_answered_with_a_3_closes_the_loop(
    client: httpx.AsyncClient,
) -> None:
    contact = await create_contact(client, first_name="Jana", language="de")
    survey = await client.post("/api/v1/surveys", json={"name": f"E2E mail {uuid.uuid4()}"})
    assert survey.status_code == 201, survey.text
    survey_id = survey.json()["id"]

    with WebhookReceiver() as receiver:
        webhook_id, _ = await subscribe(client, receiver.url, "nps.detractor")
        try:
            await invite_by_mail(client, survey_id, contact["id"])
            mail = await wait_for(
                lambda: mail_to(contact["email"]), within=60, message="the mail in the sink"
            )
            assert "Jana" in mail["text"]
            match = LINK.search(mail["text"])
            assert match is not None, mail["text"]
            token = match.group(1)

            page = await client.get(f"/api/v1/public/invitations/{token}")
            assert page.status_code == 200, page.text
            assert page.json()["language"] == "de"
            answered = await client.post(
                f"/api/v1/public/invitations/{token}/response",
                json={"score": 3, "comment": "Niemand hat zurückgerufen"},
            )
            assert answered.status_code == 201, answered.text
            assert answered.json()["score"] == 3

            # The case opened in the answer's transaction; this survey and contact are new.
            cases = await client.get("/api/v1/feedback-cases", params={"limit": "500"})
            mine = [c for c in cases.json()["items"] if c["survey_id"] == survey_id]
            assert [(c["status"], c["contact_id"]) for c in mine] == [("open", contact["id"])]

            async def call_back_tasks() -> list[dict[str, Any]]:
                tasks = await client.get("/api/v1/tasks", params={"contact_id": contact["id"]})
                items: list[dict[str, Any]] = tasks.json()["items"]
                return [task for task in items if task["origin"] == "detractor_call_back"]

            tasks = await wait_for(call_back_tasks, message="the call-back task in contacts")
            assert len(tasks) == 1
            assert "3" in tasks[0]["title"]

            def detractor_delivered() -> list[dict[str, Any]]:
                bodies = [json.loads(arrival.body) for arrival in receiver.arrivals()]
                return [b for b in bodies if b["data"]["survey_id"] == survey_id]

            [delivered] = await wait_for(detractor_delivered, message="nps.detractor delivered")
            assert delivered["type"] == "nps.detractor"
            assert delivered["data"]["score"] == 3
            assert delivered["data"]["contact_id"] == contact["id"]
            assert delivered["data"]["feedback_case_id"] == mine[0]["id"]
        finally:
            await unsubscribe(client, webhook_id)
