"""Control-plane routes: health and per-client state reset (admin token only)."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, ConfigDict, Field

from sandbox.apis.deps import RuntimeDep
from sandbox.errors import GatewayError
from sandbox.runtime import Runtime

router = APIRouter(prefix="/_sandbox", tags=["Control plane"])


def require_admin(
    runtime: RuntimeDep,
    authorization: Annotated[str | None, Header(description="`Bearer <admin token>`")] = None,
) -> Runtime:
    """Only the admin token opens the control plane; partner tokens never do."""
    scheme, _, token = (authorization or "").partition(" ")
    valid = scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), runtime.admin_token.encode()
    )
    if not valid:
        raise GatewayError(
            401,
            "The control plane needs 'Authorization: Bearer <admin token>' "
            "(FT_SANDBOX_ADMIN_TOKEN, or `ft-sandbox admin-token`).",
            www_authenticate='Bearer realm="ft-sandbox-control"',
        )
    return runtime


AdminDep = Annotated[Runtime, Depends(require_admin)]


class Health(BaseModel):
    """What the instance serves."""

    model_config = ConfigDict(extra="forbid")

    status: str = Field(examples=["ok"])
    seed: int
    population_size: int
    personas: int


class ResetRequest(BaseModel):
    """Whose state to wipe."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1, examples=["PAR_ftsandbox_cd62"])


class ResetResult(BaseModel):
    """How many documents were removed."""

    model_config = ConfigDict(extra="forbid")

    client_id: str
    documents_removed: int


_ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Admin token missing or wrong (empty body)."}
}


@router.get("/health", operation_id="sandboxHealth", response_model=Health, responses=_ADMIN_ERRORS)
async def health(runtime: AdminDep) -> Health:
    """Instance health and population figures."""
    population = runtime.population
    return Health(
        status="ok",
        seed=population.seed,
        population_size=population.size,
        personas=len(population.personas),
    )


@router.post(
    "/reset", operation_id="sandboxReset", response_model=ResetResult, responses=_ADMIN_ERRORS
)
async def reset(body: ResetRequest, runtime: AdminDep) -> ResetResult:
    """Wipe everything one OAuth client wrote (diagnostics, contraintes…)."""
    removed = runtime.store.reset(body.client_id)
    return ResetResult(client_id=body.client_id, documents_removed=removed)
