"""Métiers recherchés and projets CREF: v2 (jeton header) and the two v1 APIs of the convention.

The v2 routes are built per instance (``v2_router``): their 200 body is the published single
object by default, or the list reading when the instance is started with
``FT_SANDBOX_METIERS_SHAPE=liste`` — and the instance's own ``/openapi.json`` documents the
shape it serves.
"""

from __future__ import annotations

from enum import Enum
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
from sandbox.settings import MetiersShape

TAGS: list[str | Enum] = ["Métiers recherchés et projets CREF"]
router = APIRouter(tags=TAGS)

CallerV2 = Annotated[Caller, Depends(require(Api.METIERS_PROJETS_V2))]
CallerMetiersV1 = Annotated[Caller, Depends(require(Api.METIERS_V1))]
CallerCrefV1 = Annotated[Caller, Depends(require(Api.CREATION_ENTREPRISE_V1))]

_OBJECT = (
    "Corps : **un seul objet** `{model}`, comme le schéma publié (v1.0.40), qu'un client généré "
    "depuis ce fichier désérialise tel quel : la première entrée du profil de compétences de "
    "l'usager (sa première {entry}). 204 sans corps quand il n'en a aucune. Autre lecture, en "
    "option (`FT_SANDBOX_METIERS_SHAPE=liste`) : les descriptions publiées disent « la liste », "
    "un usager a plusieurs entrées (la convention : « la liste exhaustive ») et l'API sœur "
    "PE-Connect bâtie sur le même profil (`/partenaire/peconnect-metiersrecherches/v1/"
    "metiersrecherches`) répond un tableau de la même structure ; une instance démarrée ainsi "
    "sert toutes les entrées dans un tableau et son propre `/openapi.json` le documente."
)
_ARRAY = (
    "Corps : un **tableau** de toutes les entrées `{model}` de l'usager (lecture « liste », "
    "option `FT_SANDBOX_METIERS_SHAPE=liste` de cette instance), alors que le schéma publié "
    "(v1.0.40) déclare un seul objet : ses descriptions disent « la liste », un usager a "
    "plusieurs entrées et l'API sœur PE-Connect répond un tableau de la même structure. 204 sans "
    "corps quand il n'en a aucune."
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


def v2_router(shape: MetiersShape) -> APIRouter:
    """The two v2 routes, answering the published object or, with ``liste``, every entry."""
    v2 = APIRouter(tags=TAGS)
    listed = shape == "liste"
    text = _ARRAY if listed else _OBJECT

    @v2.get(
        "/partenaire/metiers-projets-entreprises/v2/metiers-recherches",
        operation_id="recupererMetiersRecherchesV2",
        summary="Récupérer les métiers recherchés et projets d'évolution professionnelle",
        description=text.format(
            model="metierRecherche", entry="entrée métier recherché ou projet d'évolution"
        ),
        response_model=list[MetierRecherche] if listed else MetierRecherche,
        responses={**_NO_METIER, **_ERRORS, **gateway_responses(302)},
    )
    async def recuperer_metiers_recherches(
        caller: CallerV2, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
    ) -> list[MetierRecherche] | MetierRecherche | Response:
        """The person's métiers recherchés and projets d'évolution."""
        person = usager_from_jeton(runtime, caller, ft_jeton_usager)
        jobs = [MetierRecherche.of(job) for job in _careers(runtime, person).jobs]
        if not jobs:
            return Response(status_code=204)
        return jobs if listed else jobs[0]

    @v2.get(
        "/partenaire/metiers-projets-entreprises/v2/projets-cref",
        operation_id="recupererProjetsV2",
        summary="Récupérer les projets de création, reprise et franchise d'entreprise",
        description=text.format(model="projetCref", entry="entrée projet CREF"),
        response_model=list[ProjetCref] if listed else ProjetCref,
        responses={**_NO_PROJET, **_ERRORS, **gateway_responses(302)},
    )
    async def recuperer_projets(
        caller: CallerV2, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
    ) -> list[ProjetCref] | ProjetCref | Response:
        """The person's projets de création, reprise ou franchise d'entreprise."""
        person = usager_from_jeton(runtime, caller, ft_jeton_usager)
        projects = [ProjetCref.of(p) for p in _careers(runtime, person).projects]
        if not projects:
            return Response(status_code=204)
        return projects if listed else projects[0]

    return v2


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
