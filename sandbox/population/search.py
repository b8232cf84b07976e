"""Recherche usager's decision: which return code a partner gets for the people that match.

Order of the checks (a decision, recorded in the contract): unknown → S002; several → S003;
not an RSA beneficiary → R001 (outside the partner's scope); no address, so no structure can be
computed → R998; followed in another département than the caller's → R002; otherwise S001.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sandbox.convention.return_codes import ReturnCode
from sandbox.population.models import Person, RegistrationStatus

STRUCK_OFF_FORGOTTEN_AFTER_YEARS = 3


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A return code, with the person when it is S001."""

    code: ReturnCode
    person: Person | None = None


def is_known(person: Person, today: dt.date) -> bool:
    """Known to France Travail: identified, registered, or struck off less than 3 years ago."""
    registration = person.registration
    if registration.status is not RegistrationStatus.RADIE:
        return True
    struck_off = registration.ended_on or registration.status_date
    try:
        limit = struck_off.replace(year=struck_off.year + STRUCK_OFF_FORGOTTEN_AFTER_YEARS)
    except ValueError:  # 29 February
        limit = struck_off.replace(year=struck_off.year + STRUCK_OFF_FORGOTTEN_AFTER_YEARS, day=28)
    return today < limit


def decide(candidates: Iterable[Person], caller_departement: str, today: dt.date) -> SearchResult:
    """Return the outcome of a search whose candidates are ``candidates``."""
    known = [person for person in candidates if is_known(person, today)]
    if not known:
        return SearchResult(ReturnCode.S002)
    if len(known) > 1:
        return SearchResult(ReturnCode.S003)
    person = known[0]
    if not person.rsa.beneficiary:
        return SearchResult(ReturnCode.R001)
    if person.address is None:
        return SearchResult(ReturnCode.R998)
    if person.attachment_departement != caller_departement:
        return SearchResult(ReturnCode.R002)
    return SearchResult(ReturnCode.S001, person)
