"""Likely duplicates: how alike two contacts are, from the similarity of their names and
companies (trigram similarity, 0..1, as the database computes it), their phone numbers and
their mailboxes. An e-mail is unique in any case, so two contacts share a mailbox only in
different spellings of it (`Anna+crm@x.de` and `anna@x.de`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A pair scoring at least this is shown as a likely duplicate.
LIKELY = 0.6
SAME = 0.99
_NOT_DIGITS = re.compile(r"\D")
_SUBADDRESS = re.compile(r"\+[^@]*@")


@dataclass(frozen=True)
class Likeness:
    score: float
    reasons: tuple[str, ...]


def phone_digits(phone: str | None) -> str:
    """`+49 (30) 1234-5` and `0049 30 12345` compare by their last 9 digits, as national
    and international forms of one number do."""
    digits = _NOT_DIGITS.sub("", phone or "")
    return digits[-9:] if len(digits) >= 6 else ""


def mailbox(email: str | None) -> str:
    """`Anna.Schmidt+crm@Example.de` is delivered to `anna.schmidt@example.de`."""
    return _SUBADDRESS.sub("@", (email or "").lower())


def likeness(
    name_similarity: float,
    company_similarity: float | None,
    phone_a: str | None = None,
    phone_b: str | None = None,
    email_a: str | None = None,
    email_b: str | None = None,
) -> Likeness:
    """`company_similarity` is None when either has no company: then the name decides. The
    same phone number or mailbox makes a pair with a somewhat similar name likely; alone,
    without alike names, neither does (a switchboard number, a shared team mailbox)."""
    reasons: list[str] = []
    if name_similarity >= SAME:
        reasons.append("same_name")
    elif name_similarity >= LIKELY:
        reasons.append("similar_name")
    score = name_similarity
    if company_similarity is not None:
        score = 0.7 * name_similarity + 0.3 * company_similarity
        if company_similarity >= SAME:
            reasons.append("same_company")
        elif company_similarity >= LIKELY:
            reasons.append("similar_company")
    digits = phone_digits(phone_a)
    if digits and digits == phone_digits(phone_b):
        reasons.append("same_phone")
        score = min(1.0, score + 0.3)
    box = mailbox(email_a)
    if box and box == mailbox(email_b):
        reasons.append("same_email")
        score = min(1.0, score + 0.3)
    return Likeness(round(score, 3), tuple(reasons))
