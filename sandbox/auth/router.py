"""The OAuth2 token endpoint (client credentials), realm in the query string."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from sandbox.apis.deps import RuntimeDep
from sandbox.apis.responses import MISSING_FIELD_HINTS, NO_STORE, OAuthErrorBody
from sandbox.auth.grant import FORM_HINTS, grant_scopes
from sandbox.auth.tokens import TOKEN_LIFETIME_SECONDS

router = APIRouter(tags=["OAuth2"])
TOKEN_PATH = "/connexion/oauth2/access_token"
MISSING_FIELD_HINTS[TOKEN_PATH] = FORM_HINTS


class AccessToken(BaseModel):
    """A granted token; ``scope`` echoes the granted scopes, space-separated."""

    scope: str
    expires_in: int = Field(examples=[TOKEN_LIFETIME_SECONDS])
    token_type: str = Field(examples=["Bearer"])
    access_token: str


@router.post(
    TOKEN_PATH,
    operation_id="genererAccessToken",
    summary="Générer un access token (client credentials)",
    response_model=AccessToken,
    responses={
        400: {
            "model": OAuthErrorBody,
            "description": "`invalid_request` : un champ du formulaire absent (les quatre sont "
            "obligatoires) ; `unsupported_grant_type` : `grant_type` autre que "
            "`client_credentials` ; `invalid_client` : client inconnu, secret faux, realm absent "
            "ou inconnu ; `invalid_scope` : scope vide, inconnu ou non souscrit.",
        }
    },
)
async def access_token(
    runtime: RuntimeDep,
    grant_type: Annotated[str, Form(description="`client_credentials`.")],
    client_id: Annotated[str, Form(description="Identifiant du client (`PAR_...`).")],
    client_secret: Annotated[str, Form(description="Secret du client.")],
    scope: Annotated[
        str,
        Form(
            description="Scopes demandés, séparés par des espaces (au moins un), ainsi que "
            "`application_<client_id>` si souhaité."
        ),
    ],
    realm: Annotated[
        str | SkipJsonSchema[None],
        Query(description="`/agent` ou `/partenaire` ; absent ou inconnu : 400 `invalid_client`."),
    ] = None,
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
