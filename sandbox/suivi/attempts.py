"""Throttling of the sign-in: a bounded number of wrong passwords and wrong codes in a row.

RFC 6238 §5.2 and RFC 4226 §7.3 ask a verifier to limit the attempts at a one-time code (six
digits are guessed in a million tries otherwise); the same holds for a password. Per account and
per step (password, code): after ``MAX_ATTEMPTS`` wrong ones in a row the step is locked for
``LOCK_DURATION`` of the virtual clock (moving the clock through the control plane ends it); a
right one clears the count. While locked, even the right password or code is refused.

Counters are state documents (pseudo client ``SUIVI_OWNER``, one per account and step): they
survive a restart and are shared by the instances on one data directory. A counter is deleted
when it is cleared, and written afresh when a lock has passed, so it never holds more than
``MAX_ATTEMPTS`` versions.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sandbox.clock import Clock
from sandbox.state import StateStore, Update
from sandbox.suivi.accounts import SUIVI_OWNER, normalise

MAX_ATTEMPTS = 5
"""Wrong passwords, or wrong codes, in a row before the step locks (README "Limits")."""
LOCK_DURATION = dt.timedelta(minutes=15)
"""How long a locked step stays locked, on the virtual clock (README "Limits")."""
_ATTEMPTS_KEY = "_tentatives"


class SignInStep(StrEnum):
    """The two checks of the sign-in, each with its own counter."""

    PASSWORD = "mot-de-passe"
    CODE = "code"


def _facet(courriel: str, step: SignInStep) -> str:
    return f"{step.value}:{normalise(courriel)}"


def _until(document: dict[str, Any] | None) -> dt.datetime | None:
    stamp = (document or {}).get("locked_until")
    return dt.datetime.fromisoformat(stamp) if stamp else None


class Attempts:
    """Counts the wrong attempts of each account's sign-in steps, and locks them."""

    def __init__(self, store: StateStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def locked_until(self, courriel: str, step: SignInStep) -> dt.datetime | None:
        """The end of the step's lock, if it is locked now (virtual clock)."""
        until = _until(self._store.read(SUIVI_OWNER, _ATTEMPTS_KEY, _facet(courriel, step)))
        return until if until is not None and until > self._clock.now() else None

    def failed(self, courriel: str, step: SignInStep) -> dt.datetime | None:
        """Count one wrong attempt; the end of the lock if this one locked the step."""
        facet = _facet(courriel, step)
        now = self._clock.now()
        until = _until(self._store.read(SUIVI_OWNER, _ATTEMPTS_KEY, facet))
        if until is not None and until <= now:
            # The lock has passed: the count starts again, on a fresh document.
            self._store.delete(SUIVI_OWNER, _ATTEMPTS_KEY, facet)

        def apply(current: dict[str, Any] | None) -> Update:
            wrong = int((current or {}).get("wrong", 0)) + 1
            if wrong < MAX_ATTEMPTS:
                return Update({"wrong": wrong}, {"wrong": wrong})
            locked = (now + LOCK_DURATION).isoformat()
            return Update({"wrong": wrong, "locked_until": locked}, {"locked_until": locked})

        stored = self._store.update(SUIVI_OWNER, _ATTEMPTS_KEY, facet, now, apply)
        return _until(stored.document)

    def succeeded(self, courriel: str, step: SignInStep) -> None:
        """A right attempt: the count starts again from zero."""
        self._store.delete(SUIVI_OWNER, _ATTEMPTS_KEY, _facet(courriel, step))
