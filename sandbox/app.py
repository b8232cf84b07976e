"""The application factory: routers, error handlers and log scrubbing, from injected settings."""

from __future__ import annotations

from fastapi import FastAPI

from sandbox.apis import PARTNER_ROUTERS
from sandbox.apis.responses import install_error_handlers
from sandbox.auth.router import router as auth_router
from sandbox.clock import Clock
from sandbox.privacy import install_log_scrubbing
from sandbox.runtime import build_runtime
from sandbox.settings import Settings

DESCRIPTION = """\
Simulation locale de la plateforme d'API partenaires de France Travail (francetravail.io) pour
les API de la convention Pas-de-Calais n° 2024-253 (Annexe 2), en deux générations : v2 (realm
`/agent`, `jetonUsager` en en-tête `ft-jeton-usager`, en-têtes `pa-*`) et v1 (realm
`/partenaire`, identifiant national chiffré). Population entièrement synthétique.
"""


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """Build a sandbox application; tests pass their own settings and a frozen clock."""
    settings = settings or Settings()
    app = FastAPI(
        title="ft-sandbox — API partenaires France Travail",
        version="0.1.0",
        description=DESCRIPTION,
    )
    app.state.runtime = build_runtime(settings, clock)
    install_error_handlers(app)
    app.include_router(auth_router)
    for router in PARTNER_ROUTERS:
        app.include_router(router)
    install_log_scrubbing("uvicorn", "uvicorn.access", "uvicorn.error", "sandbox")
    return app
