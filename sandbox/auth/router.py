"""The OAuth2 token endpoint (client credentials), realm in the query string."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from sandbox.apis.deps import RuntimeDep
from sandbox.apis.responses import NO_STORE, OAuthErrorBody
from sandbox.auth.grant import grant_scopes
from sandbox.auth.tokens import TOKEN_LIFETIME_SECONDS

router = APIRouter(tags=["OAuth2"])


class AccessToken(BaseModel):
    """A granted token; ``scope`` echoes the granted scopes, space-separated."""

    scope: str
    expires_in: int = Field(examples=[TOKEN_LIFETIME_SECONDS])
    token_type: str = Field(examples=["Bearer"])
    access_token: str


@router.post(
    "/connexion/oauth2/access_token",
    operation_id="genererAccessToken",
    summary="Générer un access token (client credentials)",
    response_model=AccessToken,
    responses={
        400: {
            "model": OAuthErrorBody,
            "description": "invalid_client, invalid_scope, unsupported_grant_type, invalid_request",
        }
    },
)
async def access_token(
    runtime: RuntimeDep,
    realm: Annotated[str | None, Query(description="`/agent` ou `/partenaire`")] = None,
    grant_type: Annotated[str | None, Form()] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
    scope: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    """Issue a bearer token valid 1499 s for the requested scopes of one realm."""
    granted_client, granted_realm, scopes = grant_scopes(
        runtime.clients, realm, grant_type, client_id, client_secret, scope
    )
    token = runtime.tokens.issue(granted_client, granted_realm, scopes, runtime.clock.timestamp())
    body = AccessToken(
        scope=" ".join(scopes),
        expires_in=TOKEN_LIFETIME_SECONDS,
        token_type="Bearer",
        access_token=token,
    )
    return JSONResponse(
        body.model_dump(), headers=NO_STORE, media_type="application/json;charset=UTF-8"
    )
