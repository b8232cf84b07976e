"""A person's diagnostic dossier (English attributes; the API layer maps them to French).

One dossier per (OAuth client, person), shared by both API generations. It is stored as JSON
(``model_dump(mode="json")``) and reloaded with ``model_validate``. Only explored items are kept:
a besoin, situation or objectif absent from its map reads as "not explored" with its référentiel
label. Every write also produces a ``Version``: what that write changed, by whom and when, which the
historisation routes list.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

V = TypeVar("V", bound=StrEnum)


class BesoinValeur(StrEnum):
    """Valeur d'un besoin."""

    NON_EXPLORE = "NON_EXPLORE"
    BESOIN = "BESOIN"
    POINT_FORT = "POINT_FORT"


class ContrainteValeur(StrEnum):
    """Valeur d'une contrainte (SUPPRIMEE: listed by the référentiel, never written)."""

    NON_ABORDEE = "NON_ABORDEE"
    OUI = "OUI"
    CLOTUREE = "CLOTUREE"
    SUPPRIMEE = "SUPPRIMEE"


class SituationValeur(StrEnum):
    """Valeur d'une situation."""

    NON_ABORDEE = "NON_ABORDEE"
    OUI = "OUI"
    NON = "NON"


class ObjectifValeur(StrEnum):
    """Valeur d'un objectif."""

    NON_ABORDE = "NON_ABORDE"
    EN_COURS = "EN_COURS"
    REALISE = "REALISE"
    ABANDONNE = "ABANDONNE"


class Impact(StrEnum):
    """Impact d'une contrainte."""

    FORT = "FORT"
    FAIBLE = "FAIBLE"
    MOYEN = "MOYEN"
    NON_RENSEIGNE = "NON_RENSEIGNE"


class Reponse(StrEnum):
    """Réponse à une question du pouvoir d'agir."""

    OUI = "OUI"
    NON = "NON"
    NE_SAIT_PAS = "NE_SAIT_PAS"


class CodeTypologie(StrEnum):
    """Typologie du diagnostic: métier recherché, projet de métier, création d'entreprise."""

    EF = "EF"
    PM = "PM"
    MR = "MR"


class CodeSousTypologie(StrEnum):
    """Sous-typologie of an EF diagnostic: Création, Reprise, Franchise and their combinations."""

    CRF = "CRF"
    C = "C"
    R = "R"
    F = "F"
    CF = "CF"
    RF = "RF"
    CR = "CR"


class StatutDiagnostic(StrEnum):
    """Statut du diagnostic."""

    EN_COURS = "EN_COURS"
    ARCHIVE = "ARCHIVE"
    SUPPRIME = "SUPPRIME"


class Agent(BaseModel):
    """Who wrote: a partner agent (``pa-*`` headers or v1 body) or a France Travail counsellor."""

    identifiant: str | None = None
    nom: str | None = None
    prenom: str | None = None
    structure: str | None = None
    type: str = "AGENT"


class Explored(BaseModel, Generic[V]):
    """The value of an explored item (besoin, situation, objectif), with when and by whom."""

    valeur: V
    at: dt.datetime | None = None
    agent: Agent | None = None


class Diagnostic(BaseModel):
    """One diagnostic (a job project) and the besoins explored for it."""

    id: str
    id_metier_chiffre: str
    nom_metier: str | None = None
    typologie: str | None = None
    code_typologie: CodeTypologie | None = None
    code_sous_typologie: CodeSousTypologie | None = None
    code_rome: str | None = None
    code_appellation: str | None = None
    statut: StatutDiagnostic = StatutDiagnostic.EN_COURS
    prioritaire: bool = False
    agent: Agent | None = None
    updated_at: dt.datetime
    project_updated_at: dt.datetime | None = None
    created_by_partner: bool = False
    besoins: dict[str, Explored[BesoinValeur]] = Field(default_factory=dict)
    besoins_at: dt.datetime | None = None
    besoins_agent: Agent | None = None


class Contrainte(BaseModel):
    """An explored contrainte with its explored situations and objectifs."""

    valeur: ContrainteValeur
    prioritaire: bool = False
    impact: Impact = Impact.NON_RENSEIGNE
    at: dt.datetime | None = None
    situations: dict[str, Explored[SituationValeur]] = Field(default_factory=dict)
    objectifs: dict[str, Explored[ObjectifValeur]] = Field(default_factory=dict)


class Contraintes(BaseModel):
    """Thématique 7 (contraintes 23–29); contrainte 22 lives in the autonomie numérique."""

    at: dt.datetime | None = None
    agent: Agent | None = None
    sans_contrainte: bool | None = None
    sans_contrainte_at: dt.datetime | None = None
    items: dict[str, Contrainte] = Field(default_factory=dict)


class PouvoirAgir(BaseModel):
    """The two answers of the pouvoir d'agir."""

    confiance: Reponse
    accompagnement: Reponse
    at: dt.datetime | None = None
    agent: Agent | None = None


class AutonomieNumerique(BaseModel):
    """Besoin 7 and contrainte 22, explored together."""

    at: dt.datetime | None = None
    agent: Agent | None = None
    besoin: Explored[BesoinValeur] | None = None
    contrainte: Contrainte | None = None


class Dossier(BaseModel):
    """Everything the Diagnostic individu API knows of a person."""

    diagnostics: list[Diagnostic] = Field(default_factory=list)
    contraintes: Contraintes | None = None
    pouvoir_agir: PouvoirAgir | None = None
    autonomie: AutonomieNumerique | None = None

    def is_empty(self) -> bool:
        """Nothing at all: GET /dossiers answers 204."""
        return not self.diagnostics and not any(
            (self.contraintes, self.pouvoir_agir, self.autonomie)
        )

    def diagnostic(self, diagnostic_id: str) -> Diagnostic | None:
        """The diagnostic with this idDiagnostic."""
        return next((d for d in self.diagnostics if d.id == diagnostic_id), None)


class CodeValeur(BaseModel):
    """A coded value as written (code, valeur)."""

    code: str
    valeur: str


class ContrainteChange(BaseModel):
    """A contrainte as written."""

    code: str
    valeur: str
    prioritaire: bool
    impact: Impact


class BesoinsChange(BaseModel):
    """Besoins written for one diagnostic."""

    diagnostic_id: str
    besoins: list[CodeValeur]


class ContraintesChange(BaseModel):
    """Contraintes, situations and objectifs written in one exploration."""

    contraintes: list[ContrainteChange] = Field(default_factory=list)
    situations: list[CodeValeur] = Field(default_factory=list)
    objectifs: list[CodeValeur] = Field(default_factory=list)


class AutonomieChange(BaseModel):
    """What one write changed in the autonomie numérique."""

    besoin: CodeValeur | None = None
    contrainte: ContrainteChange | None = None
    situations: list[CodeValeur] = Field(default_factory=list)
    objectifs: list[CodeValeur] = Field(default_factory=list)


class Version(BaseModel):
    """What one write changed (a "version d'exploration" of the historisation routes)."""

    agent: Agent
    at: dt.datetime
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    besoins: list[BesoinsChange] = Field(default_factory=list)
    contraintes: ContraintesChange | None = None
    pouvoir_agir: PouvoirAgir | None = None
    autonomie: AutonomieChange | None = None
