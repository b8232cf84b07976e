"""Two instances on one state behave as one sandbox for what the control plane changes.

Issue 14, B.2: "a profile, outage or clock change made through any instance applies to every
instance within 1 s". Two apps share one data directory (one SQLite file; on PostgreSQL under
``FT_TEST_BACKEND=postgresql``, one schema); what one's control plane changes, the other's next
request applies, its control plane at once and its partner routes within a second.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT, request_token
from tests.postgres import Cluster

CONTRAT = "/partenaire/contrat-usager/v2/contrat"
WITHIN = 1.0


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[TestClient, TestClient, dict[str, str]]]:
    settings = Settings(data_dir=tmp_path / "data", admin_token="shared-admin-token")
    first, second = TestClient(create_app(settings)), TestClient(create_app(settings))
    yield first, second, {"Authorization": "Bearer shared-admin-token"}
    first.close()
    second.close()


def _within(check: object, seconds: float = WITHIN) -> float:
    """Seconds until ``check()`` holds; fails past ``seconds``."""
    start = time.monotonic()
    while not check():  # type: ignore[operator]
        if time.monotonic() - start > seconds:
            pytest.fail(f"not within {seconds} s")
        time.sleep(0.05)
    return time.monotonic() - start


def _contrat(client: TestClient) -> int:
    token = request_token(client)
    answer = client.get(CONTRAT, headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS})
    return answer.status_code


def test_a_profile_given_through_one_instance_applies_through_the_other_within_1s(
    pair: tuple[TestClient, TestClient, dict[str, str]],
) -> None:
    first, second, admin = pair
    assert _contrat(second) != 503
    changed = first.put(f"/_sandbox/faults/{DEFAULT_CLIENT[0]}", json={"profile": "outage"})
    assert changed.status_code == 401  # the control plane wants the admin token
    changed = first.put(
        f"/_sandbox/faults/{DEFAULT_CLIENT[0]}", json={"profile": "outage"}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    # The other's control plane reads it at once; its partner routes within a second.
    assert second.get("/_sandbox/faults", headers=admin).json()["clients"] == {
        DEFAULT_CLIENT[0]: "outage"
    }
    _within(lambda: _contrat(second) == 503)
    second.put(f"/_sandbox/faults/{DEFAULT_CLIENT[0]}", json={"profile": None}, headers=admin)
    _within(lambda: _contrat(first) != 503)


def test_an_outage_and_the_clock_moved_through_one_instance_hold_in_the_other(
    pair: tuple[TestClient, TestClient, dict[str, str]],
) -> None:
    first, second, admin = pair
    frozen = first.post("/_sandbox/clock", json={"action": "freeze"}, headers=admin).json()
    first.post("/_sandbox/clock", json={"action": "advance", "seconds": 86400}, headers=admin)
    seen = second.get("/_sandbox/clock", headers=admin).json()
    assert seen["frozen"] is True
    moved = dt.datetime.fromisoformat(seen["now"]) - dt.datetime.fromisoformat(frozen["now"])
    assert moved == dt.timedelta(days=1)

    now = dt.datetime.fromisoformat(seen["now"])
    window = {
        "start": (now - dt.timedelta(minutes=1)).isoformat(),
        "end": (now + dt.timedelta(hours=1)).isoformat(),
    }
    scheduled = second.post("/_sandbox/outages", json=window, headers=admin)
    assert scheduled.status_code == 201, scheduled.text
    _within(lambda: _contrat(first) == 503)
    assert second.delete("/_sandbox/outages", headers=admin).json() == {"removed": 1}
    _within(lambda: _contrat(first) != 503)


def test_settings_changed_before_a_restart_still_hold_after_it(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", admin_token="shared-admin-token")
    admin = {"Authorization": "Bearer shared-admin-token"}
    with TestClient(create_app(settings)) as before:
        before.put(
            f"/_sandbox/faults/{DEFAULT_CLIENT[0]}", json={"profile": "outage"}, headers=admin
        )
    with TestClient(create_app(settings)) as after:
        assert after.get("/_sandbox/faults", headers=admin).json()["clients"] == {
            DEFAULT_CLIENT[0]: "outage"
        }
        assert _contrat(after) == 503


def test_instances_on_one_postgresql_database_sign_and_open_with_the_same_secrets(
    tmp_path: Path, pg_cluster: Cluster
) -> None:
    url = pg_cluster.fresh_url()
    # Two data directories: what they share is the database, not files.
    first = create_app(Settings(data_dir=tmp_path / "a", database_url=url))
    second = create_app(Settings(data_dir=tmp_path / "b", database_url=url))
    one, other = first.state.runtime, second.state.runtime
    assert one.admin_token == other.admin_token
    assert not (tmp_path / "a" / "admin.token").exists()
    with TestClient(first) as a, TestClient(second) as b:
        token = request_token(a)
        answer = b.get(CONTRAT, headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS})
        # Past the gateway (a token signed with another key gets 401): only the jeton lacks.
        assert answer.json()["codeErreur"] == "ERR_JETON_USAGER_ABSENT", answer.text
    for runtime in (one, other):
        runtime.store.close()


COIN = """name: coin
description: One call in two answers 503 (test profile).
rules:
  - id: coin-503
    type: error
    status: 503
    probability: 0.5
    match:
      paths: ["/partenaire/*"]
"""
QUOTA = """name: quota3
description: Three calls a minute per client and per API (test profile).
rules:
  - id: quota-3-per-minute
    type: rate_limit
    requests: 3
    per_seconds: 60
    match:
      paths: ["/partenaire/*"]
"""


def _with_coin(tmp_path: Path, name: str) -> Settings:
    profiles = tmp_path / "profiles"
    profiles.mkdir(exist_ok=True)
    (profiles / "coin.yaml").write_text(COIN, encoding="utf-8")
    (profiles / "quota3.yaml").write_text(QUOTA, encoding="utf-8")
    return Settings(
        data_dir=tmp_path / name, admin_token="shared-admin-token", profiles_dir=profiles
    )


def test_calls_alternating_over_two_instances_get_the_faults_of_one_instance(
    tmp_path: Path,
) -> None:
    admin = {"Authorization": "Bearer shared-admin-token"}
    route = f"/_sandbox/faults/{DEFAULT_CLIENT[0]}"
    with TestClient(create_app(_with_coin(tmp_path, "single"))) as single:
        single.put(route, json={"profile": "coin"}, headers=admin)
        alone = [_contrat(single) for _ in range(16)]
    settings = _with_coin(tmp_path, "pair")
    with TestClient(create_app(settings)) as a, TestClient(create_app(settings)) as b:
        a.put(route, json={"profile": "coin"}, headers=admin)
        b.get("/_sandbox/faults", headers=admin)  # B's control plane reads the change at once
        together = [_contrat(a if n % 2 == 0 else b) for n in range(16)]
    assert 503 in alone and any(status != 503 for status in alone)
    assert together == alone


def test_a_quota_is_one_quota_across_instances(tmp_path: Path) -> None:
    admin = {"Authorization": "Bearer shared-admin-token"}
    settings = _with_coin(tmp_path, "quota")
    with TestClient(create_app(settings)) as a, TestClient(create_app(settings)) as b:
        route = f"/_sandbox/faults/{DEFAULT_CLIENT[0]}"
        a.put(route, json={"profile": "quota3"}, headers=admin)
        b.get("/_sandbox/faults", headers=admin)
        statuses = [_contrat(a if n % 2 == 0 else b) for n in range(5)]
    # Three calls a minute in all: through either instance, the fourth and fifth are refused.
    assert 429 not in statuses[:3] and statuses[3:] == [429, 429]


def test_a_jump_at_a_call_number_counts_the_clients_calls_through_every_instance(
    pair: tuple[TestClient, TestClient, dict[str, str]],
) -> None:
    first, second, admin = pair
    frozen = first.post("/_sandbox/clock", json={"action": "freeze"}, headers=admin).json()
    jump = {"action": "advance", "seconds": 3600, "after_calls": 2, "client_id": DEFAULT_CLIENT[0]}
    assert first.post("/_sandbox/clock", json=jump, headers=admin).status_code == 200
    second.get("/_sandbox/clock", headers=admin)  # B's control plane reads the jump at once
    # One call counted through each instance.
    token = request_token(first)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    second.get(CONTRAT, headers=headers)
    first.get(CONTRAT, headers=headers)
    still = second.get("/_sandbox/clock", headers=admin).json()
    assert still["now"] == frozen["now"] and len(still["scheduled"]) == 1
    second.get(CONTRAT, headers=headers)  # the third call: the jump falls just before it
    moved = second.get("/_sandbox/clock", headers=admin).json()
    step = dt.datetime.fromisoformat(moved["now"]) - dt.datetime.fromisoformat(frozen["now"])
    assert step == dt.timedelta(hours=1) and moved["scheduled"] == []
