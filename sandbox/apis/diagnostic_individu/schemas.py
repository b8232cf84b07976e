"""Diagnostic Usager v4 read shapes, with the exact keys of the OpenAPI (``DossierIndividuDto``…).

Every list of the référentiel is shown in full: a besoin, contrainte, situation or objectif that
was never explored reads ``NON_EXPLORE`` / ``NON_ABORDEE`` / ``NON_ABORDE`` with a null agent and
date, as in the published examples. Besoin 7 and contrainte 22 only appear in the autonomie
numérique. Dates are served in UTC in the platform's format, ``2024-02-29T13:58:51.000Z``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from sandbox.apis.omission import Omitted, omissible
from sandbox.diagnostics.models import (
    Agent,
    AutonomieNumerique,
    BesoinValeur,
    CodeSousTypologie,
    CodeTypologie,
    Contrainte,
    Contraintes,
    ContrainteValeur,
    Diagnostic,
    Dossier,
    Explored,
    Impact,
    ObjectifValeur,
    PouvoirAgir,
    Reponse,
    SituationValeur,
    StatutDiagnostic,
)
from sandbox.diagnostics.referentiel import ContrainteRef, referentiel


def platform_date(moment: dt.datetime) -> str:
    """``yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`` in UTC, as the platform's examples."""
    moment = moment.astimezone(dt.UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


UNEXPLORED_AGENT = (
    "Agent de la dernière modification ; null tant que l'élément n'a pas été exploré, comme "
    "dans les exemples publiés (valeur NON_EXPLORE / NON_ABORDEE / NON_ABORDE)."
)
UNEXPLORED_DATE = (
    "Date de la dernière modification ; null tant que l'élément n'a pas été exploré, comme "
    "dans les exemples publiés."
)
_UNWRITTEN_V1 = " Absent quand une écriture v1 ne nomme pas le professionnel."

DateV4 = Annotated[
    dt.datetime,
    PlainSerializer(platform_date, return_type=str),
    Field(examples=["2024-02-29T13:58:51.000Z"]),
]


class AgentDto(BaseModel):
    """L'agent ayant fait la dernière modification (en-têtes pa-* pour un partenaire)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    id: str | Omitted = omissible(
        "Identifiant de l'agent (pa-identifiant-agent) ; présent dans les exemples publiés, non "
        f"déclaré par le schéma.{_UNWRITTEN_V1}",
        examples=["ertc8250"],
    )
    last_name: str | Omitted = omissible(f"Nom de l'agent.{_UNWRITTEN_V1}", alias="nom")
    first_name: str | Omitted = omissible(f"Prénom de l'agent.{_UNWRITTEN_V1}", alias="prenom")
    structure: str | None = Field(
        description="Structure à laquelle appartient l'agent ; peut être nulle, comme le dit le "
        "schéma publié (« notion de structure non existante chez consommateur »)."
    )
    type: str = Field(
        description="Type de l'agent qui a fait la mise à jour, par exemple AGENT, USAGER, "
        "BATCH_ORIENTATION_USAGER ou INCONNU.",
        examples=["AGENT"],
    )

    @classmethod
    def of(cls, agent: Agent | None) -> AgentDto | None:
        """The wire agent (None stays None)."""
        if agent is None:
            return None
        return cls(
            id=agent.identifiant,
            last_name=agent.nom,
            first_name=agent.prenom,
            structure=agent.structure,
            type=agent.type,
        )


class BesoinIndividuDto(BaseModel):
    """Un besoin d'un diagnostic."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    agent: AgentDto | None = Field(description=UNEXPLORED_AGENT)
    code: str = Field(description="Code du besoin.", examples=["1"])
    explored_at: DateV4 | None = Field(alias="dateExploration", description=UNEXPLORED_DATE)
    label: str = Field(alias="libelle", description="Libellé du besoin.")
    value: BesoinValeur = Field(alias="valeur", description="Valeur du besoin.")

    @classmethod
    def of(
        cls, code: str, label: str, explored: Explored[BesoinValeur] | None
    ) -> BesoinIndividuDto:
        """A besoin as read (NON_EXPLORE when never explored)."""
        return cls(
            agent=AgentDto.of(explored.agent) if explored else None,
            code=code,
            explored_at=explored.at if explored else None,
            label=label,
            value=explored.valeur if explored else BesoinValeur.NON_EXPLORE,
        )


class ThematiqueBesoinDto(BaseModel):
    """Une thématique de besoins (1 à 6)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    besoins: list[BesoinIndividuDto] = Field(description="Besoins rattachés à la thématique.")
    code: str = Field(description="Code de la thématique.", examples=["1"])
    label: str = Field(alias="libelle", description="Libellé de la thématique.")


NO_APPELLATION = (
    " Absent quand le diagnostic ne nomme pas d'appellation ROME (projet de création sans "
    "métier, diagnostic écrit sans métier en v1)."
)
NO_TYPOLOGY = " Absent quand le diagnostic n'a pas de typologie (écrit en v1 sans typologie)."
_UNKNOWN_AGENT = "Agent de la dernière modification ; absent s'il n'est pas connu."


class DiagnosticIndividuDto(BaseModel):
    """Un diagnostic (un projet professionnel) de l'usager."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    agent: AgentDto | Omitted = omissible(_UNKNOWN_AGENT)
    code_appellation: str | Omitted = omissible(
        f"Code appellation du diagnostic.{NO_APPELLATION}",
        alias="codeAppellation",
        examples=["13782"],
    )
    code_rome: str | Omitted = omissible(
        f"Code ROME du diagnostic.{NO_APPELLATION}", alias="codeRome", examples=["H2409"]
    )
    code_sous_typologie: CodeSousTypologie | Omitted = omissible(
        "Code sous-typologie : seulement pour un projet de création, reprise ou franchise "
        "(typologie EF), absent sinon (l'exemple publié du dossier y met « MR », hors de "
        "l'enum publié).",
        alias="codeSousTypologie",
    )
    code_typologie: CodeTypologie | Omitted = omissible(
        f"Code typologie du diagnostic.{NO_TYPOLOGY}", alias="codeTypologie"
    )
    updated_at: DateV4 = Field(
        alias="dateMiseAJour",
        description="Date de mise à jour du métier (hors nom métier et typologie).",
    )
    project_updated_at: DateV4 | None = Field(
        alias="dateMiseAJourProjet",
        description="Date de dernière modification du nom du métier ou de la typologie ; null "
        "tant qu'ils n'ont jamais été modifiés, comme dans l'exemple publié du dossier.",
    )
    partner_created: bool = Field(
        alias="estCreationPartenaire", description="Diagnostic créé par un partenaire."
    )
    priority: bool = Field(alias="estPrioritaire", description="Indicateur de priorité.")
    id_diagnostic: str = Field(
        alias="idDiagnostic", description="Identifiant fonctionnel du diagnostic, non chiffré."
    )
    id_metier_chiffre: str = Field(alias="idMetierChiffre")
    nom_metier: str | Omitted = omissible(
        f"Nom du métier : libellé de l'appellation ROME.{NO_APPELLATION}",
        alias="nomMetier",
        examples=["Coupeur / Coupeuse en bonneterie"],
    )
    status: StatutDiagnostic = Field(alias="statut")
    typologie: str | Omitted = omissible(
        f"Ancien champ typologie du diagnostic.{NO_TYPOLOGY}", examples=["métier recherché"]
    )

    @classmethod
    def of(cls, diagnostic: Diagnostic) -> DiagnosticIndividuDto:
        """The wire diagnostic."""
        return cls(
            agent=AgentDto.of(diagnostic.agent),
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
            nom_metier=diagnostic.nom_metier,
            status=diagnostic.statut,
            typologie=diagnostic.typologie,
        )


_NO_BESOIN = " Absent tant qu'aucun besoin de ce diagnostic n'a été exploré."


class BesoinsParDiagnosticIndividuDto(BaseModel):
    """Les besoins d'un diagnostic, par thématique."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    explored_by: AgentDto | Omitted = omissible(
        f"Agent de la dernière exploration des besoins.{_NO_BESOIN}",
        alias="agentDerniereExplorationBesoin",
    )
    explored_at: DateV4 | Omitted = omissible(
        f"Date de la dernière exploration des besoins.{_NO_BESOIN}",
        alias="dateDerniereExplorationBesoin",
    )
    diagnostic: DiagnosticIndividuDto
    thematiques: list[ThematiqueBesoinDto] = Field(alias="thematiquesBesoins")

    @classmethod
    def of(cls, diagnostic: Diagnostic) -> BesoinsParDiagnosticIndividuDto:
        """Every besoin thématique of the référentiel with this diagnostic's values."""
        return cls(
            explored_by=AgentDto.of(diagnostic.besoins_agent),
            explored_at=diagnostic.besoins_at,
            diagnostic=DiagnosticIndividuDto.of(diagnostic),
            thematiques=[
                ThematiqueBesoinDto(
                    besoins=[
                        BesoinIndividuDto.of(b.code, b.libelle, diagnostic.besoins.get(b.code))
                        for b in t.besoins
                    ],
                    code=t.code,
                    label=t.libelle,
                )
                for t in referentiel().besoins_diagnostic
            ],
        )


class SituationDto(BaseModel):
    """Une situation d'une contrainte."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    agent: AgentDto | None = Field(description=UNEXPLORED_AGENT)
    code: str = Field(examples=["6"])
    explored_at: DateV4 | None = Field(alias="dateExploration", description=UNEXPLORED_DATE)
    label: str = Field(alias="libelle")
    value: SituationValeur = Field(alias="valeur")


class ObjectifDto(BaseModel):
    """Un objectif d'une contrainte."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    agent: AgentDto | None = Field(description=UNEXPLORED_AGENT)
    code: str = Field(examples=["4"])
    explored_at: DateV4 | None = Field(alias="dateExploration", description=UNEXPLORED_DATE)
    label: str = Field(alias="libelle")
    value: ObjectifValeur = Field(alias="valeur")


class ContrainteIndividuDto(BaseModel):
    """Une contrainte avec ses situations et ses objectifs."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str = Field(description="Identifiant de la contrainte.", examples=["23"])
    explored_at: DateV4 | None = Field(alias="dateExploration", description=UNEXPLORED_DATE)
    priority: bool = Field(alias="estPrioritaire", description="Une seule contrainte prioritaire.")
    label: str = Field(alias="libelle", description="Nom de la contrainte.")
    objectifs: list[ObjectifDto]
    situations: list[SituationDto]
    value: ContrainteValeur = Field(alias="valeur")
    impact: Impact

    @classmethod
    def of(cls, ref: ContrainteRef, contrainte: Contrainte | None) -> ContrainteIndividuDto:
        """Every situation and objectif of the contrainte, with the explored values."""
        situations = contrainte.situations if contrainte else {}
        objectifs = contrainte.objectifs if contrainte else {}
        return cls(
            code=ref.code,
            explored_at=contrainte.at if contrainte else None,
            priority=contrainte.prioritaire if contrainte else False,
            label=ref.libelle,
            objectifs=[
                ObjectifDto(
                    agent=AgentDto.of(oe.agent) if (oe := objectifs.get(o.code)) else None,
                    code=o.code,
                    explored_at=oe.at if oe else None,
                    label=o.libelle,
                    value=oe.valeur if oe else ObjectifValeur.NON_ABORDE,
                )
                for o in ref.objectifs
            ],
            situations=[
                SituationDto(
                    agent=AgentDto.of(se.agent) if (se := situations.get(s.code)) else None,
                    code=s.code,
                    explored_at=se.at if se else None,
                    label=s.libelle,
                    value=se.valeur if se else SituationValeur.NON_ABORDEE,
                )
                for s in ref.situations
            ],
            value=contrainte.valeur if contrainte else ContrainteValeur.NON_ABORDEE,
            impact=contrainte.impact if contrainte else Impact.NON_RENSEIGNE,
        )


class DeclareSansContrainteIndividuDto(BaseModel):
    """Déclaration sans contrainte."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    flag: bool = Field(
        description="Valeur de la déclaration sans contrainte ; false tant que l'usager ne "
        "s'est pas déclaré sans contrainte."
    )
    date: DateV4 | Omitted = omissible(
        "Date de dernière mise à jour de la déclaration ; absente tant qu'elle n'a jamais été "
        "enregistrée."
    )


class ThematiqueContrainte(BaseModel):
    """La thématique 7 « Résoudre ses contraintes personnelles » (contraintes 23 à 29)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    agent: AgentDto | Omitted = omissible(_UNKNOWN_AGENT)
    code: str = Field(examples=["7"])
    contraintes: list[ContrainteIndividuDto]
    explored_at: DateV4 | Omitted = omissible(
        "Date de la dernière modification ; absente si elle n'est pas connue.",
        alias="dateExploration",
    )
    label: str = Field(alias="libelle", examples=["Résoudre ses contraintes personnelles"])
    declared_without: DeclareSansContrainteIndividuDto = Field(alias="declareSansContrainte")

    @classmethod
    def of(cls, contraintes: Contraintes) -> ThematiqueContrainte:
        """The thématique view of the explored contraintes."""
        ref = referentiel()
        return cls(
            agent=AgentDto.of(contraintes.agent),
            code=ref.thematique_contrainte.code,
            contraintes=[
                ContrainteIndividuDto.of(c, contraintes.items.get(c.code))
                for c in ref.contraintes_thematique
            ],
            explored_at=contraintes.at,
            label=ref.thematique_contrainte.libelle,
            declared_without=DeclareSansContrainteIndividuDto(
                flag=bool(contraintes.sans_contrainte), date=contraintes.sans_contrainte_at
            ),
        )


class PouvoirAgirIndividuDto(BaseModel):
    """Le pouvoir d'agir : deux réponses et l'analyse de la matrice du référentiel.

    Le référentiel n'a pas de réponse « non exploré » (OUI, NON, NE_SAIT_PAS) : un pouvoir d'agir
    servi est toujours exploré.
    """

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    accompagnement: Reponse
    agent: AgentDto | None
    confiance: Reponse
    explored_at: DateV4 | None = Field(alias="dateExploration")
    analysis: str = Field(
        alias="resultatAnalyse",
        description="Libellé de l'analyse (confiance × accompagnement) du référentiel.",
        examples=["Confiant(e) et autonome pour mener ses démarches"],
    )

    @classmethod
    def of(cls, pouvoir: PouvoirAgir) -> PouvoirAgirIndividuDto:
        """The answers and their analysis."""
        return cls(
            accompagnement=pouvoir.accompagnement,
            agent=AgentDto.of(pouvoir.agent),
            confiance=pouvoir.confiance,
            explored_at=pouvoir.at,
            analysis=referentiel().analyse(pouvoir.confiance, pouvoir.accompagnement).libelle,
        )


class AutonomieNumeriqueIndividuDto(BaseModel):
    """L'autonomie numérique : contrainte 22 et besoin 7.

    Non explorée, elle reste un objet avec les valeurs « non exploré » du référentiel, comme les
    éléments non explorés des exemples publiés : besoin NON_EXPLORE, contrainte NON_ABORDEE (non
    prioritaire, impact NON_RENSEIGNE), situations NON_ABORDEE, objectifs NON_ABORDE, agent et
    dateExploration null.
    """

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    agent: AgentDto | None
    besoin: BesoinIndividuDto
    contrainte: ContrainteIndividuDto
    explored_at: DateV4 | None = Field(alias="dateExploration")

    @classmethod
    def of(cls, autonomie: AutonomieNumerique) -> AutonomieNumeriqueIndividuDto:
        """The autonomie numérique view."""
        ref = referentiel()
        besoin = ref.besoin(ref.besoin_numerique)
        contrainte = ref.contrainte(ref.contrainte_numerique)
        assert besoin is not None and contrainte is not None
        return cls(
            agent=AgentDto.of(autonomie.agent),
            besoin=BesoinIndividuDto.of(besoin.code, besoin.libelle, autonomie.besoin),
            contrainte=ContrainteIndividuDto.of(contrainte, autonomie.contrainte),
            explored_at=autonomie.at,
        )


class DossierIndividuDto(BaseModel):
    """Le dossier agrégé de l'usager.

    Les exemples publiés montrent toujours pouvoirAgir et autonomieNumerique en objets, et aucune
    source ne les dit nullables : tout dossier généré les sert en objets (l'autonomie numérique
    éventuellement non explorée). null reste possible et signifie « jamais renseigné » : persona
    diagnostic-sans-pouvoir-agir, ou dossier ouvert par l'écriture d'un partenaire pour un usager
    qui n'en avait pas, jusqu'à l'écriture de la partie.
    """

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    autonomie: AutonomieNumeriqueIndividuDto | None = Field(
        alias="autonomieNumerique",
        description="Autonomie numérique de l'usager : un objet, non exploré s'il le faut ; null "
        "seulement si elle n'a jamais été renseignée (persona diagnostic-sans-pouvoir-agir).",
    )
    besoins: list[BesoinsParDiagnosticIndividuDto] = Field(alias="besoinsParDiagnostic")
    pouvoir_agir: PouvoirAgirIndividuDto | None = Field(
        alias="pouvoirAgir",
        description="Pouvoir d'agir de l'usager : un objet ; null seulement s'il n'a jamais été "
        "renseigné (persona diagnostic-sans-pouvoir-agir).",
    )
    contraintes: ThematiqueContrainte | None = Field(alias="thematiqueContrainte")

    @classmethod
    def of(cls, dossier: Dossier) -> DossierIndividuDto:
        """The aggregated view of a dossier."""
        return cls(
            autonomie=AutonomieNumeriqueIndividuDto.of(dossier.autonomie)
            if dossier.autonomie
            else None,
            besoins=[BesoinsParDiagnosticIndividuDto.of(d) for d in dossier.diagnostics],
            pouvoir_agir=PouvoirAgirIndividuDto.of(dossier.pouvoir_agir)
            if dossier.pouvoir_agir
            else None,
            contraintes=ThematiqueContrainte.of(dossier.contraintes)
            if dossier.contraintes
            else None,
        )


class DiagnosticsIndividusDto(BaseModel):
    """Les diagnostics de l'usager."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    diagnostics: list[DiagnosticIndividuDto]


class ReponseEnregistrerDiagnosticDto(BaseModel):
    """Réponse de la création d'un diagnostic."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    id_diagnostic: str = Field(
        alias="idDiagnostic",
        description="Identifiant fonctionnel non chiffré du diagnostic enregistré.",
        examples=["2d04257a-dd60-4a52-9805-90a331ec44ad"],
    )
