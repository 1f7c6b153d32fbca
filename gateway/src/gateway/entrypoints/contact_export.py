"""GDPR access (Art. 15): everything Treue holds about one contact, gathered from every
service into one document.

Each service exports its own part, checking the caller's scope itself; the gateway joins
them. contacts-service is asked first: it says whether the contact exists (an erased
contact is gone, 404). An export that lacks a part is never handed out: a service that is
down or fails makes the whole request fail, naming it.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from gateway.entrypoints.proxy import caller_headers, send_to_service
from treue.problems import PROBLEM_MEDIA_TYPE, Problem, ProblemDetail

router = APIRouter(tags=["contacts"])

# The service and the path of its part of the export.
PARTS: dict[str, str] = {
    "contacts": "/api/v1/contacts/{contact_id}/export",
    "survey": "/api/v1/surveys/contacts/{contact_id}/export",
    "analytics": "/api/v1/analytics/customers/{contact_id}/export",
}
Part = dict[str, Any]


class ExportIncomplete(Problem):
    status, slug, title = 502, "export-incomplete", "Export incomplete"


class PartAnswer(Exception):
    """A service answered its part with a problem the caller must see as it is (403, 404)."""

    def __init__(self, answer: Response) -> None:
        self.answer = answer


class ContactDataExport(BaseModel):
    contact_id: uuid.UUID
    exported_at: datetime
    contacts: Part = Field(
        description="contacts-service: the contact, its interactions, orders, contracts, "
        "tasks, churn history and the copies of survey answers and analytics' flags shown "
        "on the timeline (schema ContactExport)"
    )
    survey: Part = Field(
        description="survey-service: invitations (without tokens), answers with comments, "
        "feedback cases, mails, scheduled invitations and segment memberships "
        "(schema SurveyContactExport, also at GET /api/v1/surveys/contacts/{id}/export)"
    )
    analytics: Part = Field(
        description="analytics-service: value, CLV, ABC/RFM class and churn risk, the "
        "orders read model, interactions, contracts and answers as risk signals, churn "
        "events and saved-segment memberships (schema AnalyticsContactExport, also at "
        "GET /api/v1/analytics/customers/{id}/export)"
    )


@router.get(
    "/api/v1/contacts/{contact_id}/export",
    response_model=ContactDataExport,
    responses={
        **{
            status: {
                "model": ProblemDetail,
                "content": {PROBLEM_MEDIA_TYPE: {}},
                "description": f"{text} (problem+json)",
            }
            for status, text in (
                (403, "A scope is missing: contacts:read, surveys:read and analytics:read"),
                (404, "No such contact, or it was erased"),
                (502, "A service failed its part; no partial export is handed out"),
                (503, "A service is unavailable; try again shortly"),
                (504, "A service did not answer in time"),
            )
        }
    },
)
async def export_contact(contact_id: uuid.UUID, request: Request) -> Any:
    """GDPR access: everything Treue holds about the contact, across all services, as one
    JSON document. Each part is what that service holds under the contact id, lists oldest
    first. All parts or none: when a service is down or fails, the answer is a problem
    naming it. An erased contact answers 404, as every read of it does."""
    headers = caller_headers(request)
    try:
        contacts = await _part(request, "contacts", contact_id, headers)
        others = await asyncio.gather(
            _part(request, "survey", contact_id, headers),
            _part(request, "analytics", contact_id, headers),
            return_exceptions=True,
        )
        survey, analytics = (_unwrapped(other) for other in others)
    except PartAnswer as refused:
        return refused.answer
    return ContactDataExport(
        contact_id=contact_id,
        exported_at=datetime.now(UTC),
        contacts=contacts,
        survey=survey,
        analytics=analytics,
    )


def _unwrapped(outcome: Part | BaseException) -> Part:
    """The part, or the failure of its service raised (both were awaited to the end)."""
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


async def _part(
    request: Request, service: str, contact_id: uuid.UUID, headers: dict[str, str]
) -> Part:
    path = PARTS[service].format(contact_id=contact_id)
    client: httpx.AsyncClient = request.app.state.http
    transport: httpx.AsyncBaseTransport = request.app.state.upstream
    answer = await send_to_service(
        request.app,
        service,
        lambda upstream: transport.handle_async_request(
            client.build_request("GET", upstream + path, headers=headers)
        ),
        method="GET",
        idempotency_key=False,
        body_replayable=True,
    )
    try:
        body = await answer.aread()
    except httpx.TransportError as error:
        raise ExportIncomplete(
            f"the answer of {service}-service broke off; no export was produced"
        ) from error
    finally:
        await answer.aclose()
    if answer.status_code == 200:
        part: Part = answer.json()
        return part
    # A missing scope, and from contacts-service an unknown or erased contact, are the
    # caller's answer. The other services export an unknown contact as empty lists.
    if answer.status_code == 403 or (service == "contacts" and answer.status_code == 404):
        raise PartAnswer(
            Response(
                body,
                status_code=answer.status_code,
                media_type=answer.headers.get("content-type", PROBLEM_MEDIA_TYPE),
            )
        )
    raise ExportIncomplete(
        f"{service}-service answered {answer.status_code} for its part; no export was produced"
    )
