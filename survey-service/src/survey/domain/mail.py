"""The invitation and reminder e-mails in German and English, and when a failed send is
tried again: plain Python, the SMTP client lives in the adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from html import escape


class MailKind(StrEnum):
    INVITATION = "invitation"
    REMINDER = "reminder"


class MailDeliveryFailed(Exception):
    """The SMTP server could not be reached or refused the mail; try again later."""


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class _Wording:
    subject: str
    greeting: str
    body: str
    button: str
    valid_until: str
    closing: str


_WORDING = {
    ("de", MailKind.INVITATION): _Wording(
        subject="Ihre Meinung zählt: {survey}",
        greeting="Guten Tag {name},",
        body="wir möchten besser werden und würden uns über Ihre Antwort auf eine kurze Frage "
        "freuen. Es dauert weniger als eine Minute:",
        button="Jetzt antworten",
        valid_until="Der Link ist bis zum {date} gültig.",
        closing="Vielen Dank!",
    ),
    ("de", MailKind.REMINDER): _Wording(
        subject="Erinnerung: {survey}",
        greeting="Guten Tag {name},",
        body="vor einigen Tagen haben wir Sie um Ihre Meinung gebeten. Falls Sie noch eine "
        "Minute Zeit haben, freuen wir uns über Ihre Antwort:",
        button="Jetzt antworten",
        valid_until="Der Link ist bis zum {date} gültig.",
        closing="Vielen Dank!",
    ),
    ("en", MailKind.INVITATION): _Wording(
        subject="Your opinion counts: {survey}",
        greeting="Hello {name},",
        body="we want to get better and would value your answer to one short question. "
        "It takes less than a minute:",
        button="Answer now",
        valid_until="The link is valid until {date}.",
        closing="Thank you!",
    ),
    ("en", MailKind.REMINDER): _Wording(
        subject="Reminder: {survey}",
        greeting="Hello {name},",
        body="a few days ago we asked for your opinion. If you have a minute, we would value "
        "your answer:",
        button="Answer now",
        valid_until="The link is valid until {date}.",
        closing="Thank you!",
    ),
}
_DATE_FORMAT = {"de": "%d.%m.%Y", "en": "%Y-%m-%d"}


def compose(
    kind: MailKind,
    language: str,
    first_name: str,
    survey_name: str,
    url: str,
    expires_at: datetime,
) -> Mail:
    """The mail in the contact's language (English for any other), as plain text and HTML;
    every value placed into the HTML is escaped."""
    chosen = language if language in _DATE_FORMAT else "en"
    wording = _WORDING[(chosen, kind)]
    subject = wording.subject.format(survey=survey_name)
    greeting = wording.greeting.format(name=first_name)
    valid_until = wording.valid_until.format(date=expires_at.strftime(_DATE_FORMAT[chosen]))
    text = f"{greeting}\n\n{wording.body}\n\n{url}\n\n{valid_until}\n\n{wording.closing}\n"
    html = (
        f'<!doctype html><html lang="{chosen}"><body>'
        f"<p>{escape(greeting)}</p><p>{escape(wording.body)}</p>"
        f'<p><a href="{escape(url, quote=True)}">{escape(wording.button)}</a></p>'
        f"<p>{escape(valid_until)}</p><p>{escape(wording.closing)}</p></body></html>"
    )
    return Mail(subject=subject, text=text, html=html)


def retry_at(now: datetime, attempts: int, base: timedelta) -> datetime:
    """Doubling waits after each failed attempt (base, 2x, 4x, ...), capped at a day, so a
    mail server that is down for a while is not hammered."""
    delay: timedelta = base * 2 ** max(attempts - 1, 0)
    return now + min(delay, timedelta(days=1))
