"""Each person's RQTH: a pure function of (seed, person, population epoch), or the persona's.

Everything is drawn from one stream, ``derive_rng(seed, "rqth", person.key)``, so no other facet
moves. The dates are laid out around the population epoch (like registrations and diagnostics),
never around "now": moving the clock changes whether a RQTH is in force today
(``topValiditeRQTH``), never its dates. The sandbox's reading, written in the contract:

- ``RQTH_SHARE`` (12 %) of generated people have a RQTH record; the others have none (204);
- of those records, ``_KINDS``: 45 % end after the epoch, 30 % have no end (9999-12-31) and
  25 % ended before it, so some are expired at any clock;
- a RQTH is granted for 1 to 10 years and never starts before the person's 16th birthday (the
  age from which it can be asked for); one without end starts on or after 2019-01-01, when a
  RQTH "sans limitation de durée" became possible (the sandbox's reading of the rules; no
  shipped source states them);
- ``source`` is ``MDPH`` (the CDAPH of the MDPH decides a RQTH) for 70 % and ``FRANCE TRAVAIL``
  (the value les-emplois' mocks show) for 30 %.

Where the person's age leaves no room for the drawn kind (too young for an expired RQTH, say), the
person has none: the share is therefore slightly under 12 %.
"""

from __future__ import annotations

import datetime as dt
import random

from sandbox.population.models import (
    RQTH_FIRST_PERMANENT_DAY,
    RQTH_MIN_AGE,
    Person,
    Rqth,
    RqthSource,
    rqth_earliest_start,
)
from sandbox.randomness import derive_rng, weighted_choice

FACET = "rqth"
RQTH_SHARE = 0.12
"""Share of generated people drawn with a RQTH record (current, without end, or expired)."""
MIN_AGE = RQTH_MIN_AGE
FIRST_PERMANENT_DAY = RQTH_FIRST_PERMANENT_DAY
NO_END = dt.date(9999, 12, 31)
"""What ``dateFinRqth`` says for a RQTH without end (les-emplois reads it so)."""

_CURRENT, _PERMANENT, _EXPIRED = "current", "permanent", "expired"
_KINDS = ((_CURRENT, 0.45), (_PERMANENT, 0.30), (_EXPIRED, 0.25))
_YEARS = ((1, 0.1), (2, 0.15), (3, 0.25), (5, 0.35), (10, 0.15))
_SOURCES = ((RqthSource.MDPH, 0.7), (RqthSource.FRANCE_TRAVAIL, 0.3))
_DAYS_PER_YEAR = 365


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _day_between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randint(0, (high - low).days))


def _generated(seed: int, person: Person, epoch: dt.date) -> Rqth | None:
    rng = derive_rng(seed, FACET, person.key)
    if rng.random() >= RQTH_SHARE:
        return None
    kind = weighted_choice(rng, _KINDS)
    years = weighted_choice(rng, _YEARS)
    source = weighted_choice(rng, _SOURCES)
    earliest = rqth_earliest_start(person.birth_date)
    if kind == _PERMANENT:
        low, high = max(earliest, FIRST_PERMANENT_DAY), epoch - dt.timedelta(days=30)
        if low > high:
            return None
        return Rqth(_day_between(rng, low, high), None, source)
    if kind == _CURRENT:
        ends_on = epoch + dt.timedelta(days=rng.randint(1, years * _DAYS_PER_YEAR - 1))
    else:
        ends_on = epoch - dt.timedelta(days=rng.randint(1, 6 * _DAYS_PER_YEAR))
    starts_on = _add_years(ends_on + dt.timedelta(days=1), -years)
    if starts_on < earliest:
        # Granted on the 16th birthday at the earliest: the period is shorter, never earlier.
        starts_on = earliest
    if starts_on > ends_on or starts_on > epoch:
        return None
    return Rqth(starts_on, ends_on, source)


def rqth_of(seed: int, person: Person, epoch: dt.date) -> Rqth | None:
    """The person's RQTH (in force or not), or None: the persona's if it declares one."""
    if person.rqth_declared:
        return person.rqth
    return _generated(seed, person, epoch)
