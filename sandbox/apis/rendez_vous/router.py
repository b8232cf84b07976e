"""Rendez-vous partenaire v1: create, modify, cancel (202) and list a person's rendez-vous.

Realm ``/agent``: gateway token with the API's scopes, ``pa-*`` headers, then the jeton of
Rechercher usager v2 in ``ft-jeton-usager`` (every published operation takes it) and the one
access rule (``readable_by``). A valid jeton whose person the population no longer holds names an
usager without rendez-vous, whose writes go through, as for Diagnostic v4.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

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
from sandbox.apis.rendez_vous.schemas import (
    RendezVousPartenaire,
    RendezVousUsager,
    ReponseDepotRdvp,
)
from sandbox.apis.responses import BackendErrorBody, Responses, gateway_responses
from sandbox.auth.scopes import Api
from sandbox.errors import BackendError
from sandbox.rendezvous import MAX_PER_PERSON, RendezVousService, day_of

V1 = "/partenaire/rendez-vous-partenaire/v1"
router = APIRouter(tags=["Rendez-vous partenaire"])

CallerRdv = Annotated[Caller, Depends(require(Api.RENDEZ_VOUS_V1))]


@dataclass(frozen=True, slots=True)
class Usager:
    """The person of a request's jeton, seen by one client."""

    service: RendezVousService
    client_id: str
    key: str


async def usager(
    caller: CallerRdv, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> Usager:
    """Gateway, pa-* headers, then the jeton's person, readable by the caller."""
    key = key_from_jeton(runtime, caller, ft_jeton_usager)
    readable_by(person_or_none(runtime, key), caller)
    service = RendezVousService(runtime.store, runtime.population.seed, runtime.clock)
    return Usager(service, caller.client.client_id, key)


UsagerDep = Annotated[Usager, Depends(usager)]

_ERRORS: Responses = {
    400: {
        "model": BackendErrorBody,
        "description": "Données non conformes (`ERR_DONNEE_INCORRECTE`) ; jeton usager absent "
        "(`ERR_JETON_USAGER_ABSENT`).",
    },
    401: {
        "model": BackendErrorBody,
        "description": "Jeton d'accès refusé par la passerelle (corps vide), ou jeton usager "
        "invalide ou expiré (`ERR_JETON_USAGER_*`).",
    },
    403: {
        "model": BackendErrorBody,
        "description": "Scopes insuffisants (corps vide) ; jeton délivré à une autre application "
        "(`ERR_JETON_USAGER_NON_AUTORISE`) ; usager non allocataire du RSA "
        "(`ERR_USAGER_HORS_PERIMETRE`) ou rattaché à un autre département que l'accédant "
        "(`ERR_USAGER_NON_RATTACHE`).",
    },
    **gateway_responses(302),
}
_UNKNOWN_ID: Responses = {
    400: {
        **_ERRORS[400],
        "description": _ERRORS[400]["description"]
        + " Id inconnu pour cet usager et ce client : `ID_NON_RECONNU`, « Il n'existe pas de rdv "
        "pour l'id et l'utilisateur indiqué ».",
    }
}
_LIMIT: Responses = {
    409: {
        "model": BackendErrorBody,
        "description": f"Limite du bac à sable atteinte (`ERR_LIMITE_BAC_A_SABLE`) : "
        f"{MAX_PER_PERSON} rendez-vous par usager et par client, annulés compris, et les limites "
        "d'état (README « Limits ») ; rien n'est enregistré. Réinitialiser l'état du client "
        "(POST /_sandbox/reset).",
    }
}
_DATE_PATTERN = r"^(0[1-9]|[12][0-9]|3[01])-(0[1-9]|1[0-2])-[0-9]{4}$"


@router.post(
    f"{V1}/rendez-vous",
    operation_id="creerRendezVous",
    summary="Créer un rendez-vous usager",
    status_code=202,
    response_model=ReponseDepotRdvp,
    responses={
        202: {"description": "OK, le RDV a bien été enregistré"},
        **_ERRORS,
        **_LIMIT,
    },
)
async def creer(body: RendezVousPartenaire, usager: UsagerDep) -> ReponseDepotRdvp:
    """Store a new rendez-vous of the jeton's person; its id comes back."""
    return ReponseDepotRdvp(id=usager.service.create(usager.client_id, usager.key, body.written()))


@router.put(
    f"{V1}/rendez-vous",
    operation_id="modifierRendezVous",
    summary="Modifier un rendez-vous usager",
    status_code=202,
    response_class=Response,
    responses={
        202: {"description": "OK, le RDV a bien été modifié (pas de corps)"},
        **_ERRORS,
        **_UNKNOWN_ID,
        **_LIMIT,
    },
)
async def modifier(body: RendezVousPartenaire, usager: UsagerDep) -> Response:
    """Replace the content of the rendez-vous ``body.id`` of the jeton's person."""
    if not body.id:
        raise BackendError(
            400,
            "ERR_DONNEE_INCORRECTE",
            "Les données fournies sont incorrectes",
            "PUT /rendez-vous needs the id POST /rendez-vous returned, in the body field id.",
        )
    usager.service.modify(usager.client_id, usager.key, body.id, body.written())
    return Response(status_code=202)


@router.delete(
    f"{V1}/rendez-vous/{{id}}",
    operation_id="annulerRendezVous",
    summary="Annuler un rendez-vous usager",
    status_code=202,
    response_class=Response,
    responses={
        202: {"description": "OK, le RDV a bien été annulé (pas de corps)"},
        **_ERRORS,
        **_UNKNOWN_ID,
        **_LIMIT,
    },
)
async def annuler(
    usager: UsagerDep,
    rdv_id: Annotated[
        str,
        Path(
            alias="id",
            max_length=64,
            description="Id unique du RDVP (celui que POST /rendez-vous a renvoyé).",
            examples=["7aea9cbd-d98e-464a-b38a-17662f4a718a"],
        ),
    ],
) -> Response:
    """Cancel a rendez-vous: it stays listed with its ``dateAnnulation``."""
    usager.service.cancel(usager.client_id, usager.key, rdv_id)
    return Response(status_code=202)


_DAY = "au format dd-MM-yyyy (jour UTC, inclus)"


@router.get(
    f"{V1}/rendez-vous-usager",
    operation_id="listerRendezVousUsager",
    summary="Retourner la liste des rendez-vous de l'usager",
    description="Sans dates : tous les rendez-vous à venir et ceux passés depuis moins de 30 "
    "jours (par rapport à l'horloge de l'instance) ; avec une seule borne, l'autre côté reste "
    "ouvert. Rendez-vous annulés compris (avec `dateAnnulation`), triés par date ; liste vide "
    "quand il n'y en a pas.",
    response_model=list[RendezVousUsager],
    tags=["Rendez-vous usager"],
    responses=_ERRORS,
)
async def lister(
    usager: UsagerDep,
    date_debut: Annotated[
        str | None,
        Query(
            alias="date-debut",
            pattern=_DATE_PATTERN,
            description=f"Début de la plage, {_DAY}.",
            examples=["10-11-2026"],
        ),
    ] = None,
    date_fin: Annotated[
        str | None,
        Query(
            alias="date-fin",
            pattern=_DATE_PATTERN,
            description=f"Fin de la plage, {_DAY}.",
            examples=["10-12-2026"],
        ),
    ] = None,
) -> list[RendezVousUsager]:
    """The person's rendez-vous in the range, by date."""
    start = day_of(date_debut, "date-debut") if date_debut else None
    end = day_of(date_fin, "date-fin") if date_fin else None
    listed = usager.service.listing(usager.client_id, usager.key, start, end)
    return [RendezVousUsager.of(item) for item in listed]
