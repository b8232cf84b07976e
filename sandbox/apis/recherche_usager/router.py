"""Recherche usager: v2 (realm /agent, jeton) and v1 (realm /partenaire, identifiant)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from sandbox.apis.deps import AgentDep, Caller, RuntimeDep, require
from sandbox.apis.recherche_usager.schemas import (
    ParDateNaissanceEtNir,
    ParNumeroFranceTravail,
    RechercheUsagerV1,
    ResultatRechercheV1,
    ResultatRechercheV2,
)
from sandbox.apis.responses import (
    RechercheErrorV1,
    RechercheErrorV2,
    Responses,
    error_body,
    gateway_responses,
    merge_responses,
)
from sandbox.auth.scopes import Api
from sandbox.convention.return_codes import RETURN_CODES, ReturnCode
from sandbox.errors import RechercheError
from sandbox.population.search import SearchResult, decide
from sandbox.runtime import Runtime

router = APIRouter(tags=["Recherche usager"])

CallerV2 = Annotated[Caller, Depends(require(Api.RECHERCHE_USAGER_V2))]
CallerV1 = Annotated[Caller, Depends(require(Api.RECHERCHE_USAGER_V1))]


def _errors(model: type, generation: int, *gateway: int) -> Responses:
    """The API's R-code bodies, merged with the gateway's bodiless refusals of the same status."""
    codes = {
        400: "R997 : paramètres erronés ou absents.",
        403: "R001 : accès non autorisé (hors périmètre) ; R002 : usager non rattaché à la "
        "structure de l'accédant.",
        500: "R998 : un service a répondu en erreur (notamment : usager sans adresse).",
        503: "R999 : service indisponible.",
    }
    own: Responses = {
        status: {"model": model, "description": text} for status, text in codes.items()
    }
    own[403]["content"] = {"application/json": {"examples": _examples(generation, "R001", "R002")}}
    return merge_responses(own, gateway_responses(*gateway))


def _examples(generation: int, *codes: str) -> dict[str, Any]:
    return {code: {"value": error_body(ReturnCode(code), generation)} for code in codes}


def result_v2(runtime: Runtime, caller: Caller, outcome: SearchResult) -> ResultatRechercheV2:
    """The v2 answer of an outcome: 200 with a jeton for S001; R codes raise their error."""
    info = RETURN_CODES[outcome.code]
    if info.http_status != 200:
        raise RechercheError(outcome.code, 2, info.meaning)
    person = outcome.person
    if person is None:
        return ResultatRechercheV2(
            code_retour=outcome.code,
            message=info.message_v2,
            top_identite_certifiee=None,
            jeton_usager=None,
            numero_france_travail=None,
        )
    return ResultatRechercheV2(
        code_retour=ReturnCode.S001,
        message=info.message_v2,
        top_identite_certifiee="O" if person.identity_certified else "N",
        jeton_usager=runtime.references.issue_jeton(
            person.key, caller.client.client_id, caller.now_ms
        ),
        numero_france_travail=person.numero_france_travail,
    )


def search_by_nir(
    runtime: Runtime, caller: Caller, body: ParDateNaissanceEtNir | RechercheUsagerV1
) -> SearchResult:
    """Search by NIR and birth date on behalf of the caller's département.

    The candidates are the population's and the people the caller's own Annexe 1 uploads
    registered (file drop): another client never finds those.
    """
    found = runtime.population.find_by_nir(body.nir)
    found += runtime.ingested.find_by_nir(caller.client.client_id, body.nir)
    candidates = [p for p in found if p.birth_date == body.date_naissance]
    return decide(candidates, caller.client.departement, runtime.clock.now().date())


@router.post(
    "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
    operation_id="RechercherUsagerParDateNaissanceEtNir",
    summary="Rechercher un usager par date de naissance et NIR",
    response_model=ResultatRechercheV2,
    responses=_errors(RechercheErrorV2, 2, 302, 401, 403),
)
async def rechercher_par_nir(
    body: ParDateNaissanceEtNir, caller: CallerV2, agent: AgentDep, runtime: RuntimeDep
) -> ResultatRechercheV2:
    """S001 with a jeton when exactly one known person matches the NIR and the birth date."""
    return result_v2(runtime, caller, search_by_nir(runtime, caller, body))


@router.post(
    "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail",
    operation_id="RechercherUsagerParNumeroFranceTravail",
    summary="Rechercher un usager par numéro France Travail",
    response_model=ResultatRechercheV2,
    responses=_errors(RechercheErrorV2, 2, 302, 401, 403),
)
async def rechercher_par_numero(
    body: ParNumeroFranceTravail, caller: CallerV2, agent: AgentDep, runtime: RuntimeDep
) -> ResultatRechercheV2:
    """S001 with a jeton when exactly one known person has this numéro France Travail."""
    numero = body.numero_france_travail
    candidates = runtime.population.find_by_numero(numero)
    candidates += runtime.ingested.find_by_numero(caller.client.client_id, numero)
    outcome = decide(candidates, caller.client.departement, runtime.clock.now().date())
    return result_v2(runtime, caller, outcome)


@router.post(
    "/partenaire/rechercher-usager/v1/usagers/recherche",
    operation_id="RechercherUsagerV1",
    summary="Recherche usager (génération 1, convention) par NIR et date de naissance",
    response_model=ResultatRechercheV1,
    responses=_errors(RechercheErrorV1, 1, 401, 403),
)
async def rechercher_v1(
    body: RechercheUsagerV1, caller: CallerV1, runtime: RuntimeDep
) -> ResultatRechercheV1:
    """S001 with the identifiant national chiffré that the other v1 APIs take as input."""
    outcome = search_by_nir(runtime, caller, body)
    info = RETURN_CODES[outcome.code]
    if info.http_status != 200:
        raise RechercheError(outcome.code, 1, info.meaning)
    person = outcome.person
    return ResultatRechercheV1(
        code_retour=outcome.code,
        identifiant=runtime.references.identifiant(person.key) if person else None,
        message=info.message_v1,
        top_identite_certifiee=(
            None if person is None else "O" if person.identity_certified else "N"
        ),
    )
