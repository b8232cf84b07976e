"""Accounts of habilitated professionals, from Annexe 3 §1.1 files (the habilitation list).

**One account per person**, keyed by COURRIEL lower-cased: a later row for the same person (in
the same file or a later one) replaces the earlier, so a new file can end an account with a
DATE_FIN. The account belongs to the OAuth client that uploaded the file (its département is the
one whose people the account sees); a later file of another client moves it there.

**Validity** is read on the instance's virtual clock: from DATE_DEBUT to DATE_FIN included (no
DATE_FIN: open-ended). A revoked account stays listed, refused, until a new file habilitates the
person again.

**Credentials** are the sandbox's own: the password and the TOTP secret are derived from the
instance secret (HMAC) and the courriel, shown only to the admin. Synthetic people, local sandbox.

**Storage**: one state document (pseudo client ``SUIVI_OWNER``), at most ``MAX_ACCOUNTS``
accounts (README "Limits"); a file beyond it is refused (409) and changes nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pyotp

from sandbox.clock import Clock
from sandbox.errors import BackendError
from sandbox.state import StateStore, Update
from sandbox.state.store import StorageLimitError
from sandbox.suivi.sessions import Sessions

SUIVI_OWNER = "_suivi-de-parcours"
"""The pseudo client under which the tool's accounts and audit trail live in the state store."""
_ACCOUNTS_KEY = "_comptes"
_ACCOUNTS_FACET = "comptes"
MAX_ACCOUNTS = 2_000
"""Accounts the instance holds (README "Limits")."""
TOTP_ISSUER = "Bac à sable France Travail"


class AccountState(StrEnum):
    """Whether an account opens the tool today."""

    ACTIVE = "active"
    EXPIRED = "expired"
    NOT_YET = "not-yet"
    REVOKED = "revoked"


REFUSALS = {
    AccountState.EXPIRED: "Votre habilitation au Suivi de parcours a pris fin : connexion refusée.",
    AccountState.NOT_YET: "Votre habilitation au Suivi de parcours ne commence pas encore : "
    "connexion refusée.",
    AccountState.REVOKED: "Votre habilitation au Suivi de parcours a été révoquée : "
    "connexion refusée.",
}
"""What a refused professional reads, per state (French, as the tool speaks)."""
NOT_HABILITATED = "Adresse électronique ou mot de passe incorrect, ou personne non habilitée."


class AccountError(BackendError):
    """An account the control plane cannot find (404)."""


@dataclass(frozen=True, slots=True)
class Account:
    """One habilitated professional."""

    courriel: str
    client_id: str
    civilite: str
    nom: str
    prenom: str
    fonction: str
    debut: dt.date
    fin: dt.date | None
    revoked_at: dt.datetime | None

    def state(self, today: dt.date) -> AccountState:
        """The account's state on a day of the virtual clock."""
        if self.revoked_at is not None:
            return AccountState.REVOKED
        if today < self.debut:
            return AccountState.NOT_YET
        if self.fin is not None and today > self.fin:
            return AccountState.EXPIRED
        return AccountState.ACTIVE

    @classmethod
    def of(cls, body: dict[str, Any]) -> Account:
        """An account from its stored document."""
        revoked = body.get("revoked_at")
        return cls(
            courriel=body["courriel"],
            client_id=body["client_id"],
            civilite=body["civilite"],
            nom=body["nom"],
            prenom=body["prenom"],
            fonction=body["fonction"],
            debut=dt.date.fromisoformat(body["debut"]),
            fin=dt.date.fromisoformat(body["fin"]) if body.get("fin") else None,
            revoked_at=dt.datetime.fromisoformat(revoked) if revoked else None,
        )


def _french_date(text: str) -> dt.date:
    day, month, year = text.split("/")
    return dt.date(int(year), int(month), int(day))


def normalise(courriel: str) -> str:
    """The account key of a courriel."""
    return courriel.strip().lower()


class Accounts:
    """The habilitated accounts of one instance."""

    def __init__(self, store: StateStore, secret: bytes, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._key = hmac.new(secret, b"suivi-de-parcours", hashlib.sha256).digest()
        self.sessions = Sessions(secret, clock)
        """Cookies, anti-forgery tokens and person references of the tool's pages."""

    # Credentials ----------------------------------------------------------------------------

    def _derived(self, purpose: str, courriel: str) -> bytes:
        return hmac.new(
            self._key, f"{purpose}\x1f{normalise(courriel)}".encode(), "sha256"
        ).digest()

    def password(self, courriel: str) -> str:
        """The account's password (derived: the admin reads it, nobody chooses it)."""
        return base64.urlsafe_b64encode(self._derived("mot-de-passe", courriel)[:12]).decode()

    def totp_secret(self, courriel: str) -> str:
        """The account's TOTP secret (base32, RFC 6238)."""
        return base64.b32encode(self._derived("totp", courriel)[:20]).decode()

    def otpauth_uri(self, courriel: str) -> str:
        """The ``otpauth://`` URI an authenticator application enrols."""
        return pyotp.TOTP(self.totp_secret(courriel)).provisioning_uri(
            name=normalise(courriel), issuer_name=TOTP_ISSUER
        )

    def password_matches(self, courriel: str, password: str) -> bool:
        """Whether ``password`` is the account's (constant time)."""
        return hmac.compare_digest(password.encode(), self.password(courriel).encode())

    def code_matches(self, courriel: str, code: str) -> bool:
        """Whether ``code`` is the account's TOTP code now (virtual clock, ±1 step of 30 s)."""
        totp = pyotp.TOTP(self.totp_secret(courriel))
        return totp.verify(code.strip(), for_time=self._clock.now(), valid_window=1)

    # Reads ----------------------------------------------------------------------------------

    def _document(self) -> dict[str, Any]:
        stored = self._store.read(SUIVI_OWNER, _ACCOUNTS_KEY, _ACCOUNTS_FACET)
        accounts: dict[str, Any] = (stored or {}).get("accounts", {})
        return accounts

    def get(self, courriel: str) -> Account | None:
        """The account of a courriel, if the person was ever habilitated."""
        body = self._document().get(normalise(courriel))
        return Account.of(body) if body else None

    def all(self) -> list[Account]:
        """Every account, by courriel."""
        return [Account.of(body) for _, body in sorted(self._document().items())]

    def today(self) -> dt.date:
        """Today on the virtual clock."""
        return self._clock.now().date()

    # Writes ---------------------------------------------------------------------------------

    def register(self, client_id: str, rows: Iterable[dict[str, str]]) -> int:
        """Register the rows of an accepted Annexe 3 §1.1 file for ``client_id``.

        Returns how many accounts the file created or updated. Raises ``StorageLimitError``
        (409) past ``MAX_ACCOUNTS``; nothing is stored then.
        """
        fresh: dict[str, dict[str, Any]] = {}
        for row in rows:
            courriel = normalise(row["COURRIEL"])
            fin = row.get("DATE_FIN") or ""
            fresh[courriel] = {
                "courriel": courriel,
                "client_id": client_id,
                "civilite": row["CIVILITE"],
                "nom": row["NOM"],
                "prenom": row["PRENOM"],
                "fonction": row["FONCTION"],
                "debut": _french_date(row["DATE_DEBUT"]).isoformat(),
                "fin": _french_date(fin).isoformat() if fin else None,
                "revoked_at": None,
            }
        if not fresh:
            return 0

        def apply(current: dict[str, Any] | None) -> Update:
            accounts = dict((current or {}).get("accounts", {}))
            accounts.update(fresh)
            if len(accounts) > MAX_ACCOUNTS:
                raise StorageLimitError("Suivi de parcours accounts", MAX_ACCOUNTS)
            # The history keeps counts only: no name in it.
            return Update(
                document={"accounts": accounts},
                change={"client": client_id, "registered": len(fresh)},
                tags=("habilitations",),
            )

        self._store.update(SUIVI_OWNER, _ACCOUNTS_KEY, _ACCOUNTS_FACET, self._clock.now(), apply)
        return len(fresh)

    def revoke(self, courriel: str) -> Account:
        """Revoke an account now (virtual clock); raises ``AccountError`` (404) if unknown."""
        key = normalise(courriel)
        now = self._clock.now()

        def apply(current: dict[str, Any] | None) -> Update:
            accounts = dict((current or {}).get("accounts", {}))
            if key not in accounts:
                raise AccountError(
                    404,
                    "ERR_COMPTE_INCONNU",
                    "Aucun compte n'a cette adresse électronique",
                    "No Suivi de parcours account has this courriel: GET "
                    "/_sandbox/suivi-de-parcours/comptes lists them.",
                )
            accounts[key] = {**accounts[key], "revoked_at": now.isoformat()}
            return Update(
                document={"accounts": accounts}, change={"revoked": 1}, tags=("revocation",)
            )

        self._store.update(SUIVI_OWNER, _ACCOUNTS_KEY, _ACCOUNTS_FACET, now, apply)
        account = self.get(key)
        assert account is not None  # just stored
        return account
