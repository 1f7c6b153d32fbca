"""SQL of the mail queue: enqueue with the invitation, claim one due mail at a time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from survey.adapters.orm import mail_queue
from survey.domain.mail import Mail, MailKind


@dataclass(frozen=True)
class QueuedMail:
    id: uuid.UUID
    recipient: str
    subject: str
    text_body: str
    html_body: str
    attempts: int


class MailQueueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        *,
        invitation_id: uuid.UUID,
        contact_id: uuid.UUID,
        kind: MailKind,
        recipient: str,
        mail: Mail,
        now: datetime,
    ) -> uuid.UUID:
        # The invitation rows are added through the ORM: write them first, so the foreign
        # key of this plain INSERT finds them.
        await self.session.flush()
        mail_id = uuid.uuid4()
        await self.session.execute(
            insert(mail_queue).values(
                id=mail_id,
                invitation_id=invitation_id,
                contact_id=contact_id,
                kind=kind.value,
                recipient=recipient,
                subject=mail.subject,
                text_body=mail.text,
                html_body=mail.html,
                status="queued",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        return mail_id

    async def claim_due(self, now: datetime) -> QueuedMail | None:
        """The oldest due mail, locked until the transaction ends; a mail another sender
        holds is skipped, not waited for."""
        query = (
            select(
                mail_queue.c.id,
                mail_queue.c.recipient,
                mail_queue.c.subject,
                mail_queue.c.text_body,
                mail_queue.c.html_body,
                mail_queue.c.attempts,
            )
            .where(mail_queue.c.status == "queued", mail_queue.c.next_attempt_at <= now)
            .order_by(mail_queue.c.next_attempt_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        row = (await self.session.execute(query)).one_or_none()
        return QueuedMail(*row) if row is not None else None

    async def mark_sent(self, mail_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(
            update(mail_queue)
            .where(mail_queue.c.id == mail_id)
            .values(status="sent", sent_at=now, attempts=mail_queue.c.attempts + 1)
        )

    async def mark_failed(self, mail_id: uuid.UUID, error: str, retry_at: datetime | None) -> None:
        """Queued again for `retry_at`, or given up (status failed) when it is None."""
        values: dict[str, object] = {
            "attempts": mail_queue.c.attempts + 1,
            "last_error": error[:2000],
            "status": "queued" if retry_at is not None else "failed",
        }
        if retry_at is not None:
            values["next_attempt_at"] = retry_at
        await self.session.execute(
            update(mail_queue).where(mail_queue.c.id == mail_id).values(values)
        )

    async def forget(self, contact_id: uuid.UUID) -> None:
        """Every mail to the contact, sent or not: they hold the address and the name."""
        await self.session.execute(delete(mail_queue).where(mail_queue.c.contact_id == contact_id))

    async def purge(self, before: datetime) -> int:
        """Delete sent and given-up mails created before `before`: they hold addresses and
        names, and the invitation itself keeps what the figures need."""
        result = await self.session.execute(
            delete(mail_queue)
            .where(mail_queue.c.status != "queued", mail_queue.c.created_at < before)
            .returning(mail_queue.c.id)
        )
        return len(result.all())
