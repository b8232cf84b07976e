"""A person's métiers recherchés and CREF projects as a pure function of (seed, person key).

Everything is drawn from one stream, ``derive_rng(seed, "metiers", person.key)``, so generated
people and personas get a profil de compétences the same way and no other facet moves. About one
person in five has filled in nothing (the APIs answer 204). Jobs are fiches of the ROME 4.0
referential, mostly ones frequent among RSA beneficiaries (``referentiel.draw_fiche``), with any of
their appellations. Mobilities name real communes of ``communes.csv``, around the person's own
commune when the address is known.
"""

from __future__ import annotations

import base64
import bisect
import random
from collections.abc import Sequence
from functools import cache
from itertools import accumulate

from sandbox.careers.models import (
    Careers,
    CrefProject,
    Experience,
    HomeMobility,
    Mobility,
    Place,
    Salary,
    SoughtJob,
    WantedContract,
    WeeklyHours,
)
from sandbox.careers.referentiel import RomeFiche, draw_fiche, nomenclatures, rome_by_code
from sandbox.population.models import Person
from sandbox.population.referentials import Commune, communes, communes_by_code
from sandbox.randomness import derive_rng, weighted_choice

FACET = "metiers"

_NO_JOB = 0.2
_JOB_COUNTS = ((1, 0.5), (2, 0.35), (3, 0.15))
_PROJET_DE_METIER = 0.4  # share of the second and third jobs that are projects, not searches
_CREF_PROJECT = 0.12
_SECOND_CREF_PROJECT = 0.15
_EF_JOB = 0.5  # a CREF project also listed among the métiers, with typology EF
# Fiches a person could plausibly set up, take over or join as a franchisee.
_CREF_FICHES = ("A1203", "G1603", "K1304", "K2204", "K2205", "M1225", "N1102")
_FRANCHISE_FRIENDLY = frozenset({"G1603", "K1304"})
_FIRST_CONTRACT = (("CDI", 0.6), ("CDD", 0.25), ("MIS", 0.1), ("DIN", 0.05))
_SEASONAL_FIRST_CONTRACT = (("SAI", 0.6), ("CDD", 0.3), ("CDI", 0.1))
_OTHER_CONTRACTS = ("CDI", "CDD", "MIS", "DIN")
_TRAINING_CONTRACTS = ("FS", "E2")
_OWN_BUSINESS_CONTRACTS = ("CCE", "LIB")
_FULL_TIME, _PART_TIME = "1", "2"
_RADII_KM = (5, 10, 15, 20, 30)
_RADII_MIN = (20, 30, 45)
_HOME_RADII_KM = (10, 20, 30, 40, 50)


class _CommunePool:
    """Communes picked in proportion to their population."""

    def __init__(self, items: Sequence[Commune]) -> None:
        self.items = tuple(items)
        self.cumulative = list(accumulate(max(c.population, 1) for c in self.items))

    def pick(self, rng: random.Random) -> Commune:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


@cache
def _pool(departement: str | None) -> _CommunePool:
    selected = [c for c in communes() if departement is None or c.departement == departement]
    return _CommunePool(selected or communes())


def baseline(seed: int, person: Person) -> Careers:
    """The profil de compétences of ``person`` under ``seed`` (possibly empty)."""
    rng = derive_rng(seed, FACET, person.key)
    if rng.random() < _NO_JOB:
        return Careers()
    draw = _Draw(rng, person)
    count = weighted_choice(rng, _JOB_COUNTS)
    fiches: list[RomeFiche] = []
    while len(fiches) < count:
        fiche = draw_fiche(rng)
        if fiche not in fiches:
            fiches.append(fiche)
    jobs = [
        draw.job(fiche, "MR" if i == 0 or rng.random() >= _PROJET_DE_METIER else "PM")
        for i, fiche in enumerate(fiches)
    ]
    projects: list[CrefProject] = []
    if rng.random() < _CREF_PROJECT:
        wanted = 2 if rng.random() < _SECOND_CREF_PROJECT else 1
        for code in rng.sample(_CREF_FICHES, wanted):
            project = draw.project(rome_by_code()[code])
            projects.append(project)
            if rng.random() < _EF_JOB:
                jobs.append(draw.own_business_job(project))
    return Careers(jobs=tuple(jobs), projects=tuple(projects))


class _Draw:
    """The draws of one person's profile, sharing the person's stream and home commune."""

    def __init__(self, rng: random.Random, person: Person) -> None:
        self.rng = rng
        self.names = nomenclatures()
        address = person.address
        self.departement = address.departement if address else None
        self.home = communes_by_code().get(address.commune_code) if address else None
        self.home_mobility = (
            HomeMobility(
                value=rng.choice(_HOME_RADII_KM),
                unit=self.names.coded(self.names.mobility_units, "KM"),
                priority=rng.choice((True, False, None)),
            )
            if address
            else None
        )

    def identifiant(self) -> str:
        """An opaque identifier, like the platform's encrypted ones."""
        raw = self.rng.getrandbits(192).to_bytes(24, "big")
        return base64.urlsafe_b64encode(raw).decode()

    def job(self, fiche: RomeFiche, typology: str) -> SoughtJob:
        """A métier recherché (MR) or a projet de métier (PM) in one fiche."""
        rng = self.rng
        project = typology == "PM"
        return SoughtJob(
            identifiant=self.identifiant(),
            appellation=rng.choice(fiche.appellations),
            rome=fiche.coded,
            typology=self.names.coded(self.names.typologies, typology),
            contracts=self.contracts(fiche, project),
            weekly_hours=self.weekly_hours(),
            experience=self.experience(project),
            mobilities=self.mobilities(),
            home_mobility=self.home_mobility,
            salary=self.salary() if rng.random() < 0.7 else None,
            simulation_recruitment=rng.random() < 0.08,
        )

    def own_business_job(self, project: CrefProject) -> SoughtJob:
        """The job of a CREF project, listed among the métiers with typology EF."""
        code = self.rng.choice(_OWN_BUSINESS_CONTRACTS)
        return SoughtJob(
            identifiant=self.identifiant(),
            appellation=project.appellation,
            rome=project.rome,
            typology=self.names.coded(self.names.typologies, "EF"),
            contracts=(WantedContract(self.names.contract_types[code], 0, False),),
            weekly_hours=(self.hours(_FULL_TIME, False),),
            experience=None,
            mobilities=project.mobilities,
            home_mobility=project.home_mobility,
            salary=None,
            simulation_recruitment=False,
        )

    def project(self, fiche: RomeFiche) -> CrefProject:
        """A projet de création, reprise ou franchise in one fiche."""
        rng = self.rng
        franchise = rng.random() < (0.4 if fiche.code in _FRANCHISE_FRIENDLY else 0.1)
        takeover = rng.random() < 0.2
        return CrefProject(
            identifiant=self.identifiant(),
            appellation=rng.choice(fiche.appellations),
            rome=fiche.coded,
            creation=rng.random() < 0.7 or not (franchise or takeover),
            takeover=takeover,
            franchise=franchise,
            mobilities=self.mobilities(),
            home_mobility=self.home_mobility,
        )

    def contracts(self, fiche: RomeFiche, project: bool) -> tuple[WantedContract, ...]:
        """1–3 distinct contract types by priority; projects may go through training."""
        rng = self.rng
        seasonal = fiche.code.startswith("A14")
        first = weighted_choice(rng, _SEASONAL_FIRST_CONTRACT if seasonal else _FIRST_CONTRACT)
        pool = [c for c in _OTHER_CONTRACTS if c != first]
        if project:
            pool += _TRAINING_CONTRACTS
        codes = [first, *rng.sample(pool, rng.choice((0, 1, 1, 2)))]
        return tuple(
            WantedContract(
                type=self.names.contract_types[code],
                priority=priority,
                reasonable_offer=rng.random() < (0.7 if priority == 0 else 0.3),
            )
            for priority, code in enumerate(codes)
        )

    def hours(self, code: str, reasonable_offer: bool) -> WeeklyHours:
        """Full time, or part time with a range of hours per week."""
        low = self.rng.choice((15, 20, 24)) if code == _PART_TIME else None
        return WeeklyHours(
            working_time=self.names.coded(self.names.working_times, code),
            min_hours=low,
            max_hours=min(low + self.rng.choice((6, 10, 15)), 34) if low else None,
            reasonable_offer=reasonable_offer,
        )

    def weekly_hours(self) -> tuple[WeeklyHours, ...]:
        """Full time (most), part time, or both."""
        roll = self.rng.random()
        if roll < 0.7:
            return (self.hours(_FULL_TIME, self.rng.random() < 0.6),)
        if roll < 0.9:
            return (self.hours(_PART_TIME, self.rng.random() < 0.6),)
        return (self.hours(_FULL_TIME, True), self.hours(_PART_TIME, False))

    def experience(self, project: bool) -> Experience | None:
        """Years (or months) in the job; most projects de métier have none."""
        rng = self.rng
        if rng.random() < (0.7 if project else 0.15):
            return None
        if rng.random() < 0.3:
            return Experience(
                rng.randint(1, 11), self.names.coded(self.names.experience_units, "MO")
            )
        return Experience(rng.randint(1, 15), self.names.coded(self.names.experience_units, "AN"))

    def mobilities(self) -> tuple[Mobility, ...]:
        """The home commune (or one of the département) and sometimes a second commune."""
        rng = self.rng
        pool = _pool(self.departement)
        first = self.home or pool.pick(rng)
        places = [first]
        if rng.random() < 0.4:
            other = pool.pick(rng)
            if other != first:
                places.append(other)
        return tuple(
            self.around(commune, priority=True if i == 0 else rng.choice((False, None)))
            for i, commune in enumerate(places)
        )

    def around(self, commune: Commune, priority: bool | None) -> Mobility:
        """A radius around a commune, in kilometres or, sometimes, in minutes of travel."""
        minutes = self.rng.random() < 0.1
        return Mobility(
            place=Place(
                code=commune.code,
                libelle=commune.nom,
                type=self.names.coded(self.names.place_types, "5"),
            ),
            radius=self.rng.choice(_RADII_MIN if minutes else _RADII_KM),
            unit=self.names.coded(self.names.mobility_units, "MN" if minutes else "KM"),
            priority=priority,
        )

    def salary(self) -> Salary:
        """A gross wanted pay: monthly mostly, sometimes hourly or yearly."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.7:
            return Salary("Mensuel", float(rng.randrange(1800, 2400, 50)))
        if roll < 0.9:
            return Salary("Horaire", round(rng.uniform(12.0, 14.5), 2))
        return Salary("Annuel", float(rng.randrange(22_000, 30_000, 500)))
