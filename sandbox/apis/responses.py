"""Renders every ``SandboxError`` and every malformed request as its API family's documented body.

Routes never build error bodies themselves: they raise, and the handlers installed here answer.
The family of a request is found from its path (``ERROR_FAMILIES``), so a malformed body on
Recherche usager gets R997 and never FastAPI's default 422 shape.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from sandbox.apis.omission import Omitted, omissible
from sandbox.auth.scopes import catalogued_api_of_path
from sandbox.convention.return_codes import RETURN_CODES, ReturnCode
from sandbox.errors import (
    BackendError,
    CodeMessageError,
    GatewayError,
    OAuthError,
    ProblemError,
    RechercheError,
    SandboxError,
    SpringError,
)
from sandbox.privacy import scrub

HINT_HEADER = "X-Sandbox-Hint"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class ErrorFamily(StrEnum):
    """The error-body families of the platform (reference §1.6)."""

    OAUTH = "oauth"
    RECHERCHE_V2 = "recherche-v2"
    RECHERCHE_V1 = "recherche-v1"
    BACKEND = "backend"
    PROBLEM = "problem"
    CODE_MESSAGE = "code-message"
    SPRING = "spring"
    CONTROL = "control"


ERROR_FAMILIES: tuple[tuple[str, ErrorFamily], ...] = (
    ("/connexion/oauth2/", ErrorFamily.OAUTH),
    ("/_sandbox/", ErrorFamily.CONTROL),
    ("/partenaire/rechercher-usager/v2/", ErrorFamily.RECHERCHE_V2),
    ("/partenaire/rechercher-usager/v1/", ErrorFamily.RECHERCHE_V1),
    ("/partenaire/contrat-engagement/v1/", ErrorFamily.PROBLEM),
    ("/partenaire/activites-operationnelles/v2/", ErrorFamily.CODE_MESSAGE),
    ("/partenaire/orientationusager/", ErrorFamily.SPRING),
)


MISSING_HEADER_ERRORS: dict[str, Callable[[], SandboxError]] = {}
"""Required headers whose absence (or emptiness) has its own documented refusal (``apis.deps``)."""
VALIDATION_ERRORS: dict[str, Callable[[list[dict[str, Any]]], SandboxError]] = {}
"""Per route path, the API's own error for a request that fails validation (published codes)."""
SPRING_PATHS: dict[str, str] = {}
"""Per public route path, the back-end route a Spring Boot error body names in ``path``."""
MISSING_FIELD_HINTS: dict[str, dict[str, str]] = {}
"""Per route path, the hint for a missing required field (the token form: ``auth.router``)."""
_ABSENT = ("missing", "string_too_short")


def family_of(path: str) -> ErrorFamily:
    """Return the error family that answers for a path."""
    for prefix, family in ERROR_FAMILIES:
        if path.startswith(prefix):
            return family
    return ErrorFamily.BACKEND


class OAuthErrorBody(BaseModel):
    """Token endpoint error (HTTP 400)."""

    error: str = Field(examples=["invalid_client"])
    error_description: str = Field(examples=["Client authentication failed"])


_NULL_IN_ERRORS = (
    "Toujours null dans une erreur : les exemples publiés des réponses 400, 403, 500 et 503 "
    "envoient `jetonUsager: null` (non applicable)."
)


class RechercheErrorV2(BaseModel):
    """Recherche usager v2 error DTO (``Resultat400DTO``, ``403DTO``, ``500DTO``, ``503DTO``)."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    code_retour: ReturnCode = Field(alias="codeRetour")
    message: str
    top_identite_certifiee: None = Field(
        default=None, alias="topIdentiteCertifiee", description=_NULL_IN_ERRORS
    )
    jeton_usager: None = Field(default=None, alias="jetonUsager", description=_NULL_IN_ERRORS)


class RechercheErrorV1(BaseModel):
    """Recherche usager v1 error body (convention era)."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    code_retour: ReturnCode = Field(alias="codeRetour")
    identifiant: None = Field(default=None, description=_NULL_IN_ERRORS)
    message: str
    top_identite_certifiee: None = Field(
        default=None, alias="topIdentiteCertifiee", description=_NULL_IN_ERRORS
    )


class BackendErrorBody(BaseModel):
    """France Travail's legacy back-end error (``codeErreur``/``codeHttp``/``message``)."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    code_erreur: str = Field(alias="codeErreur", examples=["ERR_JETON_USAGER_EXPIRE"])
    code_http: int = Field(alias="codeHttp", examples=[401])
    message: str


class ProblemDetails(BaseModel):
    """RFC 9457 error body, as published by Contrat d'engagement v1 (``ProblemDetails``)."""

    type: str = Field(default="about:blank", description="URI qui identifie le type de problème.")
    status: int = Field(description="Code du status HTTP.", examples=[400])
    title: str = Field(
        description="Courte description du problème : nom de l'exception de la plateforme.",
        examples=["DonneeEnEntreeInvalideException"],
    )
    detail: str = Field(
        description="Explication lisible par l'homme de l'occurence du problème.",
        examples=["Le header 'ft-jeton-usager' est obligatoire dans ce context"],
    )


_PROBLEM_TITLES = {
    400: "DonneeEnEntreeInvalideException",
    403: "HabilitationException",
    500: "Exception",
    503: "Exception",
}
"""The published exception name of each status; other statuses keep the legacy code as title."""
_PROBLEM_DETAILS = {
    "ERR_JETON_USAGER_ABSENT": "Le header 'ft-jeton-usager' est obligatoire dans ce context",
}
"""Published details replacing a shared step's message (Contrat d'engagement's 400 example)."""


def as_problem(error: BackendError) -> ProblemError:
    """A legacy back-end error (jeton, access rule, cap, fault) in the ProblemDetails family."""
    if isinstance(error, ProblemError):
        return error
    title = _PROBLEM_TITLES.get(error.http_status, error.code)
    detail = _PROBLEM_DETAILS.get(error.code, error.message)
    return ProblemError(error.http_status, title, detail, error.hint)


class Erreur(BaseModel):
    """Gestion activités opérationnelles v2 error body (published ``Erreur``)."""

    code: str = Field(examples=["PARAM_INCOHERENT"])
    message: str = Field(examples=["Il faut renseigner exactement un paramètre."])
    details: dict[str, str] | Omitted = omissible(
        "Les paramètres en cause et leur valeur envoyée (absent quand aucun n'est en cause).",
        examples=[{"codeFamille": "GDD100", "codeDomaine": "GDD"}],
    )


def in_family(path: str, error: SandboxError) -> SandboxError:
    """An error as the family of ``path`` words it (back-end errors become its body's kind)."""
    if not isinstance(error, BackendError):
        return error
    family = family_of(path)
    if family is ErrorFamily.PROBLEM:
        return as_problem(error)
    if family is ErrorFamily.CODE_MESSAGE and not isinstance(error, CodeMessageError):
        return CodeMessageError(error.http_status, error.code, error.message, error.hint)
    return error


class SpringErrorBody(BaseModel):
    """Spring Boot's default error body, as Orientation usager publishes its 400 and 500."""

    timestamp: str = Field(examples=["2024-08-01T12:51:59.196+00:00"])
    status: int = Field(examples=[400])
    error: str = Field(examples=["Bad Request"])
    message: str = Field(
        examples=[
            "Le champ etatOrientation doit avoir une de ces valeurs : [BROUILLON, EN_ATTENTE, "
            "OUVERT, CLOTURE]"
        ]
    )
    path: str = Field(examples=["/api-orientationusager/v1/orientation"])


_REASONS = {
    400: "Bad Request",
    409: "Conflict",
    413: "Payload Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def spring_body(error: SpringError, path: str, now: dt.datetime) -> dict[str, Any]:
    """The Spring Boot body of an error on a public path, stamped at ``now`` (UTC)."""
    stamp = now.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    return SpringErrorBody(
        timestamp=stamp,
        status=error.http_status,
        error=_REASONS.get(error.http_status, "Error"),
        message=error.message,
        path=SPRING_PATHS.get(path, path),
    ).model_dump()


Responses = dict[int | str, dict[str, Any]]


def gateway_responses(*statuses: int) -> Responses:
    """OpenAPI entries for the gateway's empty-body refusals."""
    descriptions = {
        302: "En-têtes pa-* absents : la passerelle redirige vers l'authentification agent.",
        401: "Passerelle, corps vide : jeton d'accès absent, invalide, expiré ou d'un autre "
        "realm ; en-têtes pa-* vides.",
        403: 'Passerelle, corps vide (`WWW-Authenticate: Bearer error="insufficient_scope"`) : '
        "le jeton d'accès n'a pas les scopes de cette API.",
    }
    return {status: {"description": descriptions[status]} for status in statuses}


JETON_ERRORS: Responses = {
    400: {"model": BackendErrorBody, "description": "Jeton usager absent ou vide."},
    401: {
        "model": BackendErrorBody,
        "description": "Jeton d'accès refusé par la passerelle (corps vide), ou jeton usager "
        "invalide, altéré ou expiré (corps codeErreur).",
    },
    403: {
        "model": BackendErrorBody,
        "description": "Scopes insuffisants (corps vide), jeton usager délivré à une autre "
        "application (`ERR_JETON_USAGER_NON_AUTORISE`), usager non allocataire du RSA "
        "(`ERR_USAGER_HORS_PERIMETRE`) ou rattaché à un autre département que l'accédant "
        "(`ERR_USAGER_NON_RATTACHE`) ; corps codeErreur.",
    },
}
"""The refusals every read taking a jeton shares (the jeton, the gateway, the access rule)."""


def merge_responses(*groups: Responses) -> Responses:
    """The OpenAPI entries of several sources (the route's, the gateway's…), none overwritten.

    A status two sources share keeps every description and the documented body: a 403 can be
    the gateway's bodiless refusal or the API's own body, and a client must read both.
    """
    merged: Responses = {}
    for group in groups:
        for status, entry in group.items():
            current = merged.get(status)
            if current is None:
                merged[status] = dict(entry)
                continue
            both = " Ou : ".join(e["description"] for e in (current, entry) if e.get("description"))
            merged[status] = {**entry, **current, "description": both}
    return merged


def error_body(code: ReturnCode, generation: int) -> dict[str, Any]:
    """The body of a Recherche usager return code that answers an error, as the route sends it."""
    info = RETURN_CODES[code]
    if generation == 2:
        return RechercheErrorV2(code_retour=code, message=info.message_v2).model_dump(by_alias=True)
    return RechercheErrorV1(code_retour=code, message=info.message_v1).model_dump(by_alias=True)


def render(error: SandboxError, path: str = "", now: dt.datetime | None = None) -> Response:
    """Return the documented response of an error, with its developer hint.

    ``path`` and ``now`` (the request's path and the instance's clock) stamp a Spring Boot body.
    """
    headers = {HINT_HEADER: _header_safe(error.hint)}
    if isinstance(error, SpringError):
        body_s = spring_body(error, path, now or dt.datetime.now(dt.UTC))
        return JSONResponse(body_s, error.http_status, headers)
    if isinstance(error, OAuthError):
        body = OAuthErrorBody(error=error.error, error_description=error.description)
        return JSONResponse(body.model_dump(), error.http_status, headers={**headers, **NO_STORE})
    if isinstance(error, RechercheError):
        return JSONResponse(error_body(error.code, error.generation), error.http_status, headers)
    if isinstance(error, CodeMessageError):
        details = {k: v for k, v in (error.details or {}).items() if v is not None}
        body_c = Erreur(code=error.code, message=error.message, details=details or None)
        return JSONResponse(body_c.model_dump(), error.http_status, headers)
    if isinstance(error, ProblemError):
        body_p = ProblemDetails(status=error.http_status, title=error.title, detail=error.detail)
        return JSONResponse(body_p.model_dump(), error.http_status, headers)
    if isinstance(error, BackendError):
        body_b = BackendErrorBody(
            code_erreur=error.code, code_http=error.http_status, message=error.message
        )
        return JSONResponse(body_b.model_dump(by_alias=True), error.http_status, headers)
    if isinstance(error, GatewayError):
        if error.www_authenticate:
            headers["WWW-Authenticate"] = error.www_authenticate
        if error.location:
            headers["Location"] = error.location
        return Response(
            status_code=error.http_status, headers=headers, media_type="application/json"
        )
    return Response(status_code=error.http_status, headers=headers)


def invalid_request(path: str, hint: str, message: str | None = None) -> SandboxError:
    """The error a malformed request gets on a path, in that path's family.

    ``message`` is the platform's message where the family's body carries one (Spring Boot).
    """
    family = family_of(path)
    if family is ErrorFamily.OAUTH:
        return OAuthError("invalid_request", "The request is missing a required parameter", hint)
    if family is ErrorFamily.RECHERCHE_V2:
        return RechercheError(ReturnCode.R997, 2, hint)
    if family is ErrorFamily.RECHERCHE_V1:
        return RechercheError(ReturnCode.R997, 1, hint)
    if family is ErrorFamily.CONTROL:
        # The control plane is ours, not the platform's: its body says what is wrong.
        return BackendError(400, "ERR_COMMANDE_INVALIDE", f"Commande invalide : {hint}", hint)
    if family is ErrorFamily.PROBLEM:
        return ProblemError(
            400, "DonneeEnEntreeInvalideException", "Les données fournies sont invalides", hint
        )
    if family is ErrorFamily.CODE_MESSAGE:
        return CodeMessageError(400, "PARAM_INCOHERENT", "Les paramètres sont invalides.", hint)
    if family is ErrorFamily.SPRING:
        return SpringError(400, message or "Les paramètres d'entrées sont incorrects", hint)
    return BackendError(400, "ERR_DONNEE_INCORRECTE", "Les données fournies sont incorrectes", hint)


def too_large(path: str, limit: int) -> SandboxError:
    """The 413 a body over its route family's limit gets, in that path's family body."""
    hint = f"The request body exceeds {limit} bytes, the limit of this route (README, Limits)."
    family = family_of(path)
    if family is ErrorFamily.OAUTH:
        return OAuthError("invalid_request", "The request body is too large", hint, 413)
    if family in (ErrorFamily.RECHERCHE_V2, ErrorFamily.RECHERCHE_V1):
        generation = 2 if family is ErrorFamily.RECHERCHE_V2 else 1
        return RechercheError(ReturnCode.R997, generation, hint, 413)
    message = f"Le corps de la requête dépasse {limit} octets"
    if family is ErrorFamily.SPRING:
        return SpringError(413, message, hint)
    return in_family(path, BackendError(413, "ERR_REQUETE_TROP_VOLUMINEUSE", message, hint))


def fault_error(status: int, path: str, hint: str) -> SandboxError:
    """An injected technical error, in the family of the path that suffers it."""
    family = family_of(path)
    if status in (502, 504) or family is ErrorFamily.OAUTH:
        return GatewayError(status, hint)
    if family in (ErrorFamily.RECHERCHE_V2, ErrorFamily.RECHERCHE_V1):
        code = ReturnCode.R999 if status == 503 else ReturnCode.R998
        return RechercheError(code, 2 if family is ErrorFamily.RECHERCHE_V2 else 1, hint)
    if family is ErrorFamily.PROBLEM:
        return ProblemError(status, "Exception", "Une erreur technique s'est produite", hint)
    if family is ErrorFamily.CODE_MESSAGE:
        return CodeMessageError(status, "ERREUR_TECHNIQUE", "Problème serveur.", hint)
    if family is ErrorFamily.SPRING:
        # The message of the published 500 example (v2 modificationOrientation).
        message = "Service indisponible" if status == 503 else "Une erreur inconnue est survenue"
        return SpringError(status, message, hint)
    if status == 503:
        return BackendError(503, "ERR_SERVICE_INDISPONIBLE", "Service indisponible", hint)
    return BackendError(status, "ERR_TECHNIQUE", "Une erreur technique est survenue", hint)


def _describe(exc: RequestValidationError, content_type: str | None) -> str:
    if any(e.get("loc") == ("body",) and isinstance(e.get("input"), bytes) for e in exc.errors()):
        # FastAPI reads a body as JSON only under a JSON Content-Type; say so, not "not a dict".
        sent = f"'{content_type}'" if content_type else "none"
        return (
            f"Send the body as JSON with 'Content-Type: application/json' (Content-Type: {sent})."
        )
    parts = []
    for error in exc.errors()[:3]:
        location = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{location}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def spring_message(exc: RequestValidationError) -> str:
    """The published wording of the first invalid field, with the back-end's camelCase name.

    As the published examples: « Le champ contrainteSante doit avoir une de ces valeurs : [...] »,
    « Le champ etatDecision est obligatoire ».
    """
    for error in exc.errors():
        location = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "header")]
        if not location:
            continue
        field = _camel(location[-1].replace("-", "_"))
        ctx = error.get("ctx") or {}
        if error.get("type") == "missing":
            return f"Le champ {field} est obligatoire"
        if error.get("type") in ("enum", "literal_error") and "expected" in ctx:
            values = ", ".join(
                v.strip(" '") for v in str(ctx["expected"]).replace(" or ", ",").split(",")
            )
            return f"Le champ {field} doit avoir une de ces valeurs : [{values}]"
        return f"Le champ {field} est invalide"
    return "Les paramètres d'entrées sont incorrects"


def _header_safe(text: str) -> str:
    # Header values travel as printable ASCII: accents are folded (é → e), controls become
    # spaces (a control character in a header makes the server drop the connection).
    folded = unicodedata.normalize("NFKD", scrub(text))
    printable = "".join(c if c.isprintable() else " " for c in folded)
    return printable.encode("ascii", "ignore").decode("ascii")[:300]


def unknown_route_hint(method: str, path: str) -> str:
    """What a 404 tells the developer: the API is real but not simulated, or the route is wrong."""
    api = catalogued_api_of_path(path)
    if api is not None and not api.served:
        return (
            f"{api.title} ({api.api_scope}) is in France Travail's catalogue but not simulated "
            "by this sandbox."
        )
    return f"No such route: {method} {path}"


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route serves on this path."""
    methods: set[str] = set()
    for context in iter_route_contexts(app.routes):
        if context.path and context.methods and compile_path(context.path)[0].match(path):
            methods |= context.methods
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    """Make every error answer in its documented shape; nothing falls back to 422 or 500."""

    def now(request: Request) -> dt.datetime:
        runtime = getattr(request.app.state, "runtime", None)
        return runtime.clock.now() if runtime is not None else dt.datetime.now(dt.UTC)

    async def on_sandbox_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SandboxError)
        return render(in_family(request.url.path, exc), request.url.path, now(request))

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        for error in exc.errors():
            location = tuple(error.get("loc", ()))
            if error.get("type") in _ABSENT and location[:1] == ("header",):
                documented = MISSING_HEADER_ERRORS.get(str(location[-1]))
                if documented is not None:
                    path = request.url.path
                    return render(in_family(path, documented()), path, now(request))
        own = VALIDATION_ERRORS.get(request.url.path)
        if own is not None:
            path = request.url.path
            return render(in_family(path, own(list(exc.errors()))), path, now(request))
        hints = MISSING_FIELD_HINTS.get(request.url.path, {})
        missing = [
            hints[str(e["loc"][-1])]
            for e in exc.errors()
            if e.get("type") == "missing" and str(e.get("loc", ("",))[-1]) in hints
        ]
        hint = missing[0] if missing else _describe(exc, request.headers.get("content-type"))
        path = request.url.path
        message = spring_message(exc) if family_of(path) is ErrorFamily.SPRING else None
        return render(invalid_request(path, hint, message), path, now(request))

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:
            path = request.url.path
            return render(invalid_request(path, str(exc.detail)), path, now(request))
        body = BackendErrorBody(
            code_erreur="ERR_RESSOURCE_INCONNUE" if exc.status_code == 404 else "ERR_HTTP",
            code_http=exc.status_code,
            message=str(exc.detail),
        )
        headers = dict(exc.headers or {})
        hint = unknown_route_hint(request.method, request.url.path)
        if exc.status_code == 405:
            # Starlette names the methods of the first matching route only.
            allowed = ", ".join(allowed_methods(request.app, request.url.path))
            headers["Allow"] = allowed
            hint = f"{request.method} is not served on {request.url.path}: use {allowed}."
        headers[HINT_HEADER] = _header_safe(hint)
        return JSONResponse(body.model_dump(by_alias=True), exc.status_code, headers=headers)

    app.add_exception_handler(SandboxError, on_sandbox_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
