"""Contract checks against any implementation of the partner APIs.

``ft-conformance provider --base-url URL`` runs Schemathesis's checks (schema, status codes,
content types, headers, negative-data rejection, positive-data acceptance, auth enforcement…)
operation by operation against a running implementation — the sandbox, a département's proxy, a
vendor's mock or the platform's recette — with the sandbox's contract. The client it plays is a
well-behaved one: it gets a token per realm, the agent headers, and a real jeton and identifiant
from Recherche usager for a known person, so that generated data tests the APIs themselves.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Err
from schemathesis.schemas import BaseSchema

from sandbox.auth.scopes import API_ACCESS, Realm, api_of_path, served_scopes
from sandbox.identifiers import NIR_BODY_PATTERN, full_nir

AGENT_HEADERS = {
    "pa-nom-agent": "BATCH",
    "pa-prenom-agent": "FT-CONFORMANCE",
    "pa-identifiant-agent": "BATCH",
}
JETON_HEADER = "ft-jeton-usager"
DEFAULT_PERSONA = ("290036204190175", "1990-03-14")  # fixtures/personas/s001-certifiee.yaml


def valid_nirs(known: str) -> st.SearchStrategy[str]:
    """NIRs someone can carry, with a valid key (mostly unknown people), sometimes a known one.

    Corsican départements (20, 2A, 2B) are left to the known NIR: whether they are possible
    depends on the birth date, which a format cannot see.
    """
    bodies = (
        st.from_regex(NIR_BODY_PATTERN, fullmatch=True)
        .filter(lambda body: body[5:7] not in ("20", "2A", "2B"))
        .map(full_nir)
    )
    return bodies | st.just(known)


def register_formats(known_nir: str) -> None:
    """Teach Schemathesis the ``nir`` format: a key checksum no JSON Schema can express."""
    schemathesis.openapi.format("nir", valid_nirs(known_nir))


BUSINESS_RULES_KEY = "x-regles-metier"


def checks_config(document: dict[str, Any]) -> schemathesis.Config:
    """Schemathesis configuration for a contract: operations that declare business rules
    (``x-regles-metier``) may refuse well-formed data with 400 — a business refusal, not a
    contract violation —, and operations that document a 409 may answer it to well-formed data
    (a limit of the stored state, which depends on earlier calls, not on the request); every
    other check stays as strict as Schemathesis makes it.
    """
    operations = [
        operation
        for item in document.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    groups: dict[tuple[str, ...], list[str]] = {}
    for operation in operations:
        statuses: tuple[str, ...] = ("2xx",)
        if operation.get(BUSINESS_RULES_KEY):
            statuses += ("400",)
        if "409" in operation.get("responses", {}):
            statuses += ("409",)
        if len(statuses) > 1:
            groups.setdefault(statuses, []).append(operation["operationId"])
    return schemathesis.Config.from_dict(
        {
            "operations": [
                {
                    "include-operation-id": sorted(ids),
                    "checks": {"positive_data_acceptance": {"expected-statuses": list(statuses)}},
                }
                for statuses, ids in sorted(groups.items())
            ]
        }
    )


class ProviderError(RuntimeError):
    """The implementation could not be prepared for checking (no token, no jeton…)."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a well-behaved client holds: a token per realm and references to one person."""

    tokens: dict[Realm, str]
    jeton: str | None
    identifiant: str | None


def fetch_credentials(
    http: httpx.Client, client_id: str, client_secret: str, nir: str, date_naissance: str
) -> Credentials:
    """Get tokens from the implementation's token endpoint and the person's jeton/identifiant."""
    tokens: dict[Realm, str] = {}
    for realm in Realm:
        response = http.post(
            "/connexion/oauth2/access_token",
            params={"realm": realm.value},
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
                "scope": " ".join(sorted(served_scopes(realm))),
            },
        )
        if response.status_code != 200:
            raise ProviderError(
                f"token request for realm {realm.value} answered {response.status_code}: "
                f"{response.text[:200]}"
            )
        tokens[realm] = response.json()["access_token"]
    person = {"nir": nir, "dateNaissance": date_naissance}
    jeton = http.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json=person,
        headers={"Authorization": f"Bearer {tokens[Realm.AGENT]}", **AGENT_HEADERS},
    )
    identifiant = http.post(
        "/partenaire/rechercher-usager/v1/usagers/recherche",
        json=person,
        headers={"Authorization": f"Bearer {tokens[Realm.PARTENAIRE]}"},
    )
    return Credentials(
        tokens=tokens,
        jeton=_field(jeton, "jetonUsager"),
        identifiant=_field(identifiant, "identifiant"),
    )


def _field(response: httpx.Response, name: str) -> str | None:
    try:
        value = response.json().get(name)
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def apply_credentials(case: Case[Any], credentials: Credentials) -> None:
    """Give a generated case the token of its realm, the agent headers and a person reference.

    Person references replace generated values only in positive cases, so negative cases still
    reach the API with the invalid value Schemathesis chose.
    """
    path = case.operation.path
    if path.startswith("/connexion/"):
        return
    # The API's own realm (Rendez-vous partenaire v1 is of realm /agent); else by version.
    api = api_of_path(path)
    if api is not None:
        realm = API_ACCESS[api].realm
    else:
        realm = Realm.AGENT if "/v2/" in path or "/v4/" in path else Realm.PARTENAIRE
    headers = case.headers
    headers["Authorization"] = f"Bearer {credentials.tokens[realm]}"
    if realm is Realm.AGENT:
        headers.update(AGENT_HEADERS)
    positive = case.meta is None or case.meta.generation.mode.is_positive
    # A required reference header Schemathesis left out on purpose stays out: the check is
    # that its absence is refused.
    if positive and credentials.jeton and JETON_HEADER in headers:
        headers[JETON_HEADER] = credentials.jeton
    identifiant = credentials.identifiant
    if not (positive and identifiant):
        return
    if isinstance((case.path_parameters or {}).get("identifiant"), str):
        # Clients must URL-encode it in a path: its "#" would start a fragment (convention era).
        encoded = quote(identifiant, safe="")
        case.path_parameters = {**(case.path_parameters or {}), "identifiant": encoded}
    if isinstance(case.body, dict) and isinstance(case.body.get("idNat"), str):
        case.body = {**case.body, "idNat": identifiant}
    if "id-national" in headers:
        headers["id-national"] = identifiant
    if isinstance((case.query or {}).get("id-national"), str):
        case.query = {**(case.query or {}), "id-national": identifiant}


@dataclass(slots=True)
class OperationResult:
    """The checks one operation failed (empty when it passed)."""

    label: str
    failures: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        """No failure and no error."""
        return not self.failures and self.error is None


@dataclass(slots=True)
class ProviderReport:
    """Results of a provider run."""

    results: list[OperationResult]

    @property
    def passed(self) -> bool:
        """Every operation passed."""
        return all(result.passed for result in self.results)


def _failures(exc: BaseException) -> list[tuple[str, str]]:
    if isinstance(exc, FailureGroup):
        return [(f.code, f.title) for f in exc.exceptions]
    if isinstance(exc, Failure):
        return [(exc.code, exc.title)]
    return []


class RenewingCredentials:
    """Credentials fetched again before the token expires, as a well-behaved client does.

    Tokens live 1499 s on the platform; a long run (many examples per operation) outlives them,
    and every later call would then be refused by the gateway for the kit's fault, not the
    implementation's.
    """

    def __init__(self, fetch: Callable[[], Credentials], renew_after: float = 1200.0) -> None:
        self._fetch = fetch
        self._renew_after = renew_after
        self._current = fetch()
        self._fetched_at = time.monotonic()

    def current(self) -> Credentials:
        """The credentials, renewed if they are older than ``renew_after`` seconds."""
        if time.monotonic() - self._fetched_at > self._renew_after:
            self._current = self._fetch()
            self._fetched_at = time.monotonic()
        return self._current


def check_operations(
    schema: BaseSchema,
    credentials: RenewingCredentials,
    max_examples: int = 20,
    seed: int | None = None,
) -> Iterable[OperationResult]:
    """Run every check on every operation, positive then negative data; yield as they finish.

    Without ``seed`` the examples are derandomized (the same run every time); with one, each
    seed explores other examples, reproducibly (the seed is mixed with the operation's label).
    """
    for outcome in schema.get_all_operations():
        if isinstance(outcome, Err):
            yield OperationResult(label="(schema)", error=str(outcome.err())[:300])
            continue
        operation = outcome.ok()
        result = OperationResult(label=operation.label)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @settings(
                max_examples=max_examples,
                derandomize=seed is None,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def run(case: Case[Any]) -> None:
                apply_credentials(case, credentials.current())
                case.call_and_validate()

            if seed is not None:
                run = hypothesis_seed(zlib.crc32(f"{seed}:{operation.label}:{mode}".encode()))(run)

            try:
                run()
            except Unsatisfiable:
                # No invalid input exists for this operation (e.g. only optional headers).
                continue
            except (Failure, FailureGroup) as exc:
                result.failures.extend(f for f in _failures(exc) if f not in result.failures)
            except Exception as exc:  # a transport error or crash is a finding, not a stop
                result.error = f"{type(exc).__name__}: {exc}"[:300]
        yield result
