"""Gestion des sanctions RSA v1: read a manquement, publish an event, transmit a decision, ask
for a radiation.

Realm ``/agent``: gateway token with the API's scopes, ``pa-*`` headers, then the jeton of
Rechercher usager v2 in ``ft-jeton-usager`` and the one access rule (``readable_by``). Requests
that fail validation get the published ``codeErreur`` of the field at fault (R010…R100, mapped
here per operation); a valid jeton whose person the population no longer holds gets the
published 204 « Aucune conséquence de sanction trouvée ».
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from sandbox.apis.deps import (
    AgentDep,
    Caller,
    JetonHeader,
    RuntimeDep,
    key_from_jeton,
    person_or_none,
    readable_by,
    require,
)
from sandbox.apis.gestion_sanctions_rsa.schemas import (
    DecisionSanctionRsa,
    DemandeRadiation,
    DetailManquement,
    RetourDecisionSanctionRSA,
    RetourDemandeRadiation,
    RetourTraitementRsaOTD,
    TraitementSanctionRsa,
)
from sandbox.apis.responses import VALIDATION_ERRORS, BackendErrorBody, Responses, gateway_responses
from sandbox.auth.scopes import Api
from sandbox.errors import SandboxError
from sandbox.lpe.sanctions import (
    DECISION_MESSAGE,
    DETAIL_R011,
    MAX_WRITES_PER_PERSON,
    DecisionRequest,
    EventRequest,
    SanctionsService,
    check_amount,
    check_event,
    sanction_error,
)
from sandbox.population.models import Person

V1 = "/partenaire/gestion-sanctions-rsa/v1"
router = APIRouter()

CallerSr = Annotated[Caller, Depends(require(Api.GESTION_SANCTIONS_RSA_V1))]


@dataclass(frozen=True, slots=True)
class Usager:
    """The person of a request's jeton (None: no longer in the population), seen by one client."""

    service: SanctionsService
    client_id: str
    person: Person | None


async def usager(
    caller: CallerSr, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> Usager:
    """Gateway, pa-* headers, then the jeton's person, readable by the caller."""
    key = key_from_jeton(runtime, caller, ft_jeton_usager)
    person = readable_by(person_or_none(runtime, key), caller)
    service = SanctionsService(runtime.store, runtime.population, runtime.clock)
    return Usager(service, caller.client.client_id, person)


UsagerDep = Annotated[Usager, Depends(usager)]

# Per operation: the published codes of each field, (absent, invalid), in the published order.
_Fields = dict[tuple[str, ...], tuple[str, str]]
_DETAIL_FIELDS: _Fields = {("query", "identifiantSanction"): ("R010", "R011")}
_EVENT_FIELDS: _Fields = {
    ("body", "identifiantConsequenceSanction"): ("R010", "R011"),
    ("body", "evenement", "typeEvenement"): ("R020", "R021"),
    ("body", "evenement"): ("R020", "R020"),
    ("body", "evenement", "dateEvenement"): ("R030", "R031"),
    ("body", "evenement", "commentaireEvenement"): ("R040", "R040"),
    ("body", "evenement", "motifEvenement"): ("R021", "R021"),
    ("body", "typeConsequenceSanctionValide"): ("R050", "R051"),
    ("body", "montantValide"): ("R060", "R061"),
    ("body", "modaliteDecisionValidee"): ("R063", "R062"),
    ("body", "dureeValidee"): ("R070", "R071"),
}
_DECISION_FIELDS: _Fields = {
    ("body", "dateNotificationDecisionSanction"): ("R032", "R033"),
    ("body", "justificationDecisionSanction"): ("R041", "R041"),
    ("body", "typeSanctionValide"): ("R052", "R053"),
    ("body", "montantValide"): ("R060", "R061"),
    ("body", "modaliteDecisionValidee"): ("R063", "R062"),
    ("body", "dureeValidee"): ("R070", "R071"),
    ("body", "natureManquement"): ("R080", "R081"),
    ("body", "rangManquement"): ("R082", "R082"),
    ("body", "dateManquement"): ("R090", "R091"),
}
_RADIATION_FIELDS: _Fields = {
    ("body", "identifiantConsequenceSanction"): ("R012", "R013"),
    ("body", "justificationDemandeRadiation"): ("R100", "R100"),
}
_ABSENT = ("missing", "string_too_short")


def _mapper(fields: _Fields, whole: str) -> Callable[[list[dict[str, Any]]], SandboxError]:
    """The published error of the first field at fault (the whole body: ``whole``)."""
    order = list(fields)

    def mapped(errors: list[dict[str, Any]]) -> SandboxError:
        best: tuple[int, str, str] | None = None
        for error in errors:
            location = tuple(str(p) for p in error.get("loc", ()))
            # The most precise field the error is about (evenement.dateEvenement, not evenement).
            matching = [n for n in order if location[: len(n)] == n]
            if not matching:
                continue
            name = max(matching, key=len)
            rank = order.index(name)
            if best is None or rank < best[0]:
                absent = error.get("type") in _ABSENT and location == name
                code = fields[name][0 if absent else 1]
                best = (rank, code, f"{'.'.join(name[1:])}: {error.get('msg', 'invalid')}")
        if best is None:
            return sanction_error(whole, "Send a JSON object as published (application/json).")
        _, code, hint = best
        message = DETAIL_R011 if fields is _DETAIL_FIELDS and code == "R011" else None
        return sanction_error(code, hint, message)

    return mapped


VALIDATION_ERRORS[f"{V1}/detailManquement"] = _mapper(_DETAIL_FIELDS, "R010")
VALIDATION_ERRORS[f"{V1}/evenementSanctionRSA"] = _mapper(_EVENT_FIELDS, "R010")
VALIDATION_ERRORS[f"{V1}/decisionSanctionRSAPartenaire"] = _mapper(_DECISION_FIELDS, "R032")
VALIDATION_ERRORS[f"{V1}/demandeRadiation"] = _mapper(_RADIATION_FIELDS, "R012")


def _errors(codes: str) -> Responses:
    return {
        204: {
            "description": "Aucune conséquence de sanction trouvée : identifiant inconnu pour "
            "cet usager (sauf `/demandeRadiation`, qui répond C003), ou usager que la population "
            "du bac à sable ne contient plus."
        },
        400: {
            "model": BackendErrorBody,
            "description": f"Les contrôles sur les paramètres transmis ne sont pas satisfaits : "
            f"`codeErreur` {codes} (messages publiés) ; jeton usager absent "
            "(`ERR_JETON_USAGER_ABSENT`).",
        },
        401: {
            "model": BackendErrorBody,
            "description": "Unauthorized : jeton d'accès refusé par la passerelle (corps vide), "
            "ou jeton usager invalide ou expiré (`ERR_JETON_USAGER_*`).",
        },
        403: {
            "model": BackendErrorBody,
            "description": "Scopes insuffisants (corps vide) ; jeton délivré à une autre "
            "application (`ERR_JETON_USAGER_NON_AUTORISE`) ; usager non allocataire du RSA "
            "(`ERR_USAGER_HORS_PERIMETRE`) ou rattaché à un autre département "
            "(`ERR_USAGER_NON_RATTACHE`).",
        },
        500: {
            "model": BackendErrorBody,
            "description": "Erreur technique - service indisponible : servi seulement sous un "
            "profil de pannes.",
        },
        **gateway_responses(302),
    }


_LIMIT: Responses = {
    409: {
        "model": BackendErrorBody,
        "description": f"Limite du bac à sable atteinte (`ERR_LIMITE_BAC_A_SABLE`) : "
        f"{MAX_WRITES_PER_PERSON} écritures (événements, décisions, demandes de radiation) par "
        "usager et par client ; rien n'est enregistré. Réinitialiser l'état du client (POST "
        "/_sandbox/reset).",
    }
}


@router.get(
    f"{V1}/detailManquement",
    operation_id="lireDetailSanctionRsa",
    tags=["Détail d'un manquement et d'une proposition de sanction RSA"],
    summary="Restituer le détail d'un manquement",
    description="Restitue le détail d'un manquement à partir d'un identifiant de conséquence de "
    "sanction qui lui est liée (l'`idConsequenceSanction` d'une activité ACT366, ACT367, ACT369 "
    "ou ACT370 de l'usager, ou une conséquence créée par ce client), avec les événements et les "
    "décisions que ce client a transmis.",
    response_model=DetailManquement,
    responses={200: {"description": "Conséquence de sanction trouvée"}, **_errors("R010, R011")},
)
async def detail_manquement(
    usager: UsagerDep,
    identifiant_sanction: Annotated[
        str,
        Query(
            alias="identifiantSanction",
            min_length=1,
            pattern=r"^[0-9]{1,20}$",
            description="Identifiant unique de la conséquence de sanction récupéré via l'API "
            "'Gestion Activités Opérationnelles' (chiffres).",
            examples=["1048"],
        ),
    ],
) -> DetailManquement | Response:
    """The manquement of a consequence (204 when the person has none with that id)."""
    if usager.person is None:
        return Response(status_code=204)
    found = usager.service.detail(usager.client_id, usager.person, identifiant_sanction)
    if found is None:
        return Response(status_code=204)
    return DetailManquement.of(usager.person.numero_france_travail, found)


_EVENT_CODES = "R010, R011, R020, R021, R030, R031, R040, R050, R051, R060…R064, R070, R071"


@router.post(
    f"{V1}/evenementSanctionRSA",
    operation_id="traiterSanctionRsa",
    tags=["Publication d'un événement sur une conséquence de sanction RSA"],
    summary="Transmettre un événement sur une conséquence de sanction RSA",
    description="Agir sur une conséquence de sanction RSA selon l'activité : ACT366 "
    "(SAISIE_SANCTION ou REFUS_SAISIE_SANCTION, qui valide la proposition), ACT367 et ACT370 "
    "(VALID_SANCTION ou REFUS_SANCTION), ACT369 (VALID_LEVEE_SUSP ou REFUS_LEVEE_SUSP), ou "
    "annuler une sanction décidée (ANNULATION_SANCTION). Un événement incompatible avec le "
    "dernier événement connu répond C999 et n'est pas enregistré.",
    response_model=RetourTraitementRsaOTD,
    responses={
        200: {
            "description": "Demande traitée. Si codeSortie=C001, publication de l'événement "
            "effectuée. Si codeSortie=C999, l'événement n'a pas été pris en compte car "
            "incompatible avec le dernier événement connu pour la conséquence de sanction "
            "concernée"
        },
        **_errors(_EVENT_CODES),
        **_LIMIT,
    },
)
async def evenement(
    body: TraitementSanctionRsa, usager: UsagerDep
) -> RetourTraitementRsaOTD | Response:
    """Publish an event on one of the person's consequences."""
    if body.evenement is None:
        raise sanction_error("R020", "evenement (typeEvenement, dateEvenement) is required.")
    request = EventRequest(
        identifiant=body.identifiant_consequence_sanction,
        type=body.evenement.type_evenement,
        date=body.evenement.date_evenement,
        commentaire=body.evenement.commentaire_evenement,
        motif=body.evenement.motif_evenement,
        type_valide=body.type_consequence_sanction_valide,
        modalite=body.modalite_decision_validee,
        montant=body.montant_valide,
        duree=body.duree_validee,
    )
    check_event(request)
    if usager.person is None:
        return Response(status_code=204)
    code = usager.service.publish(usager.client_id, usager.person, request)
    if code is None:
        return Response(status_code=204)
    return RetourTraitementRsaOTD(code_sortie=code)


_DECISION_CODES = "R032, R033, R041, R052, R053, R060…R064, R070, R071, R080…R082, R090, R091"


@router.post(
    f"{V1}/decisionSanctionRSAPartenaire",
    operation_id="traiterDecisionSanctionRSA",
    tags=["Transmission d'une décision de sanction RSA pour un bRSA accompagné par un partenaire"],
    summary="Transmettre une décision de sanction RSA pour un bRSA accompagné par un partenaire",
    description="Transmettre une décision de sanction RSA (suspension ou suppression) pour un "
    "bRSA accompagné par le partenaire : une conséquence et un manquement sont créés, lisibles "
    "par `/detailManquement` et utilisables par `/demandeRadiation`.",
    response_model=RetourDecisionSanctionRSA,
    responses={
        200: {"description": "Demande traitée. Si codeSortie=C001, enregistrement de la décision"},
        **_errors(_DECISION_CODES),
        **_LIMIT,
    },
)
async def decision(
    body: DecisionSanctionRsa, usager: UsagerDep
) -> RetourDecisionSanctionRSA | Response:
    """Record a partner's decision for the person."""
    check_amount(body.modalite_decision_validee, body.montant_valide, ("R060", "R063", "R064"))
    if usager.person is None:
        return Response(status_code=204)
    consequence, manquement = usager.service.decide(
        usager.client_id,
        usager.person,
        DecisionRequest(
            date_notification=body.date_notification_decision_sanction,
            nature=body.nature_manquement,
            rang=body.rang_manquement,
            date_manquement=body.date_manquement,
            type_valide=body.type_sanction_valide,
            modalite=body.modalite_decision_validee,
            montant=body.montant_valide,
            duree=body.duree_validee,
            justification=body.justification_decision_sanction,
        ),
    )
    return RetourDecisionSanctionRSA(
        code_sortie="C001",
        identifiant_consequence_sanction=consequence,
        identifiant_manquement=manquement,
        message=DECISION_MESSAGE,
    )


@router.post(
    f"{V1}/demandeRadiation",
    operation_id="demandeRadiation",
    tags=["Transmission d'une demande de radiation de la liste des DE pour un bRSA"],
    summary="Transmettre une demande de radiation de la liste des DE pour un bRSA",
    description="Demander la radiation de la liste des demandeurs d'emploi suite à une décision "
    "de sanction RSA de l'usager. Règles publiées : manquement F01 ou F03 après une suppression "
    "du RSA de 100 % pendant 4 mois ; F04 après une suspension ou une suppression de 1 à 4 "
    "mois (C002 sinon, ou tant que la sanction n'est pas décidée).",
    response_model=RetourDemandeRadiation,
    responses={
        200: {
            "description": "Demande traitée. Si codeSortie=C000, la demande de radiation a bien "
            "été créée. Si codeSortie=C001/C002/C003/C004, pas de demande de radiation créée"
        },
        **_errors("R012, R013, R100"),
        **_LIMIT,
    },
)
async def radiation(body: DemandeRadiation, usager: UsagerDep) -> RetourDemandeRadiation | Response:
    """Ask for the person's radiation after a decided RSA sanction."""
    if usager.person is None:
        return Response(status_code=204)
    answer = usager.service.radiate(
        usager.client_id,
        usager.person,
        body.identifiant_consequence_sanction,
        body.justification_demande_radiation,
    )
    return RetourDemandeRadiation(
        code_sortie=answer.code,
        id_consequence_sanction_cree=answer.created,
        message=answer.message,
    )
