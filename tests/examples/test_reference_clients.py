"""The reference client behaves as the platform's rules want, and each broken twin breaks its one.

A real sandbox runs on a free port (``tests.servers``); the client runs as a subprocess with the
conformance runner's environment (``examples/clients/README.md``) and its traffic is read back
from the control plane's journal. Expected values come from the shared design of issue 12 (the
good client's behaviour, the rule each twin breaks), the persona files (``attendu``), the scope
catalogue and the published paths — never from the client's code.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml

from conformance.client.rules import RULE_IDS
from tests.servers import free_port, running

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "examples" / "clients" / "reference.py"
CLIENT = ("PAR_ftsandbox_cd62_convention", "ftsandbox-secret-cd62-convention")
TOKEN_PATH = "/connexion/oauth2/access_token"
RECHERCHE = {
    "v2": "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
    "v1": "/partenaire/rechercher-usager/v1/usagers/recherche",
}
STATUT = {
    "v2": "/partenaire/contrat-usager/v2/contrat",
    "v1": "/partenaire/statut-usager/v1/statut",
}
METIERS = {
    "v2": "/partenaire/metiers-projets-entreprises/v2/metiers-recherches",
    "v1": "/partenaire/metiers-profil-competences/v1/metiers-recherches",
}
# The catalogue entries of the three APIs each generation calls (sandbox/data/scope-catalogue.yaml).
CATALOGUE_IDS = {
    "v2": ("rechercher-usager-v2", "statut-usager-v2", "metiers-projets-entreprises-v2"),
    "v1": ("rechercher-usager-v1", "statut-usager-v1", "metiers-recherches-v1"),
}
REALM = {"v2": "/agent", "v1": "/partenaire"}
AGENT = {
    "FT_AGENT_NOM": "BATCH-REFERENCE",
    "FT_AGENT_PRENOM": "lot-test",
    "FT_AGENT_IDENTIFIANT": "BATCH",
}
OK_HEADERS = dict.fromkeys(("pa-nom-agent", "pa-prenom-agent", "pa-identifiant-agent"), "ok")
# Category 2 (Statut 200), S002, R001 (not a RSA beneficiary), Statut 204, the nominal case.
BATCH = (
    "categorie-2-pro",
    "s002-radie-plus-de-3-ans",
    "r001-hors-perimetre",
    "statut-aucune-donnee",
    "s001-certifiee",
)
# Five refused people (S002, R001, R002, S003, R998), then one found: six Recherche calls in a
# row, faster than 3 a second.
QUICK_SEARCHES = (
    "s002-radie-plus-de-3-ans",
    "r001-hors-perimetre",
    "r002-autre-departement",
    "s003-homonyme-a",
    "r998-sans-adresse",
    "categorie-2-pro",
)
SLOW_STATUT = {
    "name": "statut-lent",
    "description": "Statut usager v2 answers after 3 s",
    "rules": [
        {
            "id": "statut-3s",
            "type": "latency",
            "distribution": "fixed",
            "seconds": 3.0,
            "match": {"paths": ["/partenaire/contrat-usager/v2/*"]},
        }
    ],
}


def _persona(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (ROOT / "fixtures" / "personas" / f"{name}.yaml").read_text()
    )
    return data


def _catalogue_scopes(generation: str) -> list[str]:
    entries = yaml.safe_load((ROOT / "sandbox" / "data" / "scope-catalogue.yaml").read_text())
    by_id = {entry["id"]: entry for entry in entries["apis"]}
    scopes: list[str] = []
    for api in CATALOGUE_IDS[generation]:
        scopes += [s for s in by_id[api]["scopes"] if s not in scopes]
    return scopes


@dataclass(frozen=True)
class Sandbox:
    base: str
    admin_token: str

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(
            method,
            f"{self.base}/_sandbox{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def journal(self, since: int) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.admin(
            "GET", f"/journal/{CLIENT[0]}?since={since}&limit=10000"
        )
        return entries

    def last_index(self) -> int:
        entries = self.admin("GET", f"/journal/{CLIENT[0]}?limit=1")
        return int(entries[-1]["index"]) if entries else 0

    def profile(self, name: str | None) -> None:
        self.admin("PUT", f"/faults/{CLIENT[0]}", {"profile": name})


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    root = tmp_path_factory.mktemp("reference-clients")
    (root / "profiles").mkdir()
    (root / "profiles" / "statut-lent.yaml").write_text(yaml.safe_dump(SLOW_STATUT), "utf-8")
    admin_token = secrets.token_hex(32)
    (root / "data").mkdir()
    (root / "data" / "admin.token").write_text(admin_token, "ascii")
    port = free_port()
    env = {"FT_SANDBOX_DATA_DIR": str(root / "data"), "FT_SANDBOX_SECRET_KEY": "clients-test-key"}
    args = ["-m", "sandbox", "serve", "--port", str(port), "--profiles-dir", str(root / "profiles")]
    with running(args, root / "serve.log", env, port) as base:
        yield Sandbox(base, admin_token)


@dataclass
class Run:
    process: subprocess.CompletedProcess[str]
    entries: list[dict[str, Any]]

    def calls(self, route: str) -> list[dict[str, Any]]:
        return [e for e in self.entries if e["route"] == route]

    @property
    def api_calls(self) -> list[dict[str, Any]]:
        return [e for e in self.entries if e["route"] != TOKEN_PATH]

    @property
    def summary(self) -> str:
        return self.process.stdout.strip().splitlines()[-1]


@pytest.fixture
def workdir(tmp_path: Path, sandbox: Sandbox) -> Iterator[Path]:
    """A directory for the personas file and the client's TMPDIR; the profile set back after."""
    yield tmp_path
    sandbox.profile(None)


def _environment(
    sandbox: Sandbox, workdir: Path, personas: tuple[str, ...], generation: str
) -> dict[str, str]:
    people = [
        {
            "nir": p["nir"],
            "dateNaissance": str(p["dateNaissance"]),
            "nom": p["nom"],
            "prenom": p["prenom"],
        }
        for p in map(_persona, personas)
    ]
    (workdir / "personas.json").write_text(json.dumps(people), "utf-8")
    return {
        **os.environ,
        "FT_BASE_URL": sandbox.base,
        "FT_TOKEN_URL": f"{sandbox.base}{TOKEN_PATH}",
        "FT_CLIENT_ID": CLIENT[0],
        "FT_CLIENT_SECRET": CLIENT[1],
        "FT_PERSONAS": str(workdir / "personas.json"),
        "FT_API_GENERATION": generation,
        "FT_SCENARIO": "test",
        "TMPDIR": str(workdir),
        **AGENT,
    }


def _command(defect: str | None) -> list[str]:
    return [sys.executable, str(REFERENCE), *(["--defect", defect] if defect else [])]


def run_client(
    sandbox: Sandbox,
    workdir: Path,
    personas: tuple[str, ...] = BATCH,
    *,
    defect: str | None = None,
    generation: str = "v2",
) -> Run:
    since = sandbox.last_index()
    process = subprocess.run(
        _command(defect),
        env=_environment(sandbox, workdir, personas, generation),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Run(process, sandbox.journal(since))


def _handed_out(run: Run, generation: str = "v2") -> list[str]:
    """The references Recherche answers handed out, as the journal names them."""
    field = "jetonUsager" if generation == "v2" else "identifiant"
    found = [
        e["response"].get(field)
        for e in run.calls(RECHERCHE[generation])
        if isinstance(e["response"], dict)
    ]
    return [value for value in found if value]


def _person_of(entry: dict[str, Any]) -> str:
    """The keyed hash naming the person of a Recherche request (``<nir 1234567******** HASH>``)."""
    value: str = entry["request"]["nir"]
    return value.removesuffix(">").rsplit(" ", 1)[1]


# -- the good client --------------------------------------------------------------------------


@pytest.mark.parametrize("generation", ["v2", "v1"])
def test_the_good_client_processes_its_batch_as_the_rules_want(
    sandbox: Sandbox, workdir: Path, generation: str
) -> None:
    run = run_client(sandbox, workdir, generation=generation)
    assert run.process.returncode == 0, run.process.stderr
    expected = [_persona(name)["attendu"]["rechercheUsager"] for name in BATCH]
    found = expected.count("S001")
    assert run.summary.startswith(f"people=5 found={found} refused={5 - found} failed=0 ")
    # One token, on the generation's realm, with exactly the scopes of the three APIs it calls.
    (grant,) = run.calls(TOKEN_PATH)
    assert grant["token_request"]["realm"] == REALM[generation]
    assert sorted(grant["token_request"]["scopes"]) == sorted(_catalogue_scopes(generation))
    assert {e["token"] for e in run.api_calls} == {grant["token_request"]["issued_token"]}
    assert all(e["status"] in (200, 204, 403) for e in run.api_calls)
    # One Recherche per person, none repeated after its functional answer (S002, R001).
    searches = run.calls(RECHERCHE[generation])
    assert len(searches) == len({_person_of(e) for e in searches}) == 5
    codes = [e["response"]["codeRetour"] for e in searches]
    assert codes == expected
    # Statut and Métiers only for the people found, each after their own Recherche.
    handed = _handed_out(run, generation)
    statuts, metiers = run.calls(STATUT[generation]), run.calls(METIERS[generation])
    assert len(handed) == len(statuts) == len(metiers) == found
    if generation == "v2":
        assert (
            [e["jeton"] for e in statuts]
            == [e["jeton"] for e in metiers]
            == [value.removeprefix("<jeton ").removesuffix(">") for value in handed]
        )
        assert all(e["agent_headers"] == OK_HEADERS for e in run.api_calls)
    else:
        assert [e["request"]["idNat"] for e in statuts] == handed
    for search, statut, metier in zip(
        [e for e in searches if e["response"]["codeRetour"] == "S001"],
        statuts,
        metiers,
        strict=True,
    ):
        assert search["index"] < statut["index"] < metier["index"]
    # 204 is "no data": the next call is Métiers, not Statut again.
    no_data = [e for e in statuts if e["status"] == 204]
    assert len(no_data) == [_persona(n)["attendu"].get("statutUsager") for n in BATCH].count("204")
    for entry in no_data:
        follower = next(e for e in run.entries if e["index"] > entry["index"])
        assert follower["route"] == METIERS[generation]
    assert all(not e["nir_in_url"] and not e["secret_in_url"] for e in run.entries)


def test_the_good_client_logs_one_line_per_call_without_any_nir_jeton_or_token(
    sandbox: Sandbox, workdir: Path
) -> None:
    run = run_client(sandbox, workdir)
    lines = run.process.stderr.strip().splitlines()
    assert len(lines) == len(run.entries)
    assert lines[0] == f"POST {TOKEN_PATH} 200"
    assert lines[1] == f"POST {RECHERCHE['v2']} 200"
    for name in BATCH:
        assert _persona(name)["nir"] not in run.process.stderr + run.process.stdout
    assert "Bearer" not in run.process.stderr and "eyJ" not in run.process.stderr


def test_under_rate_limiting_the_good_client_waits_retry_after(
    sandbox: Sandbox, workdir: Path
) -> None:
    sandbox.profile("rate-limited")
    batch = QUICK_SEARCHES
    run = run_client(sandbox, workdir, batch)
    assert run.process.returncode == 0, run.process.stderr
    assert run.summary.startswith("people=6 found=1 refused=5 failed=0 ")
    limited = [e for e in run.entries if e["status"] == 429]
    assert limited, "the quota of 3 calls per second was never reached"
    for entry in limited:
        assert entry["retry_after"] >= 1
        follower = next(
            e for e in run.entries if e["index"] > entry["index"] and e["api"] == entry["api"]
        )
        assert follower["arrived_at"] - entry["ended_at"] >= entry["retry_after"] - 0.01


def test_the_good_client_waits_for_a_slow_answer_within_its_10_s(
    sandbox: Sandbox, workdir: Path
) -> None:
    sandbox.profile("statut-lent")
    # Frozen, the injected 3 s advance the virtual clock instead of being slept.
    sandbox.admin("POST", "/clock", {"action": "freeze"})
    try:
        run = run_client(sandbox, workdir, ("categorie-2-pro",))
    finally:
        sandbox.admin("POST", "/clock", {"action": "reset"})
    assert run.process.returncode == 0, run.process.stderr
    (statut,) = run.calls(STATUT["v2"])
    assert statut["status"] == 200 and statut["outcome"] == "answered"
    assert statut["delay_ms"] == statut["duration_ms"] == 3000


def test_a_jeton_refused_as_expired_is_replaced_by_one_new_recherche(
    sandbox: Sandbox, workdir: Path
) -> None:
    """The no-recherche twin's cache brings back day-old jetons: the shared path renews them."""
    first = run_client(sandbox, workdir, ("categorie-2-pro",), defect="no-recherche")
    assert first.process.returncode == 0, first.process.stderr
    sandbox.admin("POST", "/clock", {"action": "advance", "seconds": 2 * 24 * 3600})
    try:
        run = run_client(sandbox, workdir, ("categorie-2-pro",), defect="no-recherche")
    finally:
        sandbox.admin("POST", "/clock", {"action": "reset"})
    assert run.process.returncode == 0, run.process.stderr
    routes = [(e["route"], e["status"]) for e in run.api_calls]
    assert routes == [
        (STATUT["v2"], 401),
        (RECHERCHE["v2"], 200),
        (STATUT["v2"], 200),
        (METIERS["v2"], 200),
    ]
    assert run.api_calls[0]["response"]["codeErreur"] == "ERR_JETON_USAGER_EXPIRE"
    assert run.api_calls[2]["jeton"] == run.api_calls[3]["jeton"] != run.api_calls[0]["jeton"]


def test_refused_credentials_abandon_the_batch_with_exit_3(sandbox: Sandbox, workdir: Path) -> None:
    since = sandbox.last_index()
    env = {**_environment(sandbox, workdir, BATCH, "v2"), "FT_CLIENT_SECRET": "pas-le-bon"}
    process = subprocess.run(
        _command(None), env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert process.returncode == 3
    assert "invalid_client" in process.stderr and "pas-le-bon" not in process.stderr
    entries = sandbox.journal(since)
    assert [(e["route"], e["status"]) for e in entries] == [(TOKEN_PATH, 400)]


def test_a_missing_variable_abandons_before_any_call() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FT_")}
    process = subprocess.run(
        _command(None), env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert process.returncode == 3
    assert "FT_BASE_URL" in process.stderr


def _load_reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ft_reference_client", REFERENCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_token_refused_as_expired_is_replaced_once_and_the_call_made_again(
    sandbox: Sandbox, workdir: Path
) -> None:
    """In process: after the first person, the sandbox's clock jumps past the token's 1499 s."""
    reference = _load_reference()
    env = _environment(sandbox, workdir, ("categorie-2-pro", "s001-certifiee"), "v2")
    jumped: list[bool] = []

    def jump_after_first_person(response: httpx.Response) -> None:
        if response.request.url.path == METIERS["v2"] and not jumped:
            jumped.append(True)
            sandbox.admin("POST", "/clock", {"action": "advance", "seconds": 1600})

    since = sandbox.last_index()
    try:
        with httpx.Client(timeout=10, event_hooks={"response": [jump_after_first_person]}) as http:
            client = reference.ReferenceClient(reference.Config.from_env(env), http)
            assert client.run() == 0
    finally:
        sandbox.admin("POST", "/clock", {"action": "reset"})
    entries = sandbox.journal(since)
    assert [e["route"] for e in entries] == [
        TOKEN_PATH,
        RECHERCHE["v2"],
        STATUT["v2"],
        METIERS["v2"],
        RECHERCHE["v2"],  # 401: the token expired
        TOKEN_PATH,
        RECHERCHE["v2"],  # the same call, once, with the new token
        STATUT["v2"],
        METIERS["v2"],
    ]
    statuses = [e["status"] for e in entries]
    assert statuses[:-1] == [200, 200, 200, 200, 401, 200, 200, 200]
    assert statuses[-1] in (200, 204)  # the second person's Métiers: data or none
    refused, renewal, again = entries[4:7]
    assert refused["token"] == entries[0]["token_request"]["issued_token"]
    assert again["token"] == renewal["token_request"]["issued_token"] != refused["token"]
    assert again["request"] == refused["request"]


def test_during_an_outage_the_good_client_backs_off_then_probes_and_gives_up_after_60_s(
    sandbox: Sandbox, workdir: Path
) -> None:
    """In process, on a fake clock: the waits are recorded, not slept."""
    reference = _load_reference()
    sandbox.profile("outage")
    env = _environment(sandbox, workdir, BATCH, "v2")
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    since = sandbox.last_index()
    with httpx.Client(timeout=10) as http:
        client = reference.ReferenceClient(
            reference.Config.from_env(env), http, sleep=sleep, clock=lambda: now[0]
        )
        assert client.run() == 3
    entries = sandbox.journal(since)
    searches = [e for e in entries if e["route"] == RECHERCHE["v2"]]
    assert all(e["status"] == 503 and e["fault_type"] == "outage" for e in searches)
    # Two people with a call and 3 retries each (0.5 s, 1 s, 2 s), then one probe every 5 s.
    assert waits[:6] == [0.5, 1.0, 2.0, 0.5, 1.0, 2.0]
    assert set(waits[6:]) == {5.0}
    probes = searches[8:]
    assert len(probes) == len(waits) - 7  # the last wait ends on the give-up, without a call
    assert len(probes) == 10 and now[0] >= 60
    # The probes are about the third person: the batch stops there, the others never tried.
    assert client.tally.people == 3


# -- the broken twins -------------------------------------------------------------------------


def test_token_per_call_asks_as_many_tokens_as_calls(sandbox: Sandbox, workdir: Path) -> None:
    run = run_client(sandbox, workdir, defect="token-per-call")
    assert run.process.returncode == 0, run.process.stderr
    grants = run.calls(TOKEN_PATH)
    assert len(grants) == len(run.api_calls) > 1
    for entry in run.api_calls:
        previous = next(e for e in reversed(run.entries) if e["index"] < entry["index"])
        assert previous["route"] == TOKEN_PATH
        assert entry["token"] == previous["token_request"]["issued_token"]


def test_retries_functional_repeats_an_s002_three_times(sandbox: Sandbox, workdir: Path) -> None:
    run = run_client(
        sandbox,
        workdir,
        ("s002-radie-plus-de-3-ans", "categorie-2-pro"),
        defect="retries-functional",
    )
    assert run.process.returncode == 0, run.process.stderr
    searches = run.calls(RECHERCHE["v2"])
    refused = [e for e in searches if e["response"]["codeRetour"] == "S002"]
    assert len(refused) == 4  # the call and 3 retries of the same request
    assert len({_person_of(e) for e in refused}) == 1
    assert all(e["fault_type"] is None for e in refused)


def test_ignores_retry_after_comes_back_before_the_quota_allows(
    sandbox: Sandbox, workdir: Path
) -> None:
    sandbox.profile("rate-limited")
    batch = QUICK_SEARCHES
    run = run_client(sandbox, workdir, batch, defect="ignores-retry-after")
    assert run.process.returncode == 0, run.process.stderr
    early = []
    for entry in (e for e in run.entries if e["status"] == 429):
        follower = next(
            e for e in run.entries if e["index"] > entry["index"] and e["api"] == entry["api"]
        )
        if follower["arrived_at"] - entry["ended_at"] < entry["retry_after"]:
            early.append(follower)
    assert early


def test_short_timeout_gives_up_a_slow_answer_after_2_s(sandbox: Sandbox, workdir: Path) -> None:
    sandbox.profile("statut-lent")
    since = sandbox.last_index()
    # Its retries would take 11 s: stop it once the journal shows the first abandoned call.
    with subprocess.Popen(
        _command("short-timeout"),
        env=_environment(sandbox, workdir, ("categorie-2-pro",), "v2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:
        try:
            deadline = time.monotonic() + 20
            while not (
                left := [e for e in sandbox.journal(since) if e["outcome"] == "client_disconnected"]
            ):
                assert time.monotonic() < deadline, "the client never gave up"
                time.sleep(0.2)
        finally:
            process.terminate()
    entry = left[0]
    assert entry["route"] == STATUT["v2"] and entry["status"] is None
    assert 1500 <= entry["duration_ms"] < 6000


def test_storms_outage_retries_at_once_thirty_times(sandbox: Sandbox, workdir: Path) -> None:
    sandbox.profile("outage")
    batch = ("categorie-2-pro", "s001-certifiee", "statut-identifie")
    run = run_client(sandbox, workdir, batch, defect="storms-outage")
    assert run.process.returncode == 0, run.process.stderr
    searches = run.calls(RECHERCHE["v2"])
    assert len(searches) == 3 * 31
    assert all(e["status"] == 503 and e["fault_type"] == "outage" for e in searches)
    # (An outage answers before the body is read: the journal has no request shape to compare,
    # the order of the calls tells the people apart.) No wait, not even the good one's 0.5 s.
    gaps = [b["arrived_at"] - a["ended_at"] for a, b in zip(searches, searches[1:], strict=False)]
    assert max(gaps) < 0.5
    # No circuit breaker: after two people without an answer, the third follows at once.
    assert run.summary.startswith("people=3 found=0 refused=0 failed=3 ")


@pytest.mark.parametrize("generation", ["v2", "v1"])
def test_nir_in_query_puts_the_nir_in_the_url(
    sandbox: Sandbox, workdir: Path, generation: str
) -> None:
    run = run_client(
        sandbox, workdir, ("categorie-2-pro",), defect="nir-in-query", generation=generation
    )
    assert run.process.returncode == 0, run.process.stderr
    (search,) = run.calls(RECHERCHE[generation])
    assert search["nir_in_url"] is True and search["query"] == ["nir"]
    assert _persona("categorie-2-pro")["nir"] not in run.process.stderr


@pytest.mark.parametrize("generation", ["v2", "v1"])
def test_forged_jeton_sends_a_reference_no_recherche_handed_out(
    sandbox: Sandbox, workdir: Path, generation: str
) -> None:
    batch = ("categorie-2-pro", "s001-certifiee", "statut-identifie")
    run = run_client(sandbox, workdir, batch, defect="forged-jeton", generation=generation)
    assert run.process.returncode == 0, run.process.stderr
    statuts = run.calls(STATUT[generation])
    if generation == "v2":
        handed = {value.removeprefix("<jeton ").removesuffix(">") for value in _handed_out(run)}
        sent = [e["jeton"] for e in statuts]
    else:
        handed = set(_handed_out(run, "v1"))
        sent = [e["request"]["idNat"] for e in statuts]
    forged = [e for e, value in zip(statuts, sent, strict=True) if value not in handed]
    # The second person's own reference is refused; searched again, they are read with the
    # reference of that answer. The first and third people are read with Recherche's.
    assert len(forged) == 1 and len(statuts) == 4
    assert forged[0] is statuts[1] and forged[0]["status"] == 401
    code = "ERR_JETON_USAGER_INVALIDE" if generation == "v2" else "ERR_IDENTIFIANT_INVALIDE"
    assert forged[0]["response"]["codeErreur"] == code
    assert [e["status"] for e in statuts if e not in forged] == [200, 200, 200]
    assert len(run.calls(RECHERCHE[generation])) == 4


@pytest.mark.parametrize("generation", ["v2", "v1"])
def test_no_recherche_calls_statut_with_a_reference_kept_from_an_earlier_run(
    sandbox: Sandbox, workdir: Path, generation: str
) -> None:
    first = run_client(sandbox, workdir, defect="no-recherche", generation=generation)
    assert first.process.returncode == 0, first.process.stderr
    assert list(workdir.glob(f"ft-reference-{CLIENT[0]}.json"))
    second = run_client(sandbox, workdir, defect="no-recherche", generation=generation)
    assert second.process.returncode == 0, second.process.stderr
    # The found people are not searched again: their reference comes from the first run.
    statuts = second.calls(STATUT[generation])
    if generation == "v2":
        kept = {value.removeprefix("<jeton ").removesuffix(">") for value in _handed_out(first)}
        sent = {e["jeton"] for e in statuts}
    else:
        kept, sent = set(_handed_out(first, "v1")), {e["request"]["idNat"] for e in statuts}
    assert len(statuts) == 3 and sent <= kept
    assert not _handed_out(second, generation)
    first_search = min(e["index"] for e in second.calls(RECHERCHE[generation]))
    assert second.api_calls[0]["route"] == STATUT[generation]
    assert second.api_calls[0]["index"] < first_search
    # The cache holds references, never a NIR.
    text = (workdir / f"ft-reference-{CLIENT[0]}.json").read_text()
    assert all(_persona(name)["nir"] not in text for name in BATCH)


@pytest.mark.parametrize("generation", ["v2", "v1"])
def test_unused_scopes_asks_for_diagnostic_scopes_it_never_calls(
    sandbox: Sandbox, workdir: Path, generation: str
) -> None:
    run = run_client(
        sandbox, workdir, ("categorie-2-pro",), defect="unused-scopes", generation=generation
    )
    assert run.process.returncode == 0, run.process.stderr
    (grant,) = run.calls(TOKEN_PATH)
    extra = set(grant["token_request"]["scopes"]) - set(_catalogue_scopes(generation))
    diagnostic = "diagnostic-individu-v4" if generation == "v2" else "diagnostic-individu-v1"
    entries = yaml.safe_load((ROOT / "sandbox" / "data" / "scope-catalogue.yaml").read_text())
    (entry,) = [e for e in entries["apis"] if e["id"] == diagnostic]
    assert extra == set(entry["scopes"]) - set(_catalogue_scopes(generation))
    assert extra and not [e for e in run.entries if e["api"] == diagnostic]


def test_no_agent_headers_omits_pa_identifiant_agent(sandbox: Sandbox, workdir: Path) -> None:
    run = run_client(
        sandbox, workdir, ("categorie-2-pro", "s001-certifiee"), defect="no-agent-headers"
    )
    assert run.process.returncode == 0, run.process.stderr
    assert run.api_calls
    for entry in run.api_calls:
        assert entry["agent_headers"]["pa-identifiant-agent"] == "absent"
        assert entry["agent_headers"]["pa-nom-agent"] == "ok"
        assert entry["status"] == 302  # the gateway sends a header-less call to the login page


def test_retries_no_content_calls_again_at_once_after_a_204(
    sandbox: Sandbox, workdir: Path
) -> None:
    run = run_client(sandbox, workdir, ("statut-aucune-donnee",), defect="retries-no-content")
    assert run.process.returncode == 0, run.process.stderr
    statuts = run.calls(STATUT["v2"])
    assert [e["status"] for e in statuts] == [204, 204]
    assert statuts[0]["jeton"] == statuts[1]["jeton"]
    assert statuts[1]["index"] == statuts[0]["index"] + 1
    assert statuts[1]["arrived_at"] - statuts[0]["ended_at"] < 5


def test_the_readme_documents_every_twin_with_the_rules_it_breaks() -> None:
    reference = _load_reference()
    readme = (REFERENCE.parent / "README.md").read_text("utf-8")
    table = readme[readme.index("## The broken twins") :]
    rows = {
        match[1]: set(re.findall(r"`([a-z0-9-]+)`", match[2]))
        for match in re.finditer(r"^\| `([a-z][a-z-]+)` \|.*\| ([^|]+) \|$", table, re.MULTILINE)
    }
    assert rows == {name: set(d.breaks) for name, d in reference.DEFECTS.items()}
    assert set().union(*rows.values()) <= set(RULE_IDS)
    assert len(rows) >= 8
