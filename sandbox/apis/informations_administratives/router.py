"""Informations administratives usager v1 (realm ``/agent``, jeton in ``ft-jeton-usager``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from sandbox.apis.deps import AgentDep, Caller, JetonHeader, RuntimeDep, require, usager_from_jeton
from sandbox.apis.informations_administratives.schemas import UsagerResource
from sandbox.apis.responses import JETON_ERRORS, gateway_responses
from sandbox.auth.scopes import Api
from sandbox.population.coordinates import coordinates_of

router = APIRouter(tags=["Informations administratives usager"])

CallerV1 = Annotated[Caller, Depends(require(Api.INFORMATIONS_ADMINISTRATIVES_V1))]

_ERRORS: dict[int | str, dict[str, Any]] = {
    204: {
        "description": "Aucun individu trouvé (pas de corps) : le jeton est valide mais la "
        "population du bac à sable ne contient plus la personne (taille ou personas changés)."
    },
    **JETON_ERRORS,
}


@router.get(
    "/partenaire/informations-administratives/v1/usager",
    operation_id="recupererDonneesParIdRci",
    summary="Récupère l'état civil et les coordonnées d'un usager",
    description="Récupération des données d'état civil et de coordonnées à partir d'un jeton "
    "usager.",
    response_model=UsagerResource,
    responses={**_ERRORS, **gateway_responses(302)},
)
async def recuperer_donnees(
    caller: CallerV1, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> UsagerResource | Response:
    """The person's état civil, address, e-mails and telephones."""
    person = usager_from_jeton(runtime, caller, ft_jeton_usager)
    if person is None:
        return Response(status_code=204)
    return UsagerResource.of(person, coordinates_of(runtime.settings.seed, person))
