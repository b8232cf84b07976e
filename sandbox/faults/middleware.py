"""Pure ASGI middleware: attributes each call to its client, injects faults, journals the call.

With no rule active for the caller, a call costs a header scan, a cached token look-up and one
journal append. Waiting goes through the instance clock: real ``asyncio`` sleeps normally (other
requests keep being served), virtual time when the clock is frozen. While it waits, the
middleware watches for the client giving up, so that the journal never records an answer the
client did not receive. A connection broken on purpose is logged as the injected fault it is,
not as the server error uvicorn would otherwise report.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.apis.responses import NO_STORE, fault_error, render
from sandbox.auth.scopes import api_of_path
from sandbox.clock import Clock
from sandbox.errors import GatewayError, SandboxError
from sandbox.faults.controller import UnknownProfile
from sandbox.faults.engine import Fault
from sandbox.faults.plan import RequestMeta
from sandbox.recording import Captured, Outcome
from sandbox.runtime import Runtime
from sandbox.shapes import MAX_BODY_BYTES

SCENARIO_HEADER = b"x-sandbox-scenario"
FAULT_HEADER = "X-Sandbox-Fault"
# Pages for people (their own audit trail) and assets are not an OAuth client's exchanges.
_CONTROL = "/_sandbox"
_UNJOURNALED = (
    _CONTROL,
    "/docs",
    "/redoc",
    "/openapi.json",
    "/static-offline-docs",
    "/static/",
    "/suivi-de-parcours",
)
_MALFORMED_BODY = b'{"codeErreur": "ERR_TECHNIQUE", "message": "Une erreur techn'
_DRIBBLE_CHUNK = 8
# uvicorn awaits the app in the request's own task and logs an unfinished response right after
# it returns, in the same context: this is how its log filter knows the break was on purpose.
_broken_on_purpose: ContextVar[Fault | None] = ContextVar("broken_on_purpose", default=None)


class InjectedFaultLogFilter(logging.Filter):
    """Turns the server's error about a connection broken on purpose into one info line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the first error record that follows an injected break; keep every record."""
        fault = _broken_on_purpose.get()
        if fault is not None and record.levelno >= logging.ERROR:
            _broken_on_purpose.set(None)
            record.msg = "injected fault %s (connection %s)"
            record.args = (fault.rule_id, fault.mode)
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            record.exc_info, record.exc_text = None, None
        return True


def install_fault_logging() -> None:
    """Attach ``InjectedFaultLogFilter`` to uvicorn's error logger (once)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, InjectedFaultLogFilter) for f in logger.filters):
        logger.addFilter(InjectedFaultLogFilter())


class _ClientWatch:
    """Reads ``receive`` while the sandbox waits, to notice a client that gives up.

    The request messages read meanwhile are replayed to the app, which still gets its body.
    """

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._buffered: deque[Message] = deque()
        self._watcher: asyncio.Task[bool] | None = None
        self.disconnected = False

    async def _watch(self) -> bool:
        complete = False
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                return True
            self._buffered.append(message)
            if complete:
                # ASGI servers block after the body until the client leaves; one that answers
                # again breaks that contract: stop reading rather than spin.
                return False
            complete = not message.get("more_body", False)

    async def wait(self, clock: Clock, seconds: float) -> bool:
        """Wait on the instance clock; False as soon as the client has disconnected."""
        if self._watcher is None:
            self._watcher = asyncio.ensure_future(self._watch())
        sleeper = asyncio.ensure_future(clock.sleep(seconds))
        await asyncio.wait((sleeper, self._watcher), return_when=asyncio.FIRST_COMPLETED)
        if self._watcher.done() and self._watcher.result():
            sleeper.cancel()
            self.disconnected = True
            return False
        await sleeper
        return True

    async def stop(self) -> None:
        """Stop reading, so that only the app reads ``receive``; a later ``wait`` watches again."""
        if self._watcher is not None and not self._watcher.done():
            self._watcher.cancel()
            await asyncio.wait((self._watcher,))
            self._watcher = None

    async def receive(self) -> Message:
        """The request messages read while waiting, then the server's own."""
        if self._buffered:
            return self._buffered.popleft()
        if self.disconnected:
            return {"type": "http.disconnect"}
        return await self._receive()


class FaultMiddleware:
    """Fault injection and journaling in front of every partner route."""

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        runtime = self.runtime
        # Settings changed through another instance apply here first (at once for the control
        # plane, whose answers must start from the latest settings).
        runtime.control.refresh(force=scope["path"].startswith(_CONTROL))
        if scope["path"].startswith(_UNJOURNALED):
            await self.app(scope, receive, send)
            return
        clock = runtime.clock
        journal = runtime.journal
        authorization = scenario = jeton = content_type = national = None
        nom = prenom = identifiant = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value.decode("latin-1")
            elif name == SCENARIO_HEADER:
                scenario = value.decode("latin-1").strip()
            elif name == b"ft-jeton-usager":
                jeton = value.decode("latin-1")
            elif name == b"content-type":
                content_type = value.decode("latin-1")
            elif name == b"id-national":
                # Métiers and Création d'entreprise v1 take the identifiant as a header.
                national = value.decode("latin-1")
            elif name[:3] == b"pa-":
                if name == b"pa-nom-agent":
                    nom = value.decode("latin-1")
                elif name == b"pa-prenom-agent":
                    prenom = value.decode("latin-1")
                elif name == b"pa-identifiant-agent":
                    identifiant = value.decode("latin-1")
        client_id = token = None
        if authorization:
            scheme = authorization[:7].lower()
            if scheme == "bearer ":
                token = authorization[7:].strip()
                client_id = runtime.tokens.client_of(token)
            elif scheme[:6] == "basic ":
                token = authorization[6:].strip()
        jumps = runtime.jumps
        if jumps is not None and jumps.pending and client_id is not None:
            jumps.arrived(client_id)
        path, method = scope["path"], scope["method"]
        api = api_of_path(path)
        arrived = clock.timestamp()
        status: list[int] = []
        response_type: list[bytes] = []
        request_body: list[bytes] = []
        response_body: list[bytes] = []
        sizes = [0, 0]
        recording = journal.enabled

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.body":
                if recording and sizes[1] <= MAX_BODY_BYTES:
                    chunk = message.get("body", b"")
                    response_body.append(chunk)
                    sizes[1] += len(chunk)
            elif message["type"] == "http.response.start":
                status.append(message["status"])
                if recording:
                    for key, value in message.get("headers", ()):
                        if key == b"content-type":
                            response_type.append(value)
            await send(message)

        async def tap() -> Message:
            message = await receive()
            if sizes[0] <= MAX_BODY_BYTES:
                chunk = message.get("body", b"")
                request_body.append(chunk)
                sizes[0] += len(chunk)
            return message

        received = tap if recording else receive

        def record(
            started: float | None,
            fault: tuple[str, str, int | None] | None = None,
            delay: float = 0.0,
            outcome: Outcome = Outcome.ANSWERED,
            answered: bool = True,
        ) -> None:
            route = scope.get("route")
            journal.capture(
                Captured(
                    client_id,
                    api,
                    method,
                    path,
                    scope["query_string"],
                    status[0] if status and answered else None,
                    arrived,
                    started,
                    clock.timestamp(),
                    fault,
                    delay,
                    outcome,
                    getattr(route, "path", None),
                    token,
                    jeton,
                    (nom, prenom, identifiant),
                    content_type,
                    b"".join(request_body),
                    response_type[0].decode("latin-1") if response_type else None,
                    b"".join(response_body),
                    scope.get("path_params", {}).get("identifiant") or national,
                )
            )

        controller = runtime.faults
        if controller.idle and not scenario:
            await self.app(scope, received, capture)
            if recording:
                record(arrived)
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
        decision = controller.decide(profile, meta, arrived)
        fault = decision.fault
        watch = _ClientWatch(received)
        delay = decision.delay
        if delay and not await watch.wait(clock, delay):
            if recording:
                record(
                    None,
                    (decision.latency_rule or "latency", "latency", None),
                    delay,
                    Outcome.CLIENT_DISCONNECTED,
                    answered=False,
                )
            return
        started = clock.timestamp()
        if fault is None:
            await watch.stop()
            await self.app(scope, watch.receive, capture)
        else:
            if fault.type == "timeout":
                delay += fault.seconds
            if recording and fault.type in _REPLACING:
                # The route never reads this request: read it here, so that the journal keeps
                # its shape (a rule must tell a retried Recherche from the next person's).
                await _read_request(watch)
            await _inject(fault, self.app, scope, watch, capture, runtime)
            await watch.stop()
        if recording:
            record(
                started,
                (fault.rule_id, fault.type, fault.retry_after) if fault else None,
                delay,
                Outcome.CLIENT_DISCONNECTED if watch.disconnected else Outcome.ANSWERED,
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


_REPLACING = frozenset({"rate_limit", "token", "error", "outage", "timeout"})
"""Fault types whose answer replaces the route's (the route does not run)."""


async def _read_request(watch: _ClientWatch) -> None:
    """Read the request's body to its end (or the client's departure), through the journal's tap."""
    await watch.stop()
    while True:
        message = await watch.receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _inject(
    fault: Fault, app: ASGIApp, scope: Scope, watch: _ClientWatch, send: Send, runtime: Runtime
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
        response = render(error, scope["path"])
        response.headers[FAULT_HEADER] = fault.rule_id
        await response(scope, watch.receive, send)
        return
    if fault.type == "timeout" and not await watch.wait(runtime.clock, fault.seconds):
        return
    if fault.type in ("error", "outage", "timeout"):
        injected: SandboxError = (
            GatewayError(fault.status or 500, hint)
            if fault.type == "error" and fault.body == "gateway"
            else fault_error(fault.status or 500, scope["path"], hint)
        )
        response = render(injected, scope["path"], runtime.clock.now())
        response.headers[FAULT_HEADER] = fault.rule_id
        await response(scope, watch.receive, send)
        return
    await watch.stop()
    start, body = await _real_answer(app, scope, watch.receive)
    await _break_connection(fault, start, body, send, watch, runtime, tag)


async def _real_answer(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    """The route's own answer, kept whole: a network fault damages the delivery, not the answer.

    The route runs as it would without the fault (a write is made, as when a real network
    breaks after the server has answered).
    """
    kept: list[Message] = []
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            kept.append(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, keep)
    return kept[0], b"".join(chunks)


async def _break_connection(
    fault: Fault,
    start: Message,
    body: bytes,
    send: Send,
    watch: _ClientWatch,
    runtime: Runtime,
    tag: tuple[bytes, bytes],
) -> None:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    if fault.mode == "malformed":
        # Half of a JSON object is never JSON; a bodiless answer gets a body that is not JSON.
        status, cut = start["status"], body[: len(body) // 2]
        if not body:
            status, cut = 200, _MALFORMED_BODY
            headers = [(b"content-type", b"application/json")]
        await _send_raw(send, status, cut, [*headers, tag])
        return
    length = (b"content-length", str(len(body)).encode())
    await send(
        {
            "type": "http.response.start",
            "status": start["status"],
            "headers": [*headers, length, tag],
        }
    )
    if fault.mode == "dribble":
        for offset in range(0, len(body), _DRIBBLE_CHUNK):
            if not await watch.wait(runtime.clock, _DRIBBLE_CHUNK / fault.bytes_per_second):
                return
            chunk = body[offset : offset + _DRIBBLE_CHUNK]
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    if fault.mode == "truncate":
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
    # ASGI cannot drop a connection before the status line; returning with the body incomplete
    # makes the server close the connection, which the client sees as a broken response.
    _broken_on_purpose.set(fault)
