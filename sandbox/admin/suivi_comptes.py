"""Control plane of the « Suivi de parcours » tool: its accounts, their revocation, the audit trail.

Passwords and TOTP secrets are shown here, to the admin only: they are the sandbox's own,
derived from the instance secret, for synthetic professionals of a local sandbox.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from sandbox.admin.router import ADMIN_ERRORS, AdminDep, refused
from sandbox.apis.omission import Omitted, omissible
from sandbox.suivi import Account, Accounts, AuditEntry

router = APIRouter(prefix="/_sandbox/suivi-de-parcours", tags=["Control plane"])


class CompteSuivi(BaseModel):
    """One habilitated professional's account."""

    model_config = ConfigDict(extra="forbid")

    courriel: str
    client_id: str = Field(description="The OAuth client whose file habilitated the person.")
    nom: str
    prenom: str
    fonction: str
    date_debut: dt.date
    date_fin: dt.date | Omitted = omissible("Absent: the habilitation is open-ended.")
    etat: Literal["active", "expired", "not-yet", "revoked"] = Field(
        description="On the virtual clock: `active` from DATE_DEBUT to DATE_FIN included."
    )
    revoque_le: dt.datetime | Omitted = omissible("Absent while the account is not revoked.")
    mot_de_passe: str = Field(description="Derived from the instance secret (HMAC).")
    totp_secret: str = Field(description="Base32 TOTP secret (RFC 6238, 30 s, 6 digits).")
    otpauth_uri: str

    @classmethod
    def of(cls, account: Account, accounts: Accounts) -> CompteSuivi:
        """The admin's view of an account."""
        return cls(
            courriel=account.courriel,
            client_id=account.client_id,
            nom=account.nom,
            prenom=account.prenom,
            fonction=account.fonction,
            date_debut=account.debut,
            date_fin=account.fin,
            etat=account.state(accounts.today()).value,
            revoque_le=account.revoked_at,
            mot_de_passe=accounts.password(account.courriel),
            totp_secret=accounts.totp_secret(account.courriel),
            otpauth_uri=accounts.otpauth_uri(account.courriel),
        )


class EntreeAudit(BaseModel):
    """One view or edit in the tool (convention Art. 5)."""

    model_config = ConfigDict(extra="forbid")

    sequence: int
    at: dt.datetime = Field(description="Virtual clock.")
    courriel: str = Field(description="Who: the account.")
    client_id: str
    nir: str = Field(
        description="Which person: the NIR's first 7 characters only; empty for a "
        "`verrouillage` (no person)."
    )
    action: Literal["consultation", "modification", "verrouillage"] = Field(
        description="`verrouillage`: 5 wrong passwords, or codes, in a row locked that sign-in "
        "step of the account for 15 minutes (virtual clock)."
    )
    detail: str = Field(description="The page seen, or the change made.")

    @classmethod
    def of(cls, entry: AuditEntry) -> EntreeAudit:
        """The admin's view of an entry."""
        return cls.model_validate(entry.to_document())


@router.get(
    "/comptes",
    operation_id="sandboxSuiviComptes",
    summary="Suivi de parcours accounts, with their state and credentials",
    response_model=list[CompteSuivi],
    responses=ADMIN_ERRORS,
)
async def comptes(runtime: AdminDep) -> list[CompteSuivi]:
    """Every account registered from Annexe 3 §1.1 files."""
    return [CompteSuivi.of(a, runtime.accounts) for a in runtime.accounts.all()]


@router.delete(
    "/comptes/{courriel}",
    operation_id="sandboxSuiviRevoquer",
    summary="Revoke a Suivi de parcours account now (virtual clock)",
    response_model=CompteSuivi,
    responses={
        **ADMIN_ERRORS,
        **refused(404, "`ERR_COMPTE_INCONNU`: no account has this courriel."),
    },
)
async def revoquer(
    courriel: Annotated[str, Path(max_length=254)], runtime: AdminDep
) -> CompteSuivi:
    """Revoke an account: it stays listed, refused, until a new file habilitates the person."""
    return CompteSuivi.of(runtime.accounts.revoke(courriel), runtime.accounts)


@router.get(
    "/audit",
    operation_id="sandboxSuiviAudit",
    summary="The audit trail of the Suivi de parcours tool, oldest first",
    response_model=list[EntreeAudit],
    responses=ADMIN_ERRORS,
)
async def audit(runtime: AdminDep) -> list[EntreeAudit]:
    """Every kept view and edit (the most recent MAX_AUDIT_ENTRIES)."""
    return [EntreeAudit.of(e) for e in runtime.audit.entries()]
