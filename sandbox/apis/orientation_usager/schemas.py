"""Wire models of Orientation usager v1 and v2, from France Travail's published files.

Names, enums and required properties are those of ``orientation-usager.json`` (v1) and
``orientation-usager-v2.json`` (v2): requests ``CriteresOrientationCA_CalculerEntree``,
``OrientationCreationCA_Commun``, ``DecisionCA`` and (v2) ``DonneesModifieesDto``; answers
``OrientationCA_Lecture``, ``OrientationCA_Calculer`` and ``OrientationCA``. Absent optional fields
are omitted, never null.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sandbox.apis.omission import Omitted, omissible
from sandbox.orientation import Decided, Etat, Modified, Organisme, Parcours, Record, Sent
from sandbox.orientation import Statut as StatutDomaine

_IN = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)
_OUT = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

ParcoursDecide = Literal["PED", "PSP", "PSO"]
ParcoursTous = Literal["PED", "PSP", "PSO", "EO", "IND"]
OrganismeDecide = Literal["CD", "CAF", "FT", "ML", "CE"]
OrganismeTous = Literal["CD", "CAF", "FT", "ML", "CE", "IND"]
EtatV1 = Literal["EN_ATTENTE", "SAISIE_COMPLETE", "BROUILLON", "OUVERT", "CLOTURE"]
EtatV2 = Literal["EN_ATTENTE", "BROUILLON", "SAISIE_COMPLETE", "OUVERT", "CLOTURE", "ABANDON"]
EtatFiltre = Literal["BROUILLON", "EN_ATTENTE", "OUVERT", "CLOTURE"]
StatutV1 = Literal["PRECONISE", "DECIDE"]
StatutV2 = Literal[
    "PRECONISE",
    "PRECONISE_REORIENTATION",
    "DECIDE",
    "DECIDE_REORIENTATION",
    "RECLASSEMENT",
    "MODIFIE",
    "CORRIGE",
]
EtatDecision = Literal["REFUSEE", "ACCEPTEE"]
MotifRefus = Literal[
    "DECLARATION_INEXACTE",
    "SITUATION_NON_COUVERTE",
    "APPRECIATION_DIFFERENTE",
    "MANQUE_CAPACITE_ACCUEIL",
    "ENTRETIEN_ORIENTATION",
    "AUTRE",
]
OrigineCalcul = Literal[
    "INSCRIPTION_CONSEILLER_CD",
    "INSCRIPTION_AUTO_MILO",
    "INSCRIPTION_AUTO_CAF",
    "INSCRIPTION_AUTO_MSA",
]
OrigineLecture = Literal[
    "INSCRIPTION_AUTO_CAF",
    "INSCRIPTION_AUTO_MSA",
    "INSCRIPTION_VOLONTAIRE",
    "INSCRIPTION_AUTO_MILO",
    "INSCRIPTION_CONSEILLER_FT",
    "INSCRIPTION_CONSEILLER_CD",
    "INSCRIPTION_CONSEILLER_CE",
    "RDS_LPE",
]
CodeAurore = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}[0-9]{4}$")]
CodeSafir = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
Texte = Annotated[str, StringConstraints(max_length=2000)]
Agent = Annotated[str, StringConstraints(max_length=255)]
Impact = Literal["IMPACT_FORT_RECHERCHE_EMPLOI", "IMPACT_FAIBLE_RECHERCHE_EMPLOI", "AUCUNE"]


class CriteresEntree(BaseModel):
    """``CriteresOrientationCA_CalculerEntree`` (the same in v1 and v2)."""

    model_config = _IN

    origine: OrigineCalcul | None = None
    situation_professionnelle: (
        Literal["EN_ACTIVITE", "DEUX_DERNIERES_ANNEES", "PLUS_DEUX_ANS", "JAMAIS"] | None
    ) = None
    type_emploi: (
        Literal[
            "SAISONNIER",
            "ARTISTE_OU_AUTEUR",
            "INTERMITTENT_SPECTACLE",
            "EXPLOITANT_AGRICOLE",
            "ASSISTANTE_MATERNELLE",
            "CREATEUR_ENTREPRISE_OU_INDEPENDANT",
            "AUTRE",
        ]
        | None
    ) = None
    niveau_etude: (
        Literal["AFS", "C12", "C3A", "CFG", "CP4", "NV5", "NV4", "NV3", "NV2", "NV1"] | None
    ) = None
    capacite_a_travailler: bool | None = None
    projet_pro: Literal["SALARIAT", "ENTREPRENARIAT", "FORMATION", "AUCUN"] | None = None
    contrainte_sante: (
        Literal[
            "INCAPACITE_RECHERCHE_ACTIVITE_PRO",
            "IMPACT_FORT_RECHERCHE_EMPLOI",
            "IMPACT_FAIBLE_RECHERCHE_EMPLOI",
            "AUCUNE",
        ]
        | None
    ) = None
    contrainte_logement: (
        Literal[
            "SANS_LOGEMENT",
            "PROCEDURE_EXPULSION",
            "IMPACT_FORT_RECHERCHE_EMPLOI",
            "IMPACT_FAIBLE_RECHERCHE_EMPLOI",
            "AUCUNE",
        ]
        | None
    ) = None
    contrainte_mobilite: (
        Literal["AUCUN_MOYEN_DE_TRANSPORT", "DEPENDANT_TRANSPORT", "AUTRE", "AUCUNE"] | None
    ) = None
    contrainte_familiale: (
        Literal[
            "AIDANT_FAMILIAL",
            "ENFANT_SANS_SOLUTION_GARDE",
            "IMPACT_FORT_RECHERCHE_EMPLOI",
            "IMPACT_FAIBLE_RECHERCHE_EMPLOI",
            "AUCUNE",
        ]
        | None
    ) = None
    contrainte_financiere: Impact | None = None
    contrainte_numerique: (
        Literal["NON_ACCES_INTERNET", "NON_MAITRISE", "REFUS", "AUCUNE"] | None
    ) = None
    contrainte_administrative_juridique: Impact | None = None
    contrainte_francais_calcul: Impact | None = None
    boe: bool | None = None
    baeeh: bool | None = None
    scolarite_etablissement_specialise: bool | None = None
    esat: bool | None = None
    boe_souhait_accompagnement: bool | None = None
    msa_autonomie_recherche_emploi: int | None = Field(
        default=None,
        ge=1,
        le=5,
        description="1- Non, pas du tout ; 2- Non, pas vraiment ; 3- Moyennement ; 4- Oui, "
        "plutôt ; 5- Oui, complètement.",
    )
    msa_demarches_professionnelles: (
        Literal["AUCUNE_DEMARCHE", "PEU_DEMARCHES", "PLUSIEURS_DEMARCHES"] | None
    ) = None

    def sent(self) -> dict[str, Any]:
        """The criteria sent, absent ones left out."""
        return self.model_dump(exclude_none=True)


class Adresse(BaseModel):
    """``Adresse`` of the criteria read back."""

    model_config = _OUT

    code_commune: str | Omitted = omissible("Code INSEE de la commune.")
    libelle_commune: str | Omitted = omissible("Libellé de la commune.")
    code_postal: str | Omitted = omissible("Code postal.")
    numero_type_libelle_voie: str | Omitted = omissible("Numéro, type et libellé de la voie.")


_CRITERE = "Critère : absent quand il n'a pas été saisi."


class CriteresLecture(BaseModel):
    """``CriteresOrientationCA_Lecture``: the criteria recorded, with what the platform adds."""

    model_config = _OUT

    origine: OrigineLecture | Omitted = omissible(_CRITERE)
    situation_professionnelle: (
        Literal["EN_ACTIVITE", "DEUX_DERNIERES_ANNEES", "PLUS_DEUX_ANS", "JAMAIS"] | Omitted
    ) = omissible(_CRITERE)
    type_emploi: (
        Literal[
            "SAISONNIER",
            "ARTISTE_OU_AUTEUR",
            "INTERMITTENT_SPECTACLE",
            "EXPLOITANT_AGRICOLE",
            "ASSISTANTE_MATERNELLE",
            "CREATEUR_ENTREPRISE_OU_INDEPENDANT",
            "AUTRE",
        ]
        | Omitted
    ) = omissible(_CRITERE)
    niveau_etude: (
        Literal["AFS", "C12", "C3A", "CFG", "CP4", "NV5", "NV4", "NV3", "NV2", "NV1"] | Omitted
    ) = omissible(_CRITERE)
    capacite_a_travailler: bool | Omitted = omissible(_CRITERE)
    projet_pro: Literal["SALARIAT", "ENTREPRENARIAT", "FORMATION", "AUCUN"] | Omitted = omissible(
        _CRITERE
    )
    contrainte_sante: (
        Literal[
            "INCAPACITE_RECHERCHE_ACTIVITE_PRO",
            "IMPACT_FORT_RECHERCHE_EMPLOI",
            "IMPACT_FAIBLE_RECHERCHE_EMPLOI",
            "AUCUNE",
        ]
        | Omitted
    ) = omissible(_CRITERE)
    contrainte_logement: (
        Literal[
            "SANS_LOGEMENT",
            "PROCEDURE_EXPULSION",
            "IMPACT_FORT_RECHERCHE_EMPLOI",
            "IMPACT_FAIBLE_RECHERCHE_EMPLOI",
            "AUCUNE",
        ]
        | Omitted
    ) = omissible(_CRITERE)
    contrainte_mobilite: (
        Literal["AUCUN_MOYEN_DE_TRANSPORT", "DEPENDANT_TRANSPORT", "AUTRE", "AUCUNE"] | Omitted
    ) = omissible(_CRITERE)
    contrainte_familiale: (
        Literal[
            "AIDANT_FAMILIAL",
            "ENFANT_SANS_SOLUTION_GARDE",
            "IMPACT_FORT_RECHERCHE_EMPLOI",
            "IMPACT_FAIBLE_RECHERCHE_EMPLOI",
            "AUCUNE",
        ]
        | Omitted
    ) = omissible(_CRITERE)
    contrainte_financiere: Impact | Omitted = omissible(_CRITERE)
    contrainte_numerique: (
        Literal["NON_ACCES_INTERNET", "NON_MAITRISE", "REFUS", "AUCUNE"] | Omitted
    ) = omissible(_CRITERE)
    contrainte_administrative_juridique: Impact | Omitted = omissible(_CRITERE)
    contrainte_francais_calcul: Impact | Omitted = omissible(_CRITERE)
    boe: bool | Omitted = omissible(_CRITERE)
    baeeh: bool | Omitted = omissible(_CRITERE)
    scolarite_etablissement_specialise: bool | Omitted = omissible(_CRITERE)
    esat: bool | Omitted = omissible(_CRITERE)
    boe_souhait_accompagnement: bool | Omitted = omissible(_CRITERE)
    msa_autonomie_recherche_emploi: int | Omitted = omissible(_CRITERE, ge=1, le=5)
    msa_demarches_professionnelles: (
        Literal["AUCUNE_DEMARCHE", "PEU_DEMARCHES", "PLUSIEURS_DEMARCHES"] | Omitted
    ) = omissible(_CRITERE)

    brsa: bool | Omitted = omissible("L'usager est bénéficiaire du RSA.")
    date_naissance: dt.date | Omitted = omissible("Date de naissance de l'usager.")
    adresse: Adresse | Omitted = omissible("Adresse de l'usager.")
    date_saisie_donnees: dt.datetime | Omitted = omissible("Date de saisie des critères.")

    @classmethod
    def of(cls, record: Record) -> CriteresLecture | None:
        """The criteria of a calculated orientation (None for one sent without criteria)."""
        if record.criteres is None:
            return None
        return cls.model_validate({**record.criteres, "date_saisie_donnees": record.date_creation})


# v1 ------------------------------------------------------------------------------------------


class StructureV1(BaseModel):
    """``Structure`` of v1: Aurore code, SAFIR code (an agency), libellé."""

    model_config = _OUT

    code_aurore: str | Omitted = omissible("Code Aurore de la structure.", examples=["NAQ0057"])
    code_safir: str | Omitted = omissible(
        "Code SAFIR : seulement pour une agence France Travail.", examples=["69000"]
    )
    libelle_structure: str | Omitted = omissible("Libellé.", examples=["Agence Mériadek"])


class StructureEntreeV1(BaseModel):
    """A structure sent to v1: its Aurore or SAFIR code."""

    model_config = _IN

    code_aurore: CodeAurore | None = None
    code_safir: CodeSafir | None = None
    libelle_structure: Texte | None = None


def _structure_v1(record: Record) -> StructureV1 | None:
    s = record.structure
    return (
        StructureV1(code_aurore=s.code, code_safir=s.safir, libelle_structure=s.libelle)
        if s
        else None
    )


_STATUT_V1: dict[StatutDomaine, StatutV1] = {
    StatutDomaine.PRECONISE: "PRECONISE",
    StatutDomaine.PRECONISE_REORIENTATION: "PRECONISE",
    StatutDomaine.DECIDE: "DECIDE",
    StatutDomaine.DECIDE_REORIENTATION: "DECIDE",
    StatutDomaine.MODIFIE: "DECIDE",
}


class DecisionLectureV1(BaseModel):
    """``DecisionCA_Lecture`` of v1."""

    model_config = _OUT

    etat_decision: EtatDecision
    date_decision: dt.date
    agent_decision: str | Omitted = omissible("Agent qui a pris la décision.")
    motif_refus: MotifRefus | Omitted = omissible("Motif de refus (décision refusée).")
    commentaire_refus: str | Omitted = omissible("Commentaire de refus (décision refusée).")


class OrientationLectureV1(BaseModel):
    """``OrientationCA_Lecture`` of v1."""

    model_config = _OUT

    parcours: ParcoursTous
    organisme: OrganismeTous
    organisme_decision: OrganismeDecide | Omitted = omissible(
        "Organisme de décision : absent tant que rien n'est décidé."
    )
    structure: StructureV1 | Omitted = omissible("Structure : absente pour un organisme IND.")
    statut: StatutV1
    etat: EtatV1
    agent_creation: str
    agent_derniere_modification: str
    date_entree_parcours: dt.date | Omitted = omissible("Absente tant que rien n'est décidé.")
    date_sortie_parcours: dt.date | Omitted = omissible("Seulement pour une orientation close.")
    motif_sortie_parcours: str | Omitted = omissible("Seulement pour une orientation close.")
    date_creation: dt.datetime
    date_modification: dt.datetime
    criteres_orientation: CriteresLecture | Omitted = omissible(
        "Critères : seulement pour une orientation calculée."
    )
    decision: DecisionLectureV1 | Omitted = omissible("Décision : seulement après une décision.")

    @classmethod
    def of(cls, record: Record) -> OrientationLectureV1:
        """The v1 reading of an orientation."""
        d = record.decision
        return cls(
            parcours=record.parcours.value,
            organisme=record.organisme.value,
            organisme_decision=d.organisme_decision.value if d and d.organisme_decision else None,
            structure=_structure_v1(record),
            statut=_STATUT_V1[record.statut],
            etat=record.etat.value,
            agent_creation=record.agent_creation,
            agent_derniere_modification=record.agent_derniere_modification,
            date_entree_parcours=record.date_entree_parcours,
            date_sortie_parcours=record.date_sortie_parcours,
            motif_sortie_parcours=record.motif_sortie_parcours,
            date_creation=record.date_creation,
            date_modification=record.date_modification,
            criteres_orientation=CriteresLecture.of(record),
            decision=DecisionLectureV1.model_validate(
                d.model_dump(exclude_none=True, exclude={"organisme_decision"})
            )
            if d
            else None,
        )


class OrientationCalculerV1(BaseModel):
    """``OrientationCA_Calculer`` of v1."""

    model_config = _OUT

    parcours: ParcoursTous
    organisme: OrganismeTous
    structure: StructureV1 | Omitted = omissible("Structure : absente pour un organisme IND.")
    statut: Literal["PRECONISE", "DECIDE"]
    etat: Literal["EN_ATTENTE", "BROUILLON", "SAISIE_COMPLETE", "OUVERT", "CLOTURE"]
    agent_creation: str
    agent_derniere_modification: str
    date_creation: dt.datetime
    date_modification: dt.datetime
    criteres_orientation: CriteresLecture

    @classmethod
    def of(cls, record: Record) -> OrientationCalculerV1:
        """The v1 answer of a calculation."""
        return cls(
            parcours=record.parcours.value,
            organisme=record.organisme.value,
            structure=_structure_v1(record),
            statut=_STATUT_V1[record.statut],
            etat=record.etat.value,
            agent_creation=record.agent_creation,
            agent_derniere_modification=record.agent_derniere_modification,
            date_creation=record.date_creation,
            date_modification=record.date_modification,
            criteres_orientation=CriteresLecture.of(record),
        )


class OrientationV1(BaseModel):
    """``OrientationCA`` of v1: the modified orientation."""

    model_config = _OUT

    parcours: ParcoursDecide
    organisme: OrganismeDecide
    structure: StructureV1 | Omitted = omissible("Structure de l'orientation.")
    statut: Literal["DECIDE"] = "DECIDE"
    etat: Literal["OUVERT"] = "OUVERT"

    @classmethod
    def of(cls, record: Record) -> OrientationV1:
        """The v1 answer of a modification."""
        return cls(
            parcours=record.parcours.value,
            organisme=record.organisme.value,
            structure=_structure_v1(record),
        )


class CreationV1(BaseModel):
    """``OrientationCreationCA_Commun`` of v1."""

    model_config = _IN

    origine: OrigineCalcul
    parcours: ParcoursDecide
    organisme: OrganismeDecide
    date_entree_parcours: dt.date | None = None
    structure: StructureEntreeV1 | None = None
    structure_decision: StructureEntreeV1 | None = None

    def sent(self, agent: str) -> Sent:
        """The domain's orientation to send."""
        code = (self.structure.code_aurore or self.structure.code_safir) if self.structure else None
        return Sent(
            self.origine,
            Parcours(self.parcours),
            Organisme(self.organisme),
            self.date_entree_parcours,
            code,
            agent,
        )


class DecisionV1(BaseModel):
    """``DecisionCA`` of v1."""

    model_config = _IN

    etat_decision: EtatDecision
    date_decision: dt.date
    organisme_decision: OrganismeDecide
    agent_decision: Agent
    structure_decision: StructureEntreeV1 | None = None
    motif_refus: MotifRefus | None = None
    commentaire_refus: Texte | None = None
    parcours: ParcoursDecide | None = None
    organisme: OrganismeDecide | None = None
    structure: StructureEntreeV1 | None = None

    def decided(self) -> Decided:
        """The domain's decision."""
        return Decided(
            etat_decision=self.etat_decision,
            date_decision=self.date_decision,
            agent=self.agent_decision,
            organisme_decision=Organisme(self.organisme_decision),
            motif_refus=self.motif_refus,
            commentaire_refus=self.commentaire_refus,
            parcours=Parcours(self.parcours) if self.parcours else None,
            organisme=Organisme(self.organisme) if self.organisme else None,
        )


# v2 ------------------------------------------------------------------------------------------


class StructureV2(BaseModel):
    """``Structure`` of v2."""

    model_config = _OUT

    code: str | Omitted = omissible("Code Aurore de la structure.", examples=["NAQ0529"])
    libelle: str | Omitted = omissible(
        "Libellé.", examples=["POINT COOPERATION RSA Conseil Départemental 17"]
    )


class OrganismeV2(BaseModel):
    """``OrganismeDto``."""

    model_config = _OUT

    code: OrganismeTous


class EntiteV2(BaseModel):
    """``EntiteGeographiqueDto``: an organisme and its structure."""

    model_config = _OUT

    organisme: OrganismeV2
    structure: StructureV2 | Omitted = omissible("Structure : absente pour un organisme IND.")


class OrganismeLightCode(BaseModel):
    """``OrganismeLightDto.organisme``."""

    model_config = _IN

    code: OrganismeDecide


class OrganismeLight(BaseModel):
    """``OrganismeLightDto``: the organisme of the referent."""

    model_config = _IN

    organisme: OrganismeLightCode


class StructureEntreeV2(BaseModel):
    """A structure sent to v2: its code."""

    model_config = _IN

    code: CodeAurore


def _departement() -> EntiteV2:
    # The département stays responsible for an RSA beneficiary and competent to decide (CASF).
    return EntiteV2(organisme=OrganismeV2(code="CD"))


def _referent(record: Record) -> EntiteV2:
    s = record.structure
    return EntiteV2(
        organisme=OrganismeV2(code=record.organisme.value),
        structure=StructureV2(code=s.code, libelle=s.libelle) if s else None,
    )


class DecisionLectureV2(BaseModel):
    """``DecisionCA_Lecture`` of v2."""

    model_config = _OUT

    etat_decision: EtatDecision
    date_decision: dt.date
    agent_decision: str | Omitted = omissible("Agent qui a pris la décision.")
    motif_refus: MotifRefus | Omitted = omissible("Motif de refus (décision refusée).")
    commentaire_refus: str | Omitted = omissible("Commentaire de refus (décision refusée).")
    referent_parcours: EntiteV2 | Omitted = omissible("Référent de parcours décidé.")


class _EntitesV2(BaseModel):
    model_config = _OUT

    responsable_usager: EntiteV2 | Omitted = omissible(
        "Entité responsable de l'usager : le département (allocataire du RSA)."
    )
    competent_decision: EntiteV2 | Omitted = omissible(
        "Entité compétente pour décider : le département."
    )
    prise_decision: EntiteV2 | Omitted = omissible(
        "Entité ayant pris la décision : absente tant que rien n'est décidé."
    )
    referent_parcours: EntiteV2 | Omitted = omissible("Entité vers laquelle l'usager est orienté.")

    @staticmethod
    def entities(record: Record) -> dict[str, Any]:
        """The v2 entities of an orientation; ``prise_decision`` once it is decided."""
        decided = record.etat in (Etat.OUVERT, Etat.CLOTURE)
        indetermine = record.organisme is Organisme.IND
        return {
            "responsable_usager": _departement(),
            "competent_decision": _departement(),
            "prise_decision": _departement() if decided else None,
            "referent_parcours": None if indetermine else _referent(record),
        }


class OrientationLectureV2(_EntitesV2):
    """``OrientationCA_Lecture`` of v2."""

    parcours: ParcoursTous
    statut: StatutV2
    etat: EtatV2
    origine: OrigineLecture | Omitted = omissible("Origine de l'orientation.")
    agent_creation: str
    agent_derniere_modification: str
    date_entree_parcours: dt.date | Omitted = omissible("Absente tant que rien n'est décidé.")
    date_sortie_parcours: dt.date | Omitted = omissible("Seulement pour une orientation close.")
    motif_sortie_parcours: str | Omitted = omissible("Seulement pour une orientation close.")
    date_creation: dt.datetime
    date_modification: dt.datetime
    criteres_orientation: CriteresLecture | Omitted = omissible(
        "Critères : seulement pour une orientation calculée."
    )
    decision: DecisionLectureV2 | Omitted = omissible("Décision : seulement après une décision.")

    @classmethod
    def of(cls, record: Record) -> OrientationLectureV2:
        """The v2 reading of an orientation."""
        d = record.decision
        return cls(
            **cls.entities(record),
            parcours=record.parcours.value,
            statut=record.statut.value,
            etat=record.etat.value,
            origine=record.origine,
            agent_creation=record.agent_creation,
            agent_derniere_modification=record.agent_derniere_modification,
            date_entree_parcours=record.date_entree_parcours,
            date_sortie_parcours=record.date_sortie_parcours,
            motif_sortie_parcours=record.motif_sortie_parcours,
            date_creation=record.date_creation,
            date_modification=record.date_modification,
            criteres_orientation=CriteresLecture.of(record),
            decision=DecisionLectureV2(
                etat_decision=d.etat_decision,
                date_decision=d.date_decision,
                agent_decision=d.agent_decision,
                motif_refus=d.motif_refus,
                commentaire_refus=d.commentaire_refus,
                referent_parcours=_referent(record),
            )
            if d
            else None,
        )


class OrientationCalculerV2(_EntitesV2):
    """``OrientationCA_Calculer`` of v2."""

    parcours: ParcoursTous
    statut: Literal["PRECONISE", "PRECONISE_REORIENTATION", "DECIDE", "DECIDE_REORIENTATION"]
    etat: EtatV2
    agent_creation: str
    agent_derniere_modification: str
    date_creation: dt.datetime
    date_modification: dt.datetime
    criteres_orientation: CriteresLecture

    @classmethod
    def of(cls, record: Record) -> OrientationCalculerV2:
        """The v2 answer of a calculation."""
        return cls(
            **cls.entities(record),
            parcours=record.parcours.value,
            statut=record.statut.value,
            etat=record.etat.value,
            agent_creation=record.agent_creation,
            agent_derniere_modification=record.agent_derniere_modification,
            date_creation=record.date_creation,
            date_modification=record.date_modification,
            criteres_orientation=CriteresLecture.of(record),
        )


class OrientationV2(_EntitesV2):
    """``OrientationCA`` of v2: the modified orientation."""

    parcours: ParcoursDecide
    statut: Literal["DECIDE", "DECIDE_REORIENTATION", "MODIFIE"]
    etat: Literal["OUVERT"] = "OUVERT"

    @classmethod
    def of(cls, record: Record) -> OrientationV2:
        """The v2 answer of a modification."""
        return cls(
            **cls.entities(record),
            parcours=record.parcours.value,
            statut=record.statut.value,
        )


class CreationV2(BaseModel):
    """``OrientationCreationCA_Commun`` of v2."""

    model_config = _IN

    origine: Literal["INSCRIPTION_CONSEILLER_CD", "INSCRIPTION_AUTO_MILO"]
    parcours: ParcoursDecide
    date_entree_parcours: dt.date | None = None
    referent_parcours: OrganismeLight

    def sent(self, agent: str) -> Sent:
        """The domain's orientation to send."""
        organisme = Organisme(self.referent_parcours.organisme.code)
        return Sent(
            self.origine, Parcours(self.parcours), organisme, self.date_entree_parcours, None, agent
        )


class DecisionV2(BaseModel):
    """``DecisionCA`` of v2 (``agent_decision`` is read-only: the pa-* agent decides)."""

    model_config = _IN

    etat_decision: EtatDecision
    date_decision: dt.date
    motif_refus: MotifRefus | None = None
    commentaire_refus: Texte | None = None
    parcours: ParcoursDecide | None = None
    referent_parcours: OrganismeLight | None = None

    def decided(self, agent: str) -> Decided:
        """The domain's decision."""
        organisme = (
            Organisme(self.referent_parcours.organisme.code) if self.referent_parcours else None
        )
        return Decided(
            etat_decision=self.etat_decision,
            date_decision=self.date_decision,
            agent=agent,
            organisme_decision=Organisme.CD,
            motif_refus=self.motif_refus,
            commentaire_refus=self.commentaire_refus,
            parcours=Parcours(self.parcours) if self.parcours else None,
            organisme=organisme,
        )


class ModificationV2(BaseModel):
    """``DonneesModifieesDto``."""

    model_config = _IN

    parcours: ParcoursDecide | None = None
    structure_referente_parcours: StructureEntreeV2 | None = None
    date_entree_parcours: dt.date | None = None

    def modified(self, agent: str) -> Modified:
        """The domain's modification."""
        code = self.structure_referente_parcours.code if self.structure_referente_parcours else None
        return Modified(
            Parcours(self.parcours) if self.parcours else None,
            code,
            self.date_entree_parcours,
            agent,
        )
