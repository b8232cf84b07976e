"""A person's profil de compétences: métiers recherchés and CREF projects (English attributes).

The API layer maps these to the platform's wire names (``critereOre``, ``libellé``, ``Libelle``…).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sandbox.population.models import Coded


@dataclass(frozen=True, slots=True)
class ContractType:
    """A type of contract with its short and long libellés."""

    code: str
    libelle: str
    libelle_long: str


@dataclass(frozen=True, slots=True)
class WantedContract:
    """A contract type the person accepts; priority 0 is the most wanted."""

    type: ContractType
    priority: int
    reasonable_offer: bool


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Full or part time; part time carries a range of hours per week."""

    working_time: Coded
    min_hours: int | None
    max_hours: int | None
    reasonable_offer: bool


@dataclass(frozen=True, slots=True)
class Experience:
    """Experience in the job, in years (``AN``) or months (``MO``)."""

    value: int
    unit: Coded


@dataclass(frozen=True, slots=True)
class Place:
    """Where a mobility applies: a commune (type 5) in the sandbox, with its INSEE code."""

    code: str
    libelle: str
    type: Coded


@dataclass(frozen=True, slots=True)
class Mobility:
    """A place the person would work in; the radius is only given around a commune."""

    place: Place
    radius: int | None
    unit: Coded | None
    priority: bool | None


@dataclass(frozen=True, slots=True)
class HomeMobility:
    """How far from home the person would work."""

    value: int
    unit: Coded
    priority: bool | None


@dataclass(frozen=True, slots=True)
class Salary:
    """Wanted gross pay and the scale it is expressed in (Mensuel, Horaire…)."""

    scale: str
    amount: float


@dataclass(frozen=True, slots=True)
class SoughtJob:
    """A métier recherché (MR), a projet de métier (PM) or the job of a CREF project (EF)."""

    identifiant: str
    appellation: Coded
    rome: Coded
    typology: Coded
    contracts: tuple[WantedContract, ...]
    weekly_hours: tuple[WeeklyHours, ...]
    experience: Experience | None
    mobilities: tuple[Mobility, ...]
    home_mobility: HomeMobility | None
    salary: Salary | None
    simulation_recruitment: bool
    employment_passport: bool | None = None
    employment_passport_validated_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CrefProject:
    """A projet de création, reprise ou franchise d'entreprise (at least one kind is set)."""

    identifiant: str
    appellation: Coded
    rome: Coded
    creation: bool
    takeover: bool
    franchise: bool
    mobilities: tuple[Mobility, ...]
    home_mobility: HomeMobility | None


@dataclass(frozen=True, slots=True)
class Careers:
    """Everything the profil de compétences holds for one person (possibly nothing)."""

    jobs: tuple[SoughtJob, ...] = ()
    projects: tuple[CrefProject, ...] = ()
