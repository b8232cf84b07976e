"""Request-body size limits per route family, enforced before anything parses a body.

One careless or fuzzing client must not hold the event loop (parsing and validating a body is
synchronous work) nor the memory of a shared instance. Each family's limit is far above the
largest legitimate body: a full ``EnregistrerDossierDto`` — 20 diagnostics with every field,
every besoin of the référentiel for each, every contrainte, situation and objectif, the autonomie
numérique — is 31 KB of compact JSON and 55 KB indented by two spaces. The limits are the
README's "Limits" table; a body over its limit gets 413 in its family's error body.

A declared ``Content-Length`` is refused before reading anything; a streamed body (chunked, no
length) is counted while it arrives and refused as soon as it passes the limit. Accepted bodies
are replayed to the application unchanged.
"""

from __future__ import annotations

from collections import deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.apis.responses import render, too_large
from sandbox.campaigns import MAX_REPORT_BYTES
from sandbox.filedrop.service import MAX_FILE_BYTES

KIB = 1024
BODY_LIMITS: tuple[tuple[str, int], ...] = (
    ("/connexion/oauth2/", 8 * KIB),
    ("/partenaire/", 64 * KIB),
    # A published campaign report: its JSON and its HTML procès-verbal (sandbox.campaigns).
    ("/_sandbox/reports/", MAX_REPORT_BYTES),
    ("/_sandbox/", 16 * KIB),
    # The file drop's own cap (sandbox.filedrop) plus room for a multipart envelope.
    ("/depot-fichiers/", MAX_FILE_BYTES + 64 * KIB),
)
OTHER_BODY_LIMIT = 8 * KIB
"""Documentation and unknown paths take no body."""


def body_limit(path: str) -> int:
    """The largest request body, in bytes, accepted on a path."""
    for prefix, limit in BODY_LIMITS:
        if path.startswith(prefix):
            return limit
    return OTHER_BODY_LIMIT


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimitMiddleware:
    """Answers 413 to a body over its route family's limit; passes everything else through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = body_limit(path)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await render(too_large(path, limit), path)(scope, receive, send)
            return
        received: deque[Message] = deque()
        size = 0
        while True:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await render(too_large(path, limit), path)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            if received:
                return received.popleft()
            return await receive()

        await self.app(scope, replay, send)
