"""What the load generator sends: one row per scenario, with the requests it cycles through.

Requests vary the person (NIRs of personas and generated people answering S001, from
``ft-sandbox population sample --json``) and carry real tokens and jetons obtained from the
sandbox under test, so every request goes through the whole gateway and domain path. To add a
scenario, add a row to ``SCENARIOS``: a builder from the ``Fixtures`` to a list of requests.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

CLIENT_ID = "PAR_ftsandbox_cd62"
CLIENT_SECRET = "ftsandbox-secret-cd62"
AGENT = {"pa-nom-agent": "BENCH", "pa-prenom-agent": "BENCH", "pa-identifiant-agent": "BATCH"}
JSON = {"Content-Type": "application/json"}
TOKEN_PATH = "/connexion/oauth2/access_token"
RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RECHERCHE_V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
STATUT_V2 = "/partenaire/contrat-usager/v2/contrat"
METIERS_V2 = "/partenaire/metiers-projets-entreprises/v2/metiers-recherches"
DIAGNOSTIC_V4 = "/partenaire/diagnosticargumente/v4/dossiers"

SCOPES_RECHERCHE_V2 = "api_rechercher-usagerv2 rechercheusager profil_accedant"
SCOPES_AGENT = (
    f"{SCOPES_RECHERCHE_V2} api_contrat-usagerv2 statutcontratusager "
    "api_metiers-projets-entreprisesv2 ciblepro api_diagnosticargumentev4 diagnosticusageragent"
)
SCOPES_RECHERCHE_V1 = "api_rechercher-usagerv1"


@dataclass(frozen=True)
class HttpRequest:
    """One request as wrk will send it (the Host header is added by wrk)."""

    method: str
    path: str
    headers: dict[str, str]
    body: str | None = None


@dataclass
class Fixtures:
    """What the requests are made of, obtained once from the running sandbox."""

    base_url: str
    people: list[dict[str, str]]
    agent_token: str = ""
    partenaire_token: str = ""
    jetons: list[str] = field(default_factory=list)
    paths: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Scenario:
    """A named load: which server receives it and how its requests are built."""

    key: str
    title: str
    server: str
    build: Callable[[Fixtures], list[HttpRequest]]
    route: str
    note: str = ""


def _token_requests(f: Fixtures) -> list[HttpRequest]:
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scope": SCOPES_RECHERCHE_V2,
        }
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return [HttpRequest("POST", f"{TOKEN_PATH}?realm=%2Fagent", headers, form)]


def _search_body(person: dict[str, str]) -> str:
    return json.dumps({"dateNaissance": person["dateNaissance"], "nir": person["nir"]})


def _recherche_v2_requests(f: Fixtures) -> list[HttpRequest]:
    headers = {"Authorization": f"Bearer {f.agent_token}", **AGENT, **JSON}
    return [HttpRequest("POST", RECHERCHE_V2, headers, _search_body(p)) for p in f.people]


def _recherche_v1_requests(f: Fixtures) -> list[HttpRequest]:
    headers = {"Authorization": f"Bearer {f.partenaire_token}", **JSON}
    return [HttpRequest("POST", RECHERCHE_V1, headers, _search_body(p)) for p in f.people]


def _with_jeton(path: str) -> Callable[[Fixtures], list[HttpRequest]]:
    def build(f: Fixtures) -> list[HttpRequest]:
        auth = {"Authorization": f"Bearer {f.agent_token}", **AGENT}
        return [HttpRequest("GET", path, {**auth, "ft-jeton-usager": j}) for j in f.jetons]

    return build


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "reference",
        "Bare FastAPI reference (static S001, 1 worker)",
        "reference",
        _recherche_v2_requests,
        RECHERCHE_V2,
    ),
    Scenario("token", "Token (client credentials, /agent)", "sandbox", _token_requests, TOKEN_PATH),
    Scenario(
        "recherche-v2",
        "Rechercher usager v2 (NIR)",
        "sandbox",
        _recherche_v2_requests,
        RECHERCHE_V2,
    ),
    Scenario("statut-v2", "Statut usager v2 (jeton)", "sandbox", _with_jeton(STATUT_V2), STATUT_V2),
    Scenario(
        "metiers-v2",
        "Métiers recherchés v2 (jeton)",
        "sandbox",
        _with_jeton(METIERS_V2),
        METIERS_V2,
    ),
    Scenario(
        "diagnostic-v4",
        "Diagnostic v4 dossiers (jeton)",
        "sandbox",
        _with_jeton(DIAGNOSTIC_V4),
        DIAGNOSTIC_V4,
    ),
    Scenario(
        "recherche-v1", "Recherche usager v1 (NIR)", "sandbox", _recherche_v1_requests, RECHERCHE_V1
    ),
    Scenario(
        "recherche-v2-no-faults",
        "Rechercher usager v2, fault layer removed",
        "sandbox-no-faults",
        _recherche_v2_requests,
        RECHERCHE_V2,
        note="same sandbox without its fault middleware: the fault layer's cost",
    ),
)
"""Every scenario, in the order they are run and printed."""


def call(base_url: str, request: HttpRequest) -> tuple[int, bytes]:
    """Send one request with the standard library; return (status, body)."""
    data = request.body.encode() if request.body is not None else None
    prepared = urllib.request.Request(
        base_url + request.path, data=data, headers=request.headers, method=request.method
    )
    try:
        with urllib.request.urlopen(prepared, timeout=10) as response:
            status: int = response.status
            return status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def sample_people(ft_sandbox: str, env: dict[str, str], count: int) -> list[dict[str, str]]:
    """People that Rechercher usager finds (S001) for the default client, from the sandbox CLI."""
    output = subprocess.run(
        [ft_sandbox, "population", "sample", "--json", "--count", str(count)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [row for row in json.loads(output) if row["codeRetour"] == "S001"]


def gather(base_url: str, people: list[dict[str, str]]) -> Fixtures:
    """Tokens for both realms, one jeton per person, and the routes the sandbox serves."""
    fixtures = Fixtures(base_url, people)
    fixtures.agent_token = _token(base_url, "/agent", SCOPES_AGENT)
    fixtures.partenaire_token = _token(base_url, "/partenaire", SCOPES_RECHERCHE_V1)
    for request in _recherche_v2_requests(fixtures):
        status, body = call(base_url, request)
        if status != 200:
            raise RuntimeError(f"Rechercher usager v2 answered {status}: {body[:200]!r}")
        fixtures.jetons.append(json.loads(body)["jetonUsager"])
    _, document = call(base_url, HttpRequest("GET", "/openapi.json", {}))
    fixtures.paths = frozenset(json.loads(document)["paths"])
    return fixtures


def _token(base_url: str, realm: str, scopes: str) -> str:
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scope": scopes,
        }
    )
    request = HttpRequest(
        "POST",
        f"{TOKEN_PATH}?realm={urllib.parse.quote(realm, safe='')}",
        {"Content-Type": "application/x-www-form-urlencoded"},
        form,
    )
    status, body = call(base_url, request)
    if status != 200:
        raise RuntimeError(f"token request ({realm}) answered {status}: {body[:200]!r}")
    token: str = json.loads(body)["access_token"]
    return token
