"""diagnosticargumente v1 write shapes (convention Annexe 2 §10.3, enregistrement resources).

Coded values only (Annexe 3 §1.2): ``nomMetier`` is the exact label of a ROME appellation of the
référentiel, ``typologie`` a typology label, codes and values those of the référentiel.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sandbox.apis.diagnostic_individu.requests import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_CONTRAINTES,
    MAX_OBJECTIFS_PAR_CONTRAINTE,
    MAX_SITUATIONS_PAR_CONTRAINTE,
    ContrainteThematiqueCode,
    ContrainteValeurEcrite,
    Moment,
    NomMetier,
    ObjectifThematiqueCode,
    SituationThematiqueCode,
    coded,
)
from sandbox.diagnostics.commands import (
    ID_METIER_PATTERN,
    ContraintesWrite,
    ContrainteWrite,
    ObjectifWrite,
    SituationWrite,
)
from sandbox.diagnostics.models import Agent, ObjectifValeur, SituationValeur
from sandbox.diagnostics.referentiel import referentiel

Text = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Typologie = Annotated[
    str, StringConstraints(max_length=200), coded(referentiel().typologies.values())
]


class ConseillerEnregistrementV1(BaseModel):
    """Nom, prénom et structure de rattachement du professionnel qui met à jour."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    last_name: Text | None = Field(default=None, alias="nom")
    first_name: Text | None = Field(default=None, alias="prenom")
    structure: Text | None = None


class DiagnosticEnregistrementV1(BaseModel):
    """Le diagnostic à modifier, identifié par son idMetierChiffre."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    conseiller: ConseillerEnregistrementV1 | None = Field(
        default=None, description="Nom, prénom et structure du professionnel."
    )
    id_metier_chiffre: Annotated[str, StringConstraints(pattern=ID_METIER_PATTERN)] = Field(
        alias="idMetierChiffre", description="ID métier chiffré du diagnostic à modifier."
    )
    nom_metier: NomMetier | None = Field(
        default=None,
        alias="nomMetier",
        description="Libellé exact d'une appellation ROME du référentiel (jamais de texte libre).",
    )
    typologie: Typologie | None = Field(
        default=None,
        description="Libellé de typologie : « métier recherché », « projet de métier » ou "
        "« création ou reprise d'entreprise ou de franchise ».",
    )

    def writer(self, default_structure: str | None) -> Agent:
        """The professional who writes (the client's name as structure when not given)."""
        who = self.conseiller or ConseillerEnregistrementV1()
        return Agent(
            nom=who.last_name, prenom=who.first_name, structure=who.structure or default_structure
        )


class DiagnosticsIndividusEnregistrementV1(BaseModel):
    """Ressource « Diagnostics Individus Enregistrement » : une liste d'un élément."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    diagnostic: list[DiagnosticEnregistrementV1] = Field(
        min_length=1,
        max_length=1,
        description="Diagnostic à modifier, dans une liste d'un élément.",
    )


class SituationEnregistrementV1(BaseModel):
    """Une situation à enregistrer."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: SituationThematiqueCode
    value: SituationValeur = Field(alias="valeur")


class ObjectifEnregistrementV1(BaseModel):
    """Un objectif à enregistrer."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: ObjectifThematiqueCode
    value: ObjectifValeur = Field(alias="valeur")


class ContrainteEnregistrementV1(BaseModel):
    """Une contrainte à enregistrer, ses situations et objectifs imbriqués."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: ContrainteThematiqueCode = Field(description="Contrainte 23 à 29.")
    value: ContrainteValeurEcrite = Field(
        alias="valeur", description="NON_ABORDEE, OUI ou CLOTUREE."
    )
    situations: list[SituationEnregistrementV1] = Field(
        default_factory=list, max_length=MAX_SITUATIONS_PAR_CONTRAINTE
    )
    objectifs: list[ObjectifEnregistrementV1] = Field(
        default_factory=list, max_length=MAX_OBJECTIFS_PAR_CONTRAINTE
    )


class ContraintesIndividusEnregistrementV1(BaseModel):
    """Ressource « Contraintes Individus enregistrement »."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    explored_at: Moment = Field(
        alias="dateExploration",
        description=f"Date d'exploration des contraintes ; années {FIRST_YEAR} à {LAST_YEAR}.",
    )
    id_conseiller: Text = Field(
        alias="idConseiller", min_length=1, description="Identifiant du conseiller."
    )
    contraintes: list[ContrainteEnregistrementV1] = Field(min_length=1, max_length=MAX_CONTRAINTES)

    def to_domain(self) -> ContraintesWrite:
        """The domain command; nested situations and objectifs keep their contrainte."""
        return ContraintesWrite(
            explored_at=self.explored_at,
            contraintes=[ContrainteWrite(c.code, c.value) for c in self.contraintes],
            situations=[
                SituationWrite(s.code, s.value, c.code)
                for c in self.contraintes
                for s in c.situations
            ],
            objectifs=[
                ObjectifWrite(o.code, o.value, c.code)
                for c in self.contraintes
                for o in c.objectifs
            ],
        )
