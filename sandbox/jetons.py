"""The person references partners hold: the v2 ``jetonUsager`` and the v1 ``identifiant``.

A jeton looks like the platform's (standard base64 of a JSON envelope with ``vers``, ``uuid``,
``expire`` in epoch milliseconds one day ahead, ``type`` and ``data``) but ``data`` is sealed: it
names the person and the OAuth client it was issued to, so a forged, altered, expired or borrowed
jeton is refused. The v1 identifiant is ``<uuid>#<base64url>``, stable per person and the same
for every client, as on the platform.

Both are authenticated whole: every other field of the envelope and the uuid half of an
identifiant are derived from the sealed part, so a value is accepted only exactly as it was
issued (any field changed, added or removed → invalid). Partners treat them as opaque strings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sandbox.sealing import Sealer, SealError

JETON_LIFETIME_MS = 24 * 3600 * 1000
# Opened jetons are kept, up to this many: a client presents the same jeton call after call.
_OPENED_CACHE_SIZE = 4096


class JetonProblem(StrEnum):
    """Why a jeton (or identifiant) was refused."""

    ABSENT = "absent"
    MALFORMED = "malformed"
    FORGED = "forged"
    EXPIRED = "expired"
    OTHER_CLIENT = "other-client"


class JetonError(ValueError):
    """A jeton or identifiant cannot be used; ``problem`` says why."""

    def __init__(self, problem: JetonProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class JetonClaims:
    """What a valid jeton says."""

    person_key: str
    client_id: str
    expire_ms: int


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PersonReferences:
    """Issues and reads jetons and identifiants with the instance's secret key."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._jeton_sealer = Sealer(secret, "jeton-usager")
        self._identifiant_sealer = Sealer(secret, "identifiant-national")
        self._opened: dict[str, JetonClaims | JetonProblem] = {}

    def _uuid(self, *parts: str) -> str:
        digest = hmac.new(self._secret, "\x1f".join(parts).encode(), hashlib.sha256).digest()
        return str(uuid.UUID(bytes=digest[:16], version=4))

    def issue_jeton(self, person_key: str, client_id: str, now_ms: int) -> str:
        """Return a jeton for one person, valid one day, usable by ``client_id`` only."""
        envelope = self._envelope(JetonClaims(person_key, client_id, now_ms + JETON_LIFETIME_MS))
        return base64.b64encode(json.dumps(envelope, separators=(",", ":")).encode()).decode()

    def _envelope(self, claims: JetonClaims) -> dict[str, object]:
        """The one envelope a jeton with these claims has (sealing is deterministic)."""
        inner = {"k": claims.person_key, "c": claims.client_id, "e": claims.expire_ms}
        sealed = self._jeton_sealer.seal(json.dumps(inner, separators=(",", ":")).encode(), 112)
        uuid_ = self._uuid("jeton", claims.person_key, claims.client_id, str(claims.expire_ms))
        return {
            "vers": "0.1",
            "uuid": uuid_,
            "expire": claims.expire_ms,
            "type": "/partenaire",
            "data": f"{self._uuid('data', claims.person_key)}#{_b64url(sealed)}",
        }

    def read_jeton(self, jeton: str | None, client_id: str, now_ms: int) -> JetonClaims:
        """Return the claims of a jeton presented by ``client_id``, or raise ``JetonError``."""
        if not jeton or not jeton.strip():
            raise JetonError(JetonProblem.ABSENT)
        opened = self._opened_jeton(jeton)
        if isinstance(opened, JetonProblem):
            raise JetonError(opened)
        if opened.client_id != client_id:
            raise JetonError(JetonProblem.OTHER_CLIENT)
        if now_ms >= opened.expire_ms:
            raise JetonError(JetonProblem.EXPIRED)
        return opened

    def _opened_jeton(self, jeton: str) -> JetonClaims | JetonProblem:
        opened = self._opened.get(jeton)
        if opened is None:
            opened = self._open_jeton(jeton.strip())
            if len(self._opened) >= _OPENED_CACHE_SIZE:
                self._opened.clear()
            self._opened[jeton] = opened
        return opened

    def _open_jeton(self, jeton: str) -> JetonClaims | JetonProblem:
        """What a jeton's text says, or why it is not one of ours (a pure function of the text)."""
        try:
            envelope = json.loads(base64.b64decode(jeton, validate=True))
            _, sealed = envelope["data"].split("#", 1)
            blob = _unb64url(sealed)
        except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
            return JetonProblem.MALFORMED
        try:
            inner = json.loads(self._jeton_sealer.open(blob))
            claims = JetonClaims(str(inner["k"]), str(inner["c"]), int(inner["e"]))
        except (SealError, ValueError, KeyError, TypeError):
            return JetonProblem.FORGED
        if envelope != self._envelope(claims):
            return JetonProblem.FORGED
        return claims

    def person_key_of(self, jeton: str) -> str | None:
        """The person a jeton names, without checking client or expiry (None if invalid)."""
        opened = self._opened_jeton(jeton)
        return None if isinstance(opened, JetonProblem) else opened.person_key

    def identifiant(self, person_key: str) -> str:
        """Return the v1 identifiant national chiffré of a person (stable, opaque)."""
        sealed = self._identifiant_sealer.seal(person_key.encode(), pad_to=32)
        return f"{self._uuid('identifiant', person_key)}#{_b64url(sealed)}"

    def read_identifiant(self, identifiant: str | None) -> str:
        """Return the person key of a v1 identifiant, or raise ``JetonError``."""
        if not identifiant or not identifiant.strip():
            raise JetonError(JetonProblem.ABSENT)
        identifiant = identifiant.strip()
        try:
            _, sealed = identifiant.split("#", 1)
            blob = _unb64url(sealed)
        except (binascii.Error, ValueError) as exc:
            raise JetonError(JetonProblem.MALFORMED) from exc
        try:
            person_key = self._identifiant_sealer.open(blob).decode()
        except (SealError, UnicodeDecodeError) as exc:
            raise JetonError(JetonProblem.FORGED) from exc
        if identifiant != self.identifiant(person_key):
            raise JetonError(JetonProblem.FORGED)
        return person_key
