"""The row models of the convention's exchange files: one Pydantic model per kind of file.

Each field is one column: its alias is the column name as written in the file's header, its
description what the convention calls it, its ``Spec`` (``columns.py``) the values it takes.
The Table Schemas in ``contracts/files/`` are generated from these models and the checker is
compiled from them, so the contract, the documentation and the checks cannot drift apart.

Annexe 4 names its columns (pilot file) and its fields (indicators); Annexes 1 and 3 list data
items only, so the column names of those two kinds are this project's, documented in
``contracts/files/README.md``. Annexe 4 dates are written AAAA-MM-JJ (the convention gives no
format for a statistics base); Annexes 1 and 3 write JJ/MM/AAAA, the format Annexe 1 gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from sandbox.exchange.columns import ColumnType, DateFormat, Masking, Spec


@dataclass(frozen=True, slots=True)
class DateOrder:
    """Dates that must not go backwards, in this order (empty cells are skipped)."""

    rule: str
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NirCoherence:
    """The columns a NIR must agree with: the sex digit and the birth year and month."""

    nir: str
    sex: str
    birth_date: str


class ExchangeRow(BaseModel):
    """Base of every row model; class variables describe the file kind."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid", frozen=True)

    KIND: ClassVar[str]
    TITLE: ClassVar[str]
    CLAUSE: ClassVar[str]
    DATE_FORMAT: ClassVar[DateFormat]
    ROW_KEY: ClassVar[tuple[str, ...]] = ()
    DATE_ORDERS: ClassVar[tuple[DateOrder, ...]] = ()
    NIR_COHERENCE: ClassVar[NirCoherence | None] = None


_NAME = Spec(ColumnType.TEXT, max_length=80, masking=Masking.NAME)
_TEXT = Spec(ColumnType.TEXT, max_length=200)
_DATE = Spec(ColumnType.DATE)
_EMAIL = Spec(ColumnType.EMAIL, max_length=254, masking=Masking.EMAIL)
_PHONE = Spec(ColumnType.PHONE, masking=Masking.PHONE)


class InscriptionRow(ExchangeRow):
    """Annexe 1: the inscription file (weekly flux or stock) the département sends."""

    KIND = "annexe1-inscription"
    TITLE = "Inscription du flux ou reprise de stock (Annexe 1)"
    CLAUSE = "Annexe 1"
    DATE_FORMAT = DateFormat.FRENCH
    ROW_KEY = ("NIR",)
    NIR_COHERENCE = NirCoherence(nir="NIR", sex="SEXE", birth_date="DATE_NAISSANCE")

    civilite: Annotated[str, Spec(ColumnType.CODE, codes="civilites")] = Field(
        alias="CIVILITE", description="Civilité"
    )
    nom: Annotated[str, _NAME] = Field(alias="NOM", description="Nom")
    prenom: Annotated[str, _NAME] = Field(alias="PRENOM", description="Prénom")
    date_naissance: Annotated[str, _DATE] = Field(
        alias="DATE_NAISSANCE", description="Date de naissance"
    )
    nir: Annotated[str, Spec(ColumnType.NIR, masking=Masking.NIR)] = Field(
        alias="NIR", description="NIR/NIA, 13 caractères (sans clé) ou 15"
    )
    sexe: Annotated[str, Spec(ColumnType.CODE, codes="sexes")] = Field(
        alias="SEXE", description="Sexe"
    )
    nationalite: Annotated[str, Spec(ColumnType.CODE, codes="nationalites")] = Field(
        alias="NATIONALITE", description="Nationalité"
    )
    statut: Annotated[str, Spec(ColumnType.CODE, codes="roles_caf")] = Field(
        alias="STATUT", description="Statut : demandeur ou conjoint"
    )
    telephone: Annotated[str | None, _PHONE] = Field(
        None, alias="TELEPHONE", description="Numéro de téléphone"
    )
    courriel: Annotated[str | None, _EMAIL] = Field(None, alias="COURRIEL", description="Courriel")
    adresse: Annotated[str, Spec(ColumnType.TEXT, max_length=200, masking=Masking.HIDDEN)] = Field(
        alias="ADRESSE", description="Adresse postale : numéro et voie"
    )
    code_postal: Annotated[str, Spec(ColumnType.PATTERN, pattern="[0-9]{5}")] = Field(
        alias="CODE_POSTAL", description="Adresse postale : code postal"
    )
    ville: Annotated[str, Spec(ColumnType.TEXT, max_length=100)] = Field(
        alias="VILLE", description="Adresse postale : commune"
    )
    date_entree_rsa: Annotated[str, _DATE] = Field(
        alias="DATE_ENTREE_RSA", description="Date d'entrée RSA (jj/mm/aaaa)"
    )
    organisme: Annotated[str, Spec(ColumnType.CODE, codes="organismes")] = Field(
        alias="ORGANISME", description="Code organisme : CAF/MSA"
    )
    orientation: Annotated[str, Spec(ColumnType.CODE, codes="organismes_orientation")] = Field(
        alias="ORIENTATION",
        description="Orientation : structure vers laquelle la personne est orientée",
    )
    type_parcours: Annotated[str, Spec(ColumnType.CODE, codes="orientations")] = Field(
        alias="TYPE_PARCOURS",
        description="Type de parcours : social, socioprofessionnel ou professionnel",
    )
    referent: Annotated[str, _NAME] = Field(
        alias="REFERENT", description="Référent unique ou structure en charge de l'accompagnement"
    )
    date_orientation: Annotated[str, _DATE] = Field(
        alias="DATE_ORIENTATION", description="Date de l'orientation"
    )


class HabilitationRow(ExchangeRow):
    """Annexe 3 §1.1: one professional of the département to habilitate for Suivi de parcours."""

    KIND = "annexe3-habilitations"
    TITLE = "Professionnels à habiliter au Suivi de parcours (Annexe 3 §1.1)"
    CLAUSE = "Annexe 3 §1.1"
    DATE_FORMAT = DateFormat.FRENCH
    ROW_KEY = ("COURRIEL",)
    DATE_ORDERS = (DateOrder("date-order-habilitation", ("DATE_DEBUT", "DATE_FIN")),)

    civilite: Annotated[str, Spec(ColumnType.CODE, codes="civilites")] = Field(
        alias="CIVILITE", description="Civilité"
    )
    nom: Annotated[str, _NAME] = Field(alias="NOM", description="Nom")
    prenom: Annotated[str, _NAME] = Field(alias="PRENOM", description="Prénom")
    date_naissance: Annotated[str, _DATE] = Field(
        alias="DATE_NAISSANCE", description="Date de naissance"
    )
    courriel: Annotated[str, _EMAIL] = Field(alias="COURRIEL", description="Adresse électronique")
    type_contrat: Annotated[str, Spec(ColumnType.CODE, codes="types_contrat_agent")] = Field(
        alias="TYPE_CONTRAT", description="Type de contrat (titulaire ou contractuel CDD, CDI)"
    )
    date_debut: Annotated[str, _DATE] = Field(alias="DATE_DEBUT", description="Date de début")
    date_fin: Annotated[str | None, _DATE] = Field(
        None, alias="DATE_FIN", description="Date de fin"
    )
    fonction: Annotated[str, _TEXT] = Field(
        alias="FONCTION", description="Fonction de la personne habilitée"
    )
    departement: Annotated[str, Spec(ColumnType.CODE, codes="noms_departements")] = Field(
        alias="NOM_DEPARTEMENT", description="Nom du département"
    )
    date_effet: Annotated[str, _DATE] = Field(
        alias="DATE_EFFET", description="Date de prise d'effet de la demande"
    )
    demandeur_nom: Annotated[str, _NAME] = Field(
        alias="DEMANDEUR_NOM", description="Demandeur : prénom et nom"
    )
    demandeur_fonction: Annotated[str, _TEXT] = Field(
        alias="DEMANDEUR_FONCTION", description="Demandeur : fonction"
    )
    demandeur_courriel: Annotated[str, _EMAIL] = Field(
        alias="DEMANDEUR_COURRIEL", description="Demandeur : adresse électronique"
    )
    demandeur_telephone: Annotated[str | None, _PHONE] = Field(
        None, alias="DEMANDEUR_TELEPHONE", description="Demandeur : téléphone"
    )


class PilotageRow(ExchangeRow):
    """Annexe 4: the pilot data file the département sends, with the convention's 16 columns."""

    KIND = "annexe4-pilotage"
    TITLE = "Données de pilotage de l'expérimentation (Annexe 4)"
    CLAUSE = "Annexe 4"
    DATE_FORMAT = DateFormat.ISO
    ROW_KEY = ("ID_CAF", "ROLE_CAF")
    DATE_ORDERS = (
        DateOrder(
            "date-order-invitation",
            ("DATE_NOTIFICATION_DEPARTEMENT", "DATE_INVITATION", "DATE_RDV_ORIENTATION"),
        ),
        DateOrder("date-order-accompaniment", ("DATE_ORIENTATION", "DATE_1ER_RDV_ACCOMPAGNEMENT")),
        DateOrder("date-order-cer", ("DATE_ORIENTATION", "DATE_CER")),
    )

    id_caf: Annotated[str, Spec(ColumnType.PATTERN, pattern="[0-9]{7}")] = Field(
        alias="ID_CAF", description="Matricule CAF (7 chiffres)"
    )
    role_caf: Annotated[str, Spec(ColumnType.CODE, codes="roles_caf")] = Field(
        alias="ROLE_CAF", description="Rôle dans le fichier bénéficiaire Cnaf"
    )
    commune: Annotated[str, Spec(ColumnType.COMMUNE)] = Field(
        alias="COMMUNE", description="Commune INSEE"
    )
    date_naissance: Annotated[str, Spec(ColumnType.DATE, first_of_month=True)] = Field(
        alias="DATE_NAISSANCE", description="Date de naissance ramenée au 1er du mois"
    )
    date_notification_departement: Annotated[str, _DATE] = Field(
        alias="DATE_NOTIFICATION_DEPARTEMENT",
        description="Date de réception du flux bénéficiaire quotidien Cnaf",
    )
    date_invitation: Annotated[str | None, _DATE] = Field(
        None,
        alias="DATE_INVITATION",
        description="Date d'envoi de l'invitation rdv-insertion "
        "(pour les utilisateurs rdv-insertion)",
    )
    date_rdv_orientation: Annotated[str | None, _DATE] = Field(
        None,
        alias="DATE_RDV_ORIENTATION",
        description="Date prévue du rdv d'orientation (par convocation ou par invitation)",
    )
    date_orientation: Annotated[str | None, _DATE] = Field(
        None, alias="DATE_ORIENTATION", description="Date effective d'orientation"
    )
    date_1er_rdv_accompagnement: Annotated[str | None, _DATE] = Field(
        None, alias="DATE_1ER_RDV_ACCOMPAGNEMENT", description="Date du 1er rdv d'accompagnement"
    )
    structure_referente: Annotated[str | None, Spec(ColumnType.TEXT, max_length=100)] = Field(
        None, alias="STRUCTURE_REFERENTE", description="Structure référente de l'accompagnement"
    )
    c_typeparcours: Annotated[str | None, Spec(ColumnType.CODE, codes="orientations")] = Field(
        None, alias="C_TYPEPARCOURS", description="Type de parcours FT"
    )
    date_cer: Annotated[str | None, _DATE] = Field(
        None, alias="DATE_CER", description="Date de signature du CER (et non du PPAE)"
    )
    type_contrat: Annotated[str | None, Spec(ColumnType.CODE, codes="types_contrat_rsa")] = Field(
        None, alias="TYPE_CONTRAT", description="Différenciation CER ou PPAE"
    )
    departement: Annotated[str, Spec(ColumnType.DEPARTEMENT)] = Field(
        alias="DEPARTEMENT", description="Numéro de département du territoire expérimentateur"
    )
    departement_code_caf: Annotated[str, Spec(ColumnType.CODE, codes="numeros_caf")] = Field(
        alias="DEPARTEMENT_CODE_CAF", description="Numéro de CAF du territoire expérimentateur"
    )
    stock: Annotated[str, Spec(ColumnType.FLAG, codes="oui_non")] = Field(
        alias="STOCK",
        description="Fait partie de la file active des départements (et non des nouveaux "
        "entrants au RSA) : O ou N",
    )


_OPT_TEXT = Spec(ColumnType.TEXT, max_length=200)


class IndicateursRow(ExchangeRow):
    """Annexe 4: the indicators file France Travail returns, with the convention's 26 fields."""

    KIND = "annexe4-indicateurs"
    TITLE = "Indicateurs transmis par France Travail (Annexe 4)"
    CLAUSE = "Annexe 4"
    DATE_FORMAT = DateFormat.ISO
    ROW_KEY = ("Nom", "Prénom", "Date De Naissance")
    DATE_ORDERS = (DateOrder("date-order-parcours", ("Date Entree Parcours", "Date Sortie")),)

    nom: Annotated[str, _NAME] = Field(alias="Nom", description="Nom")
    prenom: Annotated[str, _NAME] = Field(alias="Prénom", description="Prénom")
    date_naissance: Annotated[str, _DATE] = Field(
        alias="Date De Naissance", description="Date de naissance"
    )
    tranche_age_actuel: Annotated[str | None, _OPT_TEXT] = Field(
        None, alias="Tranche Age Actuel", description="Tranche d'âge actuelle"
    )
    obligation_emploi_actuel: Annotated[str | None, Spec(ColumnType.FLAG, codes="oui_non")] = Field(
        None, alias="Obligation Emploi Actuel", description="Obligation d'emploi : O ou N"
    )
    inscription_actuelle: Annotated[str | None, _OPT_TEXT] = Field(
        None, alias="Inscription Actuelle", description="Inscription actuelle"
    )
    rome_actuel: Annotated[str | None, Spec(ColumnType.CODE, codes="rome")] = Field(
        None, alias="Rome Actuel", description="Code ROME actuel (fiche ROME 4.0)"
    )
    diagnostic_realise: Annotated[str | None, Spec(ColumnType.CODE, codes="oui_non_long")] = Field(
        None, alias="Diagnostic Realise (oui/non)", description="Diagnostic réalisé"
    )
    commune_entree: Annotated[str | None, Spec(ColumnType.COMMUNE)] = Field(
        None, alias="Commune Entree", description="Commune INSEE à l'entrée"
    )
    commune_actuelle: Annotated[str | None, Spec(ColumnType.COMMUNE)] = Field(
        None, alias="Commune Actuelle", description="Commune INSEE actuelle"
    )
    libelle_commune_actuelle: Annotated[str | None, _OPT_TEXT] = Field(
        None, alias="Libelle Commune Actuelle", description="Libellé de la commune actuelle"
    )
    territoire_entree: Annotated[str | None, _OPT_TEXT] = Field(
        None, alias="Territoire Entree", description="Territoire à l'entrée"
    )
    territoire_actuel: Annotated[str | None, _OPT_TEXT] = Field(
        None, alias="Territoire Actuel", description="Territoire actuel"
    )
    departement_actuel: Annotated[str | None, Spec(ColumnType.DEPARTEMENT)] = Field(
        None, alias="Departement Actuel", description="Département actuel"
    )
    agence_dans_xp: Annotated[str | None, Spec(ColumnType.FLAG, codes="oui_non")] = Field(
        None, alias="Agence Dans Xp", description="Agence dans l'expérimentation : O ou N"
    )
    agence: Annotated[str | None, _OPT_TEXT] = Field(None, alias="Agence", description="Agence")
    direction_territoriale_actuelle: Annotated[str | None, _OPT_TEXT] = Field(
        None,
        alias="Direction territoriale Actuelle",
        description="Direction territoriale actuelle",
    )
    date_entree_parcours: Annotated[str | None, _DATE] = Field(
        None, alias="Date Entree Parcours", description="Date d'entrée dans le parcours"
    )
    date_sortie: Annotated[str | None, _DATE] = Field(
        None, alias="Date Sortie", description="Date de sortie"
    )
    motif_sortie: Annotated[str | None, _OPT_TEXT] = Field(
        None, alias="Motif Sortie", description="Motif de sortie"
    )
    libelle_parcours_entree: Annotated[str | None, _OPT_TEXT] = Field(
        None, alias="Libelle Parcours Entree", description="Libellé du parcours à l'entrée"
    )
    libelle_parcours_actuel: Annotated[str | None, _OPT_TEXT] = Field(
        None, alias="Libelle Parcours Actuel", description="Libellé du parcours actuel"
    )
    msa_actuelle: Annotated[str | None, _OPT_TEXT] = Field(
        None,
        alias="Modalité de suivi et d'accompagnement (Msa) Actuelle",
        description="Modalité de suivi et d'accompagnement actuelle",
    )
    libelle_pni: Annotated[str | None, _OPT_TEXT] = Field(
        None,
        alias="Libelle Pni (si suivi délégué à un partenaire non informatisé)",
        description="Partenaire non informatisé, si le suivi lui est délégué",
    )
    libelle_type_suivi_delegue: Annotated[str | None, _OPT_TEXT] = Field(
        None, alias="Libelle Type de Suivi délégué", description="Type de suivi délégué"
    )
    top_deld: Annotated[str | None, Spec(ColumnType.FLAG, codes="oui_non")] = Field(
        None,
        alias="Top Demandeur d'emploi de Longue Duree",
        description="Demandeur d'emploi de longue durée : O ou N",
    )


ROW_MODELS: dict[str, type[ExchangeRow]] = {
    model.KIND: model for model in (InscriptionRow, PilotageRow, IndicateursRow, HabilitationRow)
}
"""Every file kind, by its identifier."""
