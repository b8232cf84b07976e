"""A pure-ASGI fast path for the hottest call: Rechercher usager v2 by NIR, answered 200.

Integrators' test suites call this route thousands of times; FastAPI's per-request machinery
(dependency solving, validation plumbing) costs several times the work itself (bench/RESULTS.md).
For a well-formed request with a valid token and agent headers that ends in S001/S002/S003, the
answer is built here from the same functions and models as the route. Anything else — a refusal,
an R code, malformed input — is replayed untouched to the FastAPI route, so every error keeps
its single rendering path. A test compares both paths byte for byte.
"""

from __future__ import annotations

import email.message

from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.apis.deps import AGENT_HEADERS, authorize, check_agent
from sandbox.apis.recherche_usager.router import result_v2, search_by_nir
from sandbox.apis.recherche_usager.schemas import ParDateNaissanceEtNir
from sandbox.auth.scopes import Api
from sandbox.errors import SandboxError
from sandbox.runtime import Runtime

PATH = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
_AGENT_KEYS = tuple(name.encode() for name in AGENT_HEADERS)


class RechercheFastPath:
    """Answers the 200 cases of Rechercher usager v2 by NIR; replays the rest to the app."""

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        answer = self._answer(scope, body)
        if answer is not None:
            headers = [
                (b"content-length", str(len(answer)).encode()),
                (b"content-type", b"application/json"),
            ]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": answer})
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _answer(self, scope: Scope, body: bytes) -> bytes | None:
        headers = dict(scope["headers"])
        if not is_json(_text(headers.get(b"content-type"))):
            return None
        try:
            caller = authorize(
                self.runtime, _text(headers.get(b"authorization")), Api.RECHERCHE_USAGER_V2
            )
            check_agent(*(_text(headers.get(key)) for key in _AGENT_KEYS))
            request = ParDateNaissanceEtNir.model_validate_json(body)
            result = result_v2(self.runtime, caller, search_by_nir(self.runtime, caller, request))
        except (SandboxError, ValidationError, ValueError):
            return None
        return result.model_dump_json(by_alias=True).encode()


def is_json(content_type: str | None) -> bool:
    """Whether FastAPI reads a body of this Content-Type as JSON (``application/json``, ``+json``).

    The same rule as FastAPI's strict content type: no Content-Type, or another one, is not
    JSON, and the route answers R997.
    """
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None
