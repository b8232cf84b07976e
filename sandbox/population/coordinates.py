"""A person's e-mail addresses, telephone numbers and QPV indicator: a pure function of the person.

Everything is drawn from one stream, ``derive_rng(seed, "coordonnees", person.key)``, so generated
people and personas get their coordinates the same way and no other facet moves. Every value is
synthetic by construction:

- e-mail addresses are at ``example.com``, a domain reserved for documentation (RFC 2606), built
  from the person's name folded to ASCII (``alice.fictive7@example.com``);
- telephone numbers are ten digits in the blocks the ARCEP sets aside for fiction (mobile
  ``06 39 98 xx xx``, landline ``01 99 00 xx xx``), as the sandbox reads the ARCEP's list: no
  shipped reference states them, so the contract says this is the sandbox's reading;
- the QPV indicator (``indicateurResidentQPV``) uses the published codes: mostly ``NQ`` (does not
  live in a quartier prioritaire), some ``QP``, a few ``NT`` (not processed), only with an address.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sandbox.population.models import Person
from sandbox.randomness import derive_rng, weighted_choice

FACET = "coordonnees"
EMAIL_DOMAIN = "example.com"
MOBILE_FICTION_BLOCK = "063998"
LANDLINE_FICTION_BLOCK = "019900"

_NO_EMAIL = 0.15
_NO_MOBILE = 0.05
_LANDLINE = 0.2
_QPV = (("NQ", 0.85), ("QP", 0.12), ("NT", 0.03))
_NOT_LOCAL = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Coordinates:
    """What Informations administratives serves beyond the état civil and the postal address."""

    emails: tuple[str, ...]
    telephones: tuple[str, ...]
    qpv: str | None


def _local_part(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NOT_LOCAL.sub("-", folded).strip("-") or "usager"


def _number(rng_value: int, block: str) -> str:
    return f"{block}{rng_value:04d}"


def coordinates_of(seed: int, person: Person) -> Coordinates:
    """The person's e-mails, telephones (mobile first) and QPV indicator, same on every call."""
    rng = derive_rng(seed, FACET, person.key)
    emails: tuple[str, ...] = ()
    if rng.random() >= _NO_EMAIL:
        local = f"{_local_part(person.first_name)}.{_local_part(person.last_name)}"
        emails = (f"{local}{rng.randint(1, 99)}@{EMAIL_DOMAIN}",)
    phones: list[str] = []
    if rng.random() >= _NO_MOBILE:
        phones.append(_number(rng.randrange(10_000), MOBILE_FICTION_BLOCK))
    if rng.random() < _LANDLINE:
        phones.append(_number(rng.randrange(10_000), LANDLINE_FICTION_BLOCK))
    qpv = weighted_choice(rng, _QPV)
    return Coordinates(emails, tuple(phones), qpv if person.address else None)
