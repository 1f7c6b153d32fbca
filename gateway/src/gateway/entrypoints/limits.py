"""Request bodies over the size limit are refused with 413, however they arrive."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.settings import GatewaySettings
from treue.problems import Problem, problem_response


class BodyTooLarge(Problem):
    status, slug, title = 413, "body-too-large", "Request body too large"


class BodyLimitMiddleware:
    """Checks Content-Length up front and counts the bytes of chunked bodies as they stream,
    so neither a lying header nor a body without one gets past the limit."""

    def __init__(self, app: ASGIApp, settings: GatewaySettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.settings.body_limit_for(scope["path"])
        too_large = BodyTooLarge(f"the body may have at most {limit} bytes on this path")
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await problem_response(too_large)(scope, receive, send)
            return
        received = 0
        exceeded = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise too_large
            return message

        async def send_or_refuse(message: Message) -> None:
            # FastAPI turns a failed body read into its own 400; the answer is our 413.
            if not exceeded:
                await send(message)
            elif message["type"] == "http.response.start":
                await problem_response(too_large)(scope, receive, send)

        await self.app(scope, counting_receive, send_or_refuse)
