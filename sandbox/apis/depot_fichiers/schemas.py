"""Wire models of the file drop (French field names, like the platform's)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.apis.omission import Omitted, omissible
from sandbox.filedrop import Upload
from sandbox.findings import Report, Severity

PREFIX = "/depot-fichiers/v1"


class Constats(BaseModel):
    """How many findings of each severity the report holds."""

    erreur: int
    avertissement: int
    information: int


class Liens(BaseModel):
    """Where to read the upload."""

    depot: str = Field(description="Métadonnées et rapport du dépôt.")
    contenu: str = Field(description="Téléchargement du fichier.")


class Depot(BaseModel):
    """One upload: metadata and the summary of its report (never its content)."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    id: str = Field(description="Identifiant du dépôt (dérivé de la graine, du client et du rang).")
    nom: str = Field(
        description="Nom du fichier (caractères autres que A-Z, 0-9, `._-` remplacés)."
    )
    type_fichier: str | Omitted = omissible(
        "Type de fichier détecté ou donné (absent si l'en-tête n'est d'aucun type).",
        alias="type",
    )
    taille: int = Field(description="Taille en octets.")
    depose_le: dt.datetime = Field(alias="deposeLe")
    expire_le: dt.datetime = Field(
        alias="expireLe",
        description="Fin de conservation (dépôt + FT_SANDBOX_DROP_RETENTION_DAYS jours, horloge "
        "du bac à sable) : le dépôt, son contenu et son rapport sont alors effacés.",
    )
    origine: Literal["client", "bac-a-sable"] = Field(
        description="`client` : déposé par le client ; `bac-a-sable` : fichier d'indicateurs "
        "produit par le bac à sable en réponse à un fichier de pilotage."
    )
    statut: Literal["accepte", "refuse", "illisible"] = Field(
        description="`accepte` : aucun constat de gravité erreur ; `refuse` : au moins une "
        "erreur ; `illisible` : le fichier n'a pu être lu comme un tableau."
    )
    lignes: int = Field(description="Lignes de données lues.")
    constats: Constats
    personnes_inscrites: int | Omitted = omissible(
        "Annexe 1 acceptée : personnes enregistrées pour ce client (Rechercher usager les "
        "trouve ensuite) ; Annexe 3 §1.1 acceptée : comptes Suivi de parcours créés ou mis à "
        "jour (un par adresse électronique).",
        alias="personnesInscrites",
    )
    personnes_deja_connues: int | Omitted = omissible(
        "Annexe 1 acceptée : personnes que la population connaissait déjà (laissées telles "
        "quelles).",
        alias="personnesDejaConnues",
    )
    depot_source: str | Omitted = omissible(
        "Fichier d'indicateurs : le dépôt de pilotage auquel il répond.", alias="depotSource"
    )
    depot_indicateurs: str | Omitted = omissible(
        "Fichier de pilotage accepté : le dépôt du fichier d'indicateurs produit en retour.",
        alias="depotIndicateurs",
    )
    liens: Liens

    @classmethod
    def of(cls, upload: Upload) -> Depot:
        """The wire form of an upload."""
        base = f"{PREFIX}/depots/{upload.id}"
        return cls(
            id=upload.id,
            nom=upload.name,
            type_fichier=upload.kind,
            taille=upload.size,
            depose_le=upload.dropped_at,
            expire_le=upload.expires_at,
            origine="bac-a-sable" if upload.origin == "bac-a-sable" else "client",
            statut=upload.status,
            lignes=upload.rows,
            constats=Constats(**upload.counts),
            personnes_inscrites=upload.registered,
            personnes_deja_connues=upload.already_known,
            depot_source=upload.source,
            depot_indicateurs=upload.indicators,
            liens=Liens(depot=base, contenu=f"{base}/contenu"),
        )


class ListeDepots(BaseModel):
    """The client's uploads still kept, oldest first."""

    depots: list[Depot]


class ConstatRapport(BaseModel):
    """One finding of a report, keys as in ``ft-conformance files check --format json``."""

    rule: str = Field(description="Identifiant stable de la règle (ex. `missing-column`).")
    severity: Severity
    message: str = Field(description="Ce qui ne va pas, en français.")
    hint: str = Field(description="Comment corriger.")
    clause: str = Field(description="La clause de la convention que la règle fait respecter.")
    line: int | Omitted = omissible("Ligne du fichier (1 = l'en-tête) ; absente : tout le fichier.")
    column: str | Omitted = omissible("Nom de la colonne ; absent : toute la ligne.")
    column_number: int | Omitted = omissible("Rang de la colonne (1 = première).")
    value: str | Omitted = omissible(
        "La valeur en cause, masquée (NIR : 7 caractères ; noms : initiales)."
    )


class Rapport(BaseModel):
    """The report of an upload, keys as in the kit's JSON report; absent values are omitted."""

    source: str = Field(description="Le nom du fichier.")
    kind: str | Omitted = omissible("Le type de fichier, s'il est reconnu.")
    encoding: str | Omitted = omissible("L'encodage lu, si le fichier a pu être lu.")
    delimiter: str | Omitted = omissible("Le séparateur lu (CSV).")
    rows: int = Field(description="Lignes de données lues (en-tête exclu).")
    readable: bool = Field(description="Faux si le fichier n'a pas pu être lu comme un tableau.")
    rules: list[str] = Field(description="Les règles appliquées.")
    counts: dict[Severity, int]
    by_rule: dict[str, int] = Field(description="Constats par règle.")
    omitted: dict[str, int] = Field(description="Constats comptés mais non détaillés.")
    findings: list[ConstatRapport]

    @classmethod
    def of(cls, report: Report) -> Rapport:
        """The wire form of a stored report."""
        return cls.model_validate(report.model_dump())


class DepotDetail(BaseModel):
    """One upload and its full report (values masked: NIR 7 characters, names as initials)."""

    depot: Depot
    rapport: Rapport
