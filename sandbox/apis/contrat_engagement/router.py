"""Contrat d'engagement v1: read the contract, read its structure, sign or refuse it.

Realm ``/agent``: gateway token with the API's scopes, ``pa-*`` headers, then (except for the
structure) the jeton of Rechercher usager v2 in ``ft-jeton-usager`` and the one access rule
(``readable_by``). Every error answers the published RFC 9457 ``ProblemDetails`` body (the error
family of the path, ``sandbox.apis.responses``). A valid jeton whose person the population no
longer holds is answered 204 on reading, and 400 on writing (no contract can be tied to it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from sandbox.apis.contrat_engagement.schemas import (
    ENGAGEMENTS,
    ContratEngagement,
    Refus,
    Signature,
    Structure,
)
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
from sandbox.apis.responses import (
    VALIDATION_ERRORS,
    ProblemDetails,
    Responses,
    gateway_responses,
)
from sandbox.auth.scopes import Api
from sandbox.errors import ProblemError, SandboxError
from sandbox.lpe import MAX_WRITES_PER_PERSON, Action, EngagementService
from sandbox.lpe.engagement import invalid_date
from sandbox.population.models import Person

V1 = "/partenaire/contrat-engagement/v1"
router = APIRouter(tags=["Contrat d'engagement"])

CallerCe = Annotated[Caller, Depends(require(Api.CONTRAT_ENGAGEMENT_V1))]


@dataclass(frozen=True, slots=True)
class Usager:
    """The person of a request's jeton (None: no longer in the population), seen by one client."""

    service: EngagementService
    client_id: str
    person: Person | None


async def usager(
    caller: CallerCe, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> Usager:
    """Gateway, pa-* headers, then the jeton's person, readable by the caller."""
    key = key_from_jeton(runtime, caller, ft_jeton_usager)
    person = readable_by(person_or_none(runtime, key), caller)
    service = EngagementService(runtime.store, runtime.population.seed, runtime.clock)
    return Usager(service, caller.client.client_id, person)


UsagerDep = Annotated[Usager, Depends(usager)]


def _date_refusal(field: str) -> Callable[[list[dict[str, Any]]], SandboxError]:
    """A write whose date is absent or not ``yyyy-MM-dd'T'HH:mm:ssZ``: the published 400."""

    def refusal(errors: list[dict[str, Any]]) -> SandboxError:
        if any(tuple(e.get("loc", ()))[:2] == ("body", field) for e in errors):
            return invalid_date(
                field,
                f"{field} is required, written yyyy-MM-ddTHH:mm:ss with a zone (milliseconds "
                "allowed), years 1900 to 2099, e.g. 2024-06-01T15:35:00.000Z.",
            )
        return ProblemError(
            400,
            "DonneeEnEntreeInvalideException",
            "Les données fournies sont invalides",
            f"Send a JSON object with {field}.",
        )

    return refusal


VALIDATION_ERRORS[f"{V1}/signer"] = _date_refusal("dateSignature")
VALIDATION_ERRORS[f"{V1}/refuser"] = _date_refusal("dateRefus")

_JETON = (
    "jeton usager absent (`Le header 'ft-jeton-usager' est obligatoire dans ce context`, publié)"
)
_403 = (
    "`HabilitationException` : jeton usager délivré à une autre application, usager non "
    "allocataire du RSA ou rattaché à un autre département que l'accédant (le `detail` dit "
    "lequel) ; ou scopes insuffisants (passerelle, corps vide)."
)
_ERRORS: Responses = {
    401: {
        "model": ProblemDetails,
        "description": "Jeton d'accès refusé par la passerelle (corps vide), ou jeton usager "
        "invalide, altéré ou expiré (`title` `ERR_JETON_USAGER_INVALIDE` ou "
        "`ERR_JETON_USAGER_EXPIRE`).",
    },
    403: {"model": ProblemDetails, "description": _403},
    500: {
        "model": ProblemDetails,
        "description": "`Exception`, « Une erreur technique s'est produite » : servi seulement "
        "sous un profil de pannes.",
    },
    **gateway_responses(302),
}


def _written(action: Action) -> Responses:
    signing = action in (Action.SIGNER_PREMIER, Action.SIGNER_EXISTANT)
    what = "signature" if signing else "refus"
    title = "SignatureException" if signing else "RefusException"
    if action in (Action.SIGNER_PREMIER, Action.REFUSER_PREMIER):
        refusal = f"`{title}` : un contrat d'engagement existe déjà (lu ou écrit)"
    else:
        state = "signé" if signing else "refusé"
        refusal = (
            f"`{title}` : contrat déjà {state}, ou aucun contrat (« Aucun contrat d'engagement "
            "existant… », formulation du bac à sable)"
        )
    responses: Responses = {
        400: {
            "model": ProblemDetails,
            "description": f"`DonneeEnEntreeInvalideException` : {_JETON} ; date de {what} "
            "absente, mal formée (« format attendu yyyy-MM-dd'T'HH:mm:ssZ ») ou postérieure à la "
            f"date du jour ; usager que la population ne contient plus. {refusal}.",
        },
        409: {
            "model": ProblemDetails,
            "description": f"Limite du bac à sable atteinte (`title` `ERR_LIMITE_BAC_A_SABLE`) : "
            f"{MAX_WRITES_PER_PERSON} signatures et refus par usager et par client ; rien n'est "
            "enregistré. Réinitialiser l'état du client (POST /_sandbox/reset).",
        },
    }
    if action in (Action.SIGNER_EXISTANT, Action.REFUSER_EXISTANT):
        responses[500] = {
            "model": ProblemDetails,
            "description": "`Exception` : « Un contrat d'engagement existe déjà à l'état "
            "suspendu, impossible de signer le contrat. » (publié, aussi pour le refus) ; ou "
            "erreur technique sous un profil de pannes.",
        }
    return {**_ERRORS, **responses}


def _read_contract(usager: Usager) -> ContratEngagement | Response:
    if usager.person is None:
        return Response(status_code=204)
    contract = usager.service.read(usager.client_id, usager.person)
    if contract is None:
        return Response(status_code=204)
    return ContratEngagement.of(contract)


@router.get(
    f"{V1}/lecture",
    operation_id="lireContratEngagement",
    summary="Lire le contrat d'engagement de l'usager",
    description="Lecture du contrat d'engagement de l'usager : le PPAE avec France Travail "
    "pour une orientation professionnelle, le CER avec le département pour une orientation "
    "sociale ou socio-professionnelle ; le dernier contrat écrit par ce client s'il y en a un.",
    response_model=ContratEngagement,
    responses={
        200: {"description": "OK"},
        204: {
            "description": "Pas de contrat d'engagement (usager non orienté, ou sans contrat "
            "encore, ou que la population ne contient plus)."
        },
        400: {
            "model": ProblemDetails,
            "description": f"`DonneeEnEntreeInvalideException` : {_JETON}.",
        },
        **_ERRORS,
    },
)
async def lire(usager: UsagerDep) -> ContratEngagement | Response:
    """The person's contract (204 when there is none)."""
    return _read_contract(usager)


@router.get(
    f"{V1}/lecture/structure",
    operation_id="lireStructureContratEngagement",
    summary="Lire la structure du contrat d'engagement",
    description="Lecture de la structure du contrat d'engagement : les engagements de "
    "l'usager et du référent, sans jeton usager.",
    response_model=Structure,
    responses={
        200: {"description": "OK"},
        413: {
            "model": ProblemDetails,
            "description": "Corps de requête au-delà de la limite du bac à sable (README "
            "« Limits ») : la lecture n'en attend aucun.",
        },
        **_ERRORS,
    },
)
async def lire_structure(caller: CallerCe, agent: AgentDep) -> Structure:
    """The engagements every contract carries."""
    return Structure(engagements=ENGAGEMENTS)


def _write(usager: Usager, action: Action, date_text: str) -> ContratEngagement:
    if usager.person is None:
        raise ProblemError(
            400,
            "DonneeEnEntreeInvalideException",
            "L'usager n'est pas connu",
            "The jeton is valid but the population no longer holds this person (size or "
            "personas changed): search the person again with Rechercher usager v2.",
        )
    contract = usager.service.write(usager.client_id, usager.person, action, date_text)
    return ContratEngagement.of(contract)


@router.post(
    f"{V1}/signer",
    operation_id="signerPremierContratEngagement",
    summary="Création d'un premier contrat d'engagement signé",
    description="Création d'un premier contrat d'engagement signé (refusé si l'usager en a "
    "déjà un).",
    response_model=ContratEngagement,
    responses={
        200: {
            "description": "OK (Dans la prochaine version majeure le code HTTP sera modifié en 201)"
        },
        **_written(Action.SIGNER_PREMIER),
    },
)
async def signer_premier(body: Signature, usager: UsagerDep) -> ContratEngagement:
    """Create the first contract, signed."""
    return _write(usager, Action.SIGNER_PREMIER, body.date_signature)


@router.patch(
    f"{V1}/signer",
    operation_id="signerContratEngagement",
    summary="Signer un contrat d'engagement existant",
    description="Signer un contrat d'engagement existant (à signer, en attente de signature "
    "ou refusé).",
    response_model=ContratEngagement,
    responses={200: {"description": "OK"}, **_written(Action.SIGNER_EXISTANT)},
)
async def signer(body: Signature, usager: UsagerDep) -> ContratEngagement:
    """Sign the existing contract."""
    return _write(usager, Action.SIGNER_EXISTANT, body.date_signature)


@router.post(
    f"{V1}/refuser",
    operation_id="refuserPremierContratEngagement",
    summary="Création d'un premier contrat d'engagement refusé",
    description="Création d'un premier contrat d'engagement refusé (refusé si l'usager en a "
    "déjà un).",
    response_model=ContratEngagement,
    responses={
        200: {
            "description": "OK (Dans la prochaine version majeure le code HTTP sera modifié en 201)"
        },
        **_written(Action.REFUSER_PREMIER),
    },
)
async def refuser_premier(body: Refus, usager: UsagerDep) -> ContratEngagement:
    """Create the first contract, refused."""
    return _write(usager, Action.REFUSER_PREMIER, body.date_refus)


@router.patch(
    f"{V1}/refuser",
    operation_id="refuserContratEngagement",
    summary="Refuser un contrat d'engagement existant",
    description="Refuser un contrat d'engagement existant (signé, à signer ou en attente de "
    "signature).",
    response_model=ContratEngagement,
    responses={200: {"description": "OK"}, **_written(Action.REFUSER_EXISTANT)},
)
async def refuser(body: Refus, usager: UsagerDep) -> ContratEngagement:
    """Refuse the existing contract."""
    return _write(usager, Action.REFUSER_EXISTANT, body.date_refus)
