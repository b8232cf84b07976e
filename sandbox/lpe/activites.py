"""Activités opérationnelles: the tasks a département's agents have to do, person by person.

The published API lists, for one partner structure, the activities to handle (a sanction
proposal to instruct, an orientation decision to take, a first accompaniment rendez-vous to
book, a diagnostic change to validate), 1 000 at a time by due date. Here a structure is the
calling client's département, and its activities are those of the RSA beneficiaries attached to
it who have some:

- which generated people have activities is a fixed sample of the population, drawn from the
  seed (``SAMPLE_SIZE`` indices), so that listing a structure never scans the whole population;
  every RSA persona has some: those its file lists (``activites``, ``[]`` for none), or else
  the ones derived as for everyone;
- what each one has is a pure function of (seed, person) and the orientation (read through
  ``orientation_of``): not oriented → ACT382 (décision d'orientation à prendre); oriented
  towards employment, hence accompanied by France Travail → a sanction proposal (ACT366, ACT367,
  ACT369, ACT370, each with its ``idConsequenceSanction``) or ACT380 (1er RDV
  d'accompagnement); social or socio-professional → ACT380 or ACT395;
- dates are days before and after the instance's today, so the list is always current.

The référentiel (domains, families, activities and their libellés) is the sandbox's reading of
the published description: the codes are published, the domain codes and libellés are not.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from sandbox.clock import Clock
from sandbox.errors import CodeMessageError
from sandbox.lpe.orientation import orientation_of
from sandbox.population import Population
from sandbox.population.models import Orientation, Person
from sandbox.randomness import derive_rng, weighted_choice

PAGE_SIZE = 1000
"""Activities per page (published: « Une liste des 1000 activités les plus prioritaires »)."""
SAMPLE_SIZE = 2500
"""Generated people drawn from the seed as having activities (more than a page in a domain)."""


class CodeActivite(StrEnum):
    """The activity codes the published ``Activite.codeActivite`` enum lists."""

    ACT366 = "ACT366"
    ACT367 = "ACT367"
    ACT369 = "ACT369"
    ACT370 = "ACT370"
    ACT380 = "ACT380"
    ACT382 = "ACT382"
    ACT395 = "ACT395"


SANCTION_CODES = frozenset(
    {CodeActivite.ACT366, CodeActivite.ACT367, CodeActivite.ACT369, CodeActivite.ACT370}
)
"""The activities of family GLI100, each carrying an ``idConsequenceSanction``."""


@dataclass(frozen=True, slots=True)
class RefActivite:
    """One activity of the référentiel."""

    code: str
    libelle: str


@dataclass(frozen=True, slots=True)
class RefFamille:
    """One family of the référentiel and its activities."""

    code: str
    libelle: str
    activites: tuple[RefActivite, ...]


@dataclass(frozen=True, slots=True)
class RefDomaine:
    """One domain of the référentiel and its families."""

    code: str
    libelle: str
    familles: tuple[RefFamille, ...]


REFERENTIEL: tuple[RefDomaine, ...] = (
    RefDomaine(
        "ACC",
        "Accompagnement",
        (
            RefFamille(
                "ACC100",
                "Gestion de Portefeuille",
                (RefActivite("ACT395", "Modification diagnostic socio-professionnel à valider"),),
            ),
            RefFamille(
                "MSACC",
                "Mise en accompagnement",
                (RefActivite("ACT380", "1er RDV d'accompagnement à prendre"),),
            ),
        ),
    ),
    RefDomaine(
        "GLI",
        "Gestion de la liste",
        (
            RefFamille(
                "GLI100",
                "Sanctions",
                (
                    RefActivite("ACT366", "Proposition suspension RSA à instruire"),
                    RefActivite("ACT367", "Proposition suspension RSA à traiter"),
                    RefActivite("ACT369", "Proposition levée de suspension RSA à traiter"),
                    RefActivite("ACT370", "Proposition suppression RSA à traiter"),
                ),
            ),
        ),
    ),
    RefDomaine(
        "INS",
        "Insertion",
        (
            RefFamille(
                "INSEA",
                "Orientation",
                (
                    RefActivite("ACT382", "Décision d'orientation à prendre"),
                    RefActivite("ACT414", "Décision de Réorientation à prendre"),
                ),
            ),
        ),
    ),
)
"""Published codes (description of ``/activites/chercher``); domain codes and libellés read."""


_Index = tuple[
    dict[str, RefDomaine],
    dict[str, tuple[RefDomaine, RefFamille]],
    dict[str, tuple[RefDomaine, RefFamille, RefActivite]],
]


def _index() -> _Index:
    domaines = {d.code: d for d in REFERENTIEL}
    familles = {f.code: (d, f) for d in REFERENTIEL for f in d.familles}
    activites = {a.code: (d, f, a) for d in REFERENTIEL for f in d.familles for a in f.activites}
    return domaines, familles, activites


DOMAINES, FAMILLES, ACTIVITES = _index()


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity to handle for one person."""

    identifiant: str
    code: CodeActivite
    numero_france_travail: str
    person_key: str
    date_creation: dt.datetime
    date_echeance: dt.datetime
    date_echeance_proche: dt.datetime
    attributs: tuple[tuple[str, str], ...]

    @property
    def famille(self) -> str:
        """The code of the activity's family."""
        return ACTIVITES[self.code][1].code

    @property
    def domaine(self) -> str:
        """The code of the activity's domain."""
        return ACTIVITES[self.code][0].code

    @property
    def id_consequence_sanction(self) -> str | None:
        """The sanction consequence a GLI100 activity is about."""
        return dict(self.attributs).get("idConsequenceSanction")


_PRO: tuple[tuple[CodeActivite, float], ...] = (
    (CodeActivite.ACT366, 0.35),
    (CodeActivite.ACT367, 0.15),
    (CodeActivite.ACT369, 0.15),
    (CodeActivite.ACT370, 0.10),
    (CodeActivite.ACT380, 0.25),
)
_SOCIAL: tuple[tuple[CodeActivite, float], ...] = (
    (CodeActivite.ACT380, 0.5),
    (CodeActivite.ACT395, 0.5),
)


def activity_codes(seed: int, person: Person) -> tuple[CodeActivite, ...]:
    """Which activities a person has (before any treatment), from the orientation and the seed."""
    if person.activities is not None:
        return tuple(CodeActivite(code) for code in person.activities)
    rng = derive_rng(seed, "activites-codes", person.key)
    orientation = orientation_of(person)
    if orientation is None:
        return (CodeActivite.ACT382,)
    choices = _PRO if orientation is Orientation.PRO else _SOCIAL
    first = weighted_choice(rng, choices)
    if rng.random() < 0.2:
        second = weighted_choice(rng, choices)
        if second is not first:
            return (first, second)
    return (first,)


def _moment(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)


def activities_of(seed: int, person: Person, today: dt.date) -> tuple[Activity, ...]:
    """Every activity the person has today (none for people outside the sample)."""
    result = []
    for rank, code in enumerate(activity_codes(seed, person)):
        rng = derive_rng(seed, "activite", f"{person.key}\x1f{rank}\x1f{code}")
        created = _moment(today - dt.timedelta(days=rng.randrange(1, 40)), rng.randrange(600))
        due = created + dt.timedelta(days=rng.randrange(5, 31))
        near = max(created, due - dt.timedelta(days=rng.randrange(1, 5)))
        ident = f"{rng.randrange(10_000, 100_000)}${uuid.UUID(int=rng.getrandbits(128), version=4)}"
        result.append(
            Activity(
                identifiant=ident,
                code=code,
                numero_france_travail=person.numero_france_travail,
                person_key=person.key,
                date_creation=created,
                date_echeance=due,
                date_echeance_proche=near,
                attributs=_attributs(code, person, rng.randrange(1_000, 100_000_000)),
            )
        )
    return tuple(result)


def _attributs(code: CodeActivite, person: Person, number: int) -> tuple[tuple[str, str], ...]:
    if code in SANCTION_CODES:
        return (("idConsequenceSanction", str(number)),)
    if code is CodeActivite.ACT380:
        return (("motif", "ACC"),)
    if code is CodeActivite.ACT382:
        commune = person.address.commune_code if person.address else None
        organisme = ("typeOrganismeAccompagnateur", "IND")
        parcours = ("typeParcours", "IND")
        return (
            (organisme, ("codeInseeCommune", commune), parcours)
            if commune
            else (
                organisme,
                parcours,
            )
        )
    return ()


@lru_cache(maxsize=4)
def _sampled(population: Population) -> tuple[Person, ...]:
    """The generated people with activities: ``SAMPLE_SIZE`` indices drawn from the seed."""
    rng = derive_rng(population.seed, "activites-echantillon", population.size)
    indices = sorted(rng.sample(range(population.size), min(SAMPLE_SIZE, population.size)))
    return tuple(population.generated(i) for i in indices)


def has_activities(population: Population, person: Person) -> bool:
    """Whether the person is one of those with activities (persona with some, or sampled)."""
    if person.persona is not None:
        return person.rsa.beneficiary and person.activities != ()
    return person.rsa.beneficiary and person.key in _sampled_keys(population)


@lru_cache(maxsize=4)
def _sampled_keys(population: Population) -> frozenset[str]:
    return frozenset(p.key for p in _sampled(population))


def people_with_activities(population: Population, departement: str) -> Iterable[Person]:
    """The RSA beneficiaries attached to a département who have activities."""
    for person in (*population.personas, *_sampled(population)):
        if (
            person.rsa.beneficiary
            and person.attachment_departement == departement
            and has_activities(population, person)
        ):
            yield person


@dataclass(frozen=True, slots=True)
class Criteria:
    """What ``/activites/chercher`` is asked: one code, optionally one usager, and a cursor."""

    code_activite: str | None = None
    code_famille: str | None = None
    code_domaine: str | None = None
    numero_france_travail: str | None = None
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """One page of activities, by due date."""

    activities: tuple[Activity, ...]
    has_more: bool
    cursor: str | None


INCOHERENT = "PARAM_INCOHERENT"
ONE_PARAMETER = "Il faut renseigner exactement un paramètre."
"""Published code and message of a search without exactly one of the three codes."""

_FORMATS = {
    "codeActivite": (re.compile(r"^[A-Z0-9]{1,20}$"), "caractères alphanumériques en majuscules"),
    "codeFamille": (re.compile(r"^[A-Z0-9]{1,20}$"), "caractères alphanumériques en majuscules"),
    "codeDomaine": (re.compile(r"^[A-Z]{3}$"), "3 caractères alphabétiques en majuscules"),
    "numeroFranceTravail": (re.compile(r"^[0-9A-Z]{1,20}$"), "caractères alphanumériques"),
}


def _check(name: str, value: str) -> None:
    pattern, what = _FORMATS[name]
    if not pattern.match(value):
        raise CodeMessageError(
            400,
            INCOHERENT,
            f"Le paramètre {name} doit être une chaîne de {what}.",
            f"{name} is written in {what} (published parameter description).",
            details={name: value},
        )


def encode_cursor(position: int) -> str:
    """The opaque cursor of the page starting at ``position``."""
    return base64.urlsafe_b64encode(f"position:{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The position a cursor of this sandbox names, or the documented 400."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
        label, _, number = text.partition(":")
        if label != "position" or not number.isdigit() or len(number) > 9:
            raise ValueError(text)
        return int(number)
    except (ValueError, UnicodeError, binascii.Error):
        raise CodeMessageError(
            400,
            INCOHERENT,
            "Le curseur est invalide.",
            "Send the cursor of the previous page unchanged, with the same other parameters.",
            details={"cursor": cursor[:100]},
        ) from None


Progress = Callable[[Person, tuple[Activity, ...]], tuple[Activity, ...]]
"""What the people's stored writes leave of their activities (the sanctions already treated)."""


def _as_is(person: Person, activities: tuple[Activity, ...]) -> tuple[Activity, ...]:
    return activities


class ActivitiesService:
    """The activities of one instance's structures (a client's département)."""

    def __init__(self, population: Population, clock: Clock, progress: Progress = _as_is) -> None:
        self._population = population
        self._clock = clock
        self._progress = progress

    def _today(self) -> dt.date:
        now = self._clock.now()
        return (now if now.tzinfo is None else now.astimezone(dt.UTC)).date()

    def of_person(self, person: Person) -> tuple[Activity, ...]:
        """The person's current activities (after the stored writes)."""
        if not has_activities(self._population, person):
            return ()
        seed = self._population.seed
        return self._progress(person, activities_of(seed, person, self._today()))

    def search(self, departement: str | None, criteria: Criteria) -> Page:
        """The département's activities matching the criteria, 1 000 a page by due date."""
        given = {
            name: value
            for name, value in (
                ("codeActivite", criteria.code_activite),
                ("codeFamille", criteria.code_famille),
                ("codeDomaine", criteria.code_domaine),
            )
            if value is not None
        }
        if len(given) != 1:
            raise CodeMessageError(
                400,
                INCOHERENT,
                ONE_PARAMETER,
                "Send exactly one of codeActivite, codeFamille and codeDomaine (the family of "
                "the sanctions is GLI100, of the orientation INSEA).",
                details=dict(given),
            )
        for name, value in given.items():
            _check(name, value)
        if criteria.numero_france_travail is not None:
            _check("numeroFranceTravail", criteria.numero_france_travail)
        start = decode_cursor(criteria.cursor) if criteria.cursor is not None else 0
        people: Iterable[Person]
        if criteria.numero_france_travail is not None:
            people = [
                p
                for p in self._population.find_by_numero(criteria.numero_france_travail)
                if p.rsa.beneficiary and p.attachment_departement == departement
            ]
        else:
            people = people_with_activities(self._population, departement or "")
        ((name, value),) = given.items()
        matching = [
            activity
            for person in people
            for activity in self.of_person(person)
            if _field(activity, name) == value
        ]
        matching.sort(key=lambda a: (a.date_echeance, a.identifiant))
        chosen = tuple(matching[start : start + PAGE_SIZE])
        more = start + PAGE_SIZE < len(matching)
        return Page(chosen, more, encode_cursor(start + PAGE_SIZE) if more else None)


def _field(activity: Activity, name: str) -> str:
    if name == "codeActivite":
        return activity.code.value
    if name == "codeFamille":
        return activity.famille
    return activity.domaine
