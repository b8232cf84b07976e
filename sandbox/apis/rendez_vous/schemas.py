"""Wire models of Rendez-vous partenaire v1, from France Travail's published file.

Names, enums and required properties are those of ``rendez-vous-partenaires.json``: the request
``RendezVousPartenaire`` (with ``Interlocuteur`` and ``Organisme``), the creation's
``ReponseDepotRdvp``, and the listing's ``RendezVousUsager`` (with ``AdresseRDVU``,
``InterlocuteurRDVU`` and ``OrganismeRDVU``). Text lengths are bounded (README, Limits): the
listing's published ``maxLength`` where it gives one, else 255 for a name, 512 for an address
and 2 000 for free text.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from sandbox.apis.omission import Omitted, omissible
from sandbox.identifiers import require_date_time_text
from sandbox.rendezvous import Listed, Statut, Written

MAX_DUREE = 1440
DEFAULT_DUREE = 30
"""Minutes served when a rendez-vous was written without ``duree`` (the published example)."""


def _in_calendar(moment: dt.datetime) -> dt.datetime:
    # Any published date-time is taken, as long as its UTC instant and its end stay in the
    # calendar (years 1 to 9999): 0001-01-01T00:00:00+01:00 does not.
    try:
        moment.astimezone(dt.UTC) + dt.timedelta(minutes=MAX_DUREE)
    except OverflowError:
        raise ValueError(
            "the date, in UTC and with its duration, must fall in years 1 to 9999"
        ) from None
    return moment


Moment = Annotated[
    dt.datetime, BeforeValidator(require_date_time_text), AfterValidator(_in_calendar)
]

Name = Annotated[str, StringConstraints(max_length=255)]
Phone = Annotated[str, StringConstraints(max_length=36)]
Address = Annotated[str, StringConstraints(max_length=512)]
Text = Annotated[str, StringConstraints(max_length=2000)]
Url = Annotated[str, StringConstraints(max_length=2048)]
CodeOrganisme = Literal["IND", "FT", "CD", "DCD", "ML", "CE"]
ModaliteContact = Literal["VISIO", "TELEPHONE", "PHYSIQUE"]
Motif = Literal["AUT", "ACC", "ORI"]
TypeReception = Literal["IND", "COL"]

_IN = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)
_OUT = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

THEMES: dict[str, str] = {
    "ACC": "Accompagnement",
    "ORI": "Orientation",
    "AUT": "Autre",
}
"""The ``theme`` served when none was written (the listing requires one): the motif's label."""


class Interlocuteur(BaseModel):
    """Interlocuteur qui reçoit l'usager au rendez-vous."""

    model_config = _IN

    civilite: Literal["M", "Mme", "Mx"] | None = Field(default=None, examples=["M"])
    email: Name | None = Field(default=None, examples=["adupont@metropole13.fr"])
    nom: Name | None = Field(default=None, examples=["DUPONT"])
    organisme: Name | None = Field(default=None, examples=["METROPOLE 13"])
    prenom: Name | None = Field(default=None, examples=["Alexandre"])
    service: Name | None = Field(default=None, examples=["Accueil Usager"])
    telephone: Phone | None = Field(default=None, examples=["33643667788"])


class Organisme(BaseModel):
    """Organisme qui émet le rendez-vous."""

    model_config = _IN

    code: CodeOrganisme = Field(
        description="Code de l'organisme qui effectue le RDV : IND indépendant, FT France "
        "Travail, CD conseil départemental, DCD délégataire du CD, ML mission locale, CE Cap "
        "emploi.",
        examples=["CD"],
    )
    email_contact: Name | None = Field(default=None, alias="emailContact")
    id_structure: Name | None = Field(
        default=None, alias="idStructure", description="Code Aurore ou code SAFIR."
    )
    libelle_structure: Name | None = Field(default=None, alias="libelleStructure")
    telephone_contact: Phone | None = Field(default=None, alias="telephoneContact")


class RendezVousPartenaire(BaseModel):
    """Un rendez-vous à créer (POST, `id` null) ou à modifier (PUT, `id` renseigné)."""

    model_config = _IN

    id: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        default=None,
        description="Identifiant du rendez-vous (celui que POST a renvoyé) : à laisser null pour "
        "le POST (une valeur envoyée y est ignorée), obligatoire pour le PUT (400 "
        "`ERR_DONNEE_INCORRECTE` sinon ; inconnu pour cet usager : 400 `ID_NON_RECONNU`).",
    )
    adresse: Address | None = Field(default=None, examples=["14 Avenue Foch 13004 Marseille"])
    commentaire: Text | None = Field(
        default=None, description="Commentaire saisi par l'usager lors de sa prise de RDV."
    )
    date: Moment = Field(
        description="Date de rendez-vous, RFC 3339 avec secondes et fuseau (Z ou ±hh:mm), "
        "par exemple 2026-12-16T08:30:00.000Z ou 2026-12-16T09:30:00+01:00.",
        examples=["2026-12-16T08:30:00.000Z"],
    )
    description: Text | None = None
    duree: Annotated[int, Field(ge=1, le=MAX_DUREE)] | None = Field(
        default=None,
        description=f"Durée du rendez-vous en minutes (1 à {MAX_DUREE}) ; absente : "
        f"{DEFAULT_DUREE} minutes.",
        examples=[30],
    )
    information: Text | None = Field(
        default=None, description="Information à transmettre à l'usager."
    )
    initiateur: Literal["USAGER", "PARTENAIRE"] | None = None
    interlocuteur: Interlocuteur | None = None
    libelle_adresse: Name | None = Field(
        default=None, alias="libelleAdresse", description="Nom du lieu de RDV."
    )
    modalite_contact: ModaliteContact = Field(alias="modaliteContact", examples=["PHYSIQUE"])
    motif: Motif = Field(
        description="Motif France Travail ; avec AUT (autre), c'est `theme` qui est affiché.",
        examples=["ORI"],
    )
    organisme: Organisme
    statut: Statut = Field(
        description="Statut de présence au rendez-vous ; ANNULE annule le rendez-vous "
        "(`dateAnnulation`), comme DELETE.",
        examples=["PRIS"],
    )
    telephone_contact_usager: Phone | None = Field(default=None, alias="telephoneContactUsager")
    theme: Name | None = Field(default=None, examples=["Premier rendez-vous d'orientation RSA"])
    type_reception: TypeReception = Field(alias="typeReception", examples=["IND"])
    url_visio: Url | None = Field(default=None, alias="urlVisio")

    def written(self) -> Written:
        """What the domain stores: the request by its published names, and the rules' values."""
        return Written(
            date=self.date,
            duree=self.duree or DEFAULT_DUREE,
            statut=self.statut,
            details=self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"id"}),
        )


class ReponseDepotRdvp(BaseModel):
    """Réponse de la création : l'identifiant du rendez-vous."""

    model_config = _OUT

    id: str = Field(
        description="Id unique du RDVP, à renvoyer dans le corps du PUT et dans le chemin du "
        "DELETE.",
        examples=["7aea9cbd-d98e-464a-b38a-17662f4a718a"],
    )


class AdresseRDVU(BaseModel):
    """Adresse du rdv."""

    model_config = _OUT

    adresse_libre: Annotated[str, StringConstraints(max_length=255)] | Omitted = omissible(
        "Nom du lieu de RDV (le `libelleAdresse` écrit) ; absent s'il n'a pas été écrit.",
        alias="adresseLibre",
    )
    libelle_adresse: Annotated[str, StringConstraints(max_length=512)] | Omitted = omissible(
        "Adresse du lieu de RDV (l'`adresse` écrite) ; absente si elle n'a pas été écrite.",
        alias="libelleAdresse",
    )


class InterlocuteurRDVU(BaseModel):
    """Interlocuteur en charge de recevoir l'usager."""

    model_config = _OUT

    civilite: Literal["M", "MME", "MX"] | Omitted = omissible("Absente si non écrite.")
    email: str | Omitted = omissible("Absent si non écrit.")
    nom: str | Omitted = omissible("Absent si non écrit.")
    organisme: str | Omitted = omissible("Absent si non écrit.")
    prenom: str | Omitted = omissible("Absent si non écrit.")
    service: str | Omitted = omissible("Absent si non écrit.")
    telephone: str | Omitted = omissible("Absent si non écrit.")


class OrganismeRDVU(BaseModel):
    """Organisme émetteur du rdv."""

    model_config = _OUT

    code: CodeOrganisme
    email_contact: str | Omitted = omissible("Absent si non écrit.", alias="emailContact")
    id_structure: str | Omitted = omissible("Absent si non écrit.", alias="idStructure")
    libelle_structure: str | Omitted = omissible("Absent si non écrit.", alias="libelleStructure")
    telephone_contact: str | Omitted = omissible("Absent si non écrit.", alias="telephoneContact")


def instant(moment: dt.datetime) -> str:
    """The published example's writing: UTC, milliseconds, ``Z``."""
    utc = moment.astimezone(dt.UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


_INSTANT = "Date et heure UTC, `yyyy-MM-ddTHH:mm:ss.SSSZ` comme l'exemple publié."


class RendezVousUsager(BaseModel):
    """Un rendez-vous de l'usager, tel que la liste le sert."""

    model_config = _OUT

    adresse: AdresseRDVU | Omitted = omissible("Absente si ni adresse ni lieu n'ont été écrits.")
    commentaire_usager: str | Omitted = omissible(
        "Le `commentaire` écrit ; absent sinon.", alias="commentaireUsager"
    )
    date: str = Field(description=_INSTANT, examples=["2026-12-16T08:30:00.000Z"])
    date_annulation: str | Omitted = omissible(
        f"{_INSTANT} Présente si et seulement si le rendez-vous est annulé (DELETE, ou statut "
        "ANNULE écrit).",
        alias="dateAnnulation",
    )
    description: str | Omitted = omissible("Absente si non écrite.")
    duree: int = Field(description=f"Durée en minutes ({DEFAULT_DUREE} si non écrite).")
    est_en_conflit: bool = Field(
        alias="estEnConflit",
        description="true lorsqu'un autre rendez-vous non annulé de l'usager chevauche celui-ci "
        "(de `date` à `date` + `duree`).",
    )
    id_origine: str = Field(
        alias="idOrigine", description="Id unique du RDV : celui que POST /rendez-vous a renvoyé."
    )
    information_utile: str | Omitted = omissible(
        "L'`information` écrite ; absente sinon.", alias="informationUtile"
    )
    initiateur: Literal["USAGER", "CONSEILLER"] | Omitted = omissible(
        "L'`initiateur` écrit, PARTENAIRE servi CONSEILLER (l'enum publié de la liste) ; absent "
        "sinon."
    )
    interlocuteur: InterlocuteurRDVU | Omitted = omissible("Absent si non écrit.")
    modalite_contact: ModaliteContact = Field(alias="modaliteContact")
    motif: Motif
    organisme: OrganismeRDVU
    statut: Statut
    telephone_contact_usager: str | Omitted = omissible(
        "Absent si non écrit.", alias="telephoneContactUsager"
    )
    theme: str = Field(
        description="Le `theme` écrit ; sinon le libellé du motif (Accompagnement, Orientation, "
        "Autre), le champ étant obligatoire dans la liste publiée."
    )
    type_reception: TypeReception = Field(alias="typeReception")

    @classmethod
    def of(cls, listed: Listed) -> RendezVousUsager:
        """The listing's view of a stored rendez-vous."""
        appointment = listed.appointment
        d: dict[str, Any] = appointment.details
        place, address = d.get("libelleAdresse"), d.get("adresse")
        who = d.get("interlocuteur")
        initiateur = d.get("initiateur")
        return cls.model_validate(
            {
                "adresse": AdresseRDVU(adresse_libre=place, libelle_adresse=address)
                if place or address
                else None,
                "commentaire_usager": d.get("commentaire"),
                "date": instant(appointment.date),
                "date_annulation": instant(appointment.cancelled_at)
                if appointment.cancelled_at
                else None,
                "description": d.get("description"),
                "duree": appointment.duree,
                "est_en_conflit": listed.en_conflit,
                "id_origine": appointment.id,
                "information_utile": d.get("information"),
                "initiateur": "CONSEILLER" if initiateur == "PARTENAIRE" else initiateur,
                "interlocuteur": _interlocuteur(who) if who else None,
                "modalite_contact": d["modaliteContact"],
                "motif": d["motif"],
                "organisme": OrganismeRDVU.model_validate(d["organisme"]),
                "statut": appointment.statut,
                "telephone_contact_usager": d.get("telephoneContactUsager"),
                "theme": d.get("theme") or THEMES[d["motif"]],
                "type_reception": d["typeReception"],
            }
        )


def _interlocuteur(written: dict[str, Any]) -> InterlocuteurRDVU:
    civilite = written.get("civilite")
    return InterlocuteurRDVU.model_validate(
        {**written, "civilite": civilite.upper() if civilite else None}
    )
