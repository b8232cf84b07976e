"""OpenAPI documents cut from the application: per API and generation, token, control plane.

The same post-processing serves ``/openapi.json`` and the exported files in ``contracts/``: the
platform's OAuth2 security requirements (exact scopes per API and realm) on every partner
operation, and OpenAPI links from Recherche usager's jeton/identifiant to the APIs that take it,
which is what lets Schemathesis chain calls statefully.

OpenAPI links only name operations of their own document, so each per-API document that takes a
jeton (or an identifiant) also carries the Recherche usager operations of its generation, marked
``x-operation-incluse`` and said so in their description: every exported file is usable alone by
a stateful run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from sandbox.apis.catalogue import (
    AUTHORIZATION_CODE_APIS,
    AUTHORIZATION_CODE_SCHEME,
    BUSINESS_RULES,
    CONTRACTS,
    RESOURCE_LINKS,
    TOKEN_URL,
    authorization_code_scheme,
    scheme_name,
    security_scheme,
)
from sandbox.apis.deps import CHECK_SCOPES, GATEWAY_CHECKS
from sandbox.apis.differences import differences_section
from sandbox.apis.limits import body_limit
from sandbox.apis.responses import ErrorFamily, family_of
from sandbox.auth.scopes import API_ACCESS, Api, Realm

JETON_HEADER = "ft-jeton-usager"
CONTROL_PREFIX = "/_sandbox"
TOKEN_DOCUMENT = "token"
CONTROL_DOCUMENT = "control-plane"
DROP_PREFIX = "/depot-fichiers/"
DROP_DOCUMENT = "depot-fichiers"
DROP_DESCRIPTION = (
    "Dépôt de fichiers du bac à sable : la « solution de partage de fichiers sécurisée … délai "
    "d'expiration court » de la convention (Annexe 3), pour les fichiers d'échange (Annexe 1, "
    "Annexe 3 §1.1, Annexe 4). **Ce n'est pas une API de France Travail** : propre au bac à "
    "sable, hors de `/partenaire/`. Ouvert par le jeton d'accès OAuth du client, de l'un ou "
    "l'autre realm, sans scope particulier ; jeton absent ou invalide : 401 sans corps, comme la "
    "passerelle. Chaque client ne voit que ses dépôts (404 pour ceux d'un autre).\n\n"
    "Chaque fichier est contrôlé (le contrôleur de `ft-conformance files check`), conservé avec "
    "son rapport (valeurs masquées) pendant `FT_SANDBOX_DROP_RETENTION_DAYS` jours (7 par "
    "défaut) sur l'horloge du bac à sable, puis effacé (contenu, rapport, métadonnées). Un "
    "fichier Annexe 1 accepté inscrit ses personnes pour ce client : Rechercher usager (v1 et "
    "v2) les trouve ensuite (S001), pour lui seul, et Statut usager donne la catégorie 1, 2 ou 3 "
    "si l'orientation est France Travail, 5 sinon (convention, article 1). Un fichier de "
    "pilotage Annexe 4 accepté reçoit en retour le fichier d'indicateurs Annexe 4, déposé à côté "
    "(`depotIndicateurs`). Limites et décisions : README « File drop » et « Limits », "
    "contracts/files/README.md."
)
SANDBOX_SERVER = {"url": "http://127.0.0.1:8080", "description": "ft-sandbox (local)"}

Document = dict[str, Any]

PRODUCERS: dict[Realm, Api] = {
    Realm.AGENT: Api.RECHERCHE_USAGER_V2,
    Realm.PARTENAIRE: Api.RECHERCHE_USAGER_V1,
}
"""The API whose output (jeton, identifiant) every other API of a realm takes as input."""
INCLUDED_KEY = "x-operation-incluse"


def _check_of_dependant(dependant: Dependant) -> Any:
    if dependant.call is not None and dependant.call in GATEWAY_CHECKS:
        return dependant.call
    for sub in dependant.dependencies:
        found = _check_of_dependant(sub)
        if found is not None:
            return found
    return None


def _check_of(route: RouteContext) -> Any:
    original = route.original_route
    return _check_of_dependant(original.dependant) if isinstance(original, APIRoute) else None


def api_of(route: RouteContext) -> Api | None:
    """The partner API a route belongs to: the API whose gateway check it declares."""
    check = _check_of(route)
    return GATEWAY_CHECKS[check] if check is not None else None


def scopes_of(route: RouteContext) -> tuple[str, ...]:
    """The scopes a route's gateway check wants (its API's, or the operation's own)."""
    check = _check_of(route)
    return CHECK_SCOPES[check] if check is not None else ()


def partner_routes(app: FastAPI) -> list[RouteContext]:
    """Every documented route of the application, with its effective path."""
    return [
        context
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute) and context.original_route.include_in_schema
    ]


def _path(route: RouteContext) -> str:
    return route.path or ""


def _operation_id(route: RouteContext) -> str | None:
    original = route.original_route
    return original.operation_id if isinstance(original, APIRoute) else None


def _operations(document: Document) -> list[tuple[str, str, Document]]:
    return [
        (path, method, operation)
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    ]


def _secure(document: Document, routes: list[RouteContext]) -> None:
    by_operation = {_operation_id(r): api_of(r) for r in routes if _operation_id(r)}
    scopes_by_operation = {_operation_id(r): scopes_of(r) for r in routes if _operation_id(r)}
    realms: set[Realm] = set()
    extra: dict[str, Document] = {}
    for _, _, operation in _operations(document):
        api = by_operation.get(operation["operationId"])
        if api is None:
            continue
        access = API_ACCESS[api]
        realms.add(access.realm)
        scopes = scopes_by_operation[operation["operationId"]]
        operation["security"] = [{scheme_name(access.realm): list(scopes)}]
        if api in AUTHORIZATION_CODE_APIS:
            # Either scheme opens the operation, as published.
            operation["security"].append({AUTHORIZATION_CODE_SCHEME: list(access.scopes)})
            extra[AUTHORIZATION_CODE_SCHEME] = authorization_code_scheme(access.scopes)
    if realms:
        schemes = document.setdefault("components", {}).setdefault("securitySchemes", {})
        for realm in sorted(realms):
            schemes[scheme_name(realm)] = security_scheme(realm)
        schemes.update(extra)


def _parameters(operation: Document) -> dict[str, str]:
    return {p["name"]: p["in"] for p in operation.get("parameters", [])}


def _link(document: Document) -> None:
    """Chain Recherche usager to every operation of the document that takes its output."""
    operations = _operations(document)
    jeton_targets, identifiant_targets = _consumers(document)
    # An operation taking what another created (a rendez-vous' id) is reached from that one,
    # which passes the same jeton on: a jeton alone never names its resource.
    for _, targets in RESOURCE_LINKS.values():
        for target in targets:
            jeton_targets.pop(target, None)
    for path, _, operation in operations:
        targets = jeton_targets if "/v2/usagers/" in path else identifiant_targets
        if "/rechercher-usager/" not in path or not targets:
            continue
        ok = operation.get("responses", {}).get("200")
        if ok is not None:
            ok["links"] = {
                f"to_{target}": {"operationId": target, **mapping}
                for target, mapping in sorted(targets.items())
            }


def _resource_links(document: Document) -> None:
    """Chain an operation creating a resource to the operations of its document taking its id."""
    ids = {operation["operationId"] for _, _, operation in _operations(document)}
    for _, _, operation in _operations(document):
        found = RESOURCE_LINKS.get(operation["operationId"])
        response = operation.get("responses", {}).get(found[0]) if found else None
        if found is None or response is None:
            continue
        response["links"] = {
            f"to_{target}": {"operationId": target, **mapping}
            for target, mapping in sorted(found[1].items())
            if target in ids
        }


def _consumers(document: Document) -> tuple[dict[str, Document], dict[str, Document]]:
    """The operations taking a jeton, and those taking an identifiant, with their link mapping."""
    jeton_targets: dict[str, Document] = {}
    identifiant_targets: dict[str, Document] = {}
    for path, _, operation in _operations(document):
        if "/rechercher-usager/" in path:
            continue
        params = _parameters(operation)
        op_id = operation["operationId"]
        if params.get(JETON_HEADER) == "header":
            jeton_targets[op_id] = {
                "parameters": {f"header.{JETON_HEADER}": "$response.body#/jetonUsager"}
            }
        elif "{identifiant}" in path:
            identifiant_targets[op_id] = {
                "parameters": {"path.identifiant": "$response.body#/identifiant"}
            }
        elif "id-national" in params:
            location = params["id-national"]
            identifiant_targets[op_id] = {
                "parameters": {f"{location}.id-national": "$response.body#/identifiant"}
            }
        elif _body_has(document, operation, "idNat"):
            identifiant_targets[op_id] = {"requestBody": {"idNat": "$response.body#/identifiant"}}
    return jeton_targets, identifiant_targets


def _body_has(document: Document, operation: Document, field: str) -> bool:
    schema = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
    )
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return field in schema.get("properties", {})


def _document(app: FastAPI, routes: list[RouteContext], title: str, description: str) -> Document:
    document = get_openapi(
        title=title,
        version=app.version,
        description=description,
        routes=routes,
        servers=[SANDBOX_SERVER],
    )
    _drop_framework_422(document)
    _body_limits(document)
    _secure(document, routes)
    _technical_errors(document)
    _link(document)
    _resource_links(document)
    _business_rules(document)
    return document


def _body_limits(document: Document) -> None:
    """Every operation that takes a body documents the 413 past its family's limit."""
    for path, _, operation in _operations(document):
        responses = operation.get("responses", {})
        if "requestBody" not in operation or "413" in responses:
            continue
        entry: Document = {
            "description": f"Corps de requête de plus de {body_limit(path)} octets (limite du "
            "bac à sable, README « Limits »), refusé avant toute lecture, dans le corps "
            "d'erreur de l'API."
        }
        if "content" in responses.get("400", {}):
            entry["content"] = responses["400"]["content"]
        responses["413"] = entry


def _technical_errors(document: Document) -> None:
    """Every partner operation documents the 500 its published file lists (faults serve it)."""
    for path, _, operation in _operations(document):
        responses = operation.get("responses", {})
        if "security" not in operation or "500" in responses:
            continue
        body = (
            "corps Spring Boot de l'API (« Une erreur inconnue est survenue », exemple publié)"
            if family_of(path) is ErrorFamily.SPRING
            else "corps d'erreur de l'API (`ERR_TECHNIQUE`)"
        )
        entry: Document = {
            "description": "Une erreur technique est survenue (statut publié). Le bac à sable ne "
            f"la sert que sous un profil de pannes (README « Faults ») : {body}, ou corps vide "
            "quand la règle simule la passerelle."
        }
        if "content" in responses.get("400", {}):
            entry["content"] = responses["400"]["content"]
        responses["500"] = entry


BUSINESS_RULES_KEY = "x-regles-metier"


def _business_rules(document: Document) -> None:
    for _, _, operation in _operations(document):
        rules = BUSINESS_RULES.get(operation["operationId"])
        if rules:
            operation[BUSINESS_RULES_KEY] = rules


def _drop_framework_422(document: Document) -> None:
    """FastAPI documents a 422 it never sends here: malformed input gets each family's 400."""
    for _, _, operation in _operations(document):
        responses = operation.get("responses", {})
        # A route's own 422 (a published functional error) stays.
        if "HTTPValidationError" in json.dumps(responses.get("422", {})):
            del responses["422"]
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


def full_document(app: FastAPI) -> Document:
    """The document served at ``/openapi.json``: every partner API and the token endpoint."""
    routes = [
        r for r in partner_routes(app) if not _path(r).startswith((CONTROL_PREFIX, DROP_PREFIX))
    ]
    return _document(app, routes, app.title, app.description)


def documents(app: FastAPI) -> dict[str, Document]:
    """Every published document, keyed by its file stem."""
    routes = partner_routes(app)
    result: dict[str, Document] = {}
    for api, info in CONTRACTS.items():
        selected = [r for r in routes if api_of(r) is api]
        if not selected:
            continue
        description = info.description + differences_section(api)
        document = _document(app, selected, info.title, description)
        producer = PRODUCERS[API_ACCESS[api].realm]
        if api is not producer and any(_consumers(document)):
            included = [r for r in routes if api_of(r) is producer]
            document = _document(app, included + selected, info.title, description)
            _mark_included(document, routes, producer)
        result[api.value] = document
    token_routes = [r for r in routes if _path(r) == TOKEN_URL]
    result[TOKEN_DOCUMENT] = _document(
        app,
        token_routes,
        "Génération d'un access token (OAuth2 client credentials)",
        "Realm dans l'URL (`?realm=/agent` ou `?realm=/partenaire`), jamais dans le corps. "
        "Réponse `expires_in: 1499` avec `Cache-Control: no-store` et `Pragma: no-cache` ; erreurs "
        "HTTP 400 `invalid_request` (champ du formulaire absent : `grant_type`, `client_id`, "
        "`client_secret` et `scope` sont obligatoires), `invalid_client`, `invalid_scope`, "
        "`unsupported_grant_type`. Seul le flux client credentials est servi.",
    )
    drop_routes = [r for r in routes if _path(r).startswith(DROP_PREFIX)]
    if drop_routes:
        document = _document(app, drop_routes, "Dépôt de fichiers (bac à sable)", DROP_DESCRIPTION)
        _any_token(document)
        result[DROP_DOCUMENT] = document
    control_routes = [r for r in routes if _path(r).startswith(CONTROL_PREFIX)]
    if control_routes:
        result[CONTROL_DOCUMENT] = _document(
            app,
            control_routes,
            "ft-sandbox control plane",
            "The sandbox's own routes (not part of France Travail's platform), protected by the "
            "admin token (`Authorization: Bearer <admin token>`), never by a partner token.",
        )
    return result


def _any_token(document: Document) -> None:
    """The drop's operations take a token of either realm, with no particular scope."""
    schemes = document.setdefault("components", {}).setdefault("securitySchemes", {})
    for realm in sorted(Realm):
        schemes[scheme_name(realm)] = security_scheme(realm)
    for _, _, operation in _operations(document):
        operation["security"] = [{scheme_name(realm): []} for realm in sorted(Realm)]


def _mark_included(document: Document, routes: list[RouteContext], producer: Api) -> None:
    """Say on each operation of ``producer`` that it belongs to another document."""
    ids = {_operation_id(r) for r in routes if api_of(r) is producer}
    title = CONTRACTS[producer].title
    for _, _, operation in _operations(document):
        if operation["operationId"] in ids:
            operation[INCLUDED_KEY] = producer.value
            operation["description"] = (
                f"**Opération de l'API {title}** (document `{producer.value}.json`), incluse ici "
                "parce que ses liens OpenAPI (`links`) donnent aux opérations de ce document la "
                "référence d'usager qu'elles prennent : un client ou un test avec état "
                "(Schemathesis) enchaîne les appels avec ce seul fichier.\n\n"
                + operation.get("description", "")
            ).strip()


def render(document: Document) -> str:
    """The canonical text of a document (stable across runs)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export(app: FastAPI, directory: Path, check: bool = False) -> list[str]:
    """Write (or with ``check``, compare) every document; returns the names that differ."""
    directory.mkdir(parents=True, exist_ok=True)
    expected = {f"{name}.json": render(doc) for name, doc in documents(app).items()}
    differing = []
    for name, text in sorted(expected.items()):
        path = directory / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            differing.append(name)
            if not check:
                path.write_text(text, encoding="utf-8")
    stale = sorted(p.name for p in directory.glob("*.json") if p.name not in expected)
    differing.extend(stale)
    if not check:
        for name in stale:
            (directory / name).unlink()
    return differing
