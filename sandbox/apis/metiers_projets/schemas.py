"""Wire models of Métiers recherchés / projets CREF: v2 lists and the v1 ``metierRecherche`` roots.

Spellings are the platform's, odd ones included: ``rome.libellé`` (accented key) and
``lieu.Libelle`` (capital L). Both generations serve the same camelCase attributes; the
convention's lower-case names (``metierRecherche.contrats.critereore``…) are that document
lower-casing the same keys.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.apis.omission import Omitted, omissible
from sandbox.careers.models import (
    CrefProject,
    Experience,
    HomeMobility,
    Mobility,
    Salary,
    SoughtJob,
    WantedContract,
    WeeklyHours,
)
from sandbox.population.models import Coded

ContractCode = Literal["CDI", "CDD", "DIN", "MIS", "SAI", "LIB", "CCE", "FS", "E2", "PS"]
TypologyCode = Literal["MR", "PM", "EF"]
WorkingTimeCode = Literal["1", "2"]
ExperienceUnitCode = Literal["AN", "MO"]
MobilityUnitCode = Literal["KM", "H", "MN"]
PlaceTypeCode = Literal["1", "2", "3", "4", "5"]
SalaryScale = Literal["Annuel", "Mensuel", "Cachet", "Horaire", "Autre"]
# The published libellé enums (metiers-recherches-projets-evolution.json v1.0.40).
TypologyLabel = Literal[
    "Métier Recherché", "Projet de Métier", "Création ou Reprise d'Entreprise ou de Franchiseaire"
]
ContractLabel = Literal[
    "CDI",
    "CDD",
    "CDI intérimaire",
    "Mission intérimaire",
    "Saisonnier",
    "Profession libérale",
    "Profession commerciale",
    "Contrat de professionnalisation",
    "Contrat d'apprentissage",
    "Portage salarial",
]
ContractLongLabel = Literal[
    "Contrat à durée indéterminée",
    "Contrat à durée déterminée",
    "CDI intérimaire",
    "Mission intérimaire",
    "Contrat travail saisonnier",
    "Profession libérale",
    "Profession commerciale",
    "Contrat de professionnalisation",
    "Contrat d'apprentissage",
    "Portage salarial",
]
WorkingTimeLabel = Literal["temps plein", "temps partiel"]
ExperienceUnitLabel = Literal["An(s)", "Mois"]
MobilityUnitLabel = Literal["Kilomètres", "Heures", "Minutes"]
PlaceTypeLabel = Literal["Pays", "Continent", "Région", "Département", "Commune"]


class Appellation(BaseModel):
    """Appellation ROME du métier recherché, du projet d'évolution ou du projet CREF."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str = Field(description="Code de l'appellation", examples=["10805"])
    libelle: str = Field(description="Libellé de l'appellation", examples=["Aide à domicile"])

    @classmethod
    def of(cls, value: Coded) -> Appellation:
        """The wire form of an appellation."""
        return cls(code=value.code, libelle=value.libelle)


class Rome(BaseModel):
    """Informations du référentiel ROME concernant le métier (clé ``libellé`` accentuée)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str = Field(description="Code du référentiel ROME", examples=["K1304"])
    libelle: str = Field(
        alias="libellé",
        description="Libellé du référentiel ROME",
        examples=["Employé familial / Employée familiale"],
    )

    @classmethod
    def of(cls, value: Coded) -> Rome:
        """The wire form of a ROME fiche."""
        return cls(code=value.code, libelle=value.libelle)


class TypologieEmploi(BaseModel):
    """Typologie de l'emploi : métier recherché, projet d'évolution ou création d'entreprise."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: TypologyCode = Field(description="Code de la typologie emploi")
    libelle: TypologyLabel = Field(
        description="Libellé de la typologie emploi", examples=["Métier Recherché"]
    )


class TypeContrat(BaseModel):
    """Type du contrat souhaité par l'usager du Profil de compétences."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: ContractCode = Field(description="Code du type de contrat")
    libelle: ContractLabel = Field(description="Libellé du type de contrat", examples=["CDI"])
    libelle_long: ContractLongLabel = Field(
        alias="libelleLong",
        description="Libellé long du type de contrat",
        examples=["Contrat à durée indéterminée"],
    )


class Contrat(BaseModel):
    """Types de contrat souhaités par l'usager du Profil de compétences."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    critere_ore: bool = Field(
        alias="critereOre",
        description="Indique si ce type de contrat fait partie de l'Offre Raisonnable d'Emploi "
        "(ORE) de l'usager du Profil de compétences",
    )
    priorite: int = Field(
        ge=0,
        description="Indique la priorité de ce type de contrat par rapport aux autres. 0 "
        "correspondant à la priorité la plus importante",
    )
    kind: TypeContrat = Field(alias="type", description='Détail dans "TypeContratDto"')

    @classmethod
    def of(cls, value: WantedContract) -> Contrat:
        """The wire form of a wanted contract."""
        t = value.type
        return cls(
            critere_ore=value.reasonable_offer,
            priorite=value.priority,
            kind=TypeContrat.model_validate(
                {"code": t.code, "libelle": t.libelle, "libelle_long": t.libelle_long}
            ),
        )


class TempsTravail(BaseModel):
    """Précisions sur le temps de travail souhaité."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: WorkingTimeCode = Field(description="Code de l'unité de temps de travail")
    libelle: WorkingTimeLabel = Field(
        description="Libellé de l'unité de temps de travail", examples=["temps plein"]
    )
    min_hours: int | None = Field(
        alias="min",
        ge=1,
        description="Temps de travail min en heure(s) par semaine (renseigné en cas de temps "
        "partiel) ; null en temps plein, comme le schéma publié le permet (nullable).",
    )
    max_hours: int | None = Field(
        alias="max",
        ge=1,
        description="Temps de travail max en heure(s) par semaine (renseigné en cas de temps "
        "partiel) ; null en temps plein, comme le schéma publié le permet (nullable).",
    )


class DureeHebdomadaire(BaseModel):
    """Informations sur le temps de travail souhaité par l'usager du Profil de compétence."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    critere_ore: bool = Field(
        alias="critereOre",
        description="Indicateur si la durée de travail hebdomadaire est un critère d'Offre "
        "Raisonnable d'Emploi (ORE)",
    )
    temps_travail: TempsTravail = Field(
        alias="tempsTravail", description='Détail dans "UniteTempsTravailDto"'
    )

    @classmethod
    def of(cls, value: WeeklyHours) -> DureeHebdomadaire:
        """The wire form of a weekly working time."""
        return cls(
            critere_ore=value.reasonable_offer,
            temps_travail=TempsTravail.model_validate(
                {
                    "code": value.working_time.code,
                    "libelle": value.working_time.libelle,
                    "min_hours": value.min_hours,
                    "max_hours": value.max_hours,
                }
            ),
        )


class UniteDureeExperience(BaseModel):
    """Échelle de la valeur de temps sur l'expérience."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: ExperienceUnitCode = Field(description="Code de l'unité de durée d'expérience")
    libelle: ExperienceUnitLabel = Field(
        description="Libelle de l'unité de durée d'expérience", examples=["An(s)"]
    )


class DureeExperience(BaseModel):
    """Détaille l'expérience concernant le métier recherché ou le projet."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    unite: UniteDureeExperience = Field(description='Détail dans "UniteDureeExperienceDto"')
    valeur: int = Field(ge=1, description="Valeur de temps de l'expérience")

    @classmethod
    def of(cls, value: Experience | None) -> DureeExperience | None:
        """The wire form of an experience, if any."""
        if value is None:
            return None
        return cls(
            unite=UniteDureeExperience.model_validate(
                {"code": value.unit.code, "libelle": value.unit.libelle}
            ),
            valeur=value.value,
        )


class TypeLieu(BaseModel):
    """Type du lieu."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: PlaceTypeCode = Field(description="Code du type de lieu")
    libelle: PlaceTypeLabel = Field(description="Libelle du type de lieu", examples=["Commune"])


class Lieu(BaseModel):
    """Informations géographiques d'une mobilité (clé ``Libelle`` avec une majuscule)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str = Field(description="Code du lieu (code INSEE)", examples=["62041"])
    libelle: str = Field(
        alias="Libelle",
        description="Libellé du lieu (nom d'une commune, d'un pays, ...)",
        examples=["Arras"],
    )
    kind: TypeLieu = Field(alias="type", description='Détail dans "TypeLieuDto"')


class UniteMobilite(BaseModel):
    """Informations complétant le rayon."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: MobilityUnitCode = Field(description="Code de l'unité")
    libelle: MobilityUnitLabel = Field(description="Libelle de l'unité", examples=["Kilomètres"])

    @classmethod
    def of(cls, value: Coded | None) -> UniteMobilite | None:
        """The wire form of a mobility unit, if any."""
        if value is None:
            return None
        return cls.model_validate({"code": value.code, "libelle": value.libelle})


class Mobilite(BaseModel):
    """Mobilité géographique choisie pour une recherche, un projet d'évolution ou un projet CREF."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    lieu: Lieu = Field(description='Détail dans "LieuDto"')
    mobilite_prioritaire: bool | None = Field(
        alias="mobilitePrioritaire",
        description="Indique si la mobilité est déclarée prioritaire par l'usager ; null quand "
        "l'usager ne l'a pas dit, comme le schéma publié le permet (nullable).",
    )
    rayon: int | Omitted = omissible(
        "Rayon autour de la mobilité souhaité par le demandeur d'emploi lorsque le lieu est une "
        'commune (type "5") ; absent pour un autre type de lieu.',
        ge=0,
    )
    unite: UniteMobilite | Omitted = omissible(
        'Détail dans "UniteMobiliteDto" ; absent avec le rayon (lieu autre qu\'une commune).'
    )

    @classmethod
    def of(cls, value: Mobility) -> Mobilite:
        """The wire form of a mobility."""
        place = value.place
        return cls(
            lieu=Lieu.model_validate(
                {
                    "code": place.code,
                    "libelle": place.libelle,
                    "kind": {"code": place.type.code, "libelle": place.type.libelle},
                }
            ),
            mobilite_prioritaire=value.priority,
            rayon=value.radius,
            unite=UniteMobilite.of(value.unit),
        )


class MobiliteHabitation(BaseModel):
    """Informations sur la mobilité autour du lieu de résidence de l'usager."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    mobilite_prioritaire: bool | None = Field(
        alias="mobilitePrioritaire",
        description="Indique si la mobilité est déclarée prioritaire par l'usager ; null quand "
        "l'usager ne l'a pas dit, comme le schéma publié le permet (nullable).",
    )
    unite: UniteMobilite = Field(description='Détail dans "UniteMobiliteDto"')
    valeur: int = Field(
        description="Rayon autour du lieu de résidence souhaité par le demandeur d'emploi "
        "(les bornes -1..1 de la spécification sont ignorées : c'est un rayon)",
    )

    @classmethod
    def of(cls, value: HomeMobility | None) -> MobiliteHabitation | None:
        """The wire form of the mobility around home, if any."""
        if value is None:
            return None
        return cls(
            mobilite_prioritaire=value.priority,
            unite=UniteMobilite.model_validate(
                {"code": value.unit.code, "libelle": value.unit.libelle}
            ),
            valeur=value.value,
        )


class Salaire(BaseModel):
    """Informations sur le salaire souhaité par l'usager du Profil de compétence."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    libelle: SalaryScale = Field(description="Libellé indiquant l'échelle du montant")
    remuneration: float = Field(
        ge=1, description="Valeur de la rémunération souhaitée (en euros brut)"
    )

    @classmethod
    def of(cls, value: Salary | None) -> Salaire | None:
        """The wire form of a wanted salary, if any."""
        if value is None:
            return None
        return cls.model_validate({"libelle": value.scale, "remuneration": value.amount})


class MetierRecherche(BaseModel):
    """Un métier recherché ou un projet d'évolution professionnelle du Profil de compétences."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    identifiant: str = Field(
        description="Identifiant chiffré du métier recherché ou du projet métier"
    )
    appellation: Appellation = Field(description='Détail dans "AppellationDto"')
    rome: Rome = Field(description='Détail dans "RomeDto"')
    typologie_emploi: TypologieEmploi = Field(
        alias="typologieEmploi", description='Détail dans "TypologieEmploiDto"'
    )
    contrats: list[Contrat] = Field(description='Détail dans "ContratDto"')
    durees_hebdomadaires: list[DureeHebdomadaire] = Field(
        alias="dureesHebdomadaires", description='Détail dans "DureeHebdomadaireDto"'
    )
    duree_experience: DureeExperience | Omitted = omissible(
        "Détail dans \"DureeExperienceDto\" ; absent quand l'usager n'a déclaré aucune "
        "expérience du métier.",
        alias="dureeExperience",
    )
    mobilites: list[Mobilite] = Field(description='Détail dans "MobiliteDto"')
    mobilite_habitation: MobiliteHabitation | Omitted = omissible(
        "Détail dans \"MobiliteHabitationDto\" ; absent quand l'usager n'a pas déclaré de "
        "mobilité autour de son domicile.",
        alias="mobiliteHabitation",
    )
    salaire: Salaire | Omitted = omissible(
        "Détail dans \"SalaireDto\" ; absent quand l'usager n'a pas indiqué de salaire souhaité."
    )
    mrs: bool = Field(
        description="Indique si le recrutement pour ce métier se fera par la Méthode de "
        "Recrutement par Simulation (MRS)"
    )
    passeport_emploi: bool | Omitted = omissible(
        "Donnée non renseignée aujourd'hui, en cours de déploiement : toujours absente.",
        alias="passeportEmploi",
    )
    date_validation_passeport_emploi: dt.date | Omitted = omissible(
        "Date de validation du passeport emploi (non renseignée aujourd'hui, en cours de "
        "déploiement) : toujours absente.",
        alias="dateValidationPasseportEmploi",
    )

    @classmethod
    def of(cls, job: SoughtJob) -> MetierRecherche:
        """The wire form of a métier recherché."""
        return cls(
            identifiant=job.identifiant,
            appellation=Appellation.of(job.appellation),
            rome=Rome.of(job.rome),
            typologie_emploi=TypologieEmploi.model_validate(
                {"code": job.typology.code, "libelle": job.typology.libelle}
            ),
            contrats=[Contrat.of(c) for c in job.contracts],
            durees_hebdomadaires=[DureeHebdomadaire.of(h) for h in job.weekly_hours],
            duree_experience=DureeExperience.of(job.experience),
            mobilites=[Mobilite.of(m) for m in job.mobilities],
            mobilite_habitation=MobiliteHabitation.of(job.home_mobility),
            salaire=Salaire.of(job.salary),
            mrs=job.simulation_recruitment,
            passeport_emploi=job.employment_passport,
            date_validation_passeport_emploi=job.employment_passport_validated_on,
        )


class ProjetCref(BaseModel):
    """Un projet de création, reprise ou franchise d'entreprise du Profil de compétences."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    identifiant: str = Field(description="Identifiant chiffré du projet CREF")
    appellation: Appellation = Field(description="Appellation du projet CREF")
    rome: Rome = Field(description='Détail dans "RomeDto"')
    type_cref_creation: bool = Field(
        alias="typeCrefCreation",
        description="Indique s'il s'agit d'un projet de création d'entreprise",
    )
    type_cref_reprise: bool = Field(
        alias="typeCrefReprise",
        description="Indique s'il s'agit d'un projet de reprise d'entreprise",
    )
    type_cref_franchise: bool = Field(
        alias="typeCrefFranchise",
        description="Indique s'il s'agit d'un projet de franchise d'entreprise",
    )
    mobilites: list[Mobilite] = Field(description='Détail dans "MobiliteDto"')
    mobilite_habitation: MobiliteHabitation | Omitted = omissible(
        "Détail dans \"MobiliteHabitationDto\" ; absent quand l'usager n'a pas déclaré de "
        "mobilité autour de son domicile.",
        alias="mobiliteHabitation",
    )

    @classmethod
    def of(cls, project: CrefProject) -> ProjetCref:
        """The wire form of a CREF project."""
        return cls(
            identifiant=project.identifiant,
            appellation=Appellation.of(project.appellation),
            rome=Rome.of(project.rome),
            type_cref_creation=project.creation,
            type_cref_reprise=project.takeover,
            type_cref_franchise=project.franchise,
            mobilites=[Mobilite.of(m) for m in project.mobilities],
            mobilite_habitation=MobiliteHabitation.of(project.home_mobility),
        )


class MetiersRecherchesV1(BaseModel):
    """Convention Annexe 2 §10.4 output: the list under the ``metierRecherche`` root."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    metier_recherche: list[MetierRecherche] = Field(
        alias="metierRecherche",
        description="Contient les informations sur les métiers recherchés et les projets "
        "d'évolutions professionnelles de l'utilisateur du Profil de compétences",
    )


class ProjetsCrefV1(BaseModel):
    """Convention Annexe 2 §10.5 output: the list under the ``projetCref`` root."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    projet_cref: list[ProjetCref] = Field(
        alias="projetCref",
        description="Retourne la liste des projets CREF (création, reprise et franchise "
        "d'entreprise) de l'utilisateur du Profil de Compétences",
    )
