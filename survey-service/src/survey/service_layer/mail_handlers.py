"""Sending the queued mails: one at a time, each in its own transaction that holds the
row lock while the SMTP server takes the mail, so two senders never send the same mail."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from survey.domain.mail import MailDeliveryFailed, retry_at
from survey.service_layer.policy import Policy
from survey.service_layer.unit_of_work import SurveyUnitOfWork


class Mailer(Protocol):
    async def send(self, recipient: str, subject: str, text: str, html: str) -> None:
        """Hand one mail to the mail server; raises MailDeliveryFailed."""


async def send_next_mail(
    uow: SurveyUnitOfWork, mailer: Mailer, policy: Policy, now: datetime
) -> bool:
    """Send the oldest due mail; False when none is due. A failed send is tried again with
    growing waits, up to `mail_max_attempts`, then left as failed. A crash between the send
    and the commit sends that one mail again later: at least once, never twice at once."""
    async with uow:
        mail = await uow.mails.claim_due(now)
        if mail is None:
            return False
        try:
            await mailer.send(mail.recipient, mail.subject, mail.text_body, mail.html_body)
        except MailDeliveryFailed as error:
            attempts = mail.attempts + 1
            again = (
                retry_at(now, attempts, policy.mail_retry)
                if attempts < policy.mail_max_attempts
                else None
            )
            await uow.mails.mark_failed(mail.id, str(error), again)
        else:
            await uow.mails.mark_sent(mail.id, now)
        await uow.commit()
        return True
