"""Orientation usager v1 and v2: lecture, calcul, envoi (201), décision (201), modification.

Realm ``/agent``: gateway token with the operation's scopes (v1: the API's two; v2, as
published per operation: ``lireorientationusager`` for the lecture, ``decisionorientationusager``
for every write), ``pa-*`` headers, the jeton of Rechercher usager v2 in ``ft-jeton-usager`` and
the one access rule (``readable_by``). The API's own refusals use Spring Boot's default body, as
published; the jeton's and the access rule's keep the platform's ``codeErreur`` body.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from sandbox.apis.deps import (
    AgentDep,
    Caller,
    JetonHeader,
    RuntimeDep,
    header_text,
    key_from_jeton,
    person_or_none,
    readable_by,
    require,
)
from sandbox.apis.orientation_usager.schemas import (
    CreationV1,
    CreationV2,
    CriteresEntree,
    DecisionV1,
    DecisionV2,
    EtatFiltre,
    ModificationV2,
    OrientationCalculerV1,
    OrientationCalculerV2,
    OrientationLectureV1,
    OrientationLectureV2,
    OrientationV1,
    OrientationV2,
    ParcoursDecide,
)
from sandbox.apis.responses import (
    SPRING_PATHS,
    BackendErrorBody,
    Responses,
    SpringErrorBody,
    gateway_responses,
)
from sandbox.auth.scopes import Api
from sandbox.errors import SpringError
from sandbox.orientation import MAX_PER_PERSON, Etat, Modified, OrientationService, Parcours
from sandbox.population.models import Person

V1 = "/partenaire/orientationusager/v1"
V2 = "/partenaire/orientationusager/v2"
router = APIRouter(tags=["Orientation usager"])

LIRE = ("api_orientationusagerv2", "lireorientationusager")
DECIDER = ("api_orientationusagerv2", "decisionorientationusager")
CallerV1 = Annotated[Caller, Depends(require(Api.ORIENTATION_V1))]
CallerLire = Annotated[Caller, Depends(require(Api.ORIENTATION_V2, *LIRE))]
CallerDecider = Annotated[Caller, Depends(require(Api.ORIENTATION_V2, *DECIDER))]

# The back-end routes the published Spring Boot bodies name in ``path``.
for version in ("v1", "v2"):
    base = f"/partenaire/orientationusager/{version}"
    back = f"/api-orientationusager/{version}/orientation"
    SPRING_PATHS.update(
        {
            f"{base}/lectureOrientation": back,
            f"{base}/orientation": back,
            f"{base}/decisionOrientation": f"{back}/decider",
            f"{base}/modificationOrientation": f"{back}/modifier",
        }
    )
SPRING_PATHS[f"{V1}/calculOrientation"] = "/api-orientationusager/v1/orientation/calculer"
SPRING_PATHS[f"{V2}/calculerOrientation"] = "/api-orientationusager/v2/orientation/calculer"


@dataclass(frozen=True, slots=True)
class Usager:
    """The person of a request's jeton, seen by one client, and the agent calling."""

    service: OrientationService
    client_id: str
    key: str
    person: Person | None
    agent: str


def _usager(runtime: RuntimeDep, caller: Caller, agent: str, jeton: str) -> Usager:
    key = key_from_jeton(runtime, caller, jeton)
    person = readable_by(person_or_none(runtime, key), caller)
    service = OrientationService(runtime.store, runtime.population.seed, runtime.clock)
    return Usager(service, caller.client.client_id, key, person, agent)


async def usager_v1(
    caller: CallerV1, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> Usager:
    """Gateway (v1 scopes), pa-* headers, then the jeton's person, readable by the caller."""
    return _usager(runtime, caller, agent.identifiant, ft_jeton_usager)


async def lecteur_v2(
    caller: CallerLire, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> Usager:
    """Gateway (v2 lecture scopes), pa-* headers, then the jeton's person."""
    return _usager(runtime, caller, agent.identifiant, ft_jeton_usager)


async def decideur_v2(
    caller: CallerDecider, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> Usager:
    """Gateway (v2 décision scopes), pa-* headers, then the jeton's person."""
    return _usager(runtime, caller, agent.identifiant, ft_jeton_usager)


UsagerV1 = Annotated[Usager, Depends(usager_v1)]
LecteurV2 = Annotated[Usager, Depends(lecteur_v2)]
DecideurV2 = Annotated[Usager, Depends(decideur_v2)]

_ERRORS: Responses = {
    400: {
        "model": SpringErrorBody | BackendErrorBody,
        "description": "Paramètres incorrects : corps Spring Boot publié (`timestamp`, `status`, "
        "`error`, `message`, `path`), par exemple « Le champ etatOrientation doit avoir une de "
        "ces valeurs : [BROUILLON, EN_ATTENTE, OUVERT, CLOTURE] » ; jeton usager absent : "
        "corps `codeErreur` `ERR_JETON_USAGER_ABSENT`.",
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
_WRITE: Responses = {
    409: {
        "model": BackendErrorBody,
        "description": f"Limite du bac à sable atteinte (`ERR_LIMITE_BAC_A_SABLE`) : "
        f"{MAX_PER_PERSON} orientations par usager et par client (closes et abandonnées "
        "comprises), et les limites d'état (README « Limits ») ; rien n'est enregistré. "
        "Réinitialiser l'état du client (POST /_sandbox/reset).",
    }
}
_NOTHING: Responses = {204: {"description": "Aucune orientation (pour cet état) : pas de corps."}}
_LECTURE = (
    "Les orientations de l'usager pour ce client, la plus récente d'abord : celles que le "
    "client a écrites (envoi, calcul, décision, modification), sinon celle que la plateforme "
    "tient de ses données RSA. `etatOrientation` filtre sur l'état ; 204 sans corps quand "
    "aucune ne correspond."
)


def _entry_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        if not value.isascii() or len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SpringError(
            400,
            "Le champ dateEntreeParcours doit être une date au format AAAA-MM-JJ",
            "Header dateEntreeParcours must be a date written YYYY-MM-DD, e.g. 2024-12-25.",
        ) from None


# v1 ------------------------------------------------------------------------------------------


@router.post(
    f"{V1}/calculOrientation",
    operation_id="calculOrientationV1",
    summary="Calculer une orientation",
    description="Calcule une proposition d'orientation à partir des critères envoyés (règle du "
    "bac à sable décrite dans le contrat) et l'enregistre en attente de décision.",
    response_model=OrientationCalculerV1,
    responses={**_ERRORS, **_WRITE},
)
async def calculer_v1(body: CriteresEntree, usager: UsagerV1) -> OrientationCalculerV1:
    """Store and return the proposal for the criteria."""
    record = usager.service.calculate(
        usager.client_id, usager.key, usager.person, body.sent(), usager.agent
    )
    return OrientationCalculerV1.of(record)


@router.get(
    f"{V1}/lectureOrientation",
    operation_id="lectureOrientationV1",
    summary="Lire les orientations",
    description=_LECTURE + " Les orientations abandonnées (état ABANDON, propre à la v2) ne sont "
    "pas servies en v1.",
    response_model=list[OrientationLectureV1],
    responses={**_NOTHING, **_ERRORS},
)
async def lire_v1(
    usager: UsagerV1,
    etat_orientation: Annotated[
        EtatFiltre | None,
        Query(alias="etatOrientation", description="L'état d'avancement de l'orientation."),
    ] = None,
) -> list[OrientationLectureV1] | Response:
    """The person's orientations, optionally in one état."""
    records = [
        r
        for r in usager.service.orientations(usager.client_id, usager.key, usager.person)
        if r.etat is not Etat.ABANDON and (etat_orientation is None or r.etat == etat_orientation)
    ]
    if not records:
        return Response(status_code=204)
    return [OrientationLectureV1.of(r) for r in records]


@router.post(
    f"{V1}/orientation",
    operation_id="orientationV1",
    summary="Orienter un usager",
    description="Enregistre une orientation décidée et ouverte, sans critères ; l'orientation "
    "ouverte est close (CLOTURE) à la date d'entrée de la nouvelle.",
    status_code=201,
    response_class=Response,
    responses={
        201: {"description": "L'orientation est correctement enregistrée"},
        **_ERRORS,
        **_WRITE,
    },
)
async def orienter_v1(body: CreationV1, usager: UsagerV1) -> Response:
    """Store a decided orientation."""
    usager.service.send(usager.client_id, usager.key, usager.person, body.sent(usager.agent))
    return Response(status_code=201)


@router.put(
    f"{V1}/modificationOrientation",
    operation_id="modificationOrientationV1",
    summary="Modifier le parcours et/ou la structure",
    response_model=OrientationV1,
    responses={200: {"description": "Orientation modifiée"}, **_ERRORS, **_WRITE},
)
async def modifier_v1(
    usager: UsagerV1,
    code_parcours: Annotated[
        ParcoursDecide | None,
        Header(alias="codeParcours", description="Code du parcours : PED, PSP ou PSO."),
    ] = None,
    code_structure: Annotated[
        str | None,
        Header(
            alias="codeStructure",
            pattern=r"^([A-Za-z]{3}[0-9]{4}|[0-9]{5})$",
            description="Code Aurore (`NAQ0057`) ou code SAFIR (`69000`) de la nouvelle structure.",
        ),
    ] = None,
    date_entree_parcours: Annotated[
        str | None,
        Header(alias="dateEntreeParcours", description="Date d'entrée en parcours, AAAA-MM-JJ."),
    ] = None,
) -> OrientationV1:
    """Change the open orientation from the headers."""
    if code_parcours is None and code_structure is None and date_entree_parcours is None:
        raise SpringError(
            400,
            "Au moins un champ est obligatoire parmi codeParcours, codeStructure, "
            "dateEntreeParcours",
            "Send at least one of the headers codeParcours, codeStructure, dateEntreeParcours.",
        )
    modified = Modified(
        Parcours(code_parcours) if code_parcours else None,
        code_structure,
        _entry_date(header_text(date_entree_parcours)),
        usager.agent,
    )
    record = usager.service.modify(usager.client_id, usager.key, usager.person, modified)
    return OrientationV1.of(record)


@router.post(
    f"{V1}/decisionOrientation",
    operation_id="decisionOrientationV1",
    summary="Décider une orientation",
    description="Accepte ou refuse la proposition en attente (calculOrientation) ; refusée, "
    "l'orientation choisie (`parcours`, `organisme`) est ouverte à sa place.",
    status_code=201,
    response_class=Response,
    tags=["Décision"],
    responses={201: {"description": "La décision est bien enregistrée"}, **_ERRORS, **_WRITE},
)
async def decider_v1(body: DecisionV1, usager: UsagerV1) -> Response:
    """Decide the pending proposal."""
    usager.service.decide(usager.client_id, usager.key, usager.person, body.decided())
    return Response(status_code=201)


# v2 ------------------------------------------------------------------------------------------


@router.post(
    f"{V2}/calculerOrientation",
    operation_id="calculerOrientation",
    summary="Calculer une orientation",
    description="Calcule une proposition d'orientation à partir des critères envoyés (règle du "
    "bac à sable décrite dans le contrat) et l'enregistre en attente de décision.",
    response_model=OrientationCalculerV2,
    responses={**_ERRORS, **_WRITE},
)
async def calculer_v2(body: CriteresEntree, usager: DecideurV2) -> OrientationCalculerV2:
    """Store and return the proposal for the criteria."""
    record = usager.service.calculate(
        usager.client_id, usager.key, usager.person, body.sent(), usager.agent
    )
    return OrientationCalculerV2.of(record)


@router.get(
    f"{V2}/lectureOrientation",
    operation_id="lectureOrientation",
    summary="Lire les orientations",
    description=_LECTURE,
    response_model=list[OrientationLectureV2],
    responses={**_NOTHING, **_ERRORS},
)
async def lire_v2(
    usager: LecteurV2,
    etat_orientation: Annotated[
        EtatFiltre | None,
        Query(alias="etatOrientation", description="L'état d'avancement de l'orientation."),
    ] = None,
) -> list[OrientationLectureV2] | Response:
    """The person's orientations, optionally in one état."""
    records = [
        r
        for r in usager.service.orientations(usager.client_id, usager.key, usager.person)
        if etat_orientation is None or r.etat == etat_orientation
    ]
    if not records:
        return Response(status_code=204)
    return [OrientationLectureV2.of(r) for r in records]


@router.post(
    f"{V2}/orientation",
    operation_id="Orientation",
    summary="Orienter un usager",
    description="Enregistre une orientation décidée et ouverte, sans critères, vers l'organisme "
    "de `referent_parcours` ; l'orientation ouverte est close (CLOTURE).",
    status_code=201,
    response_class=Response,
    responses={
        201: {"description": "L'orientation est correctement enregistrée"},
        **_ERRORS,
        **_WRITE,
    },
)
async def orienter_v2(body: CreationV2, usager: DecideurV2) -> Response:
    """Store a decided orientation."""
    usager.service.send(usager.client_id, usager.key, usager.person, body.sent(usager.agent))
    return Response(status_code=201)


@router.put(
    f"{V2}/modificationOrientation",
    operation_id="modificationOrientation",
    summary="Modifier le parcours et/ou la structure",
    response_model=OrientationV2,
    responses={200: {"description": "Orientation modifiée"}, **_ERRORS, **_WRITE},
)
async def modifier_v2(body: ModificationV2, usager: DecideurV2) -> OrientationV2:
    """Change the open orientation from the body."""
    if (
        body.parcours is None
        and body.structure_referente_parcours is None
        and (body.date_entree_parcours is None)
    ):
        raise SpringError(
            400,
            "Au moins un champ est obligatoire parmi codeParcours, "
            "codeStructureReferenteParcours, dateEntreeParcours",
            "Send at least one of parcours, structure_referente_parcours, date_entree_parcours.",
        )
    record = usager.service.modify(
        usager.client_id, usager.key, usager.person, body.modified(usager.agent)
    )
    return OrientationV2.of(record)


@router.post(
    f"{V2}/decisionOrientation",
    operation_id="decisionOrientation",
    summary="Décider une orientation",
    description="Accepte ou refuse la proposition en attente (calculerOrientation) ; refusée, "
    "l'orientation choisie (`parcours`, `referent_parcours`) est ouverte à sa place. L'agent de "
    "la décision est celui des en-têtes pa-* (`agent_decision` est en lecture seule).",
    status_code=201,
    response_class=Response,
    tags=["Décision"],
    responses={201: {"description": "La décision est bien enregistrée"}, **_ERRORS, **_WRITE},
)
async def decider_v2(body: DecisionV2, usager: DecideurV2) -> Response:
    """Decide the pending proposal."""
    usager.service.decide(usager.client_id, usager.key, usager.person, body.decided(usager.agent))
    return Response(status_code=201)
