"""The client-credentials grant: which scopes a token request obtains, or why it is refused."""

from __future__ import annotations

from sandbox.auth.clients import ClientRegistry
from sandbox.auth.scopes import Realm, scopes_of_realm
from sandbox.errors import OAuthError

APPLICATION_SCOPE_PREFIX = "application_"
GRANT_HINT = "Send grant_type=client_credentials in the form body."
CLIENT_HINT = "Unknown client_id or wrong client_secret (see fixtures/clients.yaml)."
SCOPE_HINT = "Send at least one scope (space-separated) in the form body."
FORM_HINTS = {
    "grant_type": GRANT_HINT,
    "client_id": "Send client_id and client_secret in the form body (see fixtures/clients.yaml).",
    "client_secret": "Send client_id and client_secret in the form body (see "
    "fixtures/clients.yaml).",
    "scope": SCOPE_HINT,
}
"""What a token request missing a form field is told (``invalid_request``)."""


def grant_scopes(
    registry: ClientRegistry,
    realm_param: str | None,
    grant_type: str | None,
    client_id: str | None,
    client_secret: str | None,
    scope: str | None,
) -> tuple[str, Realm, list[str]]:
    """Check a token request; return (client id, realm, granted scopes in request order)."""
    if grant_type != "client_credentials":
        raise OAuthError(
            "unsupported_grant_type",
            f"Grant type is not supported: {grant_type or ''}",
            GRANT_HINT,
        )
    client = registry.get(client_id or "")
    if client is None or not client.secret_matches(client_secret or ""):
        raise OAuthError(
            "invalid_client",
            "Client authentication failed",
            CLIENT_HINT,
        )
    try:
        realm = Realm(realm_param or "")
    except ValueError:
        raise OAuthError(
            "invalid_client",
            "Client authentication failed",
            "Pass the realm in the query string: ?realm=/agent or ?realm=/partenaire "
            "(a realm in the form body is ignored by the platform).",
        ) from None
    requested = [s for s in (scope or "").split(" ") if s]
    allowed = scopes_of_realm(realm) & client.scopes
    application_scope = APPLICATION_SCOPE_PREFIX + client.client_id
    refused = [s for s in requested if s not in allowed and s != application_scope]
    if refused or not requested:
        hint = (
            f"Scopes not available to this client in realm {realm.value}: {' '.join(refused)}. "
            "Remove them from scope, or use a client subscribed to them (fixtures/clients.yaml)."
            if refused
            else SCOPE_HINT
        )
        raise OAuthError("invalid_scope", f"Unknown/invalid scope(s): [{' '.join(refused)}]", hint)
    return client.client_id, realm, list(dict.fromkeys(requested))
