"""Conclusions entretiens v1: the conclusions of a usager's entretiens with France Travail.

Realm ``/agent``: gateway token with the API's scopes, ``pa-*`` headers, the jeton of Rechercher
usager v2 in ``ft-jeton-usager`` and the one access rule. The entretiens are the ones the Suivi de
parcours tool shows (``sandbox.parcours``), most recent first.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from sandbox.apis.conclusions_entretiens.schemas import ConclusionEntretienPartenaireDetailsDto
from sandbox.apis.deps import AgentDep, Caller, JetonHeader, RuntimeDep, require, usager_from_jeton
from sandbox.apis.responses import JETON_ERRORS, BackendErrorBody, Responses, gateway_responses
from sandbox.auth.scopes import Api
from sandbox.errors import BackendError
from sandbox.parcours import entretiens_of

router = APIRouter(tags=["Conclusions Entretiens"])

UNKNOWN_CODE = "ERR_USAGER_INCONNU"

CallerV1 = Annotated[Caller, Depends(require(Api.CONCLUSIONS_ENTRETIENS_V1))]

_ERRORS: Responses = {
    **JETON_ERRORS,
}


@router.get(
    "/partenaire/conclusions-entretiens/v1/entretiens",
    operation_id="listerConclusionsEntretiens",
    summary="Liste les conclusions d'entretiens d'un usager",
    description="A partir d'un jeton usager, ce service permet de récupérer la liste des "
    "conclusions d'entretiens qu'il a eu avec son conseiller, la plus récente d'abord. Liste "
    "vide pour un usager sans entretien (personne non inscrite à France Travail, persona "
    "`statut-identifie`).",
    response_model=list[ConclusionEntretienPartenaireDetailsDto],
    responses={
        200: {"description": "Retourne la liste des entretiens d'un usager"},
        **_ERRORS,
        422: {
            "model": BackendErrorBody,
            "description": "Erreur fonctionnelle lors du traitement : le jeton est valide mais "
            f"la population du bac à sable ne contient plus la personne (`{UNKNOWN_CODE}`).",
        },
        **gateway_responses(302),
    },
)
async def lister_entretiens(
    caller: CallerV1, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> list[ConclusionEntretienPartenaireDetailsDto]:
    """The usager's entretiens and their conclusions."""
    person = usager_from_jeton(runtime, caller, ft_jeton_usager)
    if person is None:
        raise BackendError(
            422,
            UNKNOWN_CODE,
            "Usager inconnu",
            "The jeton names a person this sandbox's population no longer holds (population "
            "size or personas changed since Rechercher usager): search the person again.",
        )
    found = entretiens_of(runtime.settings.seed, person, runtime.population.epoch)
    return [ConclusionEntretienPartenaireDetailsDto.of(e) for e in found]
