"""The synthetic person and its facets (English attributes; the API layer maps them to French)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Sex(StrEnum):
    """First digit of a NIR for a certified identity."""

    MALE = "1"
    FEMALE = "2"


class BirthplaceKind(StrEnum):
    """Where a person was born, as the NIR encodes it."""

    METROPOLE = "metropole"
    CORSE = "corse"
    OUTRE_MER = "outre-mer"
    ETRANGER = "etranger"


class RegistrationStatus(StrEnum):
    """Statut du demandeur d'emploi, with the platform's accented values."""

    IDENTIFIE = "Identifié"
    INSCRIT = "Inscrit"
    CESSE = "Cessé"
    RADIE = "Radié"


class Orientation(StrEnum):
    """RSA parcours (CASF): decides the référent structure and the category (convention Art. 1)."""

    SOCIAL = "social"
    SOCIO_PRO = "socio_pro"
    PRO = "pro"


class OrientationState(StrEnum):
    """État d'avancement of a person's latest orientation (Orientation usager's ``etat``)."""

    BROUILLON = "BROUILLON"
    EN_ATTENTE = "EN_ATTENTE"
    OUVERT = "OUVERT"
    CLOTURE = "CLOTURE"


class ContractAvailability(StrEnum):
    """What Statut usager can say about a person."""

    AVAILABLE = "disponible"
    NO_DATA = "aucune-donnee"
    UNSUPPORTED_POPULATION = "population-non-geree"


class EngagementContract(StrEnum):
    """A contrat d'engagement given to a persona on purpose (Contrat d'engagement v1 ``etat``).

    ``aucun``: no contract yet (the API's 204). Generated people get theirs from the seed.
    """

    AUCUN = "aucun"
    SIGNE = "SIGNE"
    REFUSE = "REFUSE"
    A_SIGNER = "A_SIGNER"
    EN_ATTENTE_SIGNATURE = "EN_ATTENTE_SIGNATURE"
    SUSPENDU = "SUSPENDU"


class DossierPart(StrEnum):
    """A part of the Diagnostic dossier a persona may leave null (named as on the wire)."""

    POUVOIR_AGIR = "pouvoirAgir"
    AUTONOMIE_NUMERIQUE = "autonomieNumerique"


@dataclass(frozen=True, slots=True)
class Coded:
    """A code with its libellé."""

    code: str
    libelle: str


@dataclass(frozen=True, slots=True)
class Birthplace:
    """A birthplace: INSEE commune code, or ``99`` + country code for people born abroad."""

    code: str
    libelle: str
    kind: BirthplaceKind


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address in France."""

    ligne: str
    code_postal: str
    commune_code: str
    commune_nom: str
    departement: str


@dataclass(frozen=True, slots=True)
class Registration:
    """Registration on the list of job seekers (Statut usager)."""

    status: RegistrationStatus
    status_date: dt.date
    registered_on: dt.date | None
    ended_on: dt.date | None
    category: Coded | None
    reason: Coded | None
    employment_situation: Coded | None
    closure_reason: Coded | None

    def months_registered(self, window_months: int, today: dt.date) -> int:
        """Whole months spent registered within the last ``window_months`` months before today."""
        if self.registered_on is None:
            return 0
        window_start = _months_before(today, window_months)
        start = max(self.registered_on, window_start)
        end = min(self.ended_on or today, today)
        if end <= start:
            return 0
        return min(window_months, round((end - start).days / 30.4375))


@dataclass(frozen=True, slots=True)
class RsaFollowUp:
    """RSA data: beneficiary or not, orientation, référent structure."""

    beneficiary: bool
    orientation: Orientation | None
    referent_structure: Coded | None
    orientation_state: OrientationState = OrientationState.OUVERT


class RqthSource(StrEnum):
    """Who the platform holds a RQTH from (Données RQTH ``source``; reading in contracts/README)."""

    MDPH = "MDPH"
    FRANCE_TRAVAIL = "FRANCE TRAVAIL"


RQTH_MIN_AGE = 16
"""No RQTH starts before the person's 16th birthday (the age from which it can be asked for)."""
RQTH_FIRST_PERMANENT_DAY = dt.date(2019, 1, 1)
"""A RQTH without end ("sans limitation de durée") starts on this day or later."""


def rqth_earliest_start(birth_date: dt.date) -> dt.date:
    """The first day a RQTH may start: the 16th birthday (28 February for a 29 February birth)."""
    try:
        return birth_date.replace(year=birth_date.year + RQTH_MIN_AGE)
    except ValueError:
        return birth_date.replace(year=birth_date.year + RQTH_MIN_AGE, day=28)


@dataclass(frozen=True, slots=True)
class Rqth:
    """A reconnaissance de la qualité de travailleur handicapé: its period and its source.

    ``ends_on`` is the last day it is valid; ``None`` when it has no end (served 9999-12-31).
    """

    starts_on: dt.date
    ends_on: dt.date | None
    source: RqthSource

    def valid_on(self, day: dt.date) -> bool:
        """Whether the RQTH is in force on that day (both bounds included)."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@dataclass(frozen=True, slots=True)
class Person:
    """One synthetic person: a pure function of (seed, index), or a hand-written persona."""

    key: str
    nir: str
    nia: bool
    sex: Sex
    last_name: str
    first_name: str
    birth_date: dt.date
    birth_month_known: bool
    birthplace: Birthplace
    numero_france_travail: str
    identity_certified: bool
    address: Address | None
    safir_agency: str
    rsa: RsaFollowUp
    registration: Registration
    contract: ContractAvailability = ContractAvailability.AVAILABLE
    persona: str | None = None
    null_dossier_parts: frozenset[DossierPart] = frozenset()
    rqth_declared: bool = False
    """A persona file decided the RQTH (``rqth`` below, None: none); else it is generated."""
    rqth: Rqth | None = None
    engagement: EngagementContract | None = None
    activities: tuple[str, ...] | None = None

    @property
    def nir_body(self) -> str:
        """The 13-character NIR without its key."""
        return self.nir[:13]

    @property
    def attachment_departement(self) -> str | None:
        """The département whose structures follow the person (from the address), if known."""
        return self.address.departement if self.address else None


def _months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    return dt.date(year, month + 1, min(day.day, 28))
