"""Drive the app straight through ASGI: thousands of calls on the virtual clock in seconds.

``TestClient`` costs a few milliseconds a call; the statistical tests of the fault profiles make
thousands. The app is called as the server would call it (the fault middleware included), and
every answer is kept whole, broken connections too (a start message and an unfinished body).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from sandbox.auth.scopes import Realm
from sandbox.clock import FrozenClock
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT

RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
S001_PERSONA = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}
# Reference §7.1.
RECHERCHE_V2_SCOPES = ["api_rechercher-usagerv2", "rechercheusager", "profil_accedant"]


@dataclass(frozen=True, slots=True)
class Answer:
    """What a client received, and how much virtual time the call took."""

    status: int
    headers: dict[str, str]
    body: bytes
    complete: bool
    seconds: float

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


class Driver:
    """Calls one app on its frozen clock, with a token of the default client kept fresh.

    One event loop serves every call (``close()`` it): a new loop per call would cost more
    than the call.
    """

    def __init__(self, app: FastAPI, clock: FrozenClock, client_id: str = DEFAULT_CLIENT[0]):
        self.app = app
        self.clock = clock
        self.client_id = client_id
        self.runtime: Runtime = app.state.runtime
        self._token = ""
        self._issued = float("-inf")
        self._runner = asyncio.Runner()

    def close(self) -> None:
        """Close the event loop."""
        self._runner.close()

    def token(self) -> str:
        """A valid token (tokens live 1499 s; latency moves the clock)."""
        now = self.clock.timestamp()
        if now - self._issued > 1000:
            self._token = self.runtime.tokens.issue(
                self.client_id, Realm.AGENT, RECHERCHE_V2_SCOPES, now
            )
            self._issued = now
        return self._token

    def search(self, headers: dict[str, str] | None = None) -> Answer:
        """One Rechercher usager v2 call for the persona s001-certifiee."""
        return self.call(
            "POST",
            RECHERCHE_V2,
            {"Authorization": f"Bearer {self.token()}", **AGENT_HEADERS, **(headers or {})},
            json.dumps(S001_PERSONA).encode(),
        )

    def call(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b"", query: str = ""
    ) -> Answer:
        """One request through the whole app."""
        return self._runner.run(self._call(method, path, headers, body, query))

    async def _call(
        self, method: str, path: str, headers: dict[str, str], body: bytes, query: str
    ) -> Answer:
        raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        if body:
            raw_headers.append((b"content-type", b"application/json"))
        scope = {
            "type": "http",
            "method": method,
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "headers": raw_headers,
            "http_version": "1.1",
            "scheme": "http",
            "server": ("sandbox", 80),
            "client": ("127.0.0.1", 1),
            "root_path": "",
        }
        messages: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        started = self.clock.timestamp()
        await self.app(scope, receive, send)  # type: ignore[arg-type]
        start = messages[0]
        chunks = [m for m in messages[1:] if m["type"] == "http.response.body"]
        return Answer(
            status=start["status"],
            headers={k.decode().lower(): v.decode() for k, v in start["headers"]},
            body=b"".join(m.get("body", b"") for m in chunks),
            complete=bool(chunks) and not chunks[-1].get("more_body", False),
            seconds=self.clock.timestamp() - started,
        )


Drivers = Callable[[str, dt.datetime], Driver]
"""Builds a driver of an app with a given instance profile, started at an instant."""
