"""The exchange journal: every call a client made, masked, with the fault injected if any.

It is what lets a report say "your client got a 503 at call 17 and retried after 0.2 s". Paths
are scrubbed (no NIR, no credential); nothing else personal is kept. One bounded ring per client.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import asdict, dataclass
from typing import Any

from sandbox.privacy import scrub

ANONYMOUS = "(sans jeton d'accès)"


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

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return asdict(self)


class Journal:
    """Per-client bounded rings of exchanges, with counters."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._rings: dict[str, deque[Exchange]] = {}
        self._calls: Counter[str] = Counter()
        self._faults: dict[str, Counter[str]] = {}

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
    ) -> Exchange:
        """Append one exchange; ``fault`` is (rule id, type, retry-after)."""
        client = client_id or ANONYMOUS
        self._calls[client] += 1
        exchange = Exchange(
            index=self._calls[client],
            at=at,
            client_id=client,
            api=api,
            method=method,
            path=scrub(path),
            status=status,
            duration_ms=round(duration * 1000.0, 3),
            fault_rule=fault[0] if fault else None,
            fault_type=fault[1] if fault else None,
            retry_after=fault[2] if fault else None,
        )
        ring = self._rings.get(client)
        if ring is None:
            ring = self._rings[client] = deque(maxlen=self._size)
        ring.append(exchange)
        if fault:
            self._faults.setdefault(client, Counter())[fault[1]] += 1
        return exchange

    def entries(self, client_id: str, limit: int = 100) -> list[Exchange]:
        """The client's most recent exchanges, oldest first."""
        ring = self._rings.get(client_id, deque())
        return list(ring)[-limit:]

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
