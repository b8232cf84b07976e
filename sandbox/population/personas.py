"""Hand-written personas: named people that produce every outcome on purpose.

A persona file (``fixtures/personas/*.yaml``) is validated here: its NIR must carry the right key,
match its sex and birth date, use an order number of 900 or more (never used by generated people)
and a birthplace of the shipped tables; its numéro France Travail starts with 9 (generated ones
start with 1).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from sandbox.convention.return_codes import ReturnCode
from sandbox.identifiers import CORSICA_SPLIT_YEAR, normalise_nir
from sandbox.population.models import (
    RQTH_FIRST_PERMANENT_DAY,
    Address,
    Birthplace,
    BirthplaceKind,
    Coded,
    ContractAvailability,
    DossierPart,
    EngagementContract,
    Orientation,
    OrientationState,
    Person,
    Registration,
    RegistrationStatus,
    Rqth,
    RqthSource,
    RsaFollowUp,
    Sex,
    rqth_earliest_start,
)
from sandbox.population.nir_space import FIRST_PERSONA_ORDER, UNKNOWN_MONTH
from sandbox.population.referentials import communes_by_code, countries, label


class PersonaError(ValueError):
    """A persona file is inconsistent; the message names the file and the problem."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)


class ExpectedOutcome(_Spec):
    """What a tester should get for this persona with the default client."""

    recherche_usager: ReturnCode = Field(alias="rechercheUsager")
    statut_usager: Literal["200", "204", "ERT_200_FONCT"] | None = Field(
        default=None, alias="statutUsager"
    )


class AddressSpec(_Spec):
    """An address; the commune must be in the shipped commune table."""

    ligne: str
    commune: Annotated[str, StringConstraints(min_length=5, max_length=5)]


class RsaSpec(_Spec):
    """RSA follow-up of a persona."""

    beneficiaire: bool = True
    orientation: Orientation | None = Orientation.PRO
    etat_orientation: OrientationState = Field(
        default=OrientationState.OUVERT, alias="etatOrientation"
    )


class RegistrationSpec(_Spec):
    """Registration of a persona; codes are looked up in the shipped code lists."""

    statut: RegistrationStatus
    date_effet_statut: dt.date = Field(alias="dateEffetStatut")
    date_inscription: dt.date | None = Field(default=None, alias="dateInscription")
    categorie: str | None = None
    motif_inscription: str | None = Field(default=None, alias="motifInscription")
    situation_regard_emploi: str | None = Field(default=None, alias="situationRegardEmploi")
    motif_cloture: str | None = Field(default=None, alias="motifCloture")


class DiagnosticSpec(_Spec):
    """What the persona's generated Diagnostic dossier leaves null."""

    parties_nulles: list[DossierPart] = Field(default_factory=list, alias="partiesNulles")


class RqthSpec(_Spec):
    """A persona's RQTH: its period (no ``dateFin``: without end) and its source."""

    date_debut: dt.date = Field(alias="dateDebut")
    date_fin: dt.date | None = Field(default=None, alias="dateFin")
    source: RqthSource = RqthSource.MDPH


ActivityCode = Literal["ACT366", "ACT367", "ACT369", "ACT370", "ACT380", "ACT382", "ACT395"]
"""The activity codes of Gestion activités opérationnelles v2 (published enum)."""


class PersonaSpec(_Spec):
    """One persona file."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    titre: str
    description: str
    attendu: ExpectedOutcome
    nir: Annotated[str, StringConstraints(min_length=15, max_length=15)]
    date_naissance: dt.date = Field(alias="dateNaissance")
    nom: str
    prenom: str
    numero_france_travail: Annotated[str, StringConstraints(pattern=r"^9[0-9]{10}$")] = Field(
        alias="numeroFranceTravail"
    )
    identite_certifiee: bool = Field(default=True, alias="identiteCertifiee")
    nia: bool = False
    adresse: AddressSpec | None
    agence_safir: Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")] = Field(
        default="62512", alias="agenceSafir"
    )
    rsa: RsaSpec = RsaSpec()
    inscription: RegistrationSpec
    contrat: ContractAvailability = ContractAvailability.AVAILABLE
    diagnostic: DiagnosticSpec = DiagnosticSpec()
    rqth: RqthSpec | Literal["aucune"] | None = Field(
        default=None,
        description="Données RQTH: a period, or `aucune` (204); absent, generated from the seed.",
    )
    contrat_engagement: EngagementContract | None = Field(default=None, alias="contratEngagement")
    activites: list[ActivityCode] | None = None


def load_personas(directory: Path) -> tuple[tuple[Person, ...], dict[str, PersonaSpec]]:
    """Load and check every ``*.yaml`` persona of a directory, sorted by file name."""
    people: list[Person] = []
    specs: dict[str, PersonaSpec] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            spec = PersonaSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
            person = _to_person(spec)
        except (ValidationError, ValueError, yaml.YAMLError) as exc:
            raise PersonaError(f"{path.name}: {exc}") from exc
        if spec.id in specs:
            raise PersonaError(f"{path.name}: duplicate persona id {spec.id!r}")
        specs[spec.id] = spec
        people.append(person)
    return tuple(people), specs


def _to_person(spec: PersonaSpec) -> Person:
    body = normalise_nir(spec.nir)
    sex = Sex(body[0]) if body[0] in ("1", "2") else None
    if sex is None:
        raise ValueError("the NIR's first digit must be 1 or 2")
    if int(body[1:3]) != spec.date_naissance.year % 100:
        raise ValueError("the NIR's year does not match dateNaissance")
    month_known = body[3:5] != UNKNOWN_MONTH
    if month_known and int(body[3:5]) != spec.date_naissance.month:
        raise ValueError("the NIR's month does not match dateNaissance")
    if int(body[10:13]) < FIRST_PERSONA_ORDER:
        raise ValueError(f"persona NIRs use order numbers {FIRST_PERSONA_ORDER}-999")
    if spec.diagnostic.parties_nulles and spec.inscription.statut is not RegistrationStatus.INSCRIT:
        # Only registered people always have a generated dossier whose parts can be left null.
        raise ValueError("diagnostic.partiesNulles needs inscription statut Inscrit")
    return Person(
        key=f"p-{spec.id}",
        nir=spec.nir,
        nia=spec.nia,
        sex=sex,
        last_name=spec.nom,
        first_name=spec.prenom,
        birth_date=spec.date_naissance,
        birth_month_known=month_known,
        birthplace=_birthplace(body[5:10], spec.date_naissance.year),
        numero_france_travail=spec.numero_france_travail,
        identity_certified=spec.identite_certifiee,
        address=_address(spec.adresse),
        safir_agency=spec.agence_safir,
        rsa=_rsa(spec.rsa),
        registration=_registration(spec.inscription),
        contract=spec.contrat,
        persona=spec.id,
        null_dossier_parts=frozenset(spec.diagnostic.parties_nulles),
        rqth_declared=spec.rqth is not None,
        rqth=_rqth(spec),
        engagement=spec.contrat_engagement,
        activities=None if spec.activites is None else tuple(spec.activites),
    )


def _rqth(spec: PersonaSpec) -> Rqth | None:
    if not isinstance(spec.rqth, RqthSpec):
        return None
    rqth = Rqth(spec.rqth.date_debut, spec.rqth.date_fin, spec.rqth.source)
    if rqth.starts_on < rqth_earliest_start(spec.date_naissance):
        raise ValueError("rqth.dateDebut comes before the persona's 16th birthday")
    if rqth.ends_on is not None and rqth.ends_on < rqth.starts_on:
        raise ValueError("rqth.dateFin comes before rqth.dateDebut")
    if rqth.ends_on is None and rqth.starts_on < RQTH_FIRST_PERMANENT_DAY:
        raise ValueError("a rqth without dateFin starts on 2019-01-01 or later")
    return rqth


def _birthplace(code: str, year: int) -> Birthplace:
    if code.startswith("99"):
        for country in countries():
            if country.code == code:
                return Birthplace(code, country.libelle, BirthplaceKind.ETRANGER)
        raise ValueError(f"unknown country code {code}")
    candidates = [code]
    if code.startswith("20") and year < CORSICA_SPLIT_YEAR:
        candidates = ["2A" + code[2:], "2B" + code[2:]]
    elif code.startswith(("2A", "2B")) and year < CORSICA_SPLIT_YEAR:
        raise ValueError("Corsican NIRs use 20, not 2A/2B, for births before 1976")
    for candidate in candidates:
        commune = communes_by_code().get(candidate)
        if commune is not None:
            kind = (
                BirthplaceKind.CORSE
                if commune.departement in ("2A", "2B")
                else BirthplaceKind.OUTRE_MER
                if len(commune.departement) == 3
                else BirthplaceKind.METROPOLE
            )
            return Birthplace(commune.code, commune.nom, kind)
    raise ValueError(f"birthplace {code} is not in the shipped commune table")


def _address(spec: AddressSpec | None) -> Address | None:
    if spec is None:
        return None
    commune = communes_by_code().get(spec.commune)
    if commune is None:
        raise ValueError(f"commune {spec.commune} is not in the shipped commune table")
    return Address(spec.ligne, commune.code_postal, commune.code, commune.nom, commune.departement)


def _rsa(spec: RsaSpec) -> RsaFollowUp:
    if not spec.beneficiaire:
        return RsaFollowUp(beneficiary=False, orientation=None, referent_structure=None)
    structure = (
        Coded("FT", "France Travail")
        if spec.orientation is Orientation.PRO
        else Coded("CD62", "Conseil départemental (62)")
    )
    return RsaFollowUp(True, spec.orientation, structure, spec.etat_orientation)


def _coded(list_name: str, code: str | None) -> Coded | None:
    return None if code is None else Coded(code, label(list_name, code))


def _registration(spec: RegistrationSpec) -> Registration:
    ended = (
        spec.date_effet_statut
        if spec.statut in (RegistrationStatus.CESSE, RegistrationStatus.RADIE)
        else None
    )
    return Registration(
        status=spec.statut,
        status_date=spec.date_effet_statut,
        registered_on=spec.date_inscription,
        ended_on=ended,
        category=_coded("categories_inscription", spec.categorie),
        reason=_coded("motifs_inscription", spec.motif_inscription),
        employment_situation=_coded("situations_regard_emploi", spec.situation_regard_emploi),
        closure_reason=_coded("motifs_cloture", spec.motif_cloture),
    )
