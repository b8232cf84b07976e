"""Wire models of Gestion des sanctions RSA v1, from France Travail's published file.

Names, enums and required properties are those of ``gestion-sanctions-rsa.json``: the read
``DetailManquement`` (``Individu``, ``FaisceauIndice``, ``DetailAttribut``, ``DetailSanction``,
``DetailEvenementSanction``), the requests ``TraitementSanctionRsa`` (with ``Evenement``),
``DecisionSanctionRsa`` and ``DemandeRadiation``, and their answers ``RetourTraitementRsaOTD``,
``RetourDecisionSanctionRSA`` and ``RetourDemandeRadiation``. Free texts are bounded at the
published 4 000 characters; date-times are served in UTC (``2025-03-21T20:57:38+00:00``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from sandbox.apis.omission import Omitted, omissible
from sandbox.identifiers import IsoDate
from sandbox.lpe.sanctions import Consequence, Event, Manquement, TypeEvenement

IdentifiantSanction = Annotated[str, StringConstraints(min_length=1, pattern=r"^[0-9]{1,20}$")]
Texte = Annotated[str, StringConstraints(max_length=4000)]
TypeSanction = Literal["SUSP_RSA", "SUPPR_RSA"]
Modalite = Literal["P", "M"]
Duree = Literal[1, 2, 3, 4]

_IN = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)


def wire_moment(moment: dt.datetime | None) -> str | None:
    """A date-time in RFC 3339, to the second, in UTC."""
    return None if moment is None else moment.astimezone(dt.UTC).isoformat(timespec="seconds")


class Individu(BaseModel):
    """L'usager du manquement."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    numero_france_travail: str = Field(
        alias="numeroFranceTravail", description="Numéro France Travail de l'usager"
    )


class DetailAttribut(BaseModel):
    """Un attribut du défaut."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    code_attribut: str = Field(alias="codeAttribut", examples=["ARDV_TYPE_RDV"])
    valeur_attribut: str = Field(alias="valeurAttribut", examples=["N3"])


class FaisceauIndice(BaseModel):
    """Un faisceau d'indices ayant mené au constat du manquement."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    nature_defaut: str = Field(alias="natureDefaut", examples=["N23"])
    date_constat_defaut: str = Field(alias="dateConstatDefaut", description="date-time")
    attributs: list[DetailAttribut]


class DetailEvenementSanction(BaseModel):
    """Un événement de la conséquence de sanction."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    identifiant_evenement: str = Field(alias="identifiantEvenement")
    type_evenement: str = Field(
        alias="typeEvenement",
        description="PROP_SANCTION, ACCORD_FT_SANCTION, SAISIE_SANCTION, VALID_SANCTION… "
        "(liste publiée)",
    )
    date_evenement: str = Field(alias="dateEvenement", description="date-time")
    motif: str | Omitted = omissible("Motif de l'évènement (absent quand il n'y en a pas).")
    commentaire_evenement: str | Omitted = omissible(
        "Commentaire de l'événement (absent quand il n'y en a pas).", alias="commentaireEvenement"
    )

    @classmethod
    def of(cls, event: Event) -> DetailEvenementSanction:
        """The wire form of an event."""
        return cls(
            identifiant_evenement=event.identifiant,
            type_evenement=event.type,
            date_evenement=wire_moment(event.date) or "",
            motif=event.motif,
            commentaire_evenement=event.commentaire,
        )


_ABSENT = "Absent tant qu'il n'y a rien à dire."


class DetailSanction(BaseModel):
    """Une conséquence de sanction."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    id_consequence_sanction: str = Field(alias="idConsequenceSanction", examples=["680"])
    type_consequence_sanction: str = Field(
        alias="typeConsequenceSanction",
        description="SUSP_RSA, SUPPR_RSA, RADIATION… (liste publiée)",
    )
    delegation: bool = Field(
        description="France Travail a la délégation sur les décisions (toujours false ici)."
    )
    code_initiateur: str = Field(
        alias="codeInitiateur",
        description="FT pour une proposition de France Travail ; CD pour une décision ou une "
        "demande de radiation transmise par le partenaire.",
    )
    modalite_proposee: Modalite | Omitted = omissible(_ABSENT, alias="modaliteProposee")
    montant_propose: int | Omitted = omissible(_ABSENT, alias="montantPropose")
    duree_proposee: Duree | Omitted = omissible(_ABSENT, alias="dureeProposee")
    modalite_validee: Modalite | Omitted = omissible(_ABSENT, alias="modaliteValidee")
    montant_valide: int | Omitted = omissible(_ABSENT, alias="montantValide")
    duree_validee: Duree | Omitted = omissible(_ABSENT, alias="dureeValidee")
    date_debut_application: str | Omitted = omissible(_ABSENT, alias="dateDebutApplication")
    date_fin_application: str | Omitted = omissible(_ABSENT, alias="dateFinApplication")
    date_remobilisation: str | Omitted = omissible(_ABSENT, alias="dateRemobilisation")
    justif_decision_remobilisation: str | Omitted = omissible(
        _ABSENT, alias="justifDecisionRemobilisation"
    )
    date_levee_application: str | Omitted = omissible(_ABSENT, alias="dateLeveeApplication")
    evenements: list[DetailEvenementSanction]

    @classmethod
    def of(cls, c: Consequence) -> DetailSanction:
        """The wire form of a consequence."""
        return cls(
            id_consequence_sanction=c.identifiant,
            type_consequence_sanction=c.type,
            delegation=False,
            code_initiateur=c.code_initiateur,
            modalite_proposee=c.modalite_proposee,
            montant_propose=c.montant_propose,
            duree_proposee=c.duree_proposee,
            modalite_validee=c.modalite_validee,
            montant_valide=c.montant_valide,
            duree_validee=c.duree_validee,
            date_debut_application=wire_moment(c.date_debut),
            date_fin_application=wire_moment(c.date_fin),
            date_remobilisation=wire_moment(c.date_remobilisation),
            justif_decision_remobilisation=c.justif_remobilisation,
            date_levee_application=wire_moment(c.date_levee),
            evenements=[DetailEvenementSanction.of(e) for e in c.events],
        )


class DetailManquement(BaseModel):
    """Le détail d'un manquement et de ses conséquences de sanction."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    individu: Individu
    identifiant_manquement: str = Field(alias="identifiantManquement", examples=["805"])
    famille_manquement: Literal["F01", "F03", "F04"] = Field(
        alias="familleManquement",
        description="F01 manquements aux obligations du contrat d'engagement ; F03 refus "
        "d'élaborer ou d'actualiser le contrat d'engagement ; F04 second refus d'une offre "
        "raisonnable d'emploi.",
    )
    date_manquement: str = Field(alias="dateManquement", description="date-time")
    date_avertissement: str | Omitted = omissible(
        "Date de l'avertissement (absente pour une décision transmise par le partenaire).",
        alias="dateAvertissement",
    )
    faisceau_indices: list[FaisceauIndice] = Field(alias="faisceauIndices")
    justification_decision_sanction: str | Omitted = omissible(
        "Justification de la proposition de sanction.", alias="justificationDecisionSanction"
    )
    demarche_remobilisation: str | Omitted = omissible(
        "Démarches de remobilisation (manquement F01 et proposition de suspension seulement).",
        alias="demarcheRemobilisation",
    )
    consequences_sanction: list[DetailSanction] = Field(alias="consequencesSanction")

    @classmethod
    def of(cls, numero: str, m: Manquement) -> DetailManquement:
        """The wire form of a manquement."""
        return cls(
            individu=Individu(numero_france_travail=numero),
            identifiant_manquement=m.identifiant,
            famille_manquement=m.famille,
            date_manquement=wire_moment(m.date_manquement) or "",
            date_avertissement=wire_moment(m.date_avertissement),
            faisceau_indices=[
                FaisceauIndice(
                    nature_defaut=nature,
                    date_constat_defaut=wire_moment(moment) or "",
                    attributs=[
                        DetailAttribut(code_attribut=c, valeur_attribut=v) for c, v in attrs
                    ],
                )
                for nature, moment, attrs in m.faisceau
            ],
            justification_decision_sanction=m.justification,
            demarche_remobilisation=m.demarche_remobilisation,
            consequences_sanction=[DetailSanction.of(c) for c in m.consequences],
        )


class Evenement(BaseModel):
    """Un événement de sanction à transmettre."""

    model_config = _IN

    type_evenement: TypeEvenement = Field(alias="typeEvenement")
    date_evenement: IsoDate = Field(
        alias="dateEvenement", description="AAAA-MM-JJ, pas après la date du jour."
    )
    commentaire_evenement: Texte | None = Field(default=None, alias="commentaireEvenement")
    motif_evenement: Literal["DROIT_ERREUR", "RECOURS", "AUTRE"] | None = Field(
        default=None,
        alias="motifEvenement",
        description="Obligatoire pour une annulation de sanction.",
    )


class TraitementSanctionRsa(BaseModel):
    """Un événement sur une conséquence de sanction RSA."""

    model_config = _IN

    identifiant_consequence_sanction: IdentifiantSanction = Field(
        alias="identifiantConsequenceSanction",
        description="`idConsequenceSanction` d'une activité de Gestion activités "
        "opérationnelles (chiffres).",
        examples=["1243"],
    )
    evenement: Evenement | None = Field(default=None, description="Obligatoire (R020 sinon).")
    type_consequence_sanction_valide: TypeSanction | None = Field(
        default=None,
        alias="typeConsequenceSanctionValide",
        description="Obligatoire pour VALID_SANCTION ou ANNULATION_SANCTION.",
    )
    modalite_decision_validee: Modalite | None = Field(
        default=None,
        alias="modaliteDecisionValidee",
        description="Obligatoire pour VALID_SANCTION.",
    )
    montant_valide: StrictInt | None = Field(
        default=None,
        alias="montantValide",
        description="Obligatoire pour VALID_SANCTION ; un taux est compris entre 30 et 100.",
    )
    duree_validee: Duree | None = Field(
        default=None, alias="dureeValidee", description="Obligatoire pour VALID_SANCTION (mois)."
    )


class RetourTraitementRsaOTD(BaseModel):
    """Le code retour d'un événement."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    code_sortie: Literal["C001", "C999"] = Field(
        alias="codeSortie",
        description="C001 : événement publié ; C999 : incompatible avec le dernier événement "
        "connu de la conséquence (rien n'est enregistré).",
    )


class DecisionSanctionRsa(BaseModel):
    """Une décision de sanction RSA pour un bRSA accompagné par le partenaire."""

    model_config = _IN

    date_notification_decision_sanction: IsoDate = Field(
        alias="dateNotificationDecisionSanction", description="AAAA-MM-JJ, pas après aujourd'hui."
    )
    nature_manquement: Literal["N61", "N63", "N64", "N65"] = Field(alias="natureManquement")
    rang_manquement: Literal["R1", "R2"] | None = Field(default=None, alias="rangManquement")
    date_manquement: IsoDate = Field(
        alias="dateManquement", description="AAAA-MM-JJ, pas après la notification."
    )
    type_sanction_valide: TypeSanction = Field(alias="typeSanctionValide")
    modalite_decision_validee: Modalite = Field(alias="modaliteDecisionValidee")
    montant_valide: StrictInt = Field(
        alias="montantValide", description="Un taux (P) est compris entre 30 et 100."
    )
    duree_validee: Duree = Field(alias="dureeValidee")
    justification_decision_sanction: Texte | None = Field(
        default=None, alias="justificationDecisionSanction"
    )


class RetourDecisionSanctionRSA(BaseModel):
    """Le retour d'une décision transmise."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    code_sortie: Literal["C001"] = Field(alias="codeSortie")
    identifiant_consequence_sanction: str = Field(alias="identifiantConsequenceSanction")
    identifiant_manquement: str = Field(alias="identifiantManquement")
    message: str = Field(
        examples=["Sanction partenaire créée et prise en compte par France Travail"]
    )


class DemandeRadiation(BaseModel):
    """Une demande de radiation de la liste des demandeurs d'emploi."""

    model_config = _IN

    identifiant_consequence_sanction: IdentifiantSanction = Field(
        alias="identifiantConsequenceSanction", examples=["5069"]
    )
    justification_demande_radiation: Texte | None = Field(
        default=None, alias="justificationDemandeRadiation"
    )


class RetourDemandeRadiation(BaseModel):
    """Le retour d'une demande de radiation."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    code_sortie: Literal["C000", "C001", "C002", "C003", "C004"] = Field(
        alias="codeSortie",
        description="C000 : demande créée ; C001 : déjà radié suite à sanction ; C002 : non "
        "conforme aux cas d'usage réglementaires ; C003 : conséquence non rattachée à l'usager ; "
        "C004 : radiation déjà appliquée pour cette sanction.",
    )
    id_consequence_sanction_cree: str | Omitted = omissible(
        "La conséquence RADIATION créée (C000 seulement).", alias="idConsequenceSanctionCree"
    )
    message: str
