"""Wire models of Gestion activités opérationnelles v2, from France Travail's published file.

Names and enums are those of ``gestion-activites-operationnelles.json``: ``ActivitePage``,
``Activite``, ``Usager``, ``AttributSpecifique``, and the référentiel's ``DomaineReferentiel``,
``FamilleReferentiel`` and ``ActiviteReferentiel``. Dates are served as the published examples
write them (``2024-05-22T12:13:20.000Z``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.apis.contrat_engagement.schemas import wire_date
from sandbox.apis.omission import Omitted, omissible
from sandbox.lpe.activites import Activity, CodeActivite, Page, RefActivite, RefDomaine, RefFamille

NomAttribut = Literal[
    "idConsequenceSanction", "motif", "typeOrganismeAccompagnateur", "codeInseeCommune",
    "typeParcours",
]  # fmt: skip


class Usager(BaseModel):
    """L'usager d'une activité."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    identifiant: str = Field(description="identifiant de l'usager", examples=["12345678901"])
    type_identifiant: Literal["numeroFranceTravail"] = Field(
        alias="typeIdentifiant", description="typeIdentifiant de l'usager"
    )


class AttributSpecifique(BaseModel):
    """Un attribut spécifique propre à l'activité."""

    nom: NomAttribut = Field(description="Nom de l'attribut", examples=["idConsequenceSanction"])
    valeur: str = Field(
        description="Valeur de l'attribut : pour `idConsequenceSanction`, l'identifiant à "
        "fournir aux API Sanctions (`identifiantSanction` de `/detailManquement`).",
        examples=["78787P45475845M"],
    )


_DATE = "(UTC avec millisecondes, comme les exemples publiés)"


class Activite(BaseModel):
    """Une activité opérationnelle à traiter."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    identifiant_activite: str = Field(
        alias="identifiantActivite",
        description="Identifitant de l'activite",
        examples=["52898$a4638d98-d8e6-4d7d-83ec-9e5ca522b812"],
    )
    code_activite: CodeActivite = Field(alias="codeActivite", description="Code de l'activite")
    usager: Usager
    date_creation: str = Field(
        alias="dateCreation", description=f"Date de création de l'activité {_DATE}"
    )
    date_echeance: str = Field(
        alias="dateEcheance", description=f"Date d'échéance de l'activité {_DATE}"
    )
    date_echeance_proche: str = Field(
        alias="dateEcheanceProche", description=f"Date d'échéance proche de l'activité {_DATE}"
    )
    attributs_specifiques: list[AttributSpecifique] | Omitted = omissible(
        "Liste des attributs spécifiques propre à l'activité (absente quand l'activité n'en a "
        "pas, comme ACT395 dans l'exemple publié).",
        alias="attributsSpecifiques",
    )

    @classmethod
    def of(cls, activity: Activity) -> Activite:
        """The wire form of an activity."""
        attributs = [AttributSpecifique(nom=n, valeur=v) for n, v in activity.attributs]
        return cls(
            identifiant_activite=activity.identifiant,
            code_activite=activity.code,
            usager=Usager(
                identifiant=activity.numero_france_travail, type_identifiant="numeroFranceTravail"
            ),
            date_creation=wire_date(activity.date_creation) or "",
            date_echeance=wire_date(activity.date_echeance) or "",
            date_echeance_proche=wire_date(activity.date_echeance_proche) or "",
            attributs_specifiques=attributs or None,
        )


class ActivitePage(BaseModel):
    """Une page d'activités, par date d'échéance ascendante."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    size: int = Field(description="Taille de la collection (de cette page)", examples=[2])
    activites: list[Activite]
    has_more: bool = Field(
        alias="hasMore",
        description="Boolean si d'autre activité existe et qu'un appel supplémentaire est à faire",
    )
    cursor: str | Omitted = omissible(
        "Curseur du dernier élément de la liste : à renvoyer (paramètre `cursor`, mêmes autres "
        "paramètres) pour lire la suite ; absent quand `hasMore` vaut false."
    )

    @classmethod
    def of(cls, page: Page) -> ActivitePage:
        """The wire form of a page."""
        return cls(
            size=len(page.activities),
            activites=[Activite.of(a) for a in page.activities],
            has_more=page.has_more,
            cursor=page.cursor,
        )


class ActiviteReferentiel(BaseModel):
    """Une activité du référentiel."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    code: str = Field(description="code de l'activité", examples=["ACT366"])
    libelle: str = Field(description="libellé de l'activité")
    code_famille: str = Field(alias="codeFamille", description="code de la famille")
    libelle_famille: str = Field(alias="libelleFamille", description="libellé de la famille")
    code_domaine: str = Field(alias="codeDomaine", description="code du domaine")
    libelle_domaine: str = Field(alias="libelleDomaine", description="libellé du domaine")

    @classmethod
    def of(
        cls, domaine: RefDomaine, famille: RefFamille, activite: RefActivite
    ) -> ActiviteReferentiel:
        """The wire form of one activity of the référentiel."""
        return cls(
            code=activite.code,
            libelle=activite.libelle,
            code_famille=famille.code,
            libelle_famille=famille.libelle,
            code_domaine=domaine.code,
            libelle_domaine=domaine.libelle,
        )


class FamilleReferentiel(BaseModel):
    """Une famille du référentiel."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    code: str = Field(description="code de la famille", examples=["GLI100"])
    libelle: str = Field(description="libelle de la famille")
    code_domaine: str = Field(alias="codeDomaine", description="code du domaine")
    libelle_domaine: str = Field(alias="libelleDomaine", description="libelle du domaine")
    activites: list[ActiviteReferentiel] | Omitted = omissible(
        "activités de la famille : servies par le détail (`/detail`) et le référentiel complet, "
        "absentes de la lecture simple d'une famille."
    )

    @classmethod
    def of(cls, domaine: RefDomaine, famille: RefFamille, detail: bool) -> FamilleReferentiel:
        """The wire form of a family, with its activities when ``detail``."""
        return cls(
            code=famille.code,
            libelle=famille.libelle,
            code_domaine=domaine.code,
            libelle_domaine=domaine.libelle,
            activites=[ActiviteReferentiel.of(domaine, famille, a) for a in famille.activites]
            if detail
            else None,
        )


class DomaineReferentiel(BaseModel):
    """Un domaine du référentiel."""

    code: str = Field(description="code du domaine", examples=["GLI"])
    libelle: str = Field(description="libelle du domaine")
    familles: list[FamilleReferentiel] | Omitted = omissible(
        "familles du domaine : servies par le détail (`/detail`) et le référentiel complet, "
        "absentes de la lecture simple d'un domaine (exemples publiés)."
    )

    @classmethod
    def of(cls, domaine: RefDomaine, detail: bool) -> DomaineReferentiel:
        """The wire form of a domain, with its families and their activities when ``detail``."""
        return cls(
            code=domaine.code,
            libelle=domaine.libelle,
            familles=[FamilleReferentiel.of(domaine, f, True) for f in domaine.familles]
            if detail
            else None,
        )
