"""Historisation shapes of Diagnostic Usager v4: the published ``PageHistorisation…Dto`` envelope.

One entry per write of the client ("version d'exploration"): ``versionExploration`` says who wrote
(agent of the ``pa-*`` headers) and when (the instant the sandbox recorded it, which is also what
``dateDebut``/``dateFin`` filter on); ``donnees`` lists what that write changed. Newest first.
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from sandbox.apis.diagnostic_individu.schemas import (
    NO_APPELLATION,
    NO_TYPOLOGY,
    AgentDto,
    DateV4,
)
from sandbox.apis.omission import Omitted, omissible
from sandbox.diagnostics.models import (
    AutonomieChange,
    BesoinsChange,
    CodeSousTypologie,
    CodeTypologie,
    CodeValeur,
    ContrainteChange,
    ContraintesChange,
    Diagnostic,
    Impact,
    PouvoirAgir,
    Reponse,
    StatutDiagnostic,
    Version,
)
from sandbox.diagnostics.referentiel import referentiel
from sandbox.diagnostics.service import VersionPage

D = TypeVar("D", bound=BaseModel)


class CodeLibelleValeur(BaseModel):
    """Un besoin, une situation ou un objectif modifié."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str
    label: str = Field(alias="libelle")
    value: str = Field(alias="valeur", description="Valeur enregistrée.")


def _besoin(item: CodeValeur) -> CodeLibelleValeur:
    besoin = referentiel().besoin(item.code)
    return CodeLibelleValeur(
        code=item.code, label=besoin.libelle if besoin else "", value=item.valeur
    )


def _situations(items: list[CodeValeur]) -> list[CodeLibelleValeur]:
    ref = referentiel()
    return [
        CodeLibelleValeur(
            code=i.code, label=s.libelle if (s := ref.situation(i.code)) else "", value=i.valeur
        )
        for i in items
    ]


def _objectifs(items: list[CodeValeur]) -> list[CodeLibelleValeur]:
    ref = referentiel()
    return [
        CodeLibelleValeur(
            code=i.code, label=o.libelle if (o := ref.objectif(i.code)) else "", value=i.valeur
        )
        for i in items
    ]


class ContrainteHistorisationDto(BaseModel):
    """Une contrainte modifiée."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str
    priority: bool = Field(alias="estPrioritaire")
    label: str = Field(alias="libelle")
    value: str = Field(alias="valeur")
    impact: Impact

    @classmethod
    def of(cls, change: ContrainteChange) -> ContrainteHistorisationDto:
        """The wire change."""
        contrainte = referentiel().contrainte(change.code)
        return cls(
            code=change.code,
            priority=change.prioritaire,
            label=contrainte.libelle if contrainte else "",
            value=change.valeur,
            impact=change.impact,
        )


class BesoinsIndividuHistorisationDto(BaseModel):
    """Besoins modifiés d'un diagnostic."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    besoins: list[CodeLibelleValeur]
    id_diagnostic: str = Field(alias="idDiagnostic")

    @classmethod
    def of(cls, change: BesoinsChange) -> BesoinsIndividuHistorisationDto:
        """The wire change."""
        return cls(besoins=[_besoin(b) for b in change.besoins], id_diagnostic=change.diagnostic_id)


class ContraintesIndividuHistorisationDto(BaseModel):
    """Contraintes, objectifs et situations modifiés."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    contraintes: list[ContrainteHistorisationDto]
    objectifs: list[CodeLibelleValeur]
    situations: list[CodeLibelleValeur]

    @classmethod
    def of(cls, change: ContraintesChange) -> ContraintesIndividuHistorisationDto:
        """The wire change."""
        return cls(
            contraintes=[ContrainteHistorisationDto.of(c) for c in change.contraintes],
            objectifs=_objectifs(change.objectifs),
            situations=_situations(change.situations),
        )


class DiagnosticIndividuHistorisationDto(BaseModel):
    """Un diagnostic tel qu'après la modification."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code_appellation: str | Omitted = omissible(
        f"Code appellation.{NO_APPELLATION}", alias="codeAppellation"
    )
    code_rome: str | Omitted = omissible(f"Code ROME.{NO_APPELLATION}", alias="codeRome")
    code_sous_typologie: CodeSousTypologie | Omitted = omissible(
        "Code sous-typologie : seulement pour un projet EF, absent sinon.",
        alias="codeSousTypologie",
    )
    code_typologie: CodeTypologie | Omitted = omissible(
        f"Code typologie.{NO_TYPOLOGY}", alias="codeTypologie"
    )
    updated_at: DateV4 = Field(alias="dateMiseAJour")
    project_updated_at: DateV4 | None = Field(
        alias="dateMiseAJourProjet",
        description="null tant que le nom du métier et la typologie n'ont jamais été modifiés, "
        "comme dans l'exemple publié du dossier.",
    )
    partner_created: bool = Field(alias="estCreationPartenaire")
    priority: bool = Field(alias="estPrioritaire")
    id_diagnostic: str = Field(alias="idDiagnostic")
    id_metier_chiffre: str = Field(alias="idMetierChiffre")
    nom_activite_cref: str | Omitted = omissible(
        "Nom de l'activité CREF : le bac à sable n'en écrit jamais, toujours absent.",
        alias="nomActiviteCref",
    )
    nom_metier: str | Omitted = omissible(f"Nom du métier.{NO_APPELLATION}", alias="nomMetier")
    status: StatutDiagnostic = Field(alias="statut")
    typologie: str | Omitted = omissible(f"Typologie du diagnostic.{NO_TYPOLOGY}")

    @classmethod
    def of(cls, diagnostic: Diagnostic) -> DiagnosticIndividuHistorisationDto:
        """The wire snapshot."""
        return cls(
            code_appellation=diagnostic.code_appellation,
            code_rome=diagnostic.code_rome,
            code_sous_typologie=diagnostic.code_sous_typologie,
            code_typologie=diagnostic.code_typologie,
            updated_at=diagnostic.updated_at,
            project_updated_at=diagnostic.project_updated_at,
            partner_created=diagnostic.created_by_partner,
            priority=diagnostic.prioritaire,
            id_diagnostic=diagnostic.id,
            id_metier_chiffre=diagnostic.id_metier_chiffre,
            nom_activite_cref=None,
            nom_metier=diagnostic.nom_metier,
            status=diagnostic.statut,
            typologie=diagnostic.typologie,
        )


class DiagnosticsIndividuHistorisationDto(BaseModel):
    """Diagnostics modifiés durant l'exploration."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    diagnostics: list[DiagnosticIndividuHistorisationDto]


class PouvoirAgirIndividuHistorisationDto(BaseModel):
    """Pouvoir d'agir enregistré."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    accompagnement: Reponse
    confiance: Reponse

    @classmethod
    def of(cls, pouvoir: PouvoirAgir) -> PouvoirAgirIndividuHistorisationDto:
        """The wire change."""
        return cls(accompagnement=pouvoir.accompagnement, confiance=pouvoir.confiance)


_UNTOUCHED = " Absent quand l'écriture n'y a pas touché."


class AutonomieNumeriqueHistorisationDto(BaseModel):
    """Autonomie numérique modifiée."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    besoin: CodeLibelleValeur | Omitted = omissible(f"Besoin 7 modifié.{_UNTOUCHED}")
    contrainte: ContrainteHistorisationDto | Omitted = omissible(
        f"Contrainte 22 modifiée.{_UNTOUCHED}"
    )
    objectifs: list[CodeLibelleValeur]
    situations: list[CodeLibelleValeur]

    @classmethod
    def of(cls, change: AutonomieChange) -> AutonomieNumeriqueHistorisationDto:
        """The wire change."""
        return cls(
            besoin=_besoin(change.besoin) if change.besoin else None,
            contrainte=ContrainteHistorisationDto.of(change.contrainte)
            if change.contrainte
            else None,
            objectifs=_objectifs(change.objectifs),
            situations=_situations(change.situations),
        )


class DossierIndividuHistorisationDto(BaseModel):
    """Tout ce qu'une écriture a modifié ; absent (ou liste vide) pour ce qu'elle n'a pas touché."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    autonomie: AutonomieNumeriqueHistorisationDto | Omitted = omissible(
        f"Autonomie numérique modifiée.{_UNTOUCHED}", alias="autonomieNumeriqueHistorisee"
    )
    besoins: list[BesoinsIndividuHistorisationDto] = Field(alias="besoinsHistorises")
    contraintes: ContraintesIndividuHistorisationDto | Omitted = omissible(
        f"Contraintes modifiées.{_UNTOUCHED}", alias="contraintesHistorisees"
    )
    diagnostics: DiagnosticsIndividuHistorisationDto | Omitted = omissible(
        f"Diagnostics modifiés.{_UNTOUCHED}", alias="diagnosticsHistorises"
    )
    pouvoir_agir: PouvoirAgirIndividuHistorisationDto | Omitted = omissible(
        f"Pouvoir d'agir modifié.{_UNTOUCHED}", alias="pouvoirAgirHistorise"
    )

    @classmethod
    def of(cls, version: Version) -> DossierIndividuHistorisationDto:
        """Every part of a version."""
        return cls(
            autonomie=AutonomieNumeriqueHistorisationDto.of(version.autonomie)
            if version.autonomie
            else None,
            besoins=[BesoinsIndividuHistorisationDto.of(b) for b in version.besoins],
            contraintes=ContraintesIndividuHistorisationDto.of(version.contraintes)
            if version.contraintes
            else None,
            diagnostics=DiagnosticsIndividuHistorisationDto(
                diagnostics=[DiagnosticIndividuHistorisationDto.of(d) for d in version.diagnostics]
            )
            if version.diagnostics
            else None,
            pouvoir_agir=PouvoirAgirIndividuHistorisationDto.of(version.pouvoir_agir)
            if version.pouvoir_agir
            else None,
        )


class VersionExploration(BaseModel):
    """Agent ayant réalisé l'exploration et date d'enregistrement."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    agent: AgentDto | Omitted = omissible("Agent de l'écriture ; absent s'il n'est pas connu.")
    explored_at: DateV4 = Field(alias="dateExploration")


class DonneesVersion(BaseModel, Generic[D]):
    """Les données d'une version d'exploration."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    donnees: D
    version: VersionExploration = Field(alias="versionExploration")


class PageHistorisation(BaseModel, Generic[D]):
    """Une page de l'historique, la plus récente version en premier."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    items: list[DonneesVersion[D]] = Field(alias="donneesParVersionExploration")
    page: int = Field(alias="pageActuelle", description="Page renvoyée (défaut 1).")
    per_page: int = Field(alias="donneesParPage", description="Données par page (défaut 10).")
    total: int = Field(alias="totalDonnees", description="Nombre total de données de la période.")
    start: DateV4 | Omitted = omissible(
        "Début de la période demandée ; absent quand la requête n'en donne pas.", alias="dateDebut"
    )
    end: DateV4 | Omitted = omissible(
        "Fin de la période demandée ; absente quand la requête n'en donne pas (les données les "
        "plus récentes sont servies).",
        alias="dateFin",
    )


class HistoryRequest(BaseModel):
    """The paging and period of a historisation request."""

    model_config = ConfigDict(extra="forbid")

    start: dt.datetime | None
    end: dt.datetime | None
    page: int
    per_page: int


def page_of(
    envelope: type[PageHistorisation[D]],
    found: VersionPage,
    request: HistoryRequest,
    donnees: list[D],
) -> PageHistorisation[D]:
    """Assemble the envelope of a page of versions and their data."""
    return envelope(
        # Dicts, so that pydantic builds the envelope's own parametrised DonneesVersion.
        items=[
            {
                "donnees": data,
                "version": VersionExploration(agent=AgentDto.of(v.agent), explored_at=v.at),
            }
            for v, data in zip(found.versions, donnees, strict=True)
        ],
        page=request.page,
        per_page=request.per_page,
        total=found.total,
        start=request.start,
        end=request.end,
    )


class PageHistorisationDossierIndividuDto(PageHistorisation[DossierIndividuHistorisationDto]):
    """Historique du dossier : toutes les écritures."""


class PageHistorisationDiagnosticsIndividuDto(
    PageHistorisation[DiagnosticsIndividuHistorisationDto]
):
    """Historique des diagnostics."""


class PageHistorisationBesoinsIndividuDto(PageHistorisation[BesoinsIndividuHistorisationDto]):
    """Historique des besoins d'un diagnostic."""


class PageHistorisationContraintesIndividuDto(
    PageHistorisation[ContraintesIndividuHistorisationDto]
):
    """Historique des contraintes."""


class PageHistorisationPouvoirAgirIndividuDto(
    PageHistorisation[PouvoirAgirIndividuHistorisationDto]
):
    """Historique du pouvoir d'agir."""


class PageHistorisationAutonomieNumeriqueDto(PageHistorisation[AutonomieNumeriqueHistorisationDto]):
    """Historique de l'autonomie numérique."""
