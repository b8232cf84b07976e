"""Données RQTH v1 (realm ``/agent``, jeton in ``ft-jeton-usager``), reconstructed.

No published file: the path, scopes and body are those les-emplois uses (reference §6.4). The
person's RQTH is generated from the seed (``sandbox.rqth``) or declared by their persona; 204
without body when they have none, as les-emplois expects (``204 → None``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from sandbox.apis.deps import AgentDep, Caller, JetonHeader, RuntimeDep, require, usager_from_jeton
from sandbox.apis.donnees_rqth.schemas import DonneesRqth
from sandbox.apis.responses import JETON_ERRORS, Responses, gateway_responses
from sandbox.auth.scopes import Api
from sandbox.rqth import rqth_of

router = APIRouter(tags=["Données RQTH"])

CallerRqth = Annotated[Caller, Depends(require(Api.DONNEES_RQTH_V1))]

_ERRORS: Responses = {
    204: {
        "description": "L'usager n'a aucune RQTH connue (pas de corps), ou la population du bac "
        "à sable ne contient plus la personne du jeton."
    },
    **JETON_ERRORS,
}


@router.get(
    "/partenaire/donnees-rqth/v1/rqth",
    operation_id="lireDonneesRqth",
    summary="Récupère la RQTH d'un usager (chemin et réponse reconstruits)",
    description="Reconnaissance de la qualité de travailleur handicapé de l'usager du jeton : "
    "période, source et validité à la date du jour. Aucun fichier publié : chemin, scopes et "
    "corps sont ceux du client les-emplois ; nom d'opération et statuts d'erreur sont la "
    "lecture du bac à sable.",
    response_model=DonneesRqth,
    responses={**_ERRORS, **gateway_responses(302)},
)
async def lire_rqth(
    caller: CallerRqth, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> DonneesRqth | Response:
    """The person's RQTH, in force today or not; 204 when they have none."""
    person = usager_from_jeton(runtime, caller, ft_jeton_usager)
    rqth = (
        None
        if person is None
        else rqth_of(runtime.population.seed, person, runtime.population.epoch)
    )
    if rqth is None:
        return Response(status_code=204)
    return DonneesRqth.of(rqth, runtime.clock.now().date())
