"""Wire models of Informations administratives usager v1 (published ``UsagerResource``).

Names, descriptions and examples are the published file's
(``informations-administratives-usager.json``). Readings recorded here and in the contract:

- ``etatCivil.nir`` is the 13-character NIR without its key, as the published example
  (``1041174010081``) shows; ``nom``/``prenom`` and their ``…Correspondance`` twins are the
  person's names in upper case, as the published example writes them (``DOE``, ``JOHN``);
  ``civilite`` is ``M.`` (published example) or ``Mme``;
- ``adresses``, ``emails`` and ``telephones`` are always served, as arrays (empty when the person
  has none), never null; the address has the fields the person's record knows (the three
  ``complement…`` fields are left out, never null) and ``libellePays`` ``FRANCE``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from sandbox.apis.omission import Omitted, omissible
from sandbox.population.coordinates import Coordinates
from sandbox.population.models import Person, Sex

_NO_COMPLEMENT = " Absent (jamais null) : le dossier synthétique n'en a pas."
CIVILITES = {Sex.MALE: "M.", Sex.FEMALE: "Mme"}
COUNTRY = "FRANCE"


class AdresseResource(BaseModel):
    """A postal address of the usager (published ``AdresseResource``)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code_insee_commune: str = Field(
        alias="codeInseeCommune",
        description="Code INSEE de la commune issu des référentiels ARENO",
        examples=["62041"],
    )
    code_postal: str = Field(alias="codePostal", description="Code postal", examples=["62000"])
    complement_adresse: str | Omitted = omissible(
        "Complément d'identification du point géographique : Entrée, tour, bâtiment, immeuble, "
        "résidence, zone industrielle." + _NO_COMPLEMENT,
        alias="complementAdresse",
    )
    complement_destinataire: str | Omitted = omissible(
        "Complément d'identification du destinataire ou point de remise à l'intérieur du "
        "bâtiment : N° appartement, boite aux lettres, étage, couloir." + _NO_COMPLEMENT,
        alias="complementDestinataire",
    )
    complement_distribution: str | Omitted = omissible(
        "Mentions spéciales de distribution : Boite Postale, Tri Spécial, Arrivée."
        + _NO_COMPLEMENT,
        alias="complementDistribution",
    )
    libelle_commune: str = Field(
        alias="libelleCommune", description="Commune (en majuscules)", examples=["ARRAS"]
    )
    libelle_pays: str = Field(alias="libellePays", description="Pays", examples=[COUNTRY])
    numero_type_libelle_voie: str = Field(
        alias="numeroTypeLibelleVoie",
        description="Numéro, type et libellé de la voie",
        examples=["12 rue de la Sandbox"],
    )
    indicateur_resident_qpv: str = Field(
        alias="indicateurResidentQPV",
        description="Indique si l'adresse est dans un Quartier Prioritaire de la Ville (AT : En "
        "attente, IN : Indéterminé, NT : Non traité, NQ : Ne réside pas QPV, QP : Réside QPV). "
        "Le bac à sable sert NQ, QP ou NT.",
        examples=["NQ"],
    )


class EmailResource(BaseModel):
    """An e-mail address (published ``EmailResource``), always at the reserved ``example.com``."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    adresse_email: str = Field(
        alias="adresseEmail",
        description="Adresse email (synthétique : domaine réservé `example.com`, RFC 2606).",
        examples=["alice.fictive7@example.com"],
    )


class TelephoneResource(BaseModel):
    """A telephone number (published ``TelephoneResource``)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    numero_telephone: str = Field(
        alias="numeroTelephone",
        description="Numéro de téléphone, dix chiffres sans séparateur (synthétique : tranches "
        "que l'ARCEP réserve à la fiction selon la lecture du bac à sable, mobile `063998xxxx`, "
        "fixe `019900xxxx`).",
        examples=["0639981234"],
    )


class EtatCivilResource(BaseModel):
    """The usager's état civil (published ``EtatCivilResource``)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    civilite: str = Field(description="Civilité : `M.` ou `Mme`.", examples=["Mme"])
    date_naissance: dt.date = Field(
        alias="dateNaissance", description="Date de naissance (AAAA-MM-JJ)"
    )
    nir: str = Field(
        description="Numéro d'Inscription au Répertoire : les 13 caractères du NIR (ou du NIA) "
        "sans la clé, comme l'exemple publié.",
        examples=["2900362041901"],
    )
    nom: str = Field(description="Nom (en majuscules)", examples=["FICTIVE"])
    nom_correspondance: str = Field(
        alias="nomCorrespondance",
        description="Nom de correspondance (le nom, dans le bac à sable)",
        examples=["FICTIVE"],
    )
    prenom: str = Field(description="Prénom (en majuscules)", examples=["ALICE"])
    prenom_correspondance: str = Field(
        alias="prenomCorrespondance",
        description="Prénom de correspondance (le prénom, dans le bac à sable)",
        examples=["ALICE"],
    )


class UsagerResource(BaseModel):
    """200 body of ``GET /usager``: état civil and coordinates of the person behind the jeton."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    numero_france_travail: str = Field(
        alias="numeroFranceTravail", description="Numéro France Travail", examples=["90000000101"]
    )
    adresses: list[AdresseResource] = Field(
        description="Adresses postales : une, ou aucune (tableau vide) quand le dossier n'en a "
        "pas — un tel usager n'obtient pas de jeton (Rechercher usager répond R998)."
    )
    emails: list[EmailResource] = Field(description="Adresses email (tableau vide si aucune).")
    etat_civil: EtatCivilResource = Field(alias="etatCivil")
    telephones: list[TelephoneResource] = Field(
        description="Numéros de téléphone, le mobile d'abord (tableau vide si aucun)."
    )

    @classmethod
    def of(cls, person: Person, coordinates: Coordinates) -> UsagerResource:
        """The published view of a person and their coordinates."""
        address = person.address
        adresses = []
        if address is not None and coordinates.qpv is not None:
            adresses.append(
                AdresseResource(
                    code_insee_commune=address.commune_code,
                    code_postal=address.code_postal,
                    libelle_commune=address.commune_nom.upper(),
                    libelle_pays=COUNTRY,
                    numero_type_libelle_voie=address.ligne,
                    indicateur_resident_qpv=coordinates.qpv,
                )
            )
        return cls(
            numero_france_travail=person.numero_france_travail,
            adresses=adresses,
            emails=[EmailResource(adresse_email=e) for e in coordinates.emails],
            etat_civil=EtatCivilResource(
                civilite=CIVILITES[person.sex],
                date_naissance=person.birth_date,
                nir=person.nir_body,
                nom=person.last_name.upper(),
                nom_correspondance=person.last_name.upper(),
                prenom=person.first_name.upper(),
                prenom_correspondance=person.first_name.upper(),
            ),
            telephones=[TelephoneResource(numero_telephone=t) for t in coordinates.telephones],
        )
