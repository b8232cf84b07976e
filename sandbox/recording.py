"""The exchange journal: every call a client made, masked, with the fault injected if any.

It is what lets a report say "your client got a 503 at call 17 and retried after 0.2 s". Paths
are scrubbed (no NIR, no credential, no identifiant); query strings and bodies are not kept. One
bounded ring per client.

An exchange records what the client received: its ``outcome`` is ``answered``, or
``client_disconnected`` when the client left first (during an injected wait, for instance: its
``status`` is then the status line it got, None if none, and ``fault_rule`` names the rule that
made it wait). ``delay_ms`` is the wait the sandbox injected before answering.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from sandbox.privacy import scrub

ANONYMOUS = "(sans jeton d'accès)"


class Outcome(StrEnum):
    """How an exchange ended, from the client's side."""

    ANSWERED = "answered"
    CLIENT_DISCONNECTED = "client_disconnected"


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

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return asdict(self)


_Row = tuple[
    int,
    float,
    str,
    str | None,
    str,
    str,
    int | None,
    float,
    tuple[str, str, int | None] | None,
    float,
    Outcome,
]
_PATH_CACHE_SIZE = 4096


class Journal:
    """Per-client bounded rings of exchanges, with counters.

    Recording sits on every call's path: it appends a tuple and memoises the scrubbed form of
    each path; ``Exchange`` objects are only built when the journal is read.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._rings: dict[str, deque[_Row]] = {}
        self._calls: Counter[str] = Counter()
        self._faults: dict[str, Counter[str]] = {}
        self._scrubbed: dict[str, str] = {}

    def _scrub(self, path: str) -> str:
        cached = self._scrubbed.get(path)
        if cached is None:
            if len(self._scrubbed) >= _PATH_CACHE_SIZE:
                self._scrubbed.clear()
            cached = self._scrubbed[path] = scrub(path)
        return cached

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
        """Append one exchange; ``fault`` is (rule id, type, retry-after), ``delay`` in seconds."""
        client = client_id or ANONYMOUS
        calls = self._calls[client] = self._calls[client] + 1
        ring = self._rings.get(client)
        if ring is None:
            ring = self._rings[client] = deque(maxlen=self._size)
        ring.append(
            (
                calls,
                at,
                client,
                api,
                method,
                self._scrub(path),
                status,
                duration,
                fault,
                delay,
                outcome,
            )
        )
        if fault:
            self._faults.setdefault(client, Counter())[fault[1]] += 1

    def entries(self, client_id: str, limit: int = 100) -> list[Exchange]:
        """The client's most recent exchanges, oldest first."""
        rows = list(self._rings.get(client_id, ()))[-limit:]
        return [
            Exchange(
                index=index,
                at=at,
                client_id=client,
                api=api,
                method=method,
                path=path,
                status=status,
                duration_ms=round(duration * 1000.0, 3),
                fault_rule=fault[0] if fault else None,
                fault_type=fault[1] if fault else None,
                retry_after=fault[2] if fault else None,
                delay_ms=round(delay * 1000.0, 3),
                outcome=outcome,
            )
            for (
                index,
                at,
                client,
                api,
                method,
                path,
                status,
                duration,
                fault,
                delay,
                outcome,
            ) in rows
        ]

    def counters(self) -> dict[str, dict[str, Any]]:
        """Calls and injected faults per client."""
        return {
            client: {"calls": calls, "faults": dict(self._faults.get(client, Counter()))}
            for client, calls in sorted(self._calls.items())
        }

    def forget(self, client_id: str) -> None:
        """Drop a client's exchanges and counters."""
        self._rings.pop(client_id, None)
        self._calls.pop(client_id, None)
        self._faults.pop(client_id, None)
