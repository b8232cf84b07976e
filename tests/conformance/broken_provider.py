"""A deliberately broken implementation: the real sandbox whose Statut usager v2 renames a field.

``ft-conformance provider`` must fail on it and name the check (response schema conformance).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox import create_app

BROKEN_PATH = "/partenaire/contrat-usager/v2/contrat"


class RenameField:
    """Pure ASGI middleware renaming ``m_contrat`` (same length: Content-Length stays right)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != BROKEN_PATH:
            await self.app(scope, receive, send)
            return

        async def corrupt(message: Message) -> None:
            if message["type"] == "http.response.body":
                message["body"] = message.get("body", b"").replace(b'"m_contrat"', b'"m_kontrat"')
            await send(message)

        await self.app(scope, receive, corrupt)


def create_broken_app() -> ASGIApp:
    """The sandbox with one contract violation."""
    return RenameField(create_app())
