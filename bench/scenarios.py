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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sandbox.auth.scopes import API_ACCESS, Realm

CLIENT_ID = "PAR_ftsandbox_cd62"
CLIENT_SECRET = "ftsandbox-secret-cd62"
AGENT = {"pa-nom-agent": "BENCH", "pa-prenom-agent": "BENCH", "pa-identifiant-agent": "BATCH"}
JSON = {"Content-Type": "application/json"}
TOKEN_PATH = "/connexion/oauth2/access_token"
RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RECHERCHE_V2_NUMERO = "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail"
RECHERCHE_V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
STATUT_V2 = "/partenaire/contrat-usager/v2/contrat"
STATUT_V1 = "/partenaire/statut-usager/v1/statut"
METIERS_V2 = "/partenaire/metiers-projets-entreprises/v2/metiers-recherches"
PROJETS_V2 = "/partenaire/metiers-projets-entreprises/v2/projets-cref"
METIERS_V1 = "/partenaire/metiers-profil-competences/v1/metiers-recherches"
CREATION_ENTREPRISE_V1 = "/partenaire/projet-creation-entreprise/v1/projets-cref"
V4 = "/partenaire/diagnosticargumente/v4"
DIAGNOSTIC_V4 = f"{V4}/dossiers"
DIAGNOSTIC_V1 = "/partenaire/diagnosticargumente/v1/individus/{identifiant}"
INFORMATIONS_ADMINISTRATIVES = "/partenaire/informations-administratives/v1/usager"
RENDEZ_VOUS_USAGER = "/partenaire/rendez-vous-partenaire/v1/rendez-vous-usager"
RENDEZ_VOUS_PUSH = "/partenaire/rendezvous-partenaires/v1/rendezvous"
CONCLUSIONS = "/partenaire/conclusions-entretiens/v1/entretiens"
ORIENTATION = "/partenaire/orientationusager/{version}/lectureOrientation"
RQTH = "/partenaire/donnees-rqth/v1/rqth"
CONTRAT_ENGAGEMENT = "/partenaire/contrat-engagement/v1"
ACTIVITES = "/partenaire/activites-operationnelles/v2"
SANCTIONS = "/partenaire/gestion-sanctions-rsa/v1/detailManquement"

SCOPES_RECHERCHE_V2 = "api_rechercher-usagerv2 rechercheusager profil_accedant"
# Every scope of every served API of a realm, from the sandbox's own catalogue: one token per
# realm opens every scenario, and an API added to the catalogue is reachable without a change here.
SCOPES_AGENT = " ".join(
    sorted({s for a in API_ACCESS.values() if a.realm is Realm.AGENT for s in a.scopes})
)
SCOPES_PARTENAIRE = " ".join(
    sorted({s for a in API_ACCESS.values() if a.realm is Realm.PARTENAIRE for s in a.scopes})
)
PUSH_ID_ORIGINE = 4242


@dataclass(frozen=True)
class HttpRequest:
    """One request as wrk will send it (the Host header is added by wrk)."""

    method: str
    path: str
    headers: dict[str, str]
    body: str | None = None


@dataclass
class Person:
    """One S001 person and what the sandbox gave the bench to address them."""

    nir: str
    date_naissance: str
    numero: str
    nom: str
    prenom: str
    jeton: str = ""
    identifiant: str = ""
    diagnostic_id: str | None = None
    sanction_id: str | None = None


@dataclass
class Fixtures:
    """What the requests are made of, obtained once from the running sandbox.

    ``readers`` and ``writers`` are disjoint: the write scenarios never change the dossiers the
    read scenarios read, whatever order they run in.
    """

    base_url: str
    readers: list[Person]
    writers: list[Person] = field(default_factory=list)
    agent_token: str = ""
    partenaire_token: str = ""
    paths: frozenset[str] = frozenset()

    @property
    def jetons(self) -> list[str]:
        """The readers' jetons, in order."""
        return [p.jeton for p in self.readers]


@dataclass(frozen=True)
class Scenario:
    """A named load: which server receives it, how its requests are built, what it measures.

    ``api`` is the served API (``sandbox.auth.scopes.Api`` value) the route belongs to, and
    doubles as the scenario's group; ``route`` is the templated path of the OpenAPI document
    (the scenario is skipped while the sandbox does not serve it); ``write`` marks scenarios
    that change state (their p99 is held to the write target); ``prepare`` runs once before.
    """

    key: str
    title: str
    server: str
    build: Callable[[Fixtures], list[HttpRequest]]
    route: str
    api: str
    method: str = "GET"
    write: bool = False
    prepare: Callable[[Fixtures], None] | None = None
    note: str = ""


def _agent(f: Fixtures) -> dict[str, str]:
    return {"Authorization": f"Bearer {f.agent_token}", **AGENT}


def _partenaire(f: Fixtures) -> dict[str, str]:
    return {"Authorization": f"Bearer {f.partenaire_token}"}


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


def _search_body(person: Person) -> str:
    return json.dumps({"dateNaissance": person.date_naissance, "nir": person.nir})


def _recherche_v2_requests(f: Fixtures) -> list[HttpRequest]:
    headers = {**_agent(f), **JSON}
    return [HttpRequest("POST", RECHERCHE_V2, headers, _search_body(p)) for p in f.readers]


def _recherche_v2_numero_requests(f: Fixtures) -> list[HttpRequest]:
    headers = {**_agent(f), **JSON}
    return [
        HttpRequest(
            "POST", RECHERCHE_V2_NUMERO, headers, json.dumps({"numeroFranceTravail": p.numero})
        )
        for p in f.readers
    ]


def _recherche_v1_requests(f: Fixtures) -> list[HttpRequest]:
    headers = {**_partenaire(f), **JSON}
    return [HttpRequest("POST", RECHERCHE_V1, headers, _search_body(p)) for p in f.readers]


def _statut_v1_requests(f: Fixtures) -> list[HttpRequest]:
    headers = {**_partenaire(f), **JSON}
    return [
        HttpRequest("POST", STATUT_V1, headers, json.dumps({"idNat": p.identifiant}))
        for p in f.readers
    ]


def _with_jeton(path: str, query: str = "") -> Callable[[Fixtures], list[HttpRequest]]:
    """GET ``path`` for every reader, by the reader's jeton (realm /agent)."""

    def build(f: Fixtures) -> list[HttpRequest]:
        auth = _agent(f)
        return [
            HttpRequest("GET", path + query, {**auth, "ft-jeton-usager": p.jeton})
            for p in f.readers
        ]

    return build


def _agent_static(path: str) -> Callable[[Fixtures], list[HttpRequest]]:
    """GET ``path`` (a referential: nobody's data) with the /agent token."""

    def build(f: Fixtures) -> list[HttpRequest]:
        return [HttpRequest("GET", path, _agent(f))]

    return build


def _v1_individu(suffix: str) -> Callable[[Fixtures], list[HttpRequest]]:
    """GET a Diagnostic v1 resource of every reader, by the identifiant in the path."""

    def build(f: Fixtures) -> list[HttpRequest]:
        return [
            HttpRequest(
                "GET",
                DIAGNOSTIC_V1.format(identifiant=urllib.parse.quote(p.identifiant, safe=""))
                + suffix,
                _partenaire(f),
            )
            for p in f.readers
        ]

    return build


def _id_national(path: str) -> Callable[[Fixtures], list[HttpRequest]]:
    """GET ``path`` for every reader, by the identifiant in the ``id-national`` header."""

    def build(f: Fixtures) -> list[HttpRequest]:
        return [
            HttpRequest("GET", path, {**_partenaire(f), "id-national": p.identifiant})
            for p in f.readers
        ]

    return build


def _history(path: str) -> Callable[[Fixtures], list[HttpRequest]]:
    """GET a history of every writer (readers have none: a 204 would be measured)."""

    def build(f: Fixtures) -> list[HttpRequest]:
        return [
            HttpRequest(
                "GET",
                path.format(idDiagnostic=p.diagnostic_id),
                {**_agent(f), "ft-jeton-usager": p.jeton},
            )
            for p in f.writers
            if p.diagnostic_id or "{idDiagnostic}" not in path
        ]

    return build


def _writers_have_history(f: Fixtures) -> None:
    """One write of each kind per writer, so that every history has an entry to page through."""
    besoins = json.dumps(
        {
            "dateExploration": "2026-11-27T10:00:00.000+01:00",
            "besoinAEnregistrer": [{"code": "1", "valeur": "BESOIN"}],
        }
    )
    for p in f.writers:
        writes = [*_pouvoir_agir_writes(Fixtures(f.base_url, [], [p], f.agent_token))[:1]]
        writes += _contraintes_writes(Fixtures(f.base_url, [], [p], f.agent_token))
        if p.diagnostic_id:
            headers = {**_agent(f), **JSON, "ft-jeton-usager": p.jeton}
            path = f"{V4}/diagnostics/{p.diagnostic_id}/besoins"
            writes.append(HttpRequest("POST", path, headers, besoins))
            path = f"{V4}/diagnostics/{p.diagnostic_id}"
            writes.append(
                HttpRequest("PUT", path, headers, json.dumps({"codeAppellation": "11450"}))
            )
        for request in writes:
            _json(f.base_url, request, f"{request.method} {request.path}")


def _activites_requests(f: Fixtures) -> list[HttpRequest]:
    return [
        HttpRequest(
            "GET",
            f"{ACTIVITES}/activites/chercher?codeFamille=GLI100&numeroFranceTravail={p.numero}",
            _agent(f),
        )
        for p in f.readers
    ]


def _sanction_requests(f: Fixtures) -> list[HttpRequest]:
    return [
        HttpRequest(
            "GET",
            f"{SANCTIONS}?identifiantSanction={urllib.parse.quote(p.sanction_id, safe='')}",
            {**_agent(f), "ft-jeton-usager": p.jeton},
        )
        for p in f.readers
        if p.sanction_id
    ]


def _pouvoir_agir_writes(f: Fixtures) -> list[HttpRequest]:
    # Alternating answers: every request changes the stored state (and appends to its history).
    return [
        HttpRequest(
            "POST",
            f"{V4}/pouvoiragir",
            {**_agent(f), **JSON, "ft-jeton-usager": p.jeton},
            json.dumps({"confiance": confiance, "accompagnement": "NON"}),
        )
        for p in f.writers
        for confiance in ("OUI", "NON")
    ]


def _contraintes_writes(f: Fixtures) -> list[HttpRequest]:
    body = json.dumps(
        {
            "dateExploration": "2026-11-27T10:00:00.000+01:00",
            "contraintesAEnregistrer": [
                {"code": "23", "valeur": "OUI", "estPrioritaire": True, "impact": "FORT"}
            ],
            "situationsAEnregistrer": [{"code": "7", "valeur": "OUI"}],
            "objectifsAEnregistrer": [{"code": "29", "valeur": "EN_COURS"}],
        }
    )
    return [
        HttpRequest(
            "POST", f"{V4}/contraintes", {**_agent(f), **JSON, "ft-jeton-usager": p.jeton}, body
        )
        for p in f.writers
    ]


def _convocation(person: Person, mode: str, hour: int) -> str:
    return json.dumps(
        {
            "idOrigine": PUSH_ID_ORIGINE,
            "libelleStructure": "Maison du Département Solidarité d'Arras",
            "codeSafir": "62512",
            "objet": "RSA Orientation : Convocation sur site",
            "nombrePlaces": 1,
            "idModalite": 1,
            "typeReception": "Individuel",
            "dateRendezvous": f"2026-12-16T{hour:02d}:00:00+01:00",
            "duree": 45,
            "initiateur": "PARTENAIRE",
            "address": "14 rue Foch 62000 Arras",
            "conseiller": [{"email": "referent@example.com", "nom": "DUPONT", "prenom": "Alex"}],
            "participants": [
                {
                    "nir": person.nir,
                    "dateNaissance": person.date_naissance,
                    "nom": person.nom,
                    "prenom": person.prenom,
                }
            ],
            "mode": mode,
        }
    )


def _push_created(f: Fixtures) -> None:
    """Create the rendez-vous the push scenario then modifies, once per writer."""
    for person in f.writers:
        request = HttpRequest(
            "POST",
            RENDEZ_VOUS_PUSH,
            {**_partenaire(f), **JSON},
            _convocation(person, "création", 9),
        )
        status, body = call(f.base_url, request)
        if not 200 <= status < 300:
            raise RuntimeError(f"rendez-vous push (création) answered {status}: {body[:300]!r}")


def _push_modifications(f: Fixtures) -> list[HttpRequest]:
    # Modifications of an existing rendez-vous: a write that the per-person cap never stops.
    return [
        HttpRequest(
            "POST",
            RENDEZ_VOUS_PUSH,
            {**_partenaire(f), **JSON},
            _convocation(p, "modification", hour),
        )
        for p in f.writers
        for hour in (10, 11)
    ]


_R2, _R1 = "rechercher-usager-v2", "rechercher-usager-v1"
_D4, _D1 = "diagnostic-individu-v4", "diagnostic-individu-v1"
_REF_A = f"{ACTIVITES}/referentiel-activites"

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "token",
        "Token (client credentials, /agent)",
        "sandbox",
        _token_requests,
        TOKEN_PATH,
        "token",
        "POST",
    ),
    Scenario(
        "recherche-v2",
        "Rechercher usager v2 (NIR)",
        "sandbox",
        _recherche_v2_requests,
        RECHERCHE_V2,
        _R2,
        "POST",
    ),
    Scenario(
        "recherche-v2-numero",
        "Rechercher usager v2 (numéro FT)",
        "sandbox",
        _recherche_v2_numero_requests,
        RECHERCHE_V2_NUMERO,
        _R2,
        "POST",
    ),
    Scenario(
        "recherche-v1",
        "Recherche usager v1 (NIR)",
        "sandbox",
        _recherche_v1_requests,
        RECHERCHE_V1,
        _R1,
        "POST",
    ),
    Scenario(
        "statut-v2",
        "Statut usager v2 (jeton)",
        "sandbox",
        _with_jeton(STATUT_V2),
        STATUT_V2,
        "statut-usager-v2",
    ),
    Scenario(
        "statut-v1",
        "Statut usager v1 (idNat)",
        "sandbox",
        _statut_v1_requests,
        STATUT_V1,
        "statut-usager-v1",
        "POST",
    ),
    Scenario(
        "diagnostic-v4",
        "Diagnostic v4 dossiers (jeton)",
        "sandbox",
        _with_jeton(DIAGNOSTIC_V4),
        DIAGNOSTIC_V4,
        _D4,
    ),
    *(
        Scenario(
            f"diagnostic-v4-{name}",
            f"Diagnostic v4 {name} (jeton)",
            "sandbox",
            _with_jeton(f"{V4}/{name}"),
            f"{V4}/{name}",
            _D4,
        )
        for name in ("besoins", "diagnostics", "contraintes", "pouvoiragir", "autonomienumerique")
    ),
    Scenario(
        "diagnostic-v4-historisation",
        "Diagnostic v4 dossiers/historisation (jeton)",
        "sandbox",
        _history(f"{DIAGNOSTIC_V4}/historisation"),
        f"{DIAGNOSTIC_V4}/historisation",
        _D4,
        prepare=_writers_have_history,
    ),
    *(
        Scenario(
            f"diagnostic-v4-historisation-{name}",
            f"Diagnostic v4 historisation/{name}",
            "sandbox",
            _history(f"{V4}/historisation/{name}"),
            f"{V4}/historisation/{name}",
            _D4,
            prepare=_writers_have_history,
        )
        for name in ("autonomienumerique", "contraintes", "diagnostics", "pouvoiragir")
    ),
    Scenario(
        "diagnostic-v4-historisation-besoins",
        "Diagnostic v4 historisation of besoins",
        "sandbox",
        _history(f"{V4}/historisation/diagnostics/{{idDiagnostic}}/besoins"),
        f"{V4}/historisation/diagnostics/{{idDiagnostic}}/besoins",
        _D4,
        prepare=_writers_have_history,
    ),
    Scenario(
        "diagnostic-v4-referentiel",
        "Diagnostic v4 referentiel",
        "sandbox",
        _agent_static(f"{V4}/referentiel"),
        f"{V4}/referentiel",
        _D4,
    ),
    Scenario(
        "diagnostic-v4-referentiel-analyse",
        "Diagnostic v4 referentiel/pouvoir-agir/analyse",
        "sandbox",
        _agent_static(f"{V4}/referentiel/pouvoir-agir/analyse"),
        f"{V4}/referentiel/pouvoir-agir/analyse",
        _D4,
    ),
    Scenario(
        "diagnostic-v4-referentiel-domaine",
        "Diagnostic v4 referentiel/besoin",
        "sandbox",
        _agent_static(f"{V4}/referentiel/besoin"),
        f"{V4}/referentiel/{{domaine}}",
        _D4,
    ),
    Scenario(
        "diagnostic-v4-referentiel-sous-domaine",
        "Diagnostic v4 referentiel/contrainte/situation",
        "sandbox",
        _agent_static(f"{V4}/referentiel/contrainte/situation"),
        f"{V4}/referentiel/{{domaine}}/{{sous_domaine}}",
        _D4,
    ),
    Scenario(
        "diagnostic-v1",
        "Diagnostic v1 individu (identifiant)",
        "sandbox",
        _v1_individu(""),
        DIAGNOSTIC_V1,
        _D1,
    ),
    *(
        Scenario(
            f"diagnostic-v1-{name}",
            f"Diagnostic v1 individu/{name}",
            "sandbox",
            _v1_individu(f"/{name}"),
            f"{DIAGNOSTIC_V1}/{name}",
            _D1,
        )
        for name in ("contraintes", "besoins", "diagnostics", "pouvoir-agir")
    ),
    Scenario(
        "metiers-v2",
        "Métiers recherchés v2 (jeton)",
        "sandbox",
        _with_jeton(METIERS_V2),
        METIERS_V2,
        "metiers-projets-entreprises-v2",
    ),
    Scenario(
        "projets-cref-v2",
        "Projets CREF v2 (jeton)",
        "sandbox",
        _with_jeton(PROJETS_V2),
        PROJETS_V2,
        "metiers-projets-entreprises-v2",
    ),
    Scenario(
        "metiers-v1",
        "Métiers recherchés v1 (id-national)",
        "sandbox",
        _id_national(METIERS_V1),
        METIERS_V1,
        "metiers-recherches-v1",
    ),
    Scenario(
        "creation-entreprise-v1",
        "Création d'entreprise v1 (id-national)",
        "sandbox",
        _id_national(CREATION_ENTREPRISE_V1),
        CREATION_ENTREPRISE_V1,
        "creation-entreprise-v1",
    ),
    Scenario(
        "informations-administratives",
        "Informations administratives v1 (jeton)",
        "sandbox",
        _with_jeton(INFORMATIONS_ADMINISTRATIVES),
        INFORMATIONS_ADMINISTRATIVES,
        "informations-administratives-v1",
    ),
    Scenario(
        "rendez-vous-usager",
        "Rendez-vous partenaire v1, rendez-vous-usager (jeton)",
        "sandbox",
        _with_jeton(RENDEZ_VOUS_USAGER),
        RENDEZ_VOUS_USAGER,
        "rendez-vous-partenaire-v1",
    ),
    Scenario(
        "conclusions-entretiens",
        "Conclusions d'entretiens v1 (jeton)",
        "sandbox",
        _with_jeton(CONCLUSIONS),
        CONCLUSIONS,
        "conclusions-entretiens-v1",
    ),
    Scenario(
        "orientation-v1",
        "Orientation v1 lectureOrientation (jeton)",
        "sandbox",
        _with_jeton(ORIENTATION.format(version="v1")),
        ORIENTATION.format(version="v1"),
        "orientation-usager-v1",
    ),
    Scenario(
        "orientation-v2",
        "Orientation v2 lectureOrientation (jeton)",
        "sandbox",
        _with_jeton(ORIENTATION.format(version="v2")),
        ORIENTATION.format(version="v2"),
        "orientation-usager-v2",
    ),
    Scenario(
        "rqth", "Données RQTH v1 (jeton)", "sandbox", _with_jeton(RQTH), RQTH, "donnees-rqth-v1"
    ),
    Scenario(
        "contrat-engagement",
        "Contrat d'engagement v1 lecture (jeton)",
        "sandbox",
        _with_jeton(f"{CONTRAT_ENGAGEMENT}/lecture"),
        f"{CONTRAT_ENGAGEMENT}/lecture",
        "contrat-engagement-v1",
    ),
    Scenario(
        "contrat-engagement-structure",
        "Contrat d'engagement v1 lecture/structure",
        "sandbox",
        _agent_static(f"{CONTRAT_ENGAGEMENT}/lecture/structure"),
        f"{CONTRAT_ENGAGEMENT}/lecture/structure",
        "contrat-engagement-v1",
    ),
    Scenario(
        "activites-chercher",
        "Activités opérationnelles v2 chercher (GLI100, numéro FT)",
        "sandbox",
        _activites_requests,
        f"{ACTIVITES}/activites/chercher",
        "activites-operationnelles-v2",
    ),
    Scenario(
        "activites-referentiel",
        "Activités opérationnelles v2 referentiel",
        "sandbox",
        _agent_static(_REF_A),
        _REF_A,
        "activites-operationnelles-v2",
    ),
    Scenario(
        "activites-referentiel-activite",
        "Activités v2 referentiel activite ACT366",
        "sandbox",
        _agent_static(f"{_REF_A}/activites/ACT366"),
        f"{_REF_A}/activites/{{codeActivite}}",
        "activites-operationnelles-v2",
    ),
    *(
        Scenario(
            f"activites-referentiel-{kind}{suffix.replace('/', '-')}",
            f"Activités v2 referentiel {kind} {code}{suffix}",
            "sandbox",
            _agent_static(f"{_REF_A}/{kind}s/{code}{suffix}"),
            f"{_REF_A}/{kind}s/{{{param}}}{suffix}",
            "activites-operationnelles-v2",
        )
        for kind, code, param in (
            ("domaine", "GLI", "codeDomaine"),
            ("famille", "GLI100", "codeFamille"),
        )
        for suffix in ("", "/detail")
    ),
    Scenario(
        "sanctions-detail",
        "Gestion des sanctions RSA v1 detailManquement (jeton)",
        "sandbox",
        _sanction_requests,
        SANCTIONS,
        "gestion-sanctions-rsa-v1",
    ),
    Scenario(
        "write-diagnostic-pouvoiragir",
        "Write: Diagnostic v4 POST pouvoiragir",
        "sandbox",
        _pouvoir_agir_writes,
        f"{V4}/pouvoiragir",
        _D4,
        "POST",
        write=True,
    ),
    Scenario(
        "write-diagnostic-contraintes",
        "Write: Diagnostic v4 POST contraintes",
        "sandbox",
        _contraintes_writes,
        f"{V4}/contraintes",
        _D4,
        "POST",
        write=True,
    ),
    Scenario(
        "write-rendez-vous-push",
        "Write: Rendez-vous push v1 (modification)",
        "sandbox",
        _push_modifications,
        RENDEZ_VOUS_PUSH,
        "rendez-vous-partenaires-v1-2024",
        "POST",
        write=True,
        prepare=_push_created,
    ),
    Scenario(
        "recherche-v2-no-faults",
        "Rechercher usager v2, fault layer removed",
        "sandbox-no-faults",
        _recherche_v2_requests,
        RECHERCHE_V2,
        "faults",
        "POST",
        note="same sandbox without its fault middleware: the fault layer's cost",
    ),
)
"""Every scenario, in the order they are run and printed."""

QUICK = ("recherche-v2", "statut-v2", "diagnostic-v4", "write-diagnostic-pouvoiragir")
"""The scenarios of ``--quick`` (CI smoke): the issue's three named routes and one write."""


def select(names: Sequence[str] | None) -> list[Scenario]:
    """The scenarios named by key or group (an API, ``writes``, ``quick``, ``all``); all by default.

    An unknown name is an error that lists the known ones, rather than a silently empty run.
    """
    if not names:
        return list(SCENARIOS)
    groups: dict[str, set[str]] = {
        "all": {s.key for s in SCENARIOS},
        "quick": set(QUICK),
        "writes": set(),
    }
    for s in SCENARIOS:
        groups.setdefault(s.api, set()).add(s.key)
        if s.write:
            groups["writes"].add(s.key)
    wanted: set[str] = set()
    for name in names:
        if name in groups:
            wanted |= groups[name]
        elif any(s.key == name for s in SCENARIOS):
            wanted.add(name)
        else:
            known = sorted({s.key for s in SCENARIOS} | set(groups))
            raise SystemExit(f"unknown scenario or group {name!r}; known: {', '.join(known)}")
    return [s for s in SCENARIOS if s.key in wanted]


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


def sample_people(ft_sandbox: str, env: dict[str, str], count: int) -> list[Person]:
    """People that Rechercher usager finds (S001) for the default client, from the sandbox CLI."""
    output = subprocess.run(
        [ft_sandbox, "population", "sample", "--json", "--count", str(count)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        Person(r["nir"], r["dateNaissance"], r["numeroFranceTravail"], r["nom"], r["prenom"])
        for r in json.loads(output)
        if r["codeRetour"] == "S001"
    ]


def _json(base_url: str, request: HttpRequest, what: str) -> Any:
    status, body = call(base_url, request)
    if not 200 <= status < 300:
        raise RuntimeError(f"{what} answered {status}: {body[:200]!r}")
    return json.loads(body) if body else None


def gather(base_url: str, people: list[Person]) -> Fixtures:
    """Tokens for both realms, each person's jeton and identifiant, the served routes.

    Half of the people are readers, half writers. Each person also gets the id of its first
    diagnostic (Diagnostic v4), and each reader its v1 identifiant and one sanction consequence
    (its ACT366 activity) when it has one, for the scenarios whose path or query takes them.
    """
    half = len(people) // 2
    fixtures = Fixtures(base_url, people[:half], people[half:])
    fixtures.agent_token = _token(base_url, "/agent", SCOPES_AGENT)
    fixtures.partenaire_token = _token(base_url, "/partenaire", SCOPES_PARTENAIRE)
    agent, partenaire = {**_agent(fixtures), **JSON}, {**_partenaire(fixtures), **JSON}
    for person in people:
        search = HttpRequest("POST", RECHERCHE_V2, agent, _search_body(person))
        person.jeton = _json(base_url, search, "Rechercher usager v2")["jetonUsager"]
        with_jeton = {**_agent(fixtures), "ft-jeton-usager": person.jeton}
        found = _json(base_url, HttpRequest("GET", f"{V4}/diagnostics", with_jeton), "diagnostics")
        if found and found.get("diagnostics"):
            person.diagnostic_id = found["diagnostics"][0]["idDiagnostic"]
    for person in fixtures.readers:
        v1 = HttpRequest("POST", RECHERCHE_V1, partenaire, _search_body(person))
        person.identifiant = _json(base_url, v1, "Recherche usager v1")["identifiant"]
        (activities,) = _activites_requests(Fixtures(base_url, [person], [], fixtures.agent_token))
        listed = _json(base_url, activities, "activites/chercher")
        for activite in (listed or {}).get("activites", []):
            for attribute in activite.get("attributsSpecifiques", []):
                if attribute["nom"] == "idConsequenceSanction":
                    person.sanction_id = attribute["valeur"]
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
