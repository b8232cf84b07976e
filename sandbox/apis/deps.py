"""Cross-cutting request steps as ``Annotated`` dependencies: runtime, gateway checks, agent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from sandbox.apis.responses import MISSING_HEADER_ERRORS
from sandbox.auth.clients import Client
from sandbox.auth.scopes import API_ACCESS, Api
from sandbox.auth.tokens import TokenClaims, TokenError, TokenProblem
from sandbox.convention.return_codes import RETURN_CODES, ReturnCode
from sandbox.errors import BackendError, GatewayError
from sandbox.filedrop.ingestion import KEY_PREFIX as INGESTED_PREFIX
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
    TokenProblem.INVALID: "The access token was not issued by this sandbox, or was altered: "
    "request one at POST /connexion/oauth2/access_token?realm=... and send it unchanged.",
    TokenProblem.EXPIRED: "The access token has expired (tokens live 1499 s): request a new one.",
}


GATEWAY_CHECKS: dict[Callable[..., Awaitable[Caller]], Api] = {}
"""Every gateway check built by ``require``, with its API: contracts group routes by it."""
CHECK_SCOPES: dict[Callable[..., Awaitable[Caller]], tuple[str, ...]] = {}
"""The scopes each gateway check wants: its API's, or the operation's own subset of them."""


def authorize(
    runtime: Runtime, authorization: str | None, api: Api, scopes: tuple[str, ...] | None = None
) -> Caller:
    """The gateway's check: a valid token of the API's realm carrying its scopes, or refusal.

    ``scopes`` narrows the check to an operation's own scopes, where the published file
    declares them per operation (Orientation usager v2: lecture or décision).
    """
    access = API_ACCESS[api]
    wanted = access.scopes if scopes is None else scopes
    now = runtime.clock.timestamp()
    claims = _claims(runtime, authorization, now)
    if claims.realm is not access.realm:
        raise GatewayError(
            401,
            f"This token was issued in realm {claims.realm.value}; this API needs a token "
            f"of realm {access.realm.value}.",
            www_authenticate='Bearer error="invalid_token"',
        )
    missing = [scope for scope in wanted if scope not in claims.scopes]
    if missing:
        raise GatewayError(
            403,
            f"The token lacks the scope(s) {' '.join(missing)} required by this API: add them "
            "to the scope of the token request.",
            www_authenticate=f'Bearer error="insufficient_scope", scope="{" ".join(missing)}"',
        )
    client = runtime.clients.get(claims.client_id)
    if client is None:
        raise GatewayError(
            401, "The token's client no longer exists: request a token with a known client."
        )
    return Caller(client=client, now_ms=int(now * 1000))


def _claims(runtime: Runtime, authorization: str | None, now: float) -> TokenClaims:
    """The claims of a valid bearer token, or the gateway's bodiless 401."""
    scheme, _, token = (authorization or "").partition(" ")
    try:
        if scheme.lower() != "bearer":
            raise TokenError(TokenProblem.MISSING)
        return runtime.tokens.verify(token.strip(), now)
    except TokenError as exc:
        raise GatewayError(
            401, _TOKEN_HINTS[exc.problem], www_authenticate='Bearer error="invalid_token"'
        ) from None


def authenticate(runtime: Runtime, authorization: str | None) -> Caller:
    """A valid token of this sandbox, of either realm and any scopes (the file drop's check).

    The drop is the sandbox's stand-in for the convention's file-sharing service, not an API
    of the platform: any token the client obtained opens its own drop, and only its own.
    """
    now = runtime.clock.timestamp()
    claims = _claims(runtime, authorization, now)
    client = runtime.clients.get(claims.client_id)
    if client is None:
        raise GatewayError(
            401, "The token's client no longer exists: request a token with a known client."
        )
    return Caller(client=client, now_ms=int(now * 1000))


async def any_token(
    runtime: RuntimeDep,
    authorization: Annotated[
        str | None, Header(description="`Bearer <access_token>`", include_in_schema=False)
    ] = None,
) -> Caller:
    """``authenticate`` as a dependency."""
    return authenticate(runtime, authorization)


def require(api: Api, *scopes: str) -> Callable[..., Awaitable[Caller]]:
    """Build the gateway check of one API: a valid token of its realm carrying its scopes.

    With ``scopes``, the check wants only those (a subset of the API's catalogue entry): an
    operation whose published security names its own scopes. Dependencies here are ``async``
    although they do no I/O: FastAPI runs plain ``def`` dependencies in a thread pool, and
    those hops were the largest cost of a call (bench/).
    """
    wanted = scopes or API_ACCESS[api].scopes
    unknown = set(wanted) - set(API_ACCESS[api].scopes)
    if unknown:
        raise ValueError(f"{api.value} has no scope(s) {sorted(unknown)} in its catalogue entry")

    async def check(
        runtime: RuntimeDep,
        authorization: Annotated[
            str | None, Header(description="`Bearer <access_token>`", include_in_schema=False)
        ] = None,
    ) -> Caller:
        return authorize(runtime, authorization, api, wanted)

    GATEWAY_CHECKS[check] = api
    CHECK_SCOPES[check] = wanted
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


def header_text(value: str | None) -> str | None:
    """A header value as the client wrote it: UTF-8 bytes, read back from ASGI's latin-1 text.

    ASGI servers hand header bytes over undecoded and Starlette reads them as latin-1, so
    ``Hélène`` sent in UTF-8 would read ``HÃ©lÃ¨ne``. Bytes that are not UTF-8 stay latin-1.
    """
    if value is None or value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def check_agent(nom: str | None, prenom: str | None, identifiant: str | None) -> Agent:
    """The ``pa-*`` headers' rules: absent → 302, empty or with ``|`` → 401."""
    texts = (header_text(nom), header_text(prenom), header_text(identifiant))
    values = dict(zip(AGENT_HEADERS, texts, strict=True))
    absent = [name for name, value in values.items() if value is None]
    if absent:
        raise GatewayError(
            302,
            f"Missing agent header(s): {', '.join(absent)}. Send all three pa-* headers (a batch "
            "sends its logical name, and BATCH as pa-identifiant-agent).",
            location=AGENT_LOGIN,
        )
    empty = [name for name, value in values.items() if not (value or "").strip()]
    if empty:
        raise GatewayError(401, f"Empty agent header(s): {', '.join(empty)}. Give each a value.")
    piped = [name for name, value in values.items() if "|" in (value or "")]
    if piped:
        raise GatewayError(
            401, f"The character | is forbidden in: {', '.join(piped)}. Remove it from the value."
        )
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
    JetonProblem.MALFORMED: "ft-jeton-usager is not a jeton (standard base64 of a JSON "
    "envelope): send jetonUsager exactly as Rechercher usager v2 returned it.",
    JetonProblem.FORGED: "This jeton was not issued by this sandbox, or was changed: send "
    "jetonUsager exactly as Rechercher usager v2 returned it.",
    JetonProblem.EXPIRED: "Jetons live one day: call Rechercher usager v2 again for a new one.",
    JetonProblem.OTHER_CLIENT: "This jeton was issued to another OAuth client: call Rechercher "
    "usager v2 with this application's own token.",
}


def _jeton_error(problem: JetonProblem) -> BackendError:
    status, code, message = _JETON_ERRORS[problem]
    return BackendError(status, code, message, _JETON_HINTS[problem])


def _identifiant_error(problem: JetonProblem, where: str, value: str | None) -> BackendError:
    status, code, message = _JETON_ERRORS[problem]
    code = code.replace("JETON_USAGER", "IDENTIFIANT")
    message = message.replace("Le jeton usager", "L'identifiant national")
    as_issued = "exactly as Recherche usager v1 returned it (<uuid>#<base64url>)"
    if problem is JetonProblem.ABSENT:
        hint = f"Send the identifiant of Recherche usager v1 in {where}."
    elif problem is JetonProblem.MALFORMED and "#" not in (value or "") and "path" in where:
        # An unencoded '#' starts the URL fragment: the client sent only the uuid half.
        hint = (
            f"The identifiant in {where} has no '#': percent-encode it as %23 in the URL path "
            "(<uuid>%23<base64url>); an unencoded '#' starts the URL fragment and is never sent."
        )
    elif problem is JetonProblem.MALFORMED:
        hint = f"{where} is not an identifiant: send it {as_issued}."
    else:
        hint = (
            f"This identifiant was not issued by this sandbox, or was changed: send it {as_issued}."
        )
    return BackendError(status, code, message, hint)


def person_or_none(runtime: Runtime, key: str, client_id: str | None = None) -> Person | None:
    """The person behind a valid jeton or identifiant (None if the population no longer has it).

    A person an Annexe 1 upload registered (file drop) is found for the client that uploaded
    it only: its key names that client, and ``client_id``, when given, must be it (a jeton
    already names its client; an identifiant does not, so its callers pass theirs).
    """
    if key.startswith(INGESTED_PREFIX):
        return runtime.ingested.get(key, client_id)
    return runtime.population.get(key)


def key_from_jeton(runtime: Runtime, caller: Caller, ft_jeton_usager: str | None) -> str:
    """The person key a valid ``ft-jeton-usager`` names, or raise the documented error."""
    try:
        claims = runtime.references.read_jeton(
            ft_jeton_usager, caller.client.client_id, caller.now_ms
        )
    except JetonError as exc:
        raise _jeton_error(exc.problem) from None
    return claims.person_key


def key_from_identifiant(runtime: Runtime, identifiant: str | None, where: str) -> str:
    """The person key a valid v1 identifiant names, or the documented error.

    ``where`` names the parameter that carried it, for the hint.
    """
    try:
        return runtime.references.read_identifiant(identifiant)
    except JetonError as exc:
        raise _identifiant_error(exc.problem, where, identifiant) from None


def usager_from_jeton(
    runtime: RuntimeDep,
    caller: Caller,
    ft_jeton_usager: str | None,
) -> Person | None:
    """Resolve a ``ft-jeton-usager`` header to a person the caller may read, or refuse.

    A jeton is only issued for S001, so the access rule of ``readable_by`` always holds for
    a person found this way; it is applied anyway so that one rule governs both generations.
    """
    key = key_from_jeton(runtime, caller, ft_jeton_usager)
    return readable_by(person_or_none(runtime, key, caller.client.client_id), caller)


def usager_from_identifiant(
    runtime: RuntimeDep, caller: Caller, identifiant: str | None, where: str
) -> Person | None:
    """Resolve a v1 identifiant national chiffré to a person the caller may read, or refuse.

    The identifiant is the same for every client (it names the person, not the caller), so
    it grants nothing by itself: the caller's rattachement is checked on every call, as
    Recherche usager checks it.
    """
    key = key_from_identifiant(runtime, identifiant, where)
    return readable_by(person_or_none(runtime, key, caller.client.client_id), caller)


JETON_HEADER = "ft-jeton-usager"
ID_NATIONAL_HEADER = "id-national"

JetonHeader = Annotated[
    str,
    Header(
        alias=JETON_HEADER,
        min_length=1,
        description="Jeton usager volatil (un jour) obtenu par Rechercher usager v2 ; remplace "
        "l'identifiant national (idRci). Absent ou vide : 400 `ERR_JETON_USAGER_ABSENT`.",
    ),
]
IdNationalHeader = Annotated[
    str,
    Header(
        alias=ID_NATIONAL_HEADER,
        min_length=1,
        description="Identifiant national chiffré de l'utilisateur France Travail (champ "
        "`identifiant` de Recherche usager v1). Absent ou vide : 400 `ERR_IDENTIFIANT_ABSENT`.",
    ),
]
# Both headers are required and non-empty in the contract (the jeton is required as published);
# absent or empty, they keep their own documented refusal rather than the family's 400.
MISSING_HEADER_ERRORS[JETON_HEADER] = lambda: _jeton_error(JetonProblem.ABSENT)
MISSING_HEADER_ERRORS[ID_NATIONAL_HEADER] = lambda: _identifiant_error(
    JetonProblem.ABSENT, f"header {ID_NATIONAL_HEADER}", None
)


def readable_by(person: Person | None, caller: Caller) -> Person | None:
    """The access rule of every person route, in both generations (Recherche usager's R001/R002).

    Annexe 3 §1.2: départements read RSA beneficiaries only (R001 at Recherche usager), and the
    platform refuses a person attached to another structure than the caller's (R002).
    """
    if person is None:
        return None
    if not person.rsa.beneficiary:
        raise BackendError(
            403,
            "ERR_USAGER_HORS_PERIMETRE",
            "L'usager n'est pas dans le périmètre de l'accédant",
            "Only RSA beneficiaries are readable by a departement (convention, Annexe 3 1.2; "
            "R001 at Recherche usager).",
        )
    if person.attachment_departement != caller.client.departement:
        raise BackendError(
            403,
            "ERR_USAGER_NON_RATTACHE",
            RETURN_CODES[ReturnCode.R002].message_v2,
            "This person is attached to another departement than this client's (R002 at "
            "Recherche usager): an identifiant or jeton obtained elsewhere gives no access.",
        )
    return person
