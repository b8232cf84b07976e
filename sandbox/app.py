"""The application factory: routers, error handlers and log scrubbing, from injected settings."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.routing import compile_path

from sandbox.admin.panel import install_panel
from sandbox.admin.reports import router as reports_router
from sandbox.admin.router import router as admin_router
from sandbox.admin.suivi_comptes import router as suivi_comptes_router
from sandbox.admin.suivi_parcours import router as suivi_parcours_router
from sandbox.apis import PARTNER_ROUTERS, metiers_projets_v2
from sandbox.apis.contracts import full_document
from sandbox.apis.depot_fichiers.router import router as depot_router
from sandbox.apis.limits import BodyLimitMiddleware
from sandbox.apis.recherche_usager.fastpath import RechercheFastPath
from sandbox.apis.responses import install_error_handlers
from sandbox.auth.router import router as auth_router
from sandbox.clock import Clock
from sandbox.faults.middleware import FaultMiddleware, install_fault_logging
from sandbox.privacy import install_log_scrubbing
from sandbox.runtime import build_runtime
from sandbox.settings import Settings
from sandbox.web import STATIC_PATH, static_files
from sandbox.web.suivi import router as suivi_pages_router

DESCRIPTION = """\
Simulation locale de la plateforme d'API partenaires de France Travail (francetravail.io) pour
les API de la convention Pas-de-Calais n° 2024-253 (Annexe 2), en deux générations : v2 (realm
`/agent`, `jetonUsager` en en-tête `ft-jeton-usager`, en-têtes `pa-*`) et v1 (realm
`/partenaire`, identifiant national chiffré). Population entièrement synthétique.

## Lectures de la convention et décisions (incertitudes de la référence)

- **Statut usager v1** : aucun chemin public ; chemin reconstruit `POST
  /partenaire/statut-usager/v1/statut` (corps `{"idNat": ...}`) et scope `api_statut-usagerv1`.
- **dateInscription12/24/36** (« Date d'inscription dans les 12/24/36 derniers mois ») : servis
  comme **nombres entiers de mois** d'inscription dans la fenêtre, comme `m_duree_inscription_NN`
  en v2 ; la convention donne un format de date pour `dateEffetStatut` mais aucun pour ces champs.
- **Ordre des contrôles de Recherche usager** : inconnu (ou radié depuis plus de 3 ans) → S002 ;
  plusieurs dossiers → S003 ; non allocataire du RSA → R001 ; sans adresse → R998 ; rattaché à un
  autre département que le client → R002 ; sinon S001.
- **Messages** : v2 « Usager trouvé » (exemples OpenAPI), v1 « Approchant trouvé » (clients de
  l'époque de la convention) ; `topIdentiteCertifiee` vaut `O`/`N`, `null` hors S001.
- **Jeton usager refusé** (comportement non documenté) : absent 400, invalide ou altéré 401
  `ERR_JETON_USAGER_INVALIDE`, expiré 401 `ERR_JETON_USAGER_EXPIRE`, délivré à une autre
  application 403 `ERR_JETON_USAGER_NON_AUTORISE`, au format `{codeErreur, codeHttp, message}`.
  Jetons et identifiants sont authentifiés en entier : toute modification de l'enveloppe
  (`vers`, `uuid`, `type`, `expire`) ou de la moitié uuid d'un identifiant est refusée (401).
- **Une règle d'accès pour les deux générations** : seulement les allocataires du RSA (sinon 403
  `ERR_USAGER_HORS_PERIMETRE`) rattachés au département du client (sinon 403
  `ERR_USAGER_NON_RATTACHE`, la règle R002), vérifiée à chaque appel : l'identifiant v1 est le
  même pour tous les clients.
- **Passerelle** : jeton d'accès absent, invalide, expiré ou d'un autre realm → 401 sans corps ;
  scopes manquants → 403 sans corps ; en-têtes `pa-*` absents → 302, vides → 401. L'en-tête
  `X-Sandbox-Hint` (propre au bac à sable) dit quoi corriger.
- **m_messageErreur** vaut `" "` (espace) en cas de succès, comme dans les exemples publiés.
"""


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """Build a sandbox application; tests pass their own settings and a frozen clock."""
    settings = settings or Settings()
    runtime = build_runtime(settings, clock)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        # What the journal still buffers is written before the process ends.
        runtime.journal.close()

    # Swagger UI and ReDoc from packaged assets: users' networks often have no CDN access.
    app = FastAPIOffline(
        title="ft-sandbox — API partenaires France Travail",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    journaled = [auth_router, *PARTNER_ROUTERS, metiers_projets_v2(settings.metiers_shape)]
    journaled.append(depot_router)
    for router in journaled:
        app.include_router(router)
    app.include_router(admin_router)
    app.include_router(reports_router)
    app.include_router(suivi_parcours_router)
    install_panel(app)
    app.include_router(suivi_comptes_router)
    app.include_router(suivi_pages_router)
    app.mount(STATIC_PATH, static_files, name="static")
    # Starlette wraps the last added outermost: faults apply (and journal) first, then the
    # body limit, before the fast path or any route reads a body.
    app.add_middleware(RechercheFastPath, runtime=runtime)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(FaultMiddleware, runtime=runtime)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = full_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    runtime.journal.resolve_route = route_resolver(journaled)
    install_log_scrubbing("uvicorn", "uvicorn.access", "uvicorn.error", "sandbox")
    install_fault_logging()
    return app


def route_resolver(routers: list[APIRouter]) -> Callable[[str, str], str | None]:
    """The route template of a call the router never saw (a fast path, an injected fault).

    Used by the journal off the hot path; answers are memoised per (method, path).
    """
    static: dict[tuple[str, str], str] = {}
    templated: list[tuple[str, re.Pattern[str], set[str]]] = []
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                if "{" in route.path:
                    templated.append(
                        (route.path, compile_path(route.path)[0], route.methods or set())
                    )
                else:
                    static.update({(m, route.path): route.path for m in route.methods or ()})
    cache: dict[tuple[str, str], str | None] = {}

    def resolve(method: str, path: str) -> str | None:
        key = (method, path)
        found = static.get(key)
        if found is not None:
            return found
        if key not in cache:
            if len(cache) >= 4096:
                cache.clear()
            cache[key] = next(
                (
                    t
                    for t, pattern, methods in templated
                    if method in methods and pattern.match(path)
                ),
                None,
            )
        return cache[key]

    return resolve
