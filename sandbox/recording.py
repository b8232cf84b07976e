"""The exchange journal: every call a client made, masked, rich enough to judge the client.

It is what lets a report say "your client got a 503 at call 17 and retried after 0.2 s", or "it
asked for a new token before every call". Per OAuth client, each exchange keeps its method, its
route template, its status, its arrival, start and end (virtual clock), the fault injected if
any, the keyed hashes of the access token, the jeton and the v1 identifiant (in its path) it
carried, which ``pa-*`` headers were
present and well-formed, the masked *shape* of both bodies (``sandbox.shapes``), whether a NIR
or a secret appeared in its URL (the fact, never the value) and, for a token request, the realm
and scopes asked for and the hash of the token issued. Paths are scrubbed
(``sandbox.privacy.scrub``); query strings keep their parameter names only.

**Hashes.** Identities are HMAC-SHA256 of the value with a key derived from the instance secret,
cut to 16 hex digits: equal within an instance (and the instances sharing its data directory),
meaningless elsewhere, and no value can be recovered from them.

**Cost and durability.** Recording sits on every call's path: the middleware hands over what it
already holds, reduced at once to the entry (memoised: URL facts, names, short values, small
bodies' shapes, hashes) and appended to an in-memory buffer. A background thread writes the
buffer through the state layer (its own connection) in one transaction per batch within
``FLUSH_SECONDS``; the call that makes ``FLUSH_COUNT`` exchanges wait writes them itself (a busy
stream is cheaper written in line than handed to a thread that fights the loop for the GIL); at
shutdown, and before a read, what waits is written. An exchange is therefore durable (survives
a restart, is seen by the other processes on the data directory) at most ``FLUSH_SECONDS``
after it ended; a process killed with ``kill -9`` loses at most that window. If the store
cannot keep up, at most ``MAX_PENDING`` exchanges wait; the ones beyond are counted in
``dropped`` and not journaled.

An exchange's ``outcome`` is ``answered``, or ``client_disconnected`` when the client left first
(during an injected wait, for instance: its ``status`` is then the status line it got, None if
none, and ``fault_rule`` names the rule that made it wait). ``delay_ms`` is the wait the sandbox
injected before answering.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote_plus

from sandbox.privacy import contains_credential, contains_nir, scrub
from sandbox.shapes import body_shape, field_name
from sandbox.state import StateStore

ANONYMOUS = "(sans jeton d'accès)"
AGENT_HEADERS = ("pa-nom-agent", "pa-prenom-agent", "pa-identifiant-agent")
TOKEN_PATH = "/connexion/oauth2/access_token"
FLUSH_SECONDS = 0.5
FLUSH_COUNT = 512
MAX_PENDING = 100_000
_CACHE_SIZE = 4096
_log = logging.getLogger("sandbox.journal")


class Outcome(StrEnum):
    """How an exchange ended, from the client's side."""

    ANSWERED = "answered"
    CLIENT_DISCONNECTED = "client_disconnected"


class AgentHeader(StrEnum):
    """What the journal says of one ``pa-*`` header (its value is never kept)."""

    OK = "ok"
    ABSENT = "absent"
    EMPTY = "empty"
    FORBIDDEN_CHARACTER = "forbidden_character"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One call as the sandbox saw it (virtual time)."""

    index: int
    at: float
    client_id: str
    api: str | None
    method: str
    path: str
    status: int | None
    duration_ms: float
    fault_rule: str | None = None
    fault_type: str | None = None
    retry_after: int | None = None
    delay_ms: float = 0.0
    outcome: Outcome = Outcome.ANSWERED
    route: str | None = None
    arrived_at: float = 0.0
    started_at: float | None = None
    ended_at: float = 0.0
    token: str | None = None
    jeton: str | None = None
    identifiant: str | None = None
    agent_headers: dict[str, str] = field(default_factory=dict)
    query: list[str] = field(default_factory=list)
    nir_in_url: bool = False
    secret_in_url: bool = False
    request: Any = None
    response: Any = None
    token_request: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return asdict(self)


class Captured(NamedTuple):
    """What the middleware holds of one call, raw; reduced to an entry as soon as it is handed.

    Never stored, buffered nor shown as such. A named tuple because it is built on every call:
    cheaper than a frozen dataclass.
    """

    client_id: str | None
    api: str | None
    method: str
    path: str
    query: bytes
    status: int | None
    arrived: float
    started: float | None
    ended: float
    fault: tuple[str, str, int | None] | None = None
    delay: float = 0.0
    outcome: Outcome = Outcome.ANSWERED
    route: str | None = None
    token: str | None = None
    jeton: str | None = None
    agent: tuple[str | None, str | None, str | None] = (None, None, None)
    request_type: str | None = None
    request_body: bytes | None = None
    response_type: str | None = None
    response_body: bytes | None = None
    reference: str | None = None


RouteResolver = Callable[[str, str], str | None]


_SCOPE = re.compile(r"^[A-Za-z0-9_.:/\-]{1,80}$")


def _scope(value: str) -> str:
    """A scope, realm or grant type as asked for, unless it looks like something else."""
    if _SCOPE.match(value) and not contains_nir(value) and not contains_credential(value):
        return value
    return "<valeur>"


def _form(body: bytes | None) -> dict[str, str]:
    try:
        return dict(parse_qsl((body or b"").decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        return {}


_AGENT_STATES: dict[tuple[str | None, str | None, str | None], dict[str, str]] = {}


def _agent_states(values: tuple[str | None, str | None, str | None]) -> dict[str, str]:
    states = _AGENT_STATES.get(values)
    if states is None:
        states = {
            name: str(_agent_state(value))
            for name, value in zip(AGENT_HEADERS, values, strict=True)
        }
        if len(_AGENT_STATES) >= _CACHE_SIZE:
            _AGENT_STATES.clear()
        _AGENT_STATES[values] = states
    # A copy: the caller's entry is serialised later, the memo must not be shared with it.
    return dict(states)


def _agent_state(value: str | None) -> str:
    if value is None:
        return AgentHeader.ABSENT
    if not value.strip():
        return AgentHeader.EMPTY
    if "|" in value:
        return AgentHeader.FORBIDDEN_CHARACTER
    return AgentHeader.OK


class Journal:
    """Per-client bounded journals of exchanges, buffered in memory, kept in the state store."""

    def __init__(
        self,
        store: StateStore,
        secret: bytes,
        size: int,
        enabled: bool = True,
        clients: Collection[str] = (),
    ) -> None:
        self.size = size
        self.enabled = enabled
        self.dropped = 0
        self._store = store
        self._key = hmac.new(secret, b"journal-identity", hashlib.sha256).digest()
        self._clients = frozenset(clients)
        self._pending: list[tuple[str, dict[str, Any], str | None]] = []
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._flusher: threading.Thread | None = None
        self._closed = False
        self._hashes: dict[str, str] = {}
        self._urls: dict[tuple[str, bytes], tuple[str, list[str], str, bool, bool]] = {}
        self.resolve_route: RouteResolver = lambda method, path: None

    # Hot path ------------------------------------------------------------------------------

    def capture(self, exchange: Captured) -> None:
        """Reduce one exchange to its entry and buffer it; the flusher writes it."""
        if not self.enabled:
            return
        # Reduced at once (a few µs, memoised): raw bodies and credentials never wait in memory,
        # and the flusher thread, which only writes, seldom holds the GIL against the loop.
        client, entry = self._entry(exchange)
        pending = (client, entry, exchange.fault[1] if exchange.fault else None)
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                self.dropped += 1
                return
            self._pending.append(pending)
            waiting = len(self._pending)
            if self._flusher is None and not self._closed:
                self._flusher = threading.Thread(
                    target=self._flush_loop, name="journal-flush", daemon=True
                )
                self._flusher.start()
        if waiting >= FLUSH_COUNT:
            # Written by the calling thread, a few milliseconds once per FLUSH_COUNT calls: cheaper
            # than handing a busy stream to the flusher, which would fight the loop for the GIL.
            self.flush()

    def record(
        self,
        client_id: str | None,
        api: str | None,
        method: str,
        path: str,
        status: int | None,
        at: float,
        duration: float,
        fault: tuple[str, str, int | None] | None = None,
        delay: float = 0.0,
        outcome: Outcome = Outcome.ANSWERED,
    ) -> None:
        """Buffer an exchange known only by its status line (``fault``: rule, type, retry-after)."""
        self.capture(
            Captured(
                client_id,
                api,
                method,
                path,
                b"",
                status,
                at,
                at + delay,
                at + duration,
                fault,
                delay,
                outcome,
            )
        )

    # Flushing ------------------------------------------------------------------------------

    def _flush_loop(self) -> None:
        while True:
            self._wake.wait(FLUSH_SECONDS)
            self._wake.clear()
            self.flush()
            with self._lock:
                # Idle: the thread ends, and the next capture starts another.
                if not self._pending or self._closed:
                    self._flusher = None
                    return

    def flush(self) -> None:
        """Write every buffered exchange to the store now."""
        with self._flushing:
            self._flush_now()

    def _flush_now(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return
        batches: dict[str, list[tuple[dict[str, Any], str | None]]] = {}
        for client, entry, fault in batch:
            batches.setdefault(client, []).append((entry, fault))
        try:
            self._store.journal_append(batches, self.size)
        except sqlite3.Error:
            # The journal must never stop the sandbox serving: the batch is counted as lost.
            with self._lock:
                self.dropped += len(batch)
            _log.warning("journal: %d exchanges could not be written", len(batch), exc_info=True)

    def close(self) -> None:
        """Flush what is buffered and stop the flusher (at shutdown)."""
        with self._lock:
            self._closed = True
            flusher = self._flusher
        self._wake.set()
        if flusher is not None:
            flusher.join()
        self.flush()

    # Reduction ----------------------------------------------------------

    def identity(self, kind: str, value: str) -> str:
        """The keyed hash naming a token, a jeton or an identifiant in the journal."""
        key = f"{kind}:{value}"
        cached = self._hashes.get(key)
        if cached is None:
            if len(self._hashes) >= _CACHE_SIZE:
                self._hashes.clear()
            digest = hmac.new(self._key, key.encode(), hashlib.sha256).hexdigest()
            cached = self._hashes[key] = digest[:16]
        return cached

    def _url(self, path: str, query: bytes) -> tuple[str, list[str], str, bool, bool]:
        """Scrubbed path, parameter names, decoded URL, NIR and credential flags; memoised."""
        key = (path, query)
        facts = self._urls.get(key)
        if facts is None:
            text = query.decode("latin-1")
            url = unquote_plus(f"{path}?{text}")
            names = [field_name(name) for name, _ in parse_qsl(text, keep_blank_values=True)]
            facts = (scrub(path), names, url, contains_nir(url), contains_credential(url))
            if len(self._urls) >= _CACHE_SIZE:
                self._urls.clear()
            self._urls[key] = facts
        return facts

    def _entry(self, c: Captured) -> tuple[str, dict[str, Any]]:
        path, names, url, nir, credential = self._url(c.path, c.query)
        secret = credential or any(value and value in url for value in (c.token, c.jeton))
        client = c.client_id
        token_request = None
        hasher = self.identity
        if c.path == TOKEN_PATH:
            form = _form(c.request_body)
            if client is None:
                client = self._token_client(form.get("client_id"), c.token)
            query = parse_qsl(c.query.decode("latin-1"), keep_blank_values=True)
            token_request = self._token_request(form, query, c)
        # Paths and the app's routes are compared raw, before any masking.
        route = c.route or self.resolve_route(c.method, c.path)
        fault = c.fault
        entry = {
            "at": c.arrived,
            "api": c.api,
            "method": c.method,
            "path": path,
            "status": c.status,
            "duration_ms": round((c.ended - c.arrived) * 1000.0, 3),
            "fault_rule": fault[0] if fault else None,
            "fault_type": fault[1] if fault else None,
            "retry_after": fault[2] if fault else None,
            "delay_ms": round(c.delay * 1000.0, 3),
            "outcome": str(c.outcome),
            "route": route,
            "arrived_at": c.arrived,
            "started_at": c.started,
            "ended_at": c.ended,
            "token": hasher("token", c.token) if c.token else None,
            "jeton": hasher("jeton", c.jeton) if c.jeton else None,
            "identifiant": hasher("identifiant", c.reference) if c.reference else None,
            "agent_headers": _agent_states(c.agent),
            "query": names,
            "nir_in_url": nir,
            "secret_in_url": secret,
            "request": body_shape(c.request_body, c.request_type, hasher),
            "response": body_shape(c.response_body, c.response_type, hasher),
            "token_request": token_request,
        }
        return client or ANONYMOUS, entry

    def _token_client(self, form_client: str | None, basic: str | None) -> str | None:
        # A token request names its client in the form (or HTTP Basic): attributed only to a
        # client the instance knows, so that no typed value ever becomes a journal's name.
        if form_client in self._clients:
            return form_client
        if basic:
            try:
                user = base64.b64decode(basic, validate=True).decode().split(":", 1)[0]
            except (binascii.Error, UnicodeDecodeError):
                return None
            return user if user in self._clients else None
        return None

    def _token_request(
        self, form: dict[str, str], query: list[tuple[str, str]], c: Captured
    ) -> dict[str, Any]:
        realm = dict(query).get("realm")
        request: dict[str, Any] = {
            "realm": realm if realm is None or _SCOPE.match(realm) else "<realm>",
            "scopes": [_scope(s) for s in form.get("scope", "").split()],
            "grant_type": _scope(form["grant_type"]) if "grant_type" in form else None,
            "issued_token": None,
            "granted_scopes": None,
        }
        if c.status == 200 and c.response_body:
            try:
                granted = json.loads(c.response_body)
                request["issued_token"] = self.identity("token", str(granted["access_token"]))
                request["granted_scopes"] = [_scope(s) for s in str(granted["scope"]).split()]
            except (ValueError, KeyError, TypeError):
                pass
        return request

    # Reading -------------------------------------------------------------------------------

    def entries(self, client_id: str, limit: int = 100, since: int | None = None) -> list[Exchange]:
        """The client's exchanges, oldest first: the last ``limit``, or those after ``since``."""
        self.flush()
        return [
            Exchange(index=index, client_id=client_id, **body)
            for index, body in self._store.journal_read(client_id, limit, since)
        ]

    def page(
        self, client_id: str, limit: int = 100, since: int | None = None
    ) -> tuple[int, list[Exchange]]:
        """``entries``, with the generation of the client's journal they belong to.

        The generation changes with every reset of the client: a reader that pages with
        ``since`` starts again from 0 when it does.
        """
        self.flush()
        generation, rows = self._store.journal_page(client_id, limit, since)
        return generation, [
            Exchange(index=index, client_id=client_id, **body) for index, body in rows
        ]

    def counters(self) -> dict[str, dict[str, Any]]:
        """Calls and injected faults per client."""
        self.flush()
        return {
            client: {"calls": calls, "faults": faults}
            for client, (calls, faults) in self._store.journal_counters().items()
        }

    def forget(self, client_id: str) -> None:
        """Drop a client's exchanges and counters (buffered ones included)."""
        # What is buffered belongs to the journal being forgotten: written first, then dropped
        # with the rest, so that no exchange from before the reset outlives it.
        with self._flushing:
            self._flush_now()
            self._store.journal_forget(client_id)
