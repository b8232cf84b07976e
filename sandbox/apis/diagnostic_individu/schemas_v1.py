"""diagnosticargumente v1 shapes (convention Annexe 2 §10.3 field lists, carnet-de-bord evidence).

The dossier and contraintes resources follow the only public v1 client (carnet-de-bord): dossier
``besoinsParDiagnosticIndividuDtos[{idMetierChiffre, nomMetier, typologie, statut, estPrioritaire,
dateMiseAJour, besoins}]`` and ``contraintesIndividusDto``; the contraintes resource names a
contrainte ``id`` (integer) and ``nom``. Other resources use the convention's field names.

Lecture retenue (tableau « diagnostics individus » de la convention) : la colonne des descriptions
est décalée d'une ligne vers le bas ; la description de chaque champ est celle de la ligne qui le
suit. Ainsi ``listeDiagnostics`` = « Liste des diagnostics du demandeur d'emploi »,
``dateMiseAJour`` = « Date de dernière modification du diagnostic », ``conseiller`` = « Nom,
prénom, structure du professionnel ayant mis à jour le diagnostic » (un objet), ``estPrioritaire``
= « Indicateur de priorité », ``idMetierChiffre`` = « Id Métier chiffré », ``nomMetier`` = « Nom
du métier », ``statut`` = « Statut », ``typologie`` = « Typologie du diagnostic ».

Dates are served like carnet-de-bord's captures: ``2022-12-08T23:00:00.000+00:00`` (UTC).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from sandbox.apis.diagnostic_individu.schemas import NO_APPELLATION, NO_TYPOLOGY
from sandbox.apis.omission import Omitted, omissible
from sandbox.diagnostics.models import (
    Agent,
    BesoinValeur,
    Contrainte,
    Contraintes,
    ContrainteValeur,
    Diagnostic,
    ObjectifValeur,
    PouvoirAgir,
    Reponse,
    SituationValeur,
    StatutDiagnostic,
)
from sandbox.diagnostics.referentiel import ContrainteRef, referentiel


def v1_date(moment: dt.datetime) -> str:
    """``yyyy-MM-dd'T'HH:mm:ss.SSS+00:00`` in UTC."""
    moment = moment.astimezone(dt.UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}+00:00"


DateV1 = Annotated[
    dt.datetime,
    PlainSerializer(v1_date, return_type=str),
    Field(examples=["2022-12-08T23:00:00.000+00:00"]),
]


class CodeLibelleValeurV1(BaseModel):
    """Un besoin, une situation ou un objectif : code, libellé, valeur."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str
    label: str = Field(alias="libelle")
    value: str = Field(alias="valeur")


def _besoins(diagnostic: Diagnostic) -> list[CodeLibelleValeurV1]:
    return [
        CodeLibelleValeurV1(
            code=b.code,
            label=b.libelle,
            value=(e.valeur if (e := diagnostic.besoins.get(b.code)) else BesoinValeur.NON_EXPLORE),
        )
        for t in referentiel().besoins_diagnostic
        for b in t.besoins
    ]


def _situations_objectifs(
    ref: ContrainteRef, contrainte: Contrainte | None
) -> tuple[list[CodeLibelleValeurV1], list[CodeLibelleValeurV1]]:
    situations = contrainte.situations if contrainte else {}
    objectifs = contrainte.objectifs if contrainte else {}
    return (
        [
            CodeLibelleValeurV1(
                code=s.code,
                label=s.libelle,
                value=se.valeur if (se := situations.get(s.code)) else SituationValeur.NON_ABORDEE,
            )
            for s in ref.situations
        ],
        [
            CodeLibelleValeurV1(
                code=o.code,
                label=o.libelle,
                value=oe.valeur if (oe := objectifs.get(o.code)) else ObjectifValeur.NON_ABORDE,
            )
            for o in ref.objectifs
        ],
    )


class BesoinsParDiagnosticIndividuDtoV1(BaseModel):
    """Un diagnostic du dossier v1 et ses besoins."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    id_metier_chiffre: str = Field(alias="idMetierChiffre")
    nom_metier: str | Omitted = omissible(f"Nom du métier.{NO_APPELLATION}", alias="nomMetier")
    typologie: str | Omitted = omissible(f"Typologie du diagnostic.{NO_TYPOLOGY}")
    status: StatutDiagnostic = Field(alias="statut")
    priority: bool = Field(alias="estPrioritaire")
    updated_at: DateV1 = Field(alias="dateMiseAJour")
    besoins: list[CodeLibelleValeurV1]

    @classmethod
    def of(cls, diagnostic: Diagnostic) -> BesoinsParDiagnosticIndividuDtoV1:
        """The v1 view of a diagnostic."""
        return cls(
            id_metier_chiffre=diagnostic.id_metier_chiffre,
            nom_metier=diagnostic.nom_metier,
            typologie=diagnostic.typologie,
            status=diagnostic.statut,
            priority=diagnostic.prioritaire,
            updated_at=diagnostic.updated_at,
            besoins=_besoins(diagnostic),
        )


_NULL_DATE = (
    " null tant que la contrainte n'a pas été abordée, comme les clients de l'époque de la "
    "convention la reçoivent (carnet-de-bord : « la date est parfois null »)."
)


class ContrainteDossierV1(BaseModel):
    """Une contrainte du dossier v1 (code et libellé)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str
    label: str = Field(alias="libelle")
    value: ContrainteValeur = Field(alias="valeur")
    date: DateV1 | None = Field(
        description=f"Date de la dernière modification de la contrainte.{_NULL_DATE}"
    )
    situations: list[CodeLibelleValeurV1]
    objectifs: list[CodeLibelleValeurV1]


class ContrainteV1(BaseModel):
    """Une contrainte de la ressource « Contraintes individus » (id entier et nom)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    id: int = Field(description="Identifiant de la contrainte.", examples=[23])
    name: str = Field(alias="nom", description="Nom de la contrainte.")
    value: ContrainteValeur = Field(alias="valeur")
    date: DateV1 | None = Field(description=f"Date de la dernière modification.{_NULL_DATE}")
    situations: list[CodeLibelleValeurV1]
    objectifs: list[CodeLibelleValeurV1]


def _contrainte_fields(contraintes: Contraintes) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for ref in referentiel().contraintes_thematique:
        contrainte = contraintes.items.get(ref.code)
        situations, objectifs = _situations_objectifs(ref, contrainte)
        rows.append(
            {
                "code": ref.code,
                "label": ref.libelle,
                "value": contrainte.valeur if contrainte else ContrainteValeur.NON_ABORDEE,
                "date": contrainte.at if contrainte else None,
                "situations": situations,
                "objectifs": objectifs,
            }
        )
    return rows


class _ThematiqueContrainteV1(BaseModel):
    """What both v1 contraintes resources say of the thématique and its last change."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    conseiller: str | Omitted = omissible(
        "Identifiant du conseiller ayant fait la dernière modification ; absent quand "
        "l'écriture ne le donne pas (idConseiller)."
    )
    modified_at: DateV1 | Omitted = omissible(
        "Date de la dernière modification ; absente si elle n'est pas connue.",
        alias="dateDeModification",
    )
    code: str = Field(description="Code de la thématique.", examples=["7"])
    label: str = Field(alias="libelle", description="Libellé de la thématique.")


def _thematique_fields(contraintes: Contraintes) -> dict[str, Any]:
    thematique = referentiel().thematique_contrainte
    return {
        "conseiller": contraintes.agent.identifiant if contraintes.agent else None,
        "modified_at": contraintes.at,
        "code": thematique.code,
        "label": thematique.libelle,
    }


class ContraintesIndividusDtoV1(_ThematiqueContrainteV1):
    """Les contraintes du dossier v1."""

    contraintes: list[ContrainteDossierV1]

    @classmethod
    def of(cls, contraintes: Contraintes) -> ContraintesIndividusDtoV1:
        """The dossier's contraintes, every contrainte of the thématique listed."""
        return cls(
            **_thematique_fields(contraintes),
            contraintes=[
                ContrainteDossierV1.model_validate(r) for r in _contrainte_fields(contraintes)
            ],
        )


class ContraintesIndividusV1(_ThematiqueContrainteV1):
    """Ressource « Contraintes individus »."""

    contraintes: list[ContrainteV1]

    @classmethod
    def of(cls, contraintes: Contraintes) -> ContraintesIndividusV1:
        """The contraintes resource: ``id``/``nom`` instead of ``code``/``libelle``."""
        return cls(
            **_thematique_fields(contraintes),
            contraintes=[
                ContrainteV1.model_validate(
                    {"id": int(str(r.pop("code"))), "name": r.pop("label"), **r}
                )
                for r in _contrainte_fields(contraintes)
            ],
        )


class DossierIndividuV1(BaseModel):
    """Ressource « Dossiers individus » : diagnostics, besoins et contraintes."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    diagnostics: list[BesoinsParDiagnosticIndividuDtoV1] = Field(
        alias="besoinsParDiagnosticIndividuDtos"
    )
    contraintes: ContraintesIndividusDtoV1 | Omitted = omissible(
        "Contraintes de l'usager ; absentes tant qu'aucune n'a été explorée.",
        alias="contraintesIndividusDto",
    )


class BesoinsParDiagnosticV1(BaseModel):
    """Les besoins d'un diagnostic."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    id_metier: str = Field(
        alias="idMetier", description="Identifiant chiffré du métier rattaché au diagnostic."
    )
    besoins: list[CodeLibelleValeurV1] = Field(
        description="Lecture retenue : la ligne « Besoin » de la convention nomme l'élément de "
        "cette liste, appelée besoins comme dans la ressource Dossiers individus."
    )


class BesoinsIndividusV1(BaseModel):
    """Ressource « besoins individus »."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    besoins_par_diagnostic: list[BesoinsParDiagnosticV1] = Field(
        alias="besoinsParDiagnostic", description="Liste de besoins par diagnostic."
    )

    @classmethod
    def of(cls, diagnostics: list[Diagnostic]) -> BesoinsIndividusV1:
        """The besoins of each diagnostic."""
        return cls(
            besoins_par_diagnostic=[
                BesoinsParDiagnosticV1(id_metier=d.id_metier_chiffre, besoins=_besoins(d))
                for d in diagnostics
            ]
        )


_NOT_GIVEN = " Absent quand l'écriture ne le donne pas."


class ConseillerV1(BaseModel):
    """Nom, prénom et structure du professionnel (lecture retenue du tableau décalé)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    last_name: str | Omitted = omissible(f"Nom du professionnel.{_NOT_GIVEN}", alias="nom")
    first_name: str | Omitted = omissible(f"Prénom du professionnel.{_NOT_GIVEN}", alias="prenom")
    structure: str | Omitted = omissible(f"Structure du professionnel.{_NOT_GIVEN}")

    @classmethod
    def of(cls, agent: Agent | None) -> ConseillerV1 | None:
        """The professional who last updated."""
        if agent is None:
            return None
        return cls(last_name=agent.nom, first_name=agent.prenom, structure=agent.structure)


class DiagnosticV1(BaseModel):
    """Un diagnostic de ``listeDiagnostics`` (champs de la convention, lecture retenue)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    updated_at: DateV1 = Field(
        alias="dateMiseAJour", description="Date de dernière modification du diagnostic."
    )
    conseiller: ConseillerV1 | Omitted = omissible(
        "Nom, prénom, structure du professionnel ayant mis à jour le diagnostic ; absent s'il "
        "n'est pas connu."
    )
    priority: bool = Field(alias="estPrioritaire", description="Indicateur de priorité.")
    id_metier_chiffre: str = Field(alias="idMetierChiffre", description="Id Métier chiffré.")
    nom_metier: str | Omitted = omissible(f"Nom du métier.{NO_APPELLATION}", alias="nomMetier")
    status: StatutDiagnostic = Field(alias="statut", description="Statut du diagnostic.")
    typologie: str | Omitted = omissible(f"Typologie du diagnostic.{NO_TYPOLOGY}")


class DiagnosticsIndividusV1(BaseModel):
    """Ressource « diagnostics individus »."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    diagnostics: list[DiagnosticV1] = Field(
        alias="listeDiagnostics", description="Liste des diagnostics du demandeur d'emploi."
    )

    @classmethod
    def of(cls, diagnostics: list[Diagnostic]) -> DiagnosticsIndividusV1:
        """The v1 list of diagnostics."""
        return cls(
            diagnostics=[
                DiagnosticV1(
                    updated_at=max(d.updated_at, d.project_updated_at or d.updated_at),
                    conseiller=ConseillerV1.of(d.agent),
                    priority=d.prioritaire,
                    id_metier_chiffre=d.id_metier_chiffre,
                    nom_metier=d.nom_metier,
                    status=d.statut,
                    typologie=d.typologie,
                )
                for d in diagnostics
            ]
        )


class PouvoirAgirV1(BaseModel):
    """Pouvoir d'agir du demandeur d'emploi."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    confiance: Reponse = Field(description="Niveau de confiance.")
    accompagnement: Reponse = Field(description="Niveau d'accompagnement.")
    analysis: str = Field(alias="resultatAnalyse", description="Résultat d'analyse (référentiel).")


class PouvoirAgirIndividuV1(BaseModel):
    """Ressource « Pouvoir Agir »."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    pouvoir_agir: PouvoirAgirV1 = Field(alias="pouvoirAgir")

    @classmethod
    def of(cls, pouvoir: PouvoirAgir) -> PouvoirAgirIndividuV1:
        """The answers and their analysis."""
        analyse = referentiel().analyse(pouvoir.confiance, pouvoir.accompagnement)
        return cls(
            pouvoir_agir=PouvoirAgirV1(
                confiance=pouvoir.confiance,
                accompagnement=pouvoir.accompagnement,
                analysis=analyse.libelle,
            )
        )
