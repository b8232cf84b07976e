"""The convention's service levels, measured through the HTTP app on the virtual clock.

10 000 calls spread over a simulated month under ``convention-sla``, driven straight through the
ASGI app (no socket, no real sleeping): the virtual time each call took, and whether it was served.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sandbox import Settings, create_app
from sandbox.auth.scopes import Realm, scopes_of_realm
from sandbox.clock import FrozenClock
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS

CONTRAT = "/partenaire/contrat-usager/v2/contrat"


def sent_to(messages: list[dict[str, Any]]) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """An ASGI ``send`` that keeps the messages."""

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    return send


def test_convention_sla_through_the_app_over_a_simulated_month(tmp_path: Path) -> None:
    clock = FrozenClock(dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    app = create_app(Settings(data_dir=tmp_path, secret_key="k", profile="convention-sla"), clock)
    runtime: Runtime = app.state.runtime
    client = "PAR_ftsandbox_cd62"
    scopes = sorted(scopes_of_realm(Realm.AGENT))
    headers = [(k.encode(), v.encode()) for k, v in AGENT_HEADERS.items()]
    calls, spacing = 10_000, 31 * 86400 / 10_000  # March, a whole budget period
    durations: list[float] = []
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def drive() -> None:
        for _ in range(calls):
            now = clock.timestamp()
            token = runtime.tokens.issue(client, Realm.AGENT, scopes, now)
            jeton = runtime.references.issue_jeton("p-s001-certifiee", client, int(now * 1000))
            scope = {
                "type": "http",
                "method": "GET",
                "path": CONTRAT,
                "raw_path": CONTRAT.encode(),
                "query_string": b"",
                "http_version": "1.1",
                "scheme": "http",
                "root_path": "",
                "server": ("sandbox", 80),
                "client": ("127.0.0.1", 1),
                "headers": [
                    (b"authorization", f"Bearer {token}".encode()),
                    (b"ft-jeton-usager", jeton.encode()),
                    *headers,
                ],
            }
            sent: list[dict[str, Any]] = []
            await app(scope, receive, sent_to(sent))  # type: ignore[arg-type]
            durations.append(clock.timestamp() - now)
            statuses.append(sent[0]["status"])
            clock.set(dt.datetime.fromtimestamp(now + spacing, dt.UTC))

    asyncio.run(drive())
    durations.sort()
    served = sum(status == 200 for status in statuses)
    assert set(statuses) == {200, 503}
    assert sum(d < 1.0 for d in durations) / calls >= 0.89
    assert durations[int(calls * 0.998)] <= 6.0
    assert 6.0 <= durations[-1] <= 9.0
    assert 0.975 <= served / calls <= 0.985
    assert runtime.journal.counters()[client]["faults"]["outage"] == calls - served
