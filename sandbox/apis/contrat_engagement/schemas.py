"""Wire models of Contrat d'engagement v1, from France Travail's published file.

Names and the ``etat`` enum are those of ``contrat-engagement.json``: ``ContratEngagement`` (with
``Engagements``, ``Engagement``, ``MentionsLegales`` and ``MentionLegale``), ``Structure``, and the
requests ``Signature`` and ``Refus``. The engagement and legal texts are the published ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sandbox.apis.omission import Omitted, omissible
from sandbox.lpe import Contract, Etat


class Engagement(BaseModel):
    """Représentation d'un engagement."""

    titre: str = Field(description="Titre de l'engagement", examples=["Participer activement"])
    libelles: list[str] = Field(description="Collections des libelles de l'engagement")


class Engagements(BaseModel):
    """Collection des engagements."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    engagements_usager: list[Engagement] = Field(
        alias="engagementsUsager", description="Collection des engagements de l'usager"
    )
    engagements_conseiller: list[Engagement] = Field(
        alias="engagementsConseiller", description="Collection des engagements de l'organisme"
    )


class MentionLegale(BaseModel):
    """Une mention légale."""

    titre: str = Field(description="Titre de la mention légale", examples=["Respect du contrat"])
    mention: str = Field(description="Mention légale")
    sanctions: list[str] = Field(description="Sanctions associées. Vide pour le moment.")
    notes: list[str] = Field(description="Notes associées.")


class MentionsLegales(BaseModel):
    """Mentions légales (``niveauSanction``, « non renseigné pour le moment », n'est pas servi)."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    mentions: list[MentionLegale] = Field(description="Liste des mentions légales")
    voies_recours: MentionLegale = Field(alias="voiesRecours", description="Voies de recours")
    articles: list[str] = Field(description="Liste des articles. Vide pour le moment.")


def _engagement(titre: str, *libelles: str) -> Engagement:
    return Engagement(titre=titre, libelles=list(libelles))


ENGAGEMENTS = Engagements(
    engagements_usager=[
        _engagement(
            "Je participe activement",
            "Je m'implique dans les différentes actions définies avec mon référent",
            "Je tiens compte des conseils et des propositions de la structure qui m’accompagne",
        ),
        _engagement(
            "Je construis avec mon référent mon plan d’action",
            "Je participe au choix des actions",
            "Je propose des actions",
        ),
        _engagement("Je me présente à mes rendez-vous ou je préviens en cas d’indisponibilité"),
        _engagement(
            "Je communique avec mon référent",
            "J'informe l'organisme qui m’accompagne de tout changement dans ma situation",
            "Je fournis les documents nécessaires pour un suivi efficace",
        ),
        _engagement("Je respecte les règles et procédures de l’organisme qui m’accompagne"),
    ],
    engagements_conseiller=[
        _engagement(
            "J’accompagne de manière personnalisée",
            "Je tiens compte de votre parcours, de vos compétences, de vos objectifs et de vos "
            "besoins",
        ),
        _engagement(
            "Je mobilise les services d’accompagnement",
            "Je mobilise les outils d'insertion adaptés à votre situation",
            "Je peux mobiliser l'offre de formation",
        ),
        _engagement(
            "Je prends en compte la réalisation de vos actions tout au long de votre parcours",
            "Je coconstruis avec vous et nous ajustons votre plan d'action en fonction de votre "
            "situation",
        ),
        _engagement(
            "J’informe et je communique",
            "Je communique clairement sur les services proposés, les dispositifs disponibles et "
            "les offres d'emploi pour vous permettre d'être acteur de votre parcours",
        ),
        _engagement(
            "Je garantis la confidentialité des informations dans le cadre d’une relation de "
            "confiance basée sur le respect mutuel"
        ),
    ],
)
"""The engagements of the published structure (``GET /lecture/structure`` example)."""

MENTIONS_LEGALES = MentionsLegales(
    mentions=[
        MentionLegale(
            titre="Respect du contrat",
            mention="Si vous ne respectez pas les obligations prévues dans votre contrat, vous "
            "risquez jusqu’à la radiation de la liste des demandeurs d’emploi et la suppression "
            "de vos allocations. Si vous percevez le RSA, toute décision de radiation de la "
            "liste des demandeurs d’emploi prise à votre encontre sera transmise au Président du "
            "Conseil départemental qui pourra décider de suspendre, en tout ou partie, le "
            "paiement de ce revenu.",
            sanctions=[],
            notes=[],
        )
    ],
    voies_recours=MentionLegale(
        titre="Voies de recours",
        mention="Dans tous les cas, vous pourrez présenter vos observations avant toute décision "
        "de sanction. Vous pourrez contester la sanction auprès de l'auteur de la décision "
        "(France Travail, le Conseil départemental* ou la Mission Locale) ou auprès des "
        "juridictions compétentes. Les étapes précises à suivre en cas de contestation seront "
        "détaillées dans le courrier de notification de sanction.",
        sanctions=[],
        notes=[
            "*L’autorité compétente pour prendre la décision peut être différente en fonction "
            "de votre territoire (Caisse d’allocation familiale, président de collectivité, etc.)"
        ],
    ),
    articles=[],
)
"""The published legal mentions (every example of a contract carries the same)."""


def wire_date(moment: dt.datetime | None) -> str | None:
    """A date as the published examples write it: ``2024-06-01T15:35:00.000Z`` (UTC)."""
    if moment is None:
        return None
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


_DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ssZ, servie en UTC avec millisecondes (2024-06-01T15:35:00.000Z)"


class ContratEngagement(BaseModel):
    """Contient les informations du contrat d'engagement."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    etat: Etat = Field(
        description="Etat du contrat d'engagement de l'usager : SIGNE (signé par le référent et "
        "la personne), REFUSE (refusé par la personne), A_SIGNER (une donnée essentielle a "
        "changé, à signer de nouveau), EN_ATTENTE_SIGNATURE (signature électronique en cours), "
        "SUSPENDU (l'usager est en cessation d'inscription)."
    )
    date_signature: str | Omitted = omissible(
        f"Date de signature ({_DATE_FORMAT}). Absente si l'état est REFUSE, "
        "EN_ATTENTE_SIGNATURE ou SUSPENDU ; présente avec A_SIGNER quand le contrat était "
        "signé auparavant.",
        alias="dateSignature",
    )
    date_refus: str | Omitted = omissible(
        f"Date de refus ({_DATE_FORMAT}). Absente si l'état est SIGNE, EN_ATTENTE_SIGNATURE ou "
        "SUSPENDU ; présente avec A_SIGNER quand le contrat était refusé auparavant.",
        alias="dateRefus",
    )
    date_suspension: str | Omitted = omissible(
        f"Date de suspension ({_DATE_FORMAT}), seulement à l'état SUSPENDU.",
        alias="dateSuspension",
    )
    organisme: str | Omitted = omissible(
        "Nom de l'organisme signataire : France Travail pour le PPAE (orientation "
        "professionnelle), le conseil départemental pour le CER (orientation sociale ou "
        "socio-professionnelle). Absent à l'état SUSPENDU (exemple publié).",
        examples=["France Travail"],
    )
    engagements: Engagements | Omitted = omissible(
        "Collection des engagements. Absente à l'état SUSPENDU (exemple publié)."
    )
    mentions_legales: MentionsLegales | Omitted = omissible(
        "Mentions légales. Absentes à l'état SUSPENDU (exemple publié).", alias="mentionsLegales"
    )

    @classmethod
    def of(cls, contract: Contract) -> ContratEngagement:
        """The wire form of a contract: a suspended one carries only its state and date."""
        if contract.etat is Etat.SUSPENDU:
            return cls(etat=contract.etat, date_suspension=wire_date(contract.date_suspension))
        return cls(
            etat=contract.etat,
            date_signature=wire_date(contract.date_signature),
            date_refus=wire_date(contract.date_refus),
            organisme=contract.organisme,
            engagements=ENGAGEMENTS,
            mentions_legales=MENTIONS_LEGALES,
        )


class Structure(BaseModel):
    """Structure du contrat d'engagement."""

    engagements: Engagements = Field(description="Collection des engagements de l'usager")


DATE_PATTERN = (
    r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:"
    r"[0-5][0-9](\.[0-9]{1,6})?(Z|[+-][0-9]{2}:?[0-9]{2})$"
)
"""``yyyy-MM-dd'T'HH:mm:ssZ`` (milliseconds allowed), years 1900 to 2099 (README, Limits)."""
_DateText = Annotated[str, StringConstraints(max_length=64, pattern=DATE_PATTERN)]


class Signature(BaseModel):
    """Information de signature du contrat d'engagement de l'usager."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    date_signature: _DateText = Field(
        alias="dateSignature",
        description="Date de signature, format yyyy-MM-dd'T'HH:mm:ssZ (millisecondes "
        "acceptées), antérieure ou égale à la date du jour.",
        examples=["2024-06-01T15:35:00.000Z"],
    )


class Refus(BaseModel):
    """Information sur le refus du contrat d'engagement de l'usager."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    date_refus: _DateText = Field(
        alias="dateRefus",
        description="Date de refus, format yyyy-MM-dd'T'HH:mm:ssZ (millisecondes acceptées), "
        "antérieure ou égale à la date du jour.",
        examples=["2024-06-12T14:18:00.000Z"],
    )
