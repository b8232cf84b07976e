"""Pure ASGI middleware: attributes each call to its client, injects faults, journals the call.

With no rule active for the caller, a call costs a header scan, a cached token look-up and one
journal append. Waiting goes through the instance clock: real ``asyncio`` sleeps normally (other
requests keep being served), virtual time when the clock is frozen.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.apis.responses import NO_STORE, fault_error, render
from sandbox.auth.scopes import api_of_path
from sandbox.errors import GatewayError
from sandbox.faults.controller import UnknownProfile
from sandbox.faults.engine import Fault
from sandbox.faults.plan import RequestMeta
from sandbox.runtime import Runtime

SCENARIO_HEADER = b"x-sandbox-scenario"
FAULT_HEADER = "X-Sandbox-Fault"
_UNJOURNALED = ("/_sandbox", "/docs", "/redoc", "/openapi.json", "/static-offline-docs")
_MALFORMED_BODY = b'{"codeRetour": "S001", "message": "Usager trouv'


class FaultMiddleware:
    """Fault injection and journaling in front of every partner route."""

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_UNJOURNALED):
            await self.app(scope, receive, send)
            return
        runtime = self.runtime
        clock = runtime.clock
        authorization = scenario = jeton = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value.decode("latin-1")
            elif name == SCENARIO_HEADER:
                scenario = value.decode("latin-1").strip()
            elif name == b"ft-jeton-usager":
                jeton = value.decode("latin-1")
        client_id = None
        if authorization and authorization[:7].lower() == "bearer ":
            client_id = runtime.tokens.client_of(authorization[7:].strip())
        path, method = scope["path"], scope["method"]
        api = api_of_path(path)
        started = clock.timestamp()
        status: list[int] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        controller = runtime.faults
        if controller.idle and not scenario:
            await self.app(scope, receive, capture)
            runtime.journal.record(
                client_id,
                api,
                method,
                path,
                status[0] if status else None,
                started,
                clock.timestamp() - started,
            )
            return
        try:
            profile = controller.profile_for(client_id, scenario)
        except UnknownProfile as exc:
            await _unknown_scenario(exc, scope, receive, send)
            return
        persona = None
        if jeton:
            key = runtime.references.person_key_of(jeton)
            persona = key[2:] if key and key.startswith("p-") else None
        meta = RequestMeta(
            method, path, api or ("token" if "/oauth2/" in path else None), client_id, persona
        )
        decision = controller.decide(profile, meta, started)
        if decision.delay:
            await clock.sleep(decision.delay)
        fault = decision.fault
        if fault is None:
            await self.app(scope, receive, capture)
        else:
            await _inject(fault, scope, receive, capture, runtime)
        runtime.journal.record(
            client_id,
            api,
            method,
            path,
            status[0] if status else None,
            started,
            clock.timestamp() - started,
            (fault.rule_id, fault.type, fault.retry_after) if fault else None,
        )


async def _unknown_scenario(
    exc: UnknownProfile, scope: Scope, receive: Receive, send: Send
) -> None:
    body = json.dumps(
        {
            "codeErreur": "ERR_SCENARIO_INCONNU",
            "codeHttp": 400,
            "message": exc.message_fr,
        },
        ensure_ascii=False,
    ).encode()
    await _send_raw(send, 400, body, [(b"content-type", b"application/json")])


async def _send_raw(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]], more: bool = False
) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": more})


async def _inject(
    fault: Fault, scope: Scope, receive: Receive, send: Send, runtime: Runtime
) -> None:
    hint = f"Injected fault {fault.rule_id} ({fault.type})"
    tag = (FAULT_HEADER.lower().encode(), fault.rule_id.encode())
    if fault.type == "rate_limit":
        headers = [
            (b"content-type", b"text/plain"),
            (b"retry-after", str(fault.retry_after or 1).encode()),
            *((k.lower().encode(), v.encode()) for k, v in NO_STORE.items()),
            tag,
        ]
        await _send_raw(send, 429, b"Too Many Requests", headers)
        return
    if fault.type == "token":
        error = GatewayError(
            401,
            f"{hint}: the access token is refused as {fault.mode}; request a new one.",
            www_authenticate='Bearer error="invalid_token"',
        )
        response = render(error)
        response.headers[FAULT_HEADER] = fault.rule_id
        await response(scope, receive, send)
        return
    if fault.type == "timeout":
        await runtime.clock.sleep(fault.seconds)
    if fault.type in ("error", "outage", "timeout"):
        response = render(fault_error(fault.status or 500, scope["path"], hint))
        response.headers[FAULT_HEADER] = fault.rule_id
        await response(scope, receive, send)
        return
    await _break_connection(fault, send, runtime, tag)


async def _break_connection(
    fault: Fault, send: Send, runtime: Runtime, tag: tuple[bytes, bytes]
) -> None:
    json_type = (b"content-type", b"application/json")
    if fault.mode == "malformed":
        await _send_raw(send, 200, _MALFORMED_BODY, [json_type, tag])
        return
    body = json.dumps({"codeRetour": "S001", "message": "Usager trouvé"}).encode()
    headers = [json_type, (b"content-length", str(len(body)).encode()), tag]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    if fault.mode == "dribble":
        for offset in range(0, len(body), 8):
            await runtime.clock.sleep(8 / fault.bytes_per_second)
            chunk = body[offset : offset + 8]
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    if fault.mode == "truncate":
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
    # ASGI cannot drop a connection before the status line; returning with the body incomplete
    # makes the server close the connection, which the client sees as a broken response.
