"""Wire models of the 2024 rendez-vous push, with the convention's Annexe 3 field names.

No published file: the keys are those rdv-insertion sent in 2024 (reference §6.2) and the
convention's Annexe 3 lists (``idOrigine``, ``codeSafir``, ``objet``, ``nombrePlaces``,
``idModalite``, ``typeReception``, ``dateRendezvous``, ``duree``, ``initiateur``, ``conseiller``,
``participants`` with their NIR, ``information``, ``dateAnnulation``, ``dateFinRendezvous``,
``mode``). What each value means, and how a push becomes a rendez-vous of Rendez-vous partenaire
v1 (``RendezVousEnvoi.written_for``), is the sandbox's reading, written in the contract:

- ``idModalite`` 1 PHYSIQUE, 2 PHYSIQUE COLLECTIF, 3 TELEPHONE, 5 VISIO, 7 VISIO-CONFERENCE
  COLLECTIVE (the client's comment) → ``modaliteContact`` PHYSIQUE, PHYSIQUE, TELEPHONE, VISIO,
  VISIO; 2 and 7 are collective, so they need ``typeReception`` ``Collectif``;
- ``typeReception`` ``Individuel`` → ``IND`` (exactly one participant), ``Collectif`` → ``COL``;
- ``objet`` → ``theme``; ``motif`` ``ORI`` when ``objet`` starts with "RSA Orientation" (the
  convention's example "RSA Orientation : Convocation sur site"), ``AUT`` otherwise;
- ``codeSafir`` / ``libelleStructure`` → ``organisme`` ``{code: CD, idStructure,
  libelleStructure}``: the pushing partner is a département;
- the first ``conseiller`` → ``interlocuteur`` (nom, prénom, email); ``address`` → ``adresse``;
  ``information`` → ``information``; the participant's ``telephone`` → ``telephoneContactUsager``;
  ``initiateur`` ``USAGER`` (any case) stays USAGER, any other value is PARTENAIRE;
- ``duree`` in minutes, else computed from ``dateFinRendezvous``, else 30 (as v1); when both are
  sent they must agree;
- ``statut`` PRIS on création, MODIFIE on modification; a ``dateAnnulation`` cancels (ANNULE).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from sandbox.apis.rendez_vous.schemas import (
    DEFAULT_DUREE,
    MAX_DUREE,
    Address,
    ModaliteContact,
    Moment,
    Name,
    Phone,
    RendezVousPartenaire,
    Text,
)
from sandbox.errors import BackendError
from sandbox.identifiers import IsoDate, NirInput
from sandbox.rendezvous import Mode, Statut, Written

MAX_PARTICIPANTS = 50
"""Participants one push may list (README, Limits)."""
MAX_CONSEILLERS = 10
ORIENTATION_PREFIX = "RSA Orientation"

MODALITES: dict[int, ModaliteContact] = {
    1: "PHYSIQUE",
    2: "PHYSIQUE",
    3: "TELEPHONE",
    5: "VISIO",
    7: "VISIO",
}
"""``idModalite`` → v1 ``modaliteContact`` (1 PHYSIQUE, 2 PHYSIQUE COLLECTIF, 3 TELEPHONE, 5 VISIO,
7 VISIO-CONFERENCE COLLECTIVE)."""
COLLECTIVE_MODALITES = frozenset({2, 7})
TYPES_RECEPTION = {"Individuel": "IND", "Collectif": "COL"}

_ORIGIN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
MAX_INTEGER_ORIGIN = 999_999_999_999
"""The largest integer ``idOrigine`` (exact in the contract, whose numbers are JSON floats)."""
_ORIGIN_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": _ORIGIN_PATTERN, "maxLength": 64},
        {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER_ORIGIN},
    ],
    "description": "Identifiant du rendez-vous chez le partenaire (chaîne de 1 à 64 caractères "
    "lettres, chiffres, `.`, `_`, `:` ou `-`, ou entier de 0 à 999 999 999 999). C'est l'id du "
    "rendez-vous dans Rendez-vous partenaire v1 (son `idOrigine` dans la liste, l'`id` de son PUT "
    "et DELETE).",
    "examples": ["4242"],
}


def _origin_text(value: object) -> object:
    # rdv-insertion's ids are integers; JSON true/false are not ids.
    if isinstance(value, bool):
        raise ValueError("idOrigine must be a string or a non-negative integer")
    if isinstance(value, int):
        if not 0 <= value <= MAX_INTEGER_ORIGIN:
            raise ValueError(f"an integer idOrigine goes from 0 to {MAX_INTEGER_ORIGIN}")
        return str(value)
    return value


IdOrigine = Annotated[
    str,
    BeforeValidator(_origin_text),
    StringConstraints(pattern=_ORIGIN_PATTERN),
    WithJsonSchema(_ORIGIN_SCHEMA),
]

_IN = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)
_OUT = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)


class Conseiller(BaseModel):
    """Conseiller qui reçoit les participants (optionnel)."""

    model_config = _IN

    email: Name | None = Field(default=None, examples=["referent@pasdecalais.fr"])
    nom: Name | None = Field(default=None, examples=["DUPONT"])
    prenom: Name | None = Field(default=None, examples=["Alexandra"])


class Participant(BaseModel):
    """Un participant, identifié par son NIR (et sa date de naissance si elle est envoyée)."""

    model_config = _IN

    nir: NirInput = Field(
        description="NIR du participant (13 ou 15 caractères, clé vérifiée) : il doit désigner "
        "un usager connu de France Travail (avec `dateNaissance` si elle est envoyée), allocataire "
        "du RSA et rattaché au département du client.",
        examples=["290036204190175"],
    )
    nom: Name | None = Field(default=None, examples=["FICTIVE"])
    prenom: Name | None = Field(default=None, examples=["Alice"])
    civilite: Annotated[str, StringConstraints(max_length=16)] | None = Field(
        default=None, examples=["Mme"]
    )
    email: Name | None = None
    telephone: Phone | None = Field(
        default=None,
        description="Servi en `telephoneContactUsager` dans Rendez-vous partenaire v1.",
        examples=["0639980101"],
    )
    date_naissance: IsoDate | None = Field(
        default=None,
        alias="dateNaissance",
        description="Date de naissance AAAA-MM-JJ ; envoyée, elle doit être celle de l'usager "
        "du NIR (comme pour Recherche usager).",
        examples=["1990-03-14"],
    )


_WRITE_FIELDS = ("dateRendezvous", "idModalite", "typeReception", "objet")


class RendezVousEnvoi(BaseModel):
    """Un rendez-vous envoyé à France Travail (création, modification ou suppression)."""

    model_config = _IN

    id_origine: IdOrigine = Field(alias="idOrigine")
    libelle_structure: Name | None = Field(
        default=None, alias="libelleStructure", examples=["Maison du Département Solidarité"]
    )
    code_safir: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None,
        alias="codeSafir",
        description="Code SAFIR de la structure (servi en `organisme.idStructure`).",
        examples=["62512"],
    )
    objet: Name | None = Field(
        default=None,
        description="Objet du rendez-vous (servi en `theme`) ; commençant par « RSA Orientation », "
        "le motif est ORI, sinon AUT. Obligatoire en création et en modification.",
        examples=["RSA Orientation : Convocation sur site"],
    )
    nombre_places: Annotated[int, Field(ge=1, le=1000)] | None = Field(
        default=None,
        alias="nombrePlaces",
        description="Places du rendez-vous : au moins le nombre de participants envoyés.",
        examples=[1],
    )
    id_modalite: Literal[1, 2, 3, 5, 7] | None = Field(
        default=None,
        alias="idModalite",
        description="1 PHYSIQUE, 2 PHYSIQUE COLLECTIF, 3 TELEPHONE, 5 VISIO, 7 VISIO-CONFERENCE "
        "COLLECTIVE ; 2 et 7 demandent `typeReception` Collectif. Obligatoire en création et en "
        "modification.",
        examples=[1],
    )
    type_reception: Literal["Collectif", "Individuel"] | None = Field(
        default=None,
        alias="typeReception",
        description="Individuel : un seul participant. Obligatoire en création et en modification.",
        examples=["Individuel"],
    )
    date_rendezvous: Moment | None = Field(
        default=None,
        alias="dateRendezvous",
        description="Début du rendez-vous, RFC 3339 avec secondes et fuseau. Obligatoire en "
        "création et en modification.",
        examples=["2026-12-16T09:30:00+01:00"],
    )
    duree: Annotated[int, Field(ge=1, le=MAX_DUREE)] | None = Field(
        default=None,
        description=f"Durée en minutes (1 à {MAX_DUREE}) ; absente : déduite de "
        f"`dateFinRendezvous`, sinon {DEFAULT_DUREE} minutes.",
        examples=[30],
    )
    initiateur: Name | None = Field(
        default=None,
        description="`USAGER` si l'usager a pris le rendez-vous ; toute autre valeur vaut "
        "PARTENAIRE (servi CONSEILLER dans la liste v1).",
        examples=["PARTENAIRE"],
    )
    address: Address | None = Field(default=None, examples=["14 rue Foch 62000 Arras"])
    conseiller: list[Conseiller] | None = Field(
        default=None,
        max_length=MAX_CONSEILLERS,
        description="Le premier est servi en `interlocuteur` dans la liste v1.",
    )
    participants: list[Participant] = Field(
        min_length=1,
        max_length=MAX_PARTICIPANTS,
        description=f"De 1 à {MAX_PARTICIPANTS} participants, chacun une fois (NIR distincts).",
    )
    information: Text | None = Field(default=None, examples=["Ramenez votre pièce d'identité"])
    date_annulation: Moment | None = Field(
        default=None,
        alias="dateAnnulation",
        description="Renseignée, le rendez-vous est annulé (statut ANNULE ; la date servie est "
        "celle de l'horloge du bac à sable au moment de l'envoi).",
    )
    date_fin_rendezvous: Moment | None = Field(
        default=None,
        alias="dateFinRendezvous",
        description="Fin du rendez-vous, après `dateRendezvous` ; avec `duree`, les deux doivent "
        "concorder.",
        examples=["2026-12-16T10:00:00+01:00"],
    )
    mode: Mode = Field(
        description="création enregistre, modification remplace, suppression annule (pour chaque "
        "participant envoyé).",
        examples=["création"],
    )

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        nirs = [participant.nir for participant in self.participants]
        for index, nir in enumerate(nirs):
            if nir in nirs[:index]:
                raise ValueError(
                    f"participants[{index}] repeats the NIR of participants[{nirs.index(nir)}]: "
                    "list each participant once"
                )
        if self.nombre_places is not None and self.nombre_places < len(self.participants):
            raise ValueError(
                f"nombrePlaces ({self.nombre_places}) is less than the number of participants "
                f"({len(self.participants)})"
            )
        if self.mode is Mode.SUPPRESSION:
            return self
        values = (self.date_rendezvous, self.id_modalite, self.type_reception, self.objet)
        missing = [name for name, value in zip(_WRITE_FIELDS, values, strict=True) if not value]
        if missing:
            raise ValueError(f"mode {self.mode} needs {', '.join(missing)}")
        if self.type_reception == "Individuel":
            if self.id_modalite in COLLECTIVE_MODALITES:
                raise ValueError(
                    f"idModalite {self.id_modalite} is collective: send typeReception Collectif"
                )
            if len(self.participants) > 1:
                raise ValueError("typeReception Individuel takes exactly one participant")
        self._minutes()
        return self

    def _minutes(self) -> int:
        """The duration: ``duree``, else from ``dateFinRendezvous``, else the v1 default."""
        start, end = self.date_rendezvous, self.date_fin_rendezvous
        if start is None or end is None:
            return self.duree or DEFAULT_DUREE
        span = (end - start) / dt.timedelta(minutes=1)
        if span <= 0:
            raise ValueError("dateFinRendezvous must come after dateRendezvous")
        if self.duree is not None and span != self.duree:
            raise ValueError(
                f"duree ({self.duree} minutes) and dateFinRendezvous ({span:g} minutes after "
                "dateRendezvous) disagree: send one, or both consistent"
            )
        if span != int(span) or not 1 <= span <= MAX_DUREE:
            raise ValueError(
                f"dateFinRendezvous must fall a whole number of minutes, 1 to {MAX_DUREE}, "
                "after dateRendezvous"
            )
        return int(span)

    def written_for(self, participant: Participant) -> Written:
        """What Rendez-vous partenaire v1 stores for one participant (the v1 request's shape)."""
        cancelled = self.date_annulation is not None
        statut = (
            Statut.ANNULE
            if cancelled
            else Statut.PRIS
            if self.mode is Mode.CREATION
            else Statut.MODIFIE
        )
        objet = self.objet or ""
        who = self.conseiller[0] if self.conseiller else None
        organisme = {
            "code": "CD",
            "idStructure": self.code_safir,
            "libelleStructure": self.libelle_structure,
        }
        initiateur = self.initiateur
        if initiateur is not None:
            initiateur = "USAGER" if initiateur.upper() == "USAGER" else "PARTENAIRE"
        request: dict[str, Any] = {
            "date": self.date_rendezvous,
            "duree": self._minutes(),
            "modaliteContact": MODALITES[self.id_modalite or 1],
            "motif": "ORI" if objet.startswith(ORIENTATION_PREFIX) else "AUT",
            "theme": objet,
            "organisme": {k: v for k, v in organisme.items() if v is not None},
            "statut": statut,
            "typeReception": TYPES_RECEPTION[self.type_reception or "Individuel"],
            "adresse": self.address,
            "information": self.information,
            "initiateur": initiateur,
            "interlocuteur": who.model_dump(exclude_none=True) if who else None,
            "telephoneContactUsager": participant.telephone,
        }
        try:
            return RendezVousPartenaire.model_validate(request).written()
        except ValidationError as exc:
            # Every bound above matches v1's, so this is a guard: a bad push is a 400, never a 500.
            raise BackendError(
                400,
                "ERR_DONNEE_INCORRECTE",
                "Les données fournies sont incorrectes",
                f"The rendez-vous cannot be stored as Rendez-vous partenaire v1 reads it: "
                f"{exc.errors()[0]['msg']}",
            ) from None


class ReponseEnvoiRendezVous(BaseModel):
    """Réponse d'un envoi accepté (reconstruite : aucune trace publique de la réponse réelle)."""

    model_config = _OUT

    id_origine: str = Field(
        alias="idOrigine",
        description="L'idOrigine envoyé (en chaîne) : l'id du rendez-vous dans Rendez-vous "
        "partenaire v1.",
        examples=["4242"],
    )
    mode: Mode = Field(description="Le mode appliqué.", examples=["création"])
    nombre_participants: int = Field(
        alias="nombreParticipants",
        description="Participants pour lesquels le rendez-vous a été créé, remplacé ou annulé.",
        examples=[1],
    )
