"""The fast path of Rechercher usager v2 answers exactly what the FastAPI route answers."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import FastAPI

from sandbox.apis.recherche_usager.fastpath import PATH, RechercheFastPath
from sandbox.auth.scopes import Realm, scopes_of_realm
from sandbox.population.sample import sample_rows
from sandbox.runtime import Runtime
from tests.conftest import NOW

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def _fast_path(app: FastAPI) -> RechercheFastPath:
    if app.middleware_stack is None:
        app.middleware_stack = app.build_middleware_stack()
    layer: Any = app.middleware_stack
    while not isinstance(layer, RechercheFastPath):
        layer = layer.app
    return layer


def _call(app: FastAPI, asgi: Any, body: bytes, headers: list[tuple[bytes, bytes]]) -> Answer:
    messages: list[dict[str, Any]] = []
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": PATH,
        "raw_path": PATH.encode(),
        "query_string": b"",
        "headers": headers,
        "http_version": "1.1",
        "scheme": "http",
        "server": ("sandbox", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
        "app": app,
    }
    asyncio.run(asgi(scope, receive, send))
    start = messages[0]
    return (
        start["status"],
        sorted(start["headers"]),
        b"".join(m.get("body", b"") for m in messages[1:]),
    )


def test_fast_path_and_route_give_identical_answers(
    app: FastAPI, runtime: Runtime, settings: Any
) -> None:
    fast = _fast_path(app)
    token = runtime.tokens.issue(
        "PAR_ftsandbox_cd62", Realm.AGENT, sorted(scopes_of_realm(Realm.AGENT)), NOW.timestamp()
    )
    good = [
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-type", b"application/json"),
        (b"pa-nom-agent", b"BATCH"),
        (b"pa-prenom-agent", b"BATCH"),
        (b"pa-identifiant-agent", b"BATCH"),
    ]
    cases: list[tuple[bytes, list[tuple[bytes, bytes]]]] = []
    for row in sample_rows(settings, 150, "62", NOW.date()):
        body = json.dumps({"dateNaissance": row["dateNaissance"], "nir": row["nir"]}).encode()
        cases.append((body, good))
    persona = b'{"dateNaissance": "1990-03-14", "nir": "290036204190175"}'
    cases += [
        (b'{"nir": "1"}', good),
        (b"not json", good),
        (persona + b" ", good),
        (b'{"dateNaissance": "1990-03-14", "nir": "290036204190175", "extra": 1}', good),
        (persona, good[1:]),
        (persona, good[:2]),
    ]
    codes = set()
    for body, headers in cases:
        via_fast_path = _call(app, fast, body, headers)
        via_route = _call(app, fast.app, body, headers)
        assert via_fast_path == via_route, body
        codes.add(via_fast_path[0])
    assert {200, 400, 401, 403, 500, 302} <= codes
