"""Three instances on one PostgreSQL database behind HAProxy behave as one sandbox (issue 14, B.2).

Real processes (``python -m sandbox serve``), each with its own data directory and the same
database URL, signing key and admin token, round-robin behind HAProxy running
``deploy/haproxy.cfg``. Writes are checked through one instance and read through the others,
concurrently through the balancer, and across a ``kill -9`` of an instance; the control state
(a client's profile, an outage, the clock) changed through one instance applies through the
others within a second, and a client's quota and fault sequence are the cluster's, not each
instance's (README, "State on PostgreSQL").
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.multi.cluster import (
    INSTANCE_HEADER,
    ROOT,
    SERVERS,
    Instance,
    Sandboxes,
    instance_environment,
    sandboxes,
)
from tests.postgres import Cluster
from tests.servers import free_port

SECRET_KEY = "multi-instance-secret-key"
ADMIN_TOKEN = "multi-instance-admin-token"
AGENT = {"pa-nom-agent": "BATCH", "pa-prenom-agent": "BATCH", "pa-identifiant-agent": "BATCH"}
RECHERCHE = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RECHERCHE_SCOPE = "api_rechercher-usagerv2 rechercheusager profil_accedant"
RDV = "/partenaire/rendez-vous-partenaire/v1"
RDV_CLIENT = ("PAR_ftsandbox_cd62_rdv", "ftsandbox-secret-cd62-rdv")
RDV_SCOPE = f"{RECHERCHE_SCOPE} api_rendez-vous-partenairev1 gererRDV"
CLIENTS = {
    "PAR_ftsandbox_cd62": "ftsandbox-secret-cd62",
    "PAR_ftsandbox_cd62_convention": "ftsandbox-secret-cd62-convention",
    "PAR_ftsandbox_cd62_rsa": "ftsandbox-secret-cd62-rsa",
}
# Personas of fixtures/README.md (NIR, birth date); each test writes for its own person.
CERTIFIEE = ("290036204190175", "1990-03-14")
NON_CERTIFIE = ("185076219390244", "1985-07-02")
CESSE = ("180066217890937", "1980-06-30")
APPOINTMENT: dict[str, Any] = {
    "id": None,
    "date": "2027-06-01T08:30:00.000Z",
    "duree": 30,
    "modaliteContact": "PHYSIQUE",
    "motif": "ORI",
    "theme": "RSA Orientation : Convocation sur site",
    "organisme": {"code": "CD", "idStructure": "62000", "libelleStructure": "CD du Pas-de-Calais"},
    "statut": "PRIS",
    "typeReception": "IND",
    "initiateur": "PARTENAIRE",
    "interlocuteur": {"civilite": "Mme", "nom": "DUPONT", "prenom": "Alexandra"},
}
WITHIN = 1.0
"""Seconds a control-plane change made through one instance may take to reach the others."""


@pytest.fixture(scope="module")
def three(pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandboxes]:
    """Three instances on a fresh schema, HAProxy in front."""
    root = tmp_path_factory.mktemp("multi")
    with sandboxes(root, pg_cluster.fresh_url(), SECRET_KEY, ADMIN_TOKEN) as running:
        yield running


@pytest.fixture
def cluster(three: Sandboxes) -> Sandboxes:
    """The three instances, all running: one killed by an earlier test is started again (the
    kill test comes last, so that this costs nothing in the usual order)."""
    dead = [i for i in three.instances if i.process is None or i.process.poll() is not None]
    for instance in dead:
        instance.start()
    if dead:
        three.wait_in_service()
    return three


@pytest.fixture
def restored(cluster: Sandboxes) -> Iterator[Sandboxes]:
    """The cluster, with every instance's control state put back afterwards (profiles, outages,
    clock), so that a check that changed it through one instance leaves the next test alone."""
    yield cluster
    http = cluster.http
    for instance in cluster.instances:
        for client in [*CLIENTS, RDV_CLIENT[0]]:
            put = http.put(
                f"{instance.url}/_sandbox/faults/{client}",
                json={"profile": None},
                headers=cluster.admin,
            )
            assert put.status_code == 200, put.text
        cleared = http.delete(f"{instance.url}/_sandbox/outages", headers=cluster.admin)
        assert cleared.status_code == 200, cleared.text
        clock = http.post(
            f"{instance.url}/_sandbox/clock", json={"action": "reset"}, headers=cluster.admin
        )
        assert clock.status_code == 200, clock.text


def token(
    http: httpx.Client, base: str, client: str, secret: str, scope: str = RECHERCHE_SCOPE
) -> str:
    """An access token of realm /agent."""
    response = http.post(
        f"{base}/connexion/oauth2/access_token",
        params={"realm": "/agent"},
        data={
            "grant_type": "client_credentials",
            "client_id": client,
            "client_secret": secret,
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.text
    access: str = response.json()["access_token"]
    return access


def search_headers(http: httpx.Client, base: str, client: str) -> dict[str, str]:
    """Headers of a Rechercher usager v2 call of ``client``."""
    return {"Authorization": f"Bearer {token(http, base, client, CLIENTS[client])}", **AGENT}


def search(http: httpx.Client, base: str, headers: dict[str, str]) -> httpx.Response:
    """Rechercher usager v2 for the nominal persona."""
    nir, born = CERTIFIEE
    return http.post(
        f"{base}{RECHERCHE}", json={"nir": nir, "dateNaissance": born}, headers=headers
    )


def rdv_headers(http: httpx.Client, base: str, persona: tuple[str, str]) -> dict[str, str]:
    """The appointment tool's token, the agent headers and the persona's jeton."""
    headers = {"Authorization": f"Bearer {token(http, base, *RDV_CLIENT, RDV_SCOPE)}", **AGENT}
    nir, born = persona
    found = http.post(
        f"{base}{RECHERCHE}", json={"nir": nir, "dateNaissance": born}, headers=headers
    )
    assert found.status_code == 200, found.text
    assert found.json()["codeRetour"] == "S001", found.text
    return {**headers, "ft-jeton-usager": found.json()["jetonUsager"]}


def create(http: httpx.Client, base: str, headers: dict[str, str], n: int) -> httpx.Response:
    """Create the persona's rendez-vous number ``n`` (its ``information`` names it)."""
    body = {**APPOINTMENT, "information": f"rendez-vous {n}"}
    return http.post(f"{base}{RDV}/rendez-vous", json=body, headers=headers)


def listed(http: httpx.Client, base: str, headers: dict[str, str]) -> dict[str, str]:
    """The persona's rendez-vous as one instance lists them: id → information."""
    response = http.get(f"{base}{RDV}/rendez-vous-usager", headers=headers)
    assert response.status_code == 200, response.text
    return {item["idOrigine"]: item["informationUtile"] for item in response.json()}


def eventually(condition: Callable[[], bool], within: float = WITHIN) -> bool:
    """Whether ``condition`` holds at some point within ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


# Writes and health ---------------------------------------------------------------------------


def test_each_instance_reports_its_database_reachable(cluster: Sandboxes) -> None:
    for instance in cluster.instances:
        response = cluster.http.get(f"{instance.url}/_sandbox/health", headers=cluster.admin)
        assert response.status_code == 200, response.text
        health = response.json()
        assert (health["status"], health["database"], health["database_reachable"]) == (
            "ok",
            "postgresql",
            True,
        )


def test_the_compose_health_check_passes_on_a_healthy_instance_only(cluster: Sandboxes) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    kind, program, flag, code = compose["services"]["sandbox-1"]["healthcheck"]["test"]
    assert (kind, program, flag) == ("CMD", "python3", "-c")
    instance = cluster.instances[0]
    code = code.replace("127.0.0.1:8080", f"127.0.0.1:{instance.port}")

    def check(admin_token: str) -> int:
        env = {**os.environ, "FT_SANDBOX_ADMIN_TOKEN": admin_token}
        return subprocess.run([sys.executable, "-c", code], env=env, timeout=30).returncode

    assert check(ADMIN_TOKEN) == 0
    assert check("not-the-token") != 0


def test_the_balancer_spreads_calls_round_robin(cluster: Sandboxes) -> None:
    served = [
        cluster.http.get(f"{cluster.balancer}/_sandbox/health", headers=cluster.admin).headers.get(
            INSTANCE_HEADER
        )
        for _ in range(6)
    ]
    assert sorted(served) == sorted(SERVERS * 2)


def test_a_write_through_one_instance_reads_back_through_the_others(cluster: Sandboxes) -> None:
    a, b, c = cluster.instances
    headers = rdv_headers(cluster.http, a.url, CERTIFIEE)
    response = create(cluster.http, a.url, headers, 1)
    assert response.status_code == 202, response.text
    created = response.json()["id"]
    # A token and a jeton given by A are good on B and C (one signing key), and the write is
    # there at once: no wait, no retry.
    for other in (b, c):
        assert listed(cluster.http, other.url, headers) == {created: "rendez-vous 1"}


def test_concurrent_writes_through_the_balancer_are_all_kept(cluster: Sandboxes) -> None:
    threads, each = 3, 40
    headers = rdv_headers(cluster.http, cluster.balancer, NON_CERTIFIE)
    acknowledged: list[tuple[str, str]] = []
    failures: list[str] = []

    def writer(thread: int) -> None:
        with httpx.Client(timeout=30) as http:
            for k in range(each):
                n = thread * each + k
                response = create(http, cluster.balancer, headers, n)
                if response.status_code == 202:
                    acknowledged.append((response.json()["id"], f"rendez-vous {n}"))
                else:
                    failures.append(f"{response.status_code} {response.text}")

    workers = [threading.Thread(target=writer, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    assert len(acknowledged) == threads * each
    ids = [created for created, _ in acknowledged]
    assert len(set(ids)) == len(ids), "two writes got the same id"
    for instance in cluster.instances:
        assert listed(cluster.http, instance.url, headers) == dict(acknowledged)


# The control state ---------------------------------------------------------------------------


def test_a_profile_set_through_one_instance_applies_through_another(restored: Sandboxes) -> None:
    a, b, _ = restored.instances
    http = restored.http
    client = "PAR_ftsandbox_cd62_convention"
    headers = search_headers(http, a.url, client)
    assert search(http, b.url, headers).status_code == 200, "B answers before the change"
    put = http.put(
        f"{a.url}/_sandbox/faults/{client}", json={"profile": "outage"}, headers=restored.admin
    )
    assert put.status_code == 200, put.text
    assert search(http, a.url, headers).status_code == 503, "the profile applies through A"
    assert eventually(lambda: search(http, b.url, headers).status_code == 503)


def test_a_clock_advance_through_one_instance_is_seen_by_another(restored: Sandboxes) -> None:
    a, b, _ = restored.instances
    http = restored.http
    day = 86_400
    moved = http.post(
        f"{a.url}/_sandbox/clock",
        json={"action": "advance", "seconds": day},
        headers=restored.admin,
    )
    assert moved.status_code == 200, moved.text
    ahead = dt.datetime.fromisoformat(moved.json()["now"])
    assert ahead - dt.datetime.now(dt.UTC) > dt.timedelta(seconds=day - 60), "A moved"

    def b_ahead() -> bool:
        clock = http.get(f"{b.url}/_sandbox/clock", headers=restored.admin).json()
        return dt.datetime.fromisoformat(clock["now"]) >= ahead

    assert eventually(b_ahead)


def test_an_outage_scheduled_through_one_instance_answers_503_through_another(
    restored: Sandboxes,
) -> None:
    a, _, c = restored.instances
    http = restored.http
    client = "PAR_ftsandbox_cd62"
    headers = search_headers(http, c.url, client)
    assert search(http, c.url, headers).status_code == 200, "C answers before the outage"
    now = dt.datetime.now(dt.UTC)
    window = {
        "start": (now - dt.timedelta(minutes=1)).isoformat(),
        "end": (now + dt.timedelta(minutes=10)).isoformat(),
        "client_id": client,
    }
    scheduled = http.post(f"{a.url}/_sandbox/outages", json=window, headers=restored.admin)
    assert scheduled.status_code == 201, scheduled.text
    assert search(http, a.url, headers).status_code == 503, "the outage applies through A"
    assert eventually(lambda: search(http, c.url, headers).status_code == 503)


def test_a_clients_quota_is_one_quota_across_instances(restored: Sandboxes) -> None:
    # tests/multi/profiles: 3 calls per client and per API, refilled 3 per minute.
    quota = 3
    http = restored.http
    for instance in restored.instances:
        # Given through every instance, so that nothing waits for the profile to reach them
        # (the profile's own sharing is the check above): only the quota is checked here.
        for client in ("PAR_ftsandbox_cd62_convention", "PAR_ftsandbox_cd62_rsa"):
            put = http.put(
                f"{instance.url}/_sandbox/faults/{client}",
                json={"profile": "quota-3-par-minute"},
                headers=restored.admin,
            )
            assert put.status_code == 200, put.text
    a = restored.instances[0]
    # One instance: N + 1 calls at once get a 429 (so the profile does what is checked).
    alone = search_headers(http, a.url, "PAR_ftsandbox_cd62_convention")
    statuses = [search(http, a.url, alone).status_code for _ in range(quota + 1)]
    assert statuses == [200] * quota + [429], statuses
    # Spread over the instances, the client's N + 1 calls are still one quota.
    spread = search_headers(http, a.url, "PAR_ftsandbox_cd62_rsa")
    ring = restored.instances * 2
    statuses = [search(http, ring[n].url, spread).status_code for n in range(quota + 1)]
    assert statuses == [200] * quota + [429]


def test_a_clients_fault_sequence_is_the_one_of_a_single_instance(
    restored: Sandboxes, pg_cluster: Cluster, tmp_path: Path
) -> None:
    client = "PAR_ftsandbox_cd62_rsa"
    calls = 18
    env = instance_environment(tmp_path, "single", pg_cluster.fresh_url(), SECRET_KEY, ADMIN_TOKEN)
    single = Instance("single", free_port(), tmp_path / "single.log", env)
    single.start()
    try:
        expected = _fault_sequence(restored, [single], client, calls)
    finally:
        single.stop()
    assert len(set(expected)) > 1, expected  # the profile does inject faults
    # Calls alternate over the three instances; the profile is given and the client's stream
    # restarted from the seed through each of them, so that only the stream is checked here.
    assert _fault_sequence(restored, restored.instances, client, calls) == expected


def _fault_sequence(
    cluster: Sandboxes, instances: list[Instance], client: str, calls: int
) -> list[str]:
    """What ``client``'s calls get under recette-transitoires, call n going to instance n % k."""
    http = cluster.http
    for instance in instances:
        reset = http.post(
            f"{instance.url}/_sandbox/reset", json={"client_id": client}, headers=cluster.admin
        )
        assert reset.status_code == 200, reset.text
        put = http.put(
            f"{instance.url}/_sandbox/faults/{client}",
            json={"profile": "recette-transitoires"},
            headers=cluster.admin,
        )
        assert put.status_code == 200, put.text
    headers = search_headers(http, instances[0].url, client)
    outcomes = []
    for n in range(calls):
        try:
            response = search(http, instances[n % len(instances)].url, headers)
        except httpx.TransportError:
            outcomes.append("closed")
            continue
        outcomes.append(f"{response.status_code} {response.headers.get('X-Sandbox-Fault', '')}")
    return outcomes


# Last: it kills an instance (the cluster fixture starts it again for any later test) ----------


def test_an_instance_killed_during_writes_loses_no_acknowledged_write(
    cluster: Sandboxes,
) -> None:
    victim = cluster.instances[1]
    survivors = [i for i in cluster.instances if i is not victim]
    headers = rdv_headers(cluster.http, cluster.balancer, CESSE)
    acknowledged: dict[str, str] = {}
    served: list[str] = []  # which instance acknowledged each write, in order
    failed: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        n = 0
        with httpx.Client(timeout=10) as http:
            while not stop.is_set() and n < 190:
                n += 1
                try:
                    response = create(http, cluster.balancer, headers, n)
                except httpx.TransportError as exc:
                    failed.append(repr(exc))
                    continue
                if response.status_code == 202:
                    acknowledged[response.json()["id"]] = f"rendez-vous {n}"
                    served.append(response.headers[INSTANCE_HEADER])
                else:
                    failed.append(f"{response.status_code} {response.text[:80]}")

    writing = threading.Thread(target=writer)
    writing.start()
    try:
        assert eventually(lambda: len(acknowledged) >= 15, within=30)
        downs = cluster.times_taken_out(victim.name)
        victim.kill()
        before = len(served)
        # The balancer keeps serving: writes go on being acknowledged after the kill, and after
        # its checks have taken the victim out (2 failed checks, 500 ms apart).
        assert eventually(lambda: len(served) >= before + 30, within=30), failed
        assert eventually(lambda: cluster.times_taken_out(victim.name) > downs, within=10)
        after = len(served)
        assert eventually(lambda: len(served) >= after + 10, within=30), failed
    finally:
        stop.set()
        writing.join()
    # Some calls may fail around the kill (the one the victim was serving), but every
    # acknowledged write is there, through every survivor.
    assert victim.name in served[:before], "the victim was serving writes before the kill"
    assert victim.name not in served[before + 1 :], "after the kill, only the survivors answer"
    assert len(failed) <= 10, failed
    for survivor in survivors:
        assert listed(cluster.http, survivor.url, headers) == acknowledged
