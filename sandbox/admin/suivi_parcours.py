"""Control-plane view of what the « Suivi de parcours » tool shows of a person (Annexe 3).

A recette team looks up, by NIR, the démarches, the conclusions d'entretien and the « Suivi
d'intensité d'accompagnement » a département professional would see, before the tool's pages
exist. The rules of Annexe 3 §1.2 hold: national access (no département check), and a person's
file opens only if they receive the RSA. The NIR travels in the body, never in the URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from sandbox.admin.router import ADMIN_ERRORS, INVALID, AdminDep, refused
from sandbox.apis.omission import Omitted, omissible
from sandbox.errors import BackendError
from sandbox.identifiers import NirInput
from sandbox.parcours import (
    Conseiller,
    Demarche,
    Entretien,
    SuiviIntensite,
    demarches_of,
    entretiens_of,
    suivi_intensite_of,
)
from sandbox.population.models import Person

router = APIRouter(prefix="/_sandbox", tags=["Control plane"])

_READINGS = (
    "Readings (the convention names the data, no API publishes them): démarches in the shape "
    "of the PE Connect démarches item (France Travail's own client, pass-emploi-api "
    "`DemarcheDto`), the one carrying every field of Annexe 3's « Accès aux démarches » list; "
    "entretiens in the published Conclusions entretiens v1 item plus Annexe 3's `planAction` "
    "and `origine`; the suivi d'intensité as Annexe 3 lists it (sandbox/parcours/intensite.py "
    "says how each uncertain line is read)."
)


class SuiviParcoursRequest(BaseModel):
    """Whose file to open."""

    model_config = ConfigDict(extra="forbid")

    nir: NirInput


class DroitsDemarche(BaseModel):
    """What can still be done with the démarche (only an active one changes)."""

    annulation: bool
    realisation: bool
    replanification: bool
    modification_date: bool = Field(alias="modificationDate")


class DemarcheVue(BaseModel):
    """One démarche (« L'essentiel de la démarche », pourquoi, quoi, comment)."""

    model_config = ConfigDict(serialize_by_alias=True)

    id_demarche: str = Field(alias="idDemarche")
    etat: Literal["AC", "RE", "AN"] = Field(description="AC actif, RE réalisé, AN annulé")
    date_debut: dt.date = Field(alias="dateDebut")
    date_fin: dt.date = Field(alias="dateFin")
    date_creation: dt.date = Field(alias="dateCreation")
    date_modification: dt.date | Omitted = omissible(
        "Absente tant que la démarche n'a pas été modifiée.", alias="dateModification"
    )
    date_annulation: dt.date | Omitted = omissible(
        "Seulement pour une démarche annulée (AN).", alias="dateAnnulation"
    )
    origine_createur: str = Field(alias="origineCreateur")
    origine_modificateur: str | Omitted = omissible(
        "Absent tant que la démarche n'a pas été modifiée.", alias="origineModificateur"
    )
    origine_demarche: str = Field(alias="origineDemarche")
    pour_quoi: str = Field(alias="pourQuoi")
    libelle_pourquoi: str = Field(alias="libellePourquoi")
    quoi: str
    libelle_quoi: str = Field(alias="libelleQuoi")
    comment: str | Omitted = omissible("Absent pour un quoi sans comment (Q14).")
    libelle_comment: str | Omitted = omissible(
        "Absent pour un quoi sans comment (Q14).", alias="libelleComment"
    )
    libelle_court: str = Field(alias="libelleCourt")
    libelle_long: str = Field(alias="libelleLong")
    description: str | Omitted = omissible("Absente quand la démarche n'en a pas.")
    description2: str | Omitted = omissible("Le libellé du comment, absent sans comment.")
    nombre: int | Omitted = omissible("Seulement pour les candidatures (Q14).")
    contact: str | Omitted = omissible("Absent quand la démarche n'est liée à personne.")
    ou: str | Omitted = omissible("Lieu de la démarche ; absent pour une démarche en ligne.")
    metier: str | Omitted = omissible("Absent quand la démarche ne porte pas sur un métier.")
    organisme: str | Omitted = omissible("Absent quand aucun organisme n'intervient.")
    droits_demarche: DroitsDemarche = Field(alias="droitsDemarche")

    @classmethod
    def of(cls, d: Demarche) -> DemarcheVue:
        """The view of one démarche."""
        return cls(
            idDemarche=d.identifiant,
            etat=d.etat.value,
            dateDebut=d.date_debut,
            dateFin=d.date_fin,
            dateCreation=d.date_creation,
            dateModification=d.date_modification,
            dateAnnulation=d.date_annulation,
            origineCreateur=d.origine_createur.value,
            origineModificateur=d.origine_modificateur.value if d.origine_modificateur else None,
            origineDemarche=d.origine_demarche.value,
            pourQuoi=d.pourquoi.code,
            libellePourquoi=d.pourquoi.libelle,
            quoi=d.quoi.code,
            libelleQuoi=d.quoi.libelle,
            comment=d.comment.code if d.comment else None,
            libelleComment=d.comment.libelle if d.comment else None,
            libelleCourt=d.libelle_court,
            libelleLong=d.libelle_long,
            description=d.description,
            description2=d.description2,
            nombre=d.nombre,
            contact=d.contact,
            ou=d.lieu,
            metier=d.metier,
            organisme=d.organisme,
            droitsDemarche=DroitsDemarche(
                annulation=d.droits.annulation,
                realisation=d.droits.realisation,
                replanification=d.droits.replanification,
                modificationDate=d.droits.modification_date,
            ),
        )


class EntretienVue(BaseModel):
    """One entretien (« Rendez-vous – Données d'entretien »)."""

    model_config = ConfigDict(serialize_by_alias=True)

    type_entretien: str = Field(alias="typeEntretien")
    libelle_entretien: str = Field(alias="libelleEntretien")
    date_entretien: dt.date = Field(alias="dateEntretien")
    code_modalite_contact: str = Field(alias="codeModaliteContact")
    libelle_modalite: str = Field(alias="libelleModalite")
    plan_action: str | Omitted = omissible(
        "Facultatif (Annexe 3) : absent quand le conseiller n'en a pas écrit.", alias="planAction"
    )
    origine: Literal["Conseiller", "Individu"]
    commentaire: str = Field(description="Synthèse de l'entretien")
    code_agent: str = Field(alias="codeAgent")
    libelle_agent: str = Field(alias="libelleAgent")
    code_agence: str = Field(alias="codeAgence")
    libelle_agence: str = Field(alias="libelleAgence")

    @classmethod
    def of(cls, e: Entretien) -> EntretienVue:
        """The view of one entretien."""
        return cls(
            typeEntretien=e.type.code,
            libelleEntretien=e.type.libelle,
            dateEntretien=e.date,
            codeModaliteContact=e.modalite.code,
            libelleModalite=e.modalite.libelle,
            planAction=e.plan_action,
            origine=e.origine,
            commentaire=e.synthese,
            codeAgent=e.agent.idgasi,
            libelleAgent=e.agent.libelle,
            codeAgence=e.code_agence,
            libelleAgence=e.libelle_agence,
        )


class ConseillerVue(BaseModel):
    """A France Travail adviser, with their IDGASI."""

    model_config = ConfigDict(serialize_by_alias=True)

    idgasi: str
    nom: str
    prenom: str
    code_safir: str = Field(alias="codeSafir")

    @classmethod
    def of(cls, c: Conseiller | None) -> ConseillerVue | None:
        """The view of an adviser, if there is one."""
        if c is None:
            return None
        return cls(idgasi=c.idgasi, nom=c.nom, prenom=c.prenom, codeSafir=c.code_safir)


class SuiviIntensiteVue(BaseModel):
    """« Suivi d'intensité d'accompagnement », line by line of Annexe 3."""

    model_config = ConfigDict(serialize_by_alias=True)

    nom: str
    prenom: str
    identifiant_local: str = Field(alias="identifiantLocal")
    code_assedic: str = Field(alias="codeAssedic")
    bni: str = Field(
        description="Identifiant de la personne dans la base nationale des individus : "
        "l'identifiant national que Recherche usager v1 renvoie"
    )
    statut_inscription: str = Field(alias="statutInscription")
    date_statut: dt.date = Field(alias="dateStatut", description="Inscription ou cessation")
    date_entree_parcours: dt.date | Omitted = omissible(
        "Absente pour une personne jamais inscrite.", alias="dateEntreeParcours"
    )
    code_type_parcours: str | Omitted = omissible(
        "Absent pour une personne jamais inscrite.", alias="codeTypeParcours"
    )
    libelle_type_parcours: str | Omitted = omissible(
        "Absent pour une personne jamais inscrite.", alias="libelleTypeParcours"
    )
    demarches: list[str] = Field(
        description="Libellés courts des démarches créées depuis l'entrée en parcours"
    )
    conseiller_principal: ConseillerVue | Omitted = omissible(
        "Absent pour une personne que France Travail ne suit pas.", alias="conseillerPrincipal"
    )
    conseiller_delegue: ConseillerVue | Omitted = omissible(
        "Absent quand aucun conseiller délégué n'est désigné.", alias="conseillerDelegue"
    )
    coordinateur: ConseillerVue | Omitted = omissible(
        "Absent quand aucun coordinateur n'est désigné."
    )
    codes_safir: list[str] = Field(alias="codesSafir")

    @classmethod
    def of(cls, s: SuiviIntensite) -> SuiviIntensiteVue:
        """The view of the suivi d'intensité."""
        return cls(
            nom=s.nom,
            prenom=s.prenom,
            identifiantLocal=s.identifiant_local,
            codeAssedic=s.code_assedic,
            bni=s.bni,
            statutInscription=s.statut.value,
            dateStatut=s.date_statut,
            dateEntreeParcours=s.date_entree_parcours,
            codeTypeParcours=s.type_parcours.code if s.type_parcours else None,
            libelleTypeParcours=s.type_parcours.libelle if s.type_parcours else None,
            demarches=list(s.demarches),
            conseillerPrincipal=ConseillerVue.of(s.conseiller_principal),
            conseillerDelegue=ConseillerVue.of(s.conseiller_delegue),
            coordinateur=ConseillerVue.of(s.coordinateur),
            codesSafir=list(s.codes_safir),
        )


class DossierSuiviParcours(BaseModel):
    """What the tool shows of one person."""

    model_config = ConfigDict(serialize_by_alias=True)

    numero_france_travail: str = Field(alias="numeroFranceTravail")
    date_naissance: dt.date = Field(alias="dateNaissance")
    demarches: list[DemarcheVue]
    entretiens: list[EntretienVue]
    suivi_intensite: SuiviIntensiteVue = Field(alias="suiviIntensite")


class SuiviParcoursResult(BaseModel):
    """Every RSA beneficiary's file under one NIR (homonyms share a NIR body)."""

    model_config = ConfigDict(serialize_by_alias=True)

    dossiers: list[DossierSuiviParcours]


def dossier_of(runtime: AdminDep, person: Person) -> DossierSuiviParcours:
    """One person's file, from the same derivations the partner APIs serve."""
    seed, epoch = runtime.settings.seed, runtime.population.epoch
    entretiens = entretiens_of(seed, person, epoch)
    demarches = demarches_of(seed, person, epoch)
    bni = runtime.references.identifiant(person.key)
    suivi = suivi_intensite_of(seed, person, bni, entretiens, demarches)
    return DossierSuiviParcours(
        numeroFranceTravail=person.numero_france_travail,
        dateNaissance=person.birth_date,
        demarches=[DemarcheVue.of(d) for d in demarches],
        entretiens=[EntretienVue.of(e) for e in entretiens],
        suiviIntensite=SuiviIntensiteVue.of(suivi),
    )


@router.post(
    "/suivi-parcours",
    operation_id="sandboxSuiviParcours",
    summary="What the Suivi de parcours tool shows of a person, by NIR",
    description="Démarches, conclusions d'entretien and suivi d'intensité of every RSA "
    "beneficiary with this NIR (Annexe 3). " + _READINGS,
    response_model=SuiviParcoursResult,
    responses={
        **ADMIN_ERRORS,
        **refused(400, INVALID),
        **refused(
            403,
            "`ERR_USAGER_HORS_PERIMETRE`: no one with this NIR receives the RSA (Annexe 3 §1.2: "
            "a file opens only for a RSA beneficiary).",
        ),
        **refused(404, "`ERR_USAGER_INCONNU`: no one in the population has this NIR."),
    },
)
async def suivi_parcours(body: SuiviParcoursRequest, runtime: AdminDep) -> SuiviParcoursResult:
    """The files of the RSA beneficiaries with this NIR."""
    people = runtime.population.find_by_nir(body.nir)
    if not people:
        raise BackendError(
            404,
            "ERR_USAGER_INCONNU",
            "Aucun usager n'a ce NIR",
            "No one in this population has this NIR: `ft-sandbox population sample` lists some.",
        )
    beneficiaries = [p for p in people if p.rsa.beneficiary]
    if not beneficiaries:
        raise BackendError(
            403,
            "ERR_USAGER_HORS_PERIMETRE",
            "Le dossier ne s'ouvre que pour un allocataire du RSA (convention, Annexe 3 §1.2)",
            "This person does not receive the RSA: the Suivi de parcours tool does not open "
            "their file.",
        )
    return SuiviParcoursResult(dossiers=[dossier_of(runtime, p) for p in beneficiaries])
