"""Métiers recherchés and projets CREF: v2 (jeton header) and the two v1 APIs of the convention."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from sandbox.apis.deps import (
    AgentDep,
    Caller,
    IdNationalHeader,
    JetonHeader,
    RuntimeDep,
    require,
    usager_from_identifiant,
    usager_from_jeton,
)
from sandbox.apis.metiers_projets.schemas import (
    MetierRecherche,
    MetiersRecherchesV1,
    ProjetCref,
    ProjetsCrefV1,
)
from sandbox.apis.responses import BackendErrorBody, gateway_responses
from sandbox.auth.scopes import Api
from sandbox.careers import Careers, baseline
from sandbox.population.models import Person
from sandbox.runtime import Runtime

router = APIRouter(tags=["Métiers recherchés et projets CREF"])

CallerV2 = Annotated[Caller, Depends(require(Api.METIERS_PROJETS_V2))]
CallerMetiersV1 = Annotated[Caller, Depends(require(Api.METIERS_V1))]
CallerCrefV1 = Annotated[Caller, Depends(require(Api.CREATION_ENTREPRISE_V1))]

_ARRAY = (
    "Body: a JSON **array** of the person's entries, never a single object. The OpenAPI file "
    '(v1.0.40) declares the 200 schema as one object, but its descriptions say "la liste", a '
    'person has several métiers (the convention: "la liste exhaustive"), the schema has no '
    "property that could hold several, and the sister PE-Connect API built on the same profil "
    "de compétences (`/partenaire/peconnect-metiersrecherches/v1/metiersrecherches`) returns an "
    "array of the same structure. 204 without body when the person has none."
)
_RECONSTRUCTED = (
    "Path reconstructed from the convention (Annexe 2 §10.{section}): no public source names "
    "the generation-1 route; it follows the platform's `api_<name>v<N>` ↔ `/partenaire/<name>/"
    "v<N>` pattern with the v2 resource name. Input `id-national` travels as a **header**, as "
    "its hyphenated name suggests and like `ft-jeton-usager`, which replaced it: an identifiant "
    "(`<uuid>#<base64url>`) in a query string loses everything after `#` unless encoded. The "
    "convention lists the fields in lower case (`{example}`): that is the document lower-casing "
    "the camelCase keys, so the same JSON as v2 is served under a `{root}` root holding the "
    "list."
)
_TYPECREF = (
    ' The convention describes `typecrefcreation` as "reprise", `typecreffranchise` as '
    '"création" and `typecrefreprise` as "franchise", a rotation of copy-paste errors: each '
    "boolean is read by its name, as the v2 specification describes it (`typeCrefCreation` = "
    "création…)."
)
_POUVOIR_AGIR = (
    " (The convention's sentence about \"les données du pouvoir d'agir\" under this API is a "
    "copy from Diagnostic individu and is ignored.)"
)
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": BackendErrorBody, "description": "Jeton ou identifiant absent."},
    401: {
        "model": BackendErrorBody,
        "description": "Jeton d'accès refusé par la passerelle (corps vide), ou jeton usager / "
        "identifiant invalide ou expiré (corps codeErreur).",
    },
    403: {
        "model": BackendErrorBody,
        "description": "Scopes insuffisants (corps vide), jeton usager délivré à une autre "
        "application, usager non allocataire du RSA (`ERR_USAGER_HORS_PERIMETRE`, convention "
        "Annexe 3 §1.2), ou rattaché à un autre département que l'accédant "
        "(`ERR_USAGER_NON_RATTACHE`, la règle R002 de Recherche usager, appliquée à chaque "
        "appel : l'identifiant v1 est le même pour tous les clients).",
    },
}
_NO_METIER: dict[int | str, dict[str, Any]] = {
    204: {"description": "L'individu ne possède pas de métiers recherchés"}
}
_NO_PROJET: dict[int | str, dict[str, Any]] = {
    204: {"description": "L'individu ne possède pas de projets CREF"}
}


def _careers(runtime: Runtime, person: Person | None) -> Careers:
    return baseline(runtime.settings.seed, person) if person else Careers()


@router.get(
    "/partenaire/metiers-projets-entreprises/v2/metiers-recherches",
    operation_id="recupererMetiersRecherchesV2",
    summary="Récupérer les métiers recherchés et projets d'évolution professionnelle",
    description=_ARRAY,
    response_model=list[MetierRecherche],
    responses={**_NO_METIER, **_ERRORS, **gateway_responses(302)},
)
async def recuperer_metiers_recherches(
    caller: CallerV2, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> list[MetierRecherche] | Response:
    """The person's métiers recherchés and projets d'évolution."""
    person = usager_from_jeton(runtime, caller, ft_jeton_usager)
    jobs = _careers(runtime, person).jobs
    return [MetierRecherche.of(job) for job in jobs] if jobs else Response(status_code=204)


@router.get(
    "/partenaire/metiers-projets-entreprises/v2/projets-cref",
    operation_id="recupererProjetsV2",
    summary="Récupérer les projets de création, reprise et franchise d'entreprise",
    description=_ARRAY,
    response_model=list[ProjetCref],
    responses={**_NO_PROJET, **_ERRORS, **gateway_responses(302)},
)
async def recuperer_projets(
    caller: CallerV2, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> list[ProjetCref] | Response:
    """The person's projets de création, reprise ou franchise d'entreprise."""
    person = usager_from_jeton(runtime, caller, ft_jeton_usager)
    projects = _careers(runtime, person).projects
    return [ProjetCref.of(p) for p in projects] if projects else Response(status_code=204)


@router.get(
    "/partenaire/metiers-profil-competences/v1/metiers-recherches",
    operation_id="recupererMetiersRecherchesV1",
    summary="Métiers recherchés et projets d'évolution (génération 1, convention ; chemin "
    "reconstruit)",
    description=_RECONSTRUCTED.format(
        section=4, example="metierRecherche.contrats.critereore", root="metierRecherche"
    )
    + _POUVOIR_AGIR,
    response_model=MetiersRecherchesV1,
    responses={**_NO_METIER, **_ERRORS},
)
async def recuperer_metiers_recherches_v1(
    caller: CallerMetiersV1, runtime: RuntimeDep, id_national: IdNationalHeader
) -> MetiersRecherchesV1 | Response:
    """The same métiers as v2, for the person behind ``id-national``."""
    person = usager_from_identifiant(runtime, caller, id_national, "header id-national")
    jobs = _careers(runtime, person).jobs
    if not jobs:
        return Response(status_code=204)
    return MetiersRecherchesV1(metier_recherche=[MetierRecherche.of(job) for job in jobs])


@router.get(
    "/partenaire/projet-creation-entreprise/v1/projets-cref",
    operation_id="recupererProjetsCrefV1",
    summary="Création, reprise ou franchise d'entreprise (génération 1, convention ; chemin "
    "reconstruit)",
    description=_RECONSTRUCTED.format(
        section=5, example="projetCref.typecrefcreation", root="projetCref"
    )
    + _TYPECREF,
    response_model=ProjetsCrefV1,
    responses={**_NO_PROJET, **_ERRORS},
)
async def recuperer_projets_v1(
    caller: CallerCrefV1, runtime: RuntimeDep, id_national: IdNationalHeader
) -> ProjetsCrefV1 | Response:
    """The same CREF projects as v2, for the person behind ``id-national``."""
    person = usager_from_identifiant(runtime, caller, id_national, "header id-national")
    projects = _careers(runtime, person).projects
    if not projects:
        return Response(status_code=204)
    return ProjetsCrefV1(projet_cref=[ProjetCref.of(p) for p in projects])
