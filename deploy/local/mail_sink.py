"""The local SMTP sink: takes every mail survey-service sends (aiosmtpd), keeps it as an .eml
file and shows the mails in a browser, so a developer can open the answer links.

usage: mail_sink.py --smtp-port 1025 --http-port 8025 --directory .run/mail
Nothing is relayed anywhere; both ports listen on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import itertools
import re
import signal
import threading
import time
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope

HOST = "127.0.0.1"
_counter = itertools.count()
_LINK = re.compile(r"https?://[^\s<>\"]+")
_NAME = re.compile(r"^[0-9]+-[0-9]+\.eml$")


class KeepMails:
    """aiosmtpd handler: every accepted mail becomes one file, named so they sort by arrival."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: SMTP, session: object, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.content
        data = content if isinstance(content, bytes) else str(content).encode()
        name = f"{time.time_ns()}-{next(_counter)}.eml"
        (self.directory / name).write_bytes(data)
        print(f"mail for {', '.join(envelope.rcpt_tos)} kept as {name}", flush=True)
        return "250 Message accepted for delivery"


def read(path: Path) -> EmailMessage:
    message = BytesParser(policy=default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def part(message: EmailMessage, subtype: str) -> str | None:
    body = message.get_body(preferencelist=(subtype,))
    return None if body is None else str(body.get_content())


def page(title: str, body: str) -> bytes:
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        "<style>body{font-family:sans-serif;margin:2rem;max-width:60rem}"
        "td,th{padding:.3rem .8rem;text-align:left;border-bottom:1px solid #ddd}"
        "pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}"
        "iframe{width:100%;height:22rem;border:1px solid #ddd}</style></head>"
        f"<body>{body}</body></html>"
    ).encode()


def linked(text: str) -> str:
    """The plain text, escaped, with its links clickable."""
    pieces, last = [], 0
    for match in _LINK.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        url = escape(match.group(0), quote=True)
        pieces.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    pieces.append(escape(text[last:]))
    return "".join(pieces)


# The index parses each mail it lists; the newest few hundred are what a developer looks for.
INDEX_LIMIT = 200


def make_handler(directory: Path) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/health":
                self._send(b"ok")
            elif self.path in ("/", ""):
                self._send(self._index())
            elif self.path.startswith("/mail/") and _NAME.match(self.path[6:]):
                path = directory / self.path[6:]
                if path.is_file():
                    self._send(self._mail(path))
                else:
                    self._send(page("not found", "<p>No such mail.</p>"), HTTPStatus.NOT_FOUND)
            else:
                self._send(page("not found", "<p>Not found.</p>"), HTTPStatus.NOT_FOUND)

        def _index(self) -> bytes:
            files = sorted(directory.glob("*.eml"), reverse=True)
            rows = "".join(
                f"<tr><td>{escape(str(message['Date'] or ''))}</td>"
                f"<td>{escape(str(message['To'] or ''))}</td>"
                f'<td><a href="/mail/{path.name}">{escape(str(message["Subject"] or "-"))}</a>'
                "</td></tr>"
                for path in files[:INDEX_LIMIT]
                for message in [read(path)]
            )
            table = (
                f"<table><tr><th>Date</th><th>To</th><th>Subject</th></tr>{rows}</table>"
                if files
                else "<p>No mails yet.</p>"
            )
            return page("Treue mail sink", f"<h1>Treue mail sink ({len(files)})</h1>{table}")

        def _mail(self, path: Path) -> bytes:
            message = read(path)
            headers = "".join(
                f"<tr><th>{name}</th><td>{escape(str(message[name] or ''))}</td></tr>"
                for name in ("From", "To", "Subject", "Date")
            )
            html = part(message, "html")
            text = part(message, "plain")
            # Links in the sandboxed mail open in a new tab, outside the sandbox.
            framed = '<base target="_blank">' + (html or "")
            rendered = (
                '<h2>HTML</h2><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" '
                f'srcdoc="{escape(framed, quote=True)}"></iframe>'
                if html
                else ""
            )
            plain = f"<h2>Text</h2><pre>{linked(text)}</pre>" if text else ""
            body = f'<p><a href="/">&larr; all mails</a></p><table>{headers}</table>'
            return page(str(message["Subject"] or "mail"), body + rendered + plain)

        def _send(self, content: bytes, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the sink's log is for the mails."""

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025)
    parser.add_argument("--directory", type=Path, default=Path(".run/mail"))
    arguments = parser.parse_args()
    arguments.directory.mkdir(parents=True, exist_ok=True)

    controller = Controller(KeepMails(arguments.directory), hostname=HOST, port=arguments.smtp_port)
    controller.start()
    server = ThreadingHTTPServer((HOST, arguments.http_port), make_handler(arguments.directory))

    def stop(signum: int, frame: object) -> None:
        # shutdown() waits for serve_forever to return: not from the thread that runs it.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(
        f"mail sink: SMTP on {HOST}:{arguments.smtp_port}, "
        f"mails at http://{HOST}:{arguments.http_port}/",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
        controller.stop()


if __name__ == "__main__":
    main()
