"""Signed sessions, anti-forgery tokens and opaque person references of the tool's pages.

Everything is sealed with the instance secret (``sandbox.sealing``): a session cookie, a CSRF
nonce or a person reference cannot be forged or altered by the browser. A person reference
names a person for one OAuth client only and never carries a NIR in clear (a URL is logged,
kept in histories and sent in ``Referer`` headers).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sandbox.clock import Clock
from sandbox.sealing import Sealer, SealError

SESSION_LIFETIME = dt.timedelta(hours=8)
"""A session ends after a working day (virtual clock); the account is checked on every page."""


class Stage(StrEnum):
    """How far the sign-in went."""

    PASSWORD = "mot-de-passe"
    """The password was right; the second factor is still due."""
    SIGNED_IN = "connecte"


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in (or half signed-in) professional."""

    courriel: str
    stage: Stage
    nonce: str
    issued: dt.datetime


def _b64(blob: bytes) -> str:
    return base64.urlsafe_b64encode(blob).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Sessions:
    """Issues and opens the tool's cookies and references."""

    def __init__(self, secret: bytes, clock: Clock) -> None:
        self._sessions = Sealer(secret, "suivi-session")
        self._references = Sealer(secret, "suivi-reference")
        self._csrf_key = hmac.new(secret, b"suivi-csrf", hashlib.sha256).digest()
        self._clock = clock

    def issue(self, courriel: str, stage: Stage) -> str:
        """A session cookie value (a new nonce: a new anti-forgery token)."""
        payload = {
            "c": courriel,
            "s": stage.value,
            "n": secrets.token_urlsafe(16),
            "t": self._clock.now().isoformat(),
        }
        return _b64(self._sessions.seal(json.dumps(payload).encode(), pad_to=160))

    def open(self, cookie: str | None) -> Session | None:
        """The session of a cookie; None if absent, forged, altered or past its lifetime."""
        if not cookie:
            return None
        try:
            payload = json.loads(self._sessions.open(_unb64(cookie)))
            session = Session(
                payload["c"],
                Stage(payload["s"]),
                payload["n"],
                dt.datetime.fromisoformat(payload["t"]),
            )
        except (SealError, ValueError, KeyError, TypeError, binascii.Error):
            return None
        now = self._clock.now()
        if not session.issued - dt.timedelta(minutes=5) <= now <= session.issued + SESSION_LIFETIME:
            return None
        return session

    def new_nonce(self) -> str:
        """A nonce for a form shown before any session (the sign-in form's cookie)."""
        return secrets.token_urlsafe(16)

    def csrf_token(self, nonce: str) -> str:
        """The anti-forgery token every POST form of a session (or of a nonce) carries.

        URL-safe base64 rather than hex: a hex digest holds runs of 15 decimal digits often
        enough that a scanner looking for NIRs in the pages (ours in the browser tests, a
        département's data-loss prevention) would flag it.
        """
        return _b64(hmac.new(self._csrf_key, nonce.encode(), "sha256").digest())

    def csrf_valid(self, nonce: str | None, token: str | None) -> bool:
        """Whether a posted token belongs to this session's (or cookie's) nonce."""
        if not nonce or not token:
            return False
        return hmac.compare_digest(self.csrf_token(nonce).encode(), token.encode())

    def reference(self, client_id: str, person_key: str) -> str:
        """The opaque reference of a person in URLs, for one client."""
        return _b64(self._references.seal(f"{client_id}\x1f{person_key}".encode(), pad_to=48))

    def person_key(self, client_id: str, reference: str) -> str | None:
        """The person key of a reference issued for this client; None otherwise."""
        try:
            owner, _, key = self._references.open(_unb64(reference)).decode().partition("\x1f")
        except (SealError, ValueError, binascii.Error):
            return None
        return key if owner == client_id and key else None
