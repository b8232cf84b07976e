"""The « Suivi de parcours » tool of Annexe 3: habilitated accounts and the audit trail.

No HTTP here (the pages are in ``sandbox/web/suivi.py``): accounts come from Annexe 3 §1.1 files
(``accounts``), wrong passwords and codes are counted and lock the sign-in (``attempts``),
every view and edit is traced (``audit``).
"""

from sandbox.suivi.accounts import (
    MAX_ACCOUNTS,
    Account,
    AccountError,
    Accounts,
    AccountState,
)
from sandbox.suivi.attempts import LOCK_DURATION, MAX_ATTEMPTS, Attempts, SignInStep
from sandbox.suivi.audit import MAX_AUDIT_ENTRIES, AuditEntry, AuditTrail

__all__ = [
    "LOCK_DURATION",
    "MAX_ACCOUNTS",
    "MAX_ATTEMPTS",
    "MAX_AUDIT_ENTRIES",
    "Account",
    "AccountError",
    "AccountState",
    "Accounts",
    "Attempts",
    "AuditEntry",
    "AuditTrail",
    "SignInStep",
]
