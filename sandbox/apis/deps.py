"""Cross-cutting request steps as ``Annotated`` dependencies: runtime, gateway checks, agent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from sandbox.auth.clients import Client
from sandbox.auth.scopes import API_ACCESS, Api
from sandbox.auth.tokens import TokenError, TokenProblem
from sandbox.errors import BackendError, GatewayError
from sandbox.jetons import JetonError, JetonProblem
from sandbox.population.models import Person
from sandbox.runtime import Runtime

AGENT_HEADERS = ("pa-nom-agent", "pa-prenom-agent", "pa-identifiant-agent")
AGENT_LOGIN = "/connexion/oauth2/agent/authorize?realm=%2Fagent"


async def get_runtime(request: Request) -> Runtime:
    """The instance's services."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated partner application behind a request."""

    client: Client
    now_ms: int


_TOKEN_HINTS = {
    TokenProblem.MISSING: "Send 'Authorization: Bearer <access_token>' (POST /connexion/oauth2/"
    "access_token?realm=... first).",
    TokenProblem.INVALID: "The access token was not issued by this sandbox, or was altered.",
    TokenProblem.EXPIRED: "The access token has expired (tokens live 1499 s): request a new one.",
}


GATEWAY_CHECKS: dict[Callable[..., Awaitable[Caller]], Api] = {}
"""Every gateway check built by ``require``, with its API: contracts group routes by it."""


def authorize(runtime: Runtime, authorization: str | None, api: Api) -> Caller:
    """The gateway's check: a valid token of the API's realm carrying its scopes, or refusal."""
    access = API_ACCESS[api]
    scheme, _, token = (authorization or "").partition(" ")
    now = runtime.clock.timestamp()
    try:
        if scheme.lower() != "bearer":
            raise TokenError(TokenProblem.MISSING)
        claims = runtime.tokens.verify(token.strip(), now)
    except TokenError as exc:
        raise GatewayError(
            401, _TOKEN_HINTS[exc.problem], www_authenticate='Bearer error="invalid_token"'
        ) from None
    if claims.realm is not access.realm:
        raise GatewayError(
            401,
            f"This token was issued in realm {claims.realm.value}; this API needs a token "
            f"of realm {access.realm.value}.",
            www_authenticate='Bearer error="invalid_token"',
        )
    missing = [scope for scope in access.scopes if scope not in claims.scopes]
    if missing:
        raise GatewayError(
            403,
            f"The token lacks the scope(s) {' '.join(missing)} required by this API.",
            www_authenticate=f'Bearer error="insufficient_scope", scope="{" ".join(missing)}"',
        )
    client = runtime.clients.get(claims.client_id)
    if client is None:
        raise GatewayError(401, "The token's client no longer exists.")
    return Caller(client=client, now_ms=int(now * 1000))


def require(api: Api) -> Callable[..., Awaitable[Caller]]:
    """Build the gateway check of one API: a valid token of its realm carrying its scopes.

    Dependencies here are ``async`` although they do no I/O: FastAPI runs plain ``def``
    dependencies in a thread pool, and those hops were the largest cost of a call (bench/).
    """

    async def check(
        runtime: RuntimeDep,
        authorization: Annotated[
            str | None, Header(description="`Bearer <access_token>`", include_in_schema=False)
        ] = None,
    ) -> Caller:
        return authorize(runtime, authorization, api)

    GATEWAY_CHECKS[check] = api
    return check


@dataclass(frozen=True, slots=True)
class Agent:
    """The agent (or batch) on whose behalf a generation-2 call is made."""

    nom: str
    prenom: str
    identifiant: str


async def agent_headers(
    pa_nom_agent: Annotated[
        str | None,
        Header(
            alias="pa-nom-agent",
            description="Nom de l'agent ; obligatoire en mode Client Credentials (batch : nom "
            "logique du traitement). Le caractère | est interdit.",
        ),
    ] = None,
    pa_prenom_agent: Annotated[
        str | None,
        Header(
            alias="pa-prenom-agent",
            description="Prénom de l'agent ; obligatoire en mode Client Credentials.",
        ),
    ] = None,
    pa_identifiant_agent: Annotated[
        str | None,
        Header(
            alias="pa-identifiant-agent",
            description="Identifiant de l'agent ; obligatoire ; `BATCH` pour un traitement.",
        ),
    ] = None,
) -> Agent:
    """Check the ``pa-*`` headers as the gateway is observed to: absent → 302, empty → 401."""
    return check_agent(pa_nom_agent, pa_prenom_agent, pa_identifiant_agent)


def check_agent(nom: str | None, prenom: str | None, identifiant: str | None) -> Agent:
    """The ``pa-*`` headers' rules: absent → 302, empty or with ``|`` → 401."""
    values = dict(zip(AGENT_HEADERS, (nom, prenom, identifiant), strict=True))
    absent = [name for name, value in values.items() if value is None]
    if absent:
        raise GatewayError(
            302, f"Missing agent header(s): {', '.join(absent)}.", location=AGENT_LOGIN
        )
    empty = [name for name, value in values.items() if not (value or "").strip()]
    if empty:
        raise GatewayError(401, f"Empty agent header(s): {', '.join(empty)}.")
    piped = [name for name, value in values.items() if "|" in (value or "")]
    if piped:
        raise GatewayError(401, f"The character | is forbidden in: {', '.join(piped)}.")
    return Agent(
        nom=values["pa-nom-agent"] or "",
        prenom=values["pa-prenom-agent"] or "",
        identifiant=values["pa-identifiant-agent"] or "",
    )


AgentDep = Annotated[Agent, Depends(agent_headers)]


_JETON_ERRORS = {
    JetonProblem.ABSENT: (400, "ERR_JETON_USAGER_ABSENT", "Le jeton usager est obligatoire"),
    JetonProblem.MALFORMED: (401, "ERR_JETON_USAGER_INVALIDE", "Le jeton usager est invalide"),
    JetonProblem.FORGED: (401, "ERR_JETON_USAGER_INVALIDE", "Le jeton usager est invalide"),
    JetonProblem.EXPIRED: (401, "ERR_JETON_USAGER_EXPIRE", "Le jeton usager a expiré"),
    JetonProblem.OTHER_CLIENT: (
        403,
        "ERR_JETON_USAGER_NON_AUTORISE",
        "Le jeton usager n'a pas été délivré à cette application",
    ),
}
_JETON_HINTS = {
    JetonProblem.ABSENT: "Send the jetonUsager of Rechercher usager v2 in header ft-jeton-usager.",
    JetonProblem.MALFORMED: "ft-jeton-usager is not a jeton (base64 of a JSON envelope).",
    JetonProblem.FORGED: "This jeton was not issued by this sandbox, or was altered.",
    JetonProblem.EXPIRED: "Jetons live one day: call Rechercher usager again.",
    JetonProblem.OTHER_CLIENT: "This jeton was issued to another OAuth client.",
}


def _jeton_error(problem: JetonProblem, noun: str) -> BackendError:
    status, code, message = _JETON_ERRORS[problem]
    if noun != "jeton":
        code = code.replace("JETON_USAGER", "IDENTIFIANT")
        message = message.replace("Le jeton usager", "L'identifiant national")
    return BackendError(status, code, message, _JETON_HINTS[problem].replace("jeton", noun))


def person_or_none(runtime: Runtime, key: str) -> Person | None:
    """The person behind a valid jeton or identifiant (None if the population no longer has it)."""
    return runtime.population.get(key)


def key_from_jeton(runtime: Runtime, caller: Caller, ft_jeton_usager: str | None) -> str:
    """The person key a valid ``ft-jeton-usager`` names, or raise the documented error."""
    try:
        claims = runtime.references.read_jeton(
            ft_jeton_usager, caller.client.client_id, caller.now_ms
        )
    except JetonError as exc:
        raise _jeton_error(exc.problem, "jeton") from None
    return claims.person_key


def key_from_identifiant(runtime: Runtime, identifiant: str | None) -> str:
    """The person key a valid v1 identifiant national chiffré names, or the documented error."""
    try:
        return runtime.references.read_identifiant(identifiant)
    except JetonError as exc:
        raise _jeton_error(exc.problem, "identifiant") from None


def usager_from_jeton(
    runtime: RuntimeDep,
    caller: Caller,
    ft_jeton_usager: str | None,
) -> Person | None:
    """Resolve a ``ft-jeton-usager`` header to a person, or raise the documented error."""
    return person_or_none(runtime, key_from_jeton(runtime, caller, ft_jeton_usager))


def usager_from_identifiant(runtime: RuntimeDep, identifiant: str | None) -> Person | None:
    """Resolve a v1 identifiant national chiffré to a person, or raise the documented error."""
    return person_or_none(runtime, key_from_identifiant(runtime, identifiant))


JetonHeader = Annotated[
    str | None,
    Header(
        alias="ft-jeton-usager",
        description="Jeton usager volatil (un jour) obtenu par Rechercher usager v2 ; remplace "
        "l'identifiant national (idRci).",
    ),
]


def readable_by(person: Person | None, caller: Caller) -> Person | None:
    """Annexe 3 §1.2: départements have a national access, but to RSA beneficiaries only."""
    if person is None:
        return None
    if not person.rsa.beneficiary:
        raise BackendError(
            403,
            "ERR_USAGER_HORS_PERIMETRE",
            "L'usager n'est pas dans le périmètre de l'accédant",
            "Only RSA beneficiaries are readable by a departement (convention, Annexe 3 1.2).",
        )
    return person
