from datetime import UTC, datetime, timedelta

from survey.domain.mail import MailKind, compose, retry_at

EXPIRES = datetime(2027, 3, 1, tzinfo=UTC)
URL = "https://treue.example/s/abc?x=1&y=2"


def test_german_invitation_names_the_survey_greets_and_carries_the_link() -> None:
    mail = compose(MailKind.INVITATION, "de", "Jana", "NPS 2027", URL, EXPIRES)

    assert mail.subject == "Ihre Meinung zählt: NPS 2027"
    assert mail.text.startswith("Guten Tag Jana,")
    assert URL in mail.text
    assert "01.03.2027" in mail.text
    assert 'href="https://treue.example/s/abc?x=1&amp;y=2"' in mail.html
    assert '<html lang="de">' in mail.html


def test_reminders_and_other_languages_fall_back_to_english_wording() -> None:
    mail = compose(MailKind.REMINDER, "fr", "Tom", "NPS", URL, EXPIRES)

    assert mail.subject == "Reminder: NPS"
    assert mail.text.startswith("Hello Tom,")
    assert "2027-03-01" in mail.text


def test_names_are_escaped_in_the_html_only() -> None:
    mail = compose(MailKind.INVITATION, "en", "<script>", "A & B", URL, EXPIRES)

    assert "<script>" not in mail.html
    assert "&lt;script&gt;" in mail.html
    assert "Hello <script>," in mail.text


def test_retries_wait_twice_as_long_each_time_but_at_most_a_day() -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    base = timedelta(seconds=30)

    waits = [retry_at(now, attempts, base) - now for attempts in (1, 2, 3, 20)]

    assert waits == [base, 2 * base, 4 * base, timedelta(days=1)]
