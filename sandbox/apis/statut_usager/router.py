"""Statut usager: v2 ``contrat-usager`` (jeton header) and v1 (identifiant, reconstructed path)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from sandbox.apis.deps import (
    AgentDep,
    Caller,
    JetonHeader,
    RuntimeDep,
    require,
    usager_from_identifiant,
    usager_from_jeton,
)
from sandbox.apis.responses import BackendErrorBody, gateway_responses
from sandbox.apis.statut_usager.schemas import (
    NO_ERROR_MESSAGE_V2,
    Contrat,
    ContratResponse,
    PopulationNonGeree,
    StatutUsagerV1,
    StatutUsagerV1Request,
)
from sandbox.auth.scopes import Api
from sandbox.orientation import convention_category, effective_orientation
from sandbox.population.models import Coded, ContractAvailability, Person
from sandbox.runtime import Runtime

router = APIRouter(tags=["Statut usager"])

CallerV2 = Annotated[Caller, Depends(require(Api.STATUT_USAGER_V2))]
CallerV1 = Annotated[Caller, Depends(require(Api.STATUT_USAGER_V1))]

_ERRORS: dict[int | str, dict[str, Any]] = {
    204: {"description": "Aucune donnée n'a été trouvée (pas de corps)."},
    400: {"model": BackendErrorBody, "description": "Jeton ou identifiant absent."},
    401: {
        "model": BackendErrorBody,
        "description": "Jeton d'accès refusé par la passerelle (corps vide), ou jeton usager / "
        "identifiant invalide ou expiré (corps codeErreur).",
    },
    403: {
        "model": BackendErrorBody,
        "description": "Scopes insuffisants (corps vide), jeton usager délivré à une autre "
        "application, usager non allocataire du RSA (`ERR_USAGER_HORS_PERIMETRE`), ou rattaché "
        "à un autre département que l'accédant (`ERR_USAGER_NON_RATTACHE`, la règle R001/R002 "
        "de Recherche usager, appliquée à chaque appel : l'identifiant v1 est le même pour tous "
        "les clients) ; corps codeErreur.",
    },
}


def _category(runtime: Runtime, caller: Caller, person: Person) -> Coded | None:
    """The category coherent with the orientation this client sees (one state read)."""
    seed = runtime.population.seed
    orientation = effective_orientation(runtime.store, seed, caller.client.client_id, person)
    return convention_category(seed, person, orientation)


@router.get(
    "/partenaire/contrat-usager/v2/contrat",
    operation_id="recupererContratV2",
    summary="Récupérer le statut (contrat) d'un usager",
    response_model=ContratResponse | PopulationNonGeree,
    responses={**_ERRORS, **gateway_responses(302)},
)
async def recuperer_contrat(
    caller: CallerV2, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> ContratResponse | PopulationNonGeree | Response:
    """The person's registration; 200 ``ERT_200_FONCT`` for an unsupported population type."""
    person = usager_from_jeton(runtime, caller, ft_jeton_usager)
    if person is None or person.contract is ContractAvailability.NO_DATA:
        return Response(status_code=204)
    if person.contract is ContractAvailability.UNSUPPORTED_POPULATION:
        return PopulationNonGeree()
    return ContratResponse(
        m_contrat=Contrat.of(
            person, runtime.clock.now().date(), _category(runtime, caller, person)
        ),
        m_messageErreur=NO_ERROR_MESSAGE_V2,
    )


@router.post(
    "/partenaire/statut-usager/v1/statut",
    operation_id="recupererStatutUsagerV1",
    summary="Statut usager (génération 1, convention ; chemin reconstruit)",
    description="Path reconstructed from the convention (Annexe 2 §10.2): no public source "
    "names the generation-1 route. The identifiant travels in the body (`idNat`).",
    response_model=StatutUsagerV1,
    responses=_ERRORS,
)
async def recuperer_statut_v1(
    body: StatutUsagerV1Request, caller: CallerV1, runtime: RuntimeDep
) -> StatutUsagerV1 | Response:
    """The convention's statut fields for the person behind ``idNat``."""
    person = usager_from_identifiant(runtime, caller, body.id_nat, "body field idNat")
    if person is None or person.contract is ContractAvailability.NO_DATA:
        return Response(status_code=204)
    if person.contract is ContractAvailability.UNSUPPORTED_POPULATION:
        return StatutUsagerV1.unsupported(body.id_nat)
    today = runtime.clock.now().date()
    return StatutUsagerV1.of(body.id_nat, person, today, _category(runtime, caller, person))
