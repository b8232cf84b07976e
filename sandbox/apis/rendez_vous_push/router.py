"""The 2024 rendez-vous push: ``POST /partenaire/rendezvous-partenaires/v1/rendezvous``.

Realm ``/partenaire``, scope ``api_rendezvous-partenairesv1`` (reference §6.2). The real URL was
a client setting whose value is not public: the path is reconstructed in the platform's style.
Participants are named by NIR: each must be a person France Travail knows (as Recherche usager
finds them) and pass the one access rule (``readable_by``); their rendez-vous then live in
Rendez-vous partenaire v1's store (``sandbox.rendezvous.push``), for this client.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from sandbox.apis.deps import Caller, RuntimeDep, readable_by, require
from sandbox.apis.rendez_vous_push.schemas import (
    Participant,
    RendezVousEnvoi,
    ReponseEnvoiRendezVous,
)
from sandbox.apis.responses import BackendErrorBody, Responses
from sandbox.auth.scopes import Api
from sandbox.errors import BackendError
from sandbox.population.search import is_known
from sandbox.privacy import mask_nir
from sandbox.rendezvous import MAX_PER_PERSON, Mode, Participation, RendezVousService, push
from sandbox.runtime import Runtime

PATH = "/partenaire/rendezvous-partenaires/v1/rendezvous"
router = APIRouter(tags=["Rendez-vous partenaires (envoi 2024)"])

CallerPush = Annotated[Caller, Depends(require(Api.RENDEZ_VOUS_PUSH_V1))]

UNKNOWN_CODE = "ERR_USAGER_INCONNU"
AMBIGUOUS_CODE = "ERR_USAGER_AMBIGU"

_ERRORS: Responses = {
    400: {
        "model": BackendErrorBody,
        "description": "Données non conformes (`ERR_DONNEE_INCORRECTE`, l'indice du champ fautif "
        "dans l'en-tête X-Sandbox-Hint : NIR invalide, champ obligatoire du mode absent, "
        "incohérence entre `idModalite`, `typeReception`, participants, `nombrePlaces`, `duree` "
        "et `dateFinRendezvous`, création d'un `idOrigine` déjà créé, modification d'un "
        "rendez-vous annulé) ; participant inconnu de France Travail (`ERR_USAGER_INCONNU`) ou "
        "désignant plusieurs usagers (`ERR_USAGER_AMBIGU`), le message nomme le participant "
        "(`participants[i]`, NIR masqué à 7 caractères) ; `idOrigine` inconnu pour un "
        "participant en modification ou suppression (`ID_NON_RECONNU`).",
    },
    401: {
        "model": BackendErrorBody,
        "description": "Jeton d'accès refusé par la passerelle (corps vide) : absent, invalide, "
        "expiré ou d'un autre realm.",
    },
    403: {
        "model": BackendErrorBody,
        "description": "Scopes insuffisants (corps vide) ; participant non allocataire du RSA "
        "(`ERR_USAGER_HORS_PERIMETRE`) ou rattaché à un autre département que l'accédant "
        "(`ERR_USAGER_NON_RATTACHE`), l'indice du participant dans l'en-tête X-Sandbox-Hint.",
    },
    409: {
        "model": BackendErrorBody,
        "description": f"Limite du bac à sable atteinte (`ERR_LIMITE_BAC_A_SABLE`) : "
        f"{MAX_PER_PERSON} rendez-vous par usager et par client, annulés compris (les mêmes que "
        "Rendez-vous partenaire v1), et les limites d'état (README « Limits ») ; rien n'est "
        "enregistré. Réinitialiser l'état du client (POST /_sandbox/reset).",
    },
}


def participant_key(runtime: Runtime, caller: Caller, index: int, participant: Participant) -> str:
    """The person a participant names, readable by the caller; or the documented refusal."""
    where = f"participants[{index}]"
    masked = mask_nir(participant.nir)
    today = runtime.clock.now().date()
    people = [
        person
        for person in runtime.population.find_by_nir(participant.nir)
        if is_known(person, today)
        and (participant.date_naissance is None or person.birth_date == participant.date_naissance)
    ]
    if not people:
        raise BackendError(
            400,
            UNKNOWN_CODE,
            f"Le participant {where} (NIR {masked}) n'est pas un usager connu de France Travail",
            f"No person France Travail knows has the NIR of {where}"
            + (" with this dateNaissance" if participant.date_naissance else "")
            + ": send the NIR (and birth date) Recherche usager finds with S001.",
        )
    if len(people) > 1:
        raise BackendError(
            400,
            AMBIGUOUS_CODE,
            f"Le participant {where} (NIR {masked}) désigne plusieurs usagers",
            f"Several people share the NIR of {where} (Recherche usager S003): send its "
            "dateNaissance, or push for another participant; homonyms born the same day cannot "
            "be told apart.",
        )
    try:
        readable_by(people[0], caller)
    except BackendError as refused:
        raise BackendError(
            refused.http_status, refused.code, refused.message, f"{where}: {refused.hint}"
        ) from None
    return people[0].key


@router.post(
    PATH,
    operation_id="envoyerRendezVousPartenaires",
    summary="Envoyer un rendez-vous (génération 2024, chemin reconstruit)",
    description="Crée, remplace ou annule (`mode`) le rendez-vous `idOrigine` de chaque "
    "participant, identifié par son NIR. Aucune trace publique de l'URL ni de la réponse : le "
    "chemin est reconstruit dans le style de la plateforme, la réponse 202 est la lecture du bac à "
    "sable. Les rendez-vous envoyés se lisent avec Rendez-vous partenaire v1 "
    "(`GET /partenaire/rendez-vous-partenaire/v1/rendez-vous-usager`, même client OAuth, realm "
    "`/agent`), où `idOrigine` est leur id.",
    status_code=202,
    response_model=ReponseEnvoiRendezVous,
    responses={
        202: {
            "description": "Envoi accepté : le rendez-vous est enregistré pour chaque participant"
        },
        **_ERRORS,
    },
)
async def envoyer(
    body: RendezVousEnvoi, caller: CallerPush, runtime: RuntimeDep
) -> ReponseEnvoiRendezVous:
    """Apply the push for every participant, after checking them all."""
    participations = [
        Participation(
            index=index,
            person_key=participant_key(runtime, caller, index, participant),
            written=None if body.mode is Mode.SUPPRESSION else body.written_for(participant),
        )
        for index, participant in enumerate(body.participants)
    ]
    service = RendezVousService(runtime.store, runtime.population.seed, runtime.clock)
    push(service, caller.client.client_id, body.id_origine, body.mode, participations)
    return ReponseEnvoiRendezVous.model_validate(
        {"idOrigine": body.id_origine, "mode": body.mode, "nombreParticipants": len(participations)}
    )
