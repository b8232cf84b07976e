"""Bearer access tokens: issued for one client, one realm and a set of scopes, for 1499 s.

Tokens are sealed rather than stored, so they survive a restart and cost no look-up; they carry
a random nonce so two tokens are never equal.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sandbox.auth.scopes import Realm
from sandbox.sealing import Sealer, SealError

TOKEN_LIFETIME_SECONDS = 1499
_CLIENT_CACHE_SIZE = 4096


class TokenProblem(StrEnum):
    """Why a bearer token was refused."""

    MISSING = "missing"
    INVALID = "invalid"
    EXPIRED = "expired"


class TokenError(ValueError):
    """A bearer token cannot be used; ``problem`` says why."""

    def __init__(self, problem: TokenProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a valid token grants."""

    client_id: str
    realm: Realm
    scopes: frozenset[str]
    expires_at: float


class TokenService:
    """Issues and verifies bearer tokens with the instance's secret key."""

    def __init__(self, secret: bytes) -> None:
        self._sealer = Sealer(secret, "access-token")
        self._clients: dict[str, str | None] = {}
        # Clients reuse a token for 1499 s: opening it once is enough (expiry is checked on
        # every call).
        self._verified: dict[str, TokenClaims] = {}

    def client_of(self, token: str) -> str | None:
        """The client a token names, valid or expired (None if forged); cached per token.

        The fault layer and the journal attribute every call to a client before the gateway
        check runs; clients reuse their token, so the cache makes this nearly free.
        """
        if token in self._clients:
            return self._clients[token]
        try:
            sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            client: str | None = str(json.loads(self._sealer.open(sealed))["c"])
        except (binascii.Error, SealError, ValueError, KeyError, TypeError):
            client = None
        if len(self._clients) >= _CLIENT_CACHE_SIZE:
            self._clients.clear()
        self._clients[token] = client
        return client

    def issue(self, client_id: str, realm: Realm, scopes: list[str], now: float) -> str:
        """Return a new access token valid ``TOKEN_LIFETIME_SECONDS`` from ``now``."""
        payload = {
            "c": client_id,
            "r": realm.value,
            "s": scopes,
            "e": int(now) + TOKEN_LIFETIME_SECONDS,
            "n": secrets.token_hex(4),
        }
        sealed = self._sealer.seal(json.dumps(payload, separators=(",", ":")).encode())
        return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()

    def verify(self, token: str | None, now: float) -> TokenClaims:
        """Return the claims of a token, or raise ``TokenError``."""
        if not token:
            raise TokenError(TokenProblem.MISSING)
        claims = self._verified.get(token)
        if claims is None:
            claims = self._open(token)
            if len(self._verified) >= _CLIENT_CACHE_SIZE:
                self._verified.clear()
            self._verified[token] = claims
        if now >= claims.expires_at:
            raise TokenError(TokenProblem.EXPIRED)
        return claims

    def _open(self, token: str) -> TokenClaims:
        """The claims sealed in a token, whatever its age; ``TokenError`` if it is not ours."""
        try:
            sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            payload = json.loads(self._sealer.open(sealed))
            return TokenClaims(
                client_id=str(payload["c"]),
                realm=Realm(payload["r"]),
                scopes=frozenset(payload["s"]),
                expires_at=float(payload["e"]),
            )
        except (binascii.Error, SealError, ValueError, KeyError, TypeError) as exc:
            raise TokenError(TokenProblem.INVALID) from exc
