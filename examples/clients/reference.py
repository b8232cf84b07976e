"""A département's batch client of the France Travail partner APIs, written as the docs advise.

For every person of a batch (``FT_PERSONAS``) it finds the person with Recherche usager, then
reads Statut usager and Métiers recherchés with the reference Recherche handed out: the
``jetonUsager`` in header ``ft-jeton-usager`` (generation 2, realm ``/agent``, the default) or
the ``identifiant`` (generation 1, realm ``/partenaire``, ``FT_API_GENERATION=v1``).

How it behaves (the platform's rules, and what the conformance kit checks):

- one OAuth2 token (client credentials) for the realm, asked with exactly the scopes of the
  three APIs it calls and kept until 60 s before ``expires_in``; a token refused with a 401 is
  dropped, one new token is asked, and the call is made again once;
- a functional answer (``S002``, ``S003``, ``R001``, ``R002``, ``R997``, ``R998``, a ``4xx`` with
  a ``codeErreur``) is final: no retry, and nothing more for that person; ``204`` means "no
  data"; a reference refused as expired (or invalid) is replaced by one new Recherche;
- the ``pa-nom-agent``, ``pa-prenom-agent``, ``pa-identifiant-agent`` headers on every realm
  ``/agent`` call; the NIR travels in the request body only;
- a 10 s timeout (the service levels allow 6 s);
- transient failures (5xx, 429, broken connections, timeouts): at most 3 retries, after 0.5 s,
  1 s and 2 s, or the answer's ``Retry-After`` when longer; no random jitter, so that two runs
  are alike;
- a circuit breaker: after 2 people in a row whose calls all failed transiently, it waits 5 s
  and probes with one call, again and again, and abandons the batch after 60 s without an
  answer.

Run it with the environment the conformance runner sets (``FT_BASE_URL``, ``FT_TOKEN_URL``,
``FT_CLIENT_ID``, ``FT_CLIENT_SECRET``, ``FT_PERSONAS``, ``FT_API_GENERATION``,
``FT_AGENT_NOM``, ``FT_AGENT_PRENOM``, ``FT_AGENT_IDENTIFIANT``)::

    python examples/clients/reference.py
    python examples/clients/reference.py --defect token-per-call

``--defect NAME`` turns it into one of its broken twins, each doing one thing wrong on purpose
(``DEFECTS`` below names the conformance rules it breaks; README.md beside this file). One
line per call goes to stderr (method, path without its query, status: never a NIR, a jeton or a
token), one summary line to stdout.
Exit 0 when the batch was processed (functional refusals included), 3 when it was abandoned.

It imports only httpx and the standard library: a département's developer can copy it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx


@dataclass(frozen=True)
class Defect:
    """A broken twin: what it does differently, and the conformance rules that catch it."""

    does: str
    breaks: tuple[str, ...]


DEFECTS: dict[str, Defect] = {
    "token-per-call": Defect("asks for a new access token before every call", ("token-reuse",)),
    "retries-functional": Defect(
        "retries a functional refusal of Recherche usager (S002, S003, R001, R002, R997, R998) "
        "up to 3 times",
        ("no-functional-retry",),
    ),
    "ignores-retry-after": Defect(
        "retries a 429 with its usual backoff, never reading Retry-After",
        ("retry-after-honoured",),
    ),
    "short-timeout": Defect("gives up a call after 2 s instead of 10 s", ("patience-6s",)),
    "storms-outage": Defect(
        "on a 5xx retries at once, up to 30 times, without circuit breaker",
        ("retry-bounded", "retry-backoff", "outage-rate"),
    ),
    "nir-in-query": Defect(
        "also puts the NIR in the query string of Recherche usager (?nir=)", ("no-nir-in-url",)
    ),
    "forged-jeton": Defect(
        "for every second person, first sends a reference it built itself (the jeton with a "
        "later expiry, the identifiant with a uuid of its own) instead of Recherche's",
        ("jeton-from-recherche", "recherche-first"),
    ),
    "no-recherche": Defect(
        "keeps the references in $TMPDIR/ft-reference-<client_id>.json across runs and calls "
        "Statut and Métiers directly when it has one",
        ("recherche-first", "personas-processed"),
    ),
    "unused-scopes": Defect(
        "also asks for the Diagnostic individu scopes, which it never uses",
        ("token-scopes-minimal",),
    ),
    "no-agent-headers": Defect("omits the pa-identifiant-agent header", ("agent-headers",)),
    "retries-no-content": Defect(
        "calls again at once after a 204 (no content)", ("no-content-no-retry",)
    ),
}
"""The broken twins (``--defect NAME``); README.md beside this file tells each in full."""

TIMEOUT_SECONDS = 10.0
SHORT_TIMEOUT_SECONDS = 2.0
BACKOFF_SECONDS = (0.5, 1.0, 2.0)
STORM_RETRIES = 30
TOKEN_MARGIN_SECONDS = 60.0
BREAKER_PEOPLE = 2
BREAKER_WAIT_SECONDS = 5.0
GIVE_UP_SECONDS = 60.0
EXIT_OK, EXIT_ABANDONED = 0, 3

# Recherche usager's functional return codes: final answers about the person, never retried.
FUNCTIONAL_CODES = frozenset({"S002", "S003", "R001", "R002", "R997", "R998"})
# Refusals of the reference itself: a new Recherche gives a valid one.
STALE_REFERENCE_CODES = frozenset(
    {
        "ERR_JETON_USAGER_EXPIRE",
        "ERR_JETON_USAGER_INVALIDE",
        "ERR_IDENTIFIANT_EXPIRE",
        "ERR_IDENTIFIANT_INVALIDE",
    }
)

log = logging.getLogger("ft-reference")


@dataclass(frozen=True)
class Generation:
    """The routes, realm and scopes of one generation of the annex APIs."""

    name: str
    realm: str
    scopes: tuple[str, ...]
    unused_scopes: tuple[str, ...]
    recherche: str
    statut: str
    metiers: str
    reference_field: str


V2 = Generation(
    name="v2",
    realm="/agent",
    scopes=(
        "api_rechercher-usagerv2",
        "rechercheusager",
        "profil_accedant",
        "api_contrat-usagerv2",
        "statutcontratusager",
        "api_metiers-projets-entreprisesv2",
        "ciblepro",
    ),
    unused_scopes=("api_diagnosticargumentev4", "diagnosticusageragent"),
    recherche="/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
    statut="/partenaire/contrat-usager/v2/contrat",
    metiers="/partenaire/metiers-projets-entreprises/v2/metiers-recherches",
    reference_field="jetonUsager",
)
V1 = Generation(
    name="v1",
    realm="/partenaire",
    scopes=(
        "api_rechercher-usagerv1",
        "api_statut-usagerv1",
        "api_metiers-profil-competencesv1",
        "ciblepro",
    ),
    # Realm /partenaire grants only its own scopes: the v1 Diagnostic individu is its unused one.
    unused_scopes=("api_diagnosticargumentev1",),
    recherche="/partenaire/rechercher-usager/v1/usagers/recherche",
    statut="/partenaire/statut-usager/v1/statut",
    metiers="/partenaire/metiers-profil-competences/v1/metiers-recherches",
    reference_field="identifiant",
)
GENERATIONS = {generation.name: generation for generation in (V2, V1)}


class Abandoned(Exception):
    """The batch cannot go on (credentials refused, platform unreachable for too long)."""


class Unavailable(Exception):
    """A call still failed transiently after its retries."""


@dataclass(frozen=True)
class Persona:
    """One person of the batch."""

    nir: str
    date_naissance: str


@dataclass(frozen=True)
class Config:
    """What the client is told by its environment."""

    base_url: str
    token_url: str
    client_id: str
    client_secret: str
    personas: tuple[Persona, ...]
    generation: Generation
    agent: Mapping[str, str]

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Config:
        """Read the conformance runner's variables; ``Abandoned`` when one is missing or bad."""
        try:
            base_url = env["FT_BASE_URL"].rstrip("/")
            client_id, client_secret = env["FT_CLIENT_ID"], env["FT_CLIENT_SECRET"]
            personas_file = Path(env["FT_PERSONAS"])
        except KeyError as exc:
            raise Abandoned(f"variable d'environnement absente : {exc.args[0]}") from None
        generation = GENERATIONS.get(env.get("FT_API_GENERATION", "v2"))
        if generation is None:
            raise Abandoned("FT_API_GENERATION vaut v2 ou v1")
        try:
            people = json.loads(personas_file.read_text("utf-8"))
            personas = tuple(Persona(p["nir"], p["dateNaissance"]) for p in people)
        except (OSError, ValueError, KeyError, TypeError):
            raise Abandoned(f"fichier de personnes illisible : {personas_file}") from None
        return cls(
            base_url=base_url,
            token_url=env.get("FT_TOKEN_URL", f"{base_url}/connexion/oauth2/access_token"),
            client_id=client_id,
            client_secret=client_secret,
            personas=personas,
            generation=generation,
            agent={
                "pa-nom-agent": env.get("FT_AGENT_NOM", "traitement-reference"),
                "pa-prenom-agent": env.get("FT_AGENT_PRENOM", "traitement-reference"),
                "pa-identifiant-agent": env.get("FT_AGENT_IDENTIFIANT", "BATCH"),
            },
        )


@dataclass
class Tally:
    """What the batch did, for the summary line."""

    people: int = 0
    found: int = 0
    refused: int = 0
    failed: int = 0
    calls: int = 0
    tokens: int = 0

    def line(self) -> str:
        """One line, ``key=value`` pairs."""
        return (
            f"people={self.people} found={self.found} refused={self.refused} "
            f"failed={self.failed} calls={self.calls} tokens={self.tokens}"
        )


@dataclass
class _Token:
    value: str
    valid_until: float


@dataclass
class _PersonState:
    """One person's progress: their reference, whether Recherche was already redone."""

    searched_again: bool = False
    reference: str | None = None
    cache_key: str = ""


@dataclass
class ReferenceClient:
    """The batch client; ``defect`` names a broken twin (a key of ``DEFECTS``), None the good one.

    ``sleep`` and ``clock`` are the waits and the time of its retries, breaker and token cache.
    """

    config: Config
    http: httpx.Client
    defect: str | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    tally: Tally = field(default_factory=Tally)
    _token: _Token | None = None
    _failed_in_a_row: int = 0
    _answered: bool = False
    _last_answer: float = 0.0
    _cache: dict[str, str] = field(default_factory=dict)

    # -- the batch ---------------------------------------------------------------------------

    def run(self) -> int:
        """Process every person; the exit code (0 processed, 3 abandoned)."""
        self._last_answer = self.clock()
        self._cache = self._load_cache()
        try:
            for index, persona in enumerate(self.config.personas):
                self.tally.people += 1
                self._process(index, persona)
        except Abandoned as exc:
            log.error("lot abandonné : %s", exc)
            return EXIT_ABANDONED
        finally:
            self._save_cache()
        return EXIT_OK

    def _process(self, index: int, persona: Persona) -> None:
        state = _PersonState(cache_key=_cache_key(self.config.generation, persona))
        self._answered = False
        try:
            outcome = self._person(index, persona, state)
        except Unavailable:
            outcome = "failed"
        if outcome == "found":
            self.tally.found += 1
        elif outcome == "refused":
            self.tally.refused += 1
        else:
            self.tally.failed += 1
        if not self._answered:
            # The breaker counts the people none of whose calls got an answer.
            self._failed_in_a_row += 1

    def _person(self, index: int, persona: Persona, state: _PersonState) -> str:
        """Recherche, then Statut and Métiers with its reference: found, refused (or raises)."""
        state.reference = self._cache.get(state.cache_key) if self._defect("no-recherche") else None
        if state.reference is None and not self._search(index, persona, state):
            return "refused"
        for read in (self._statut, self._metiers):
            while True:
                response = read(state)
                code = _body(response).get("codeErreur")
                if response.status_code == 401 and code in STALE_REFERENCE_CODES:
                    # A reference refused as expired or invalid: one new Recherche, once.
                    self._cache.pop(state.cache_key, None)
                    if state.searched_again:
                        return "refused"
                    state.searched_again = True
                    if not self._search(index, persona, state):
                        return "refused"
                    continue
                if response.status_code == 204 and self._defect("retries-no-content"):
                    read(state)
                break
            if response.status_code not in (200, 204):
                # Out of perimeter (non-RSA), another département, …: nothing more for them.
                return "refused"
        return "found"

    def _search(self, index: int, persona: Persona, state: _PersonState) -> bool:
        """Recherche usager; keeps the reference of an S001 in ``state``, False otherwise."""
        generation = self.config.generation
        params = {"nir": persona.nir} if self._defect("nir-in-query") else None
        retries = len(BACKOFF_SECONDS) if self._defect("retries-functional") else 0
        for attempt in range(retries + 1):
            if attempt:
                self.sleep(BACKOFF_SECONDS[attempt - 1])
            response = self._call(
                "POST",
                generation.recherche,
                json={"nir": persona.nir, "dateNaissance": persona.date_naissance},
                params=params,
            )
            body = _body(response)
            reference = body.get(generation.reference_field)
            if body.get("codeRetour") == "S001" and isinstance(reference, str) and reference:
                if self._defect("forged-jeton") and index % 2 == 1 and not state.searched_again:
                    # Its own reference first; refused, it takes the one of the new Recherche.
                    reference = _forged(generation, reference)
                state.reference = reference
                if self._defect("no-recherche"):
                    self._cache[state.cache_key] = reference
                return True
        return False

    def _statut(self, state: _PersonState) -> httpx.Response:
        reference = state.reference or ""
        if self.config.generation is V2:
            return self._call("GET", V2.statut, headers={"ft-jeton-usager": reference})
        return self._call("POST", V1.statut, json={"idNat": reference})

    def _metiers(self, state: _PersonState) -> httpx.Response:
        generation = self.config.generation
        header = "ft-jeton-usager" if generation is V2 else "id-national"
        return self._call("GET", generation.metiers, headers={header: state.reference or ""})

    # -- one call: token, agent headers, retries, breaker ------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """An API call with its token; retried when transient; ``Unavailable`` if it stays so."""
        extra = dict(headers or {})
        if self.config.generation.realm == "/agent":
            extra.update(self.config.agent)
            if self._defect("no-agent-headers"):
                del extra["pa-identifiant-agent"]
        renewed = False
        while True:
            token = self._access_token()
            request = self.http.build_request(
                method,
                f"{self.config.base_url}{path}",
                json=json,
                params=params,
                headers={**extra, "Authorization": f"Bearer {token}", "Accept": "application/json"},
            )
            response = self._send(request, probe=self._breaker_open())
            self._answered, self._failed_in_a_row = True, 0
            self._last_answer = self.clock()
            if (
                response.status_code == 401
                and not _body(response).get("codeErreur")
                and not renewed
            ):
                # The access token itself is refused (expired, revoked): a new one, once.
                self._token = None
                renewed = True
                continue
            return response

    def _breaker_open(self) -> bool:
        return not self._defect("storms-outage") and self._failed_in_a_row >= BREAKER_PEOPLE

    def _send(self, request: httpx.Request, probe: bool = False) -> httpx.Response:
        """Send with the retry policy, or, breaker open, probe until an answer or give up."""
        if probe:
            return self._probe(request)
        attempt = 0
        while True:
            response, retry_after = self._attempt(request)
            if response is not None and not _transient(response):
                return response
            storm = (
                self._defect("storms-outage")
                and response is not None
                and response.status_code >= 500
            )
            retries = STORM_RETRIES if storm else len(BACKOFF_SECONDS)
            if attempt >= retries:
                raise Unavailable(request.url.path)
            wait = 0.0 if storm else max(BACKOFF_SECONDS[attempt], retry_after)
            attempt += 1
            if wait:
                self.sleep(wait)

    def _probe(self, request: httpx.Request) -> httpx.Response:
        """The breaker is open: one call every 5 s (or Retry-After); abandon after 60 s."""
        wait = BREAKER_WAIT_SECONDS
        while True:
            self.sleep(wait)
            if self.clock() - self._last_answer >= GIVE_UP_SECONDS:
                raise Abandoned(f"aucune réponse depuis {GIVE_UP_SECONDS:.0f} s")
            response, retry_after = self._attempt(request)
            if response is not None and not _transient(response):
                return response
            wait = max(BREAKER_WAIT_SECONDS, retry_after)

    def _attempt(self, request: httpx.Request) -> tuple[httpx.Response | None, float]:
        """One sending: the answer (None if the connection failed) and its Retry-After (or 0)."""
        try:
            response = self.http.send(request)
        except httpx.RequestError as exc:
            self._log(request, f"ERREUR {type(exc).__name__}")
            return None, 0.0
        self._log(request, str(response.status_code))
        if self._defect("ignores-retry-after"):
            return response, 0.0
        return response, _retry_after(response)

    def _access_token(self) -> str:
        """The cached token of the realm, or a new one (``Abandoned`` if credentials fail)."""
        token = self._token
        if token and self.clock() < token.valid_until and not self._defect("token-per-call"):
            return token.value
        generation = self.config.generation
        scopes = generation.scopes
        if self._defect("unused-scopes"):
            scopes += generation.unused_scopes
        request = self.http.build_request(
            "POST",
            self.config.token_url,
            params={"realm": generation.realm},
            data={
                "grant_type": "client_credentials",
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
                "scope": " ".join(scopes),
            },
        )
        self.tally.tokens += 1
        try:
            response = self._send(request)
        except Unavailable:
            raise Abandoned("le service d'authentification ne répond pas") from None
        body = _body(response)
        if response.status_code != 200 or not isinstance(body.get("access_token"), str):
            raise Abandoned(f"jeton d'accès refusé : {body.get('error', response.status_code)}")
        lifetime = float(body.get("expires_in", 0))
        self._token = _Token(body["access_token"], self.clock() + lifetime - TOKEN_MARGIN_SECONDS)
        return self._token.value

    def _log(self, request: httpx.Request, outcome: str) -> None:
        self.tally.calls += 1
        log.info("%s %s %s", request.method, request.url.path, outcome)

    def _defect(self, name: str) -> bool:
        return self.defect == name

    # -- the no-recherche twin's cache --------------------------------------------------------

    def _cache_file(self) -> Path:
        return Path(tempfile.gettempdir()) / f"ft-reference-{self.config.client_id}.json"

    def _load_cache(self) -> dict[str, str]:
        if not self._defect("no-recherche"):
            return {}
        try:
            kept = json.loads(self._cache_file().read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in kept.items()} if isinstance(kept, dict) else {}

    def _save_cache(self) -> None:
        if self._defect("no-recherche"):
            self._cache_file().write_text(json.dumps(self._cache), "utf-8")


def _cache_key(generation: Generation, persona: Persona) -> str:
    """The person's key in the cache: a hash, so the file holds no NIR."""
    text = f"{generation.name}:{persona.nir}:{persona.date_naissance}"
    return hashlib.sha256(text.encode()).hexdigest()


def _body(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of an answer, or ``{}`` (no body, text, a list)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _transient(response: httpx.Response) -> bool:
    """429 and 5xx are worth retrying, except Recherche's R998: a final answer (no address)."""
    if response.status_code == 429:
        return True
    return response.status_code >= 500 and _body(response).get("codeRetour") not in FUNCTIONAL_CODES


def _retry_after(response: httpx.Response) -> float:
    """Seconds a 429 or a 503 asks to wait (``Retry-After`` in seconds), 0 if it says nothing."""
    if response.status_code not in (429, 503):
        return 0.0
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return 0.0


def _forged(generation: Generation, reference: str) -> str:
    """What the forged-jeton twin sends instead of Recherche's reference (never accepted)."""
    if generation is V2:
        # "A jeton lives one day: push its expiry a month ahead and keep it longer."
        envelope = json.loads(base64.b64decode(reference))
        envelope["expire"] = int(envelope.get("expire", 0)) + 30 * 24 * 3600 * 1000
        return base64.b64encode(json.dumps(envelope).encode()).decode()
    # v1: keep the encrypted half, give it a uuid of its own.
    _, _, sealed = reference.partition("#")
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, sealed)}#{sealed}"


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Command line: run the batch, print the summary; the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--defect",
        choices=sorted(DEFECTS),
        metavar="NAME",
        help="run as a broken twin: "
        + "; ".join(f"{k}: {d.does} (breaks {', '.join(d.breaks)})" for k, d in DEFECTS.items()),
    )
    args = parser.parse_args(argv)
    # Our own lines only: httpx's logger would print whole URLs, query strings included.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        config = Config.from_env(os.environ if env is None else env)
    except Abandoned as exc:
        log.error("lot abandonné : %s", exc)
        return EXIT_ABANDONED
    timeout = SHORT_TIMEOUT_SECONDS if args.defect == "short-timeout" else TIMEOUT_SECONDS
    with httpx.Client(timeout=timeout) as http:
        client = ReferenceClient(config, http, args.defect)
        code = client.run()
    sys.stdout.write(f"{client.tally.line()} exit={code}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
