"""Sending one mail over SMTP with aiosmtplib (a new connection per mail: the queue sends
few, and a broken connection never outlives one mail)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from survey.domain.mail import MailDeliveryFailed
from survey.settings import SurveySettings


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    start_tls: bool = False
    timeout_seconds: float = 10.0

    @classmethod
    def from_settings(cls, settings: SurveySettings) -> SmtpMailer:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            use_tls=settings.smtp_use_tls,
            start_tls=settings.smtp_starttls,
            timeout_seconds=settings.smtp_timeout_seconds,
        )

    async def send(self, recipient: str, subject: str, text: str, html: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = recipient
        message["Subject"] = subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain="treue.local")
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.use_tls,
                start_tls=self.start_tls,
                timeout=self.timeout_seconds,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise MailDeliveryFailed(f"{type(error).__name__}: {error}") from error
