"""Gestion activités opérationnelles v2: the activities of the caller's structure, référentiel.

Realm ``/agent``: gateway token with the API's scopes and the ``pa-*`` headers; no jeton (the
API lists a structure's activities, the usager being named by ``numeroFranceTravail``). The
structure is the calling client's département: its RSA beneficiaries' activities, and no one
else's. Errors answer the published ``Erreur`` body (``code``, ``message``, ``details``).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from sandbox.apis.activites_operationnelles.schemas import (
    ActivitePage,
    ActiviteReferentiel,
    DomaineReferentiel,
    FamilleReferentiel,
)
from sandbox.apis.deps import AgentDep, Caller, RuntimeDep, require
from sandbox.apis.responses import Erreur, Responses, gateway_responses
from sandbox.auth.scopes import Api
from sandbox.errors import CodeMessageError
from sandbox.lpe.activites import (
    ACTIVITES,
    DOMAINES,
    FAMILLES,
    INCOHERENT,
    REFERENTIEL,
    Criteria,
)
from sandbox.lpe.sanctions import SanctionsService

V2 = "/partenaire/activites-operationnelles/v2"
router = APIRouter()

CallerAo = Annotated[Caller, Depends(require(Api.ACTIVITES_OPERATIONNELLES_V2))]

_ERRORS: Responses = {
    401: {"description": "Jeton d'accès refusé par la passerelle (corps vide)."},
    403: {"description": "Scopes insuffisants (passerelle, corps vide)."},
    500: {
        "model": Erreur,
        "description": "Problème serveur : servi seulement sous un profil de pannes.",
    },
    **gateway_responses(302),
}
_NO_RESULT: Responses = {204: {"description": "Aucun résultat."}}
_BAD_CODE: Responses = {
    400: {
        "model": Erreur,
        "description": "`PARAM_INCOHERENT` : code mal formé (le message dit le format attendu, "
        "`details` le paramètre).",
    }
}
_CODE = r"^[A-Z0-9]{1,20}$"


@router.get(
    f"{V2}/activites/chercher",
    operation_id="getListActivites",
    tags=["Recherche des activités"],
    summary="Récupérer la liste des activités d'une structure",
    description="Les 1000 activités les plus prioritaires (par date d'échéance ascendante) de "
    "la structure de l'appelant (les allocataires du RSA rattachés à son département) pour "
    "exactement un des critères `codeActivite`, `codeFamille` (GLI100 : sanctions ; INSEA : "
    "orientation ; MSACC : rendez-vous ; ACC100 : portefeuille) ou `codeDomaine`, "
    "éventuellement pour un seul usager (`numeroFranceTravail`). Les activités de sanction "
    "portent l'attribut `idConsequenceSanction` à fournir aux API Sanctions ; une activité "
    "traitée par Gestion des sanctions RSA v1 disparaît ou passe à l'étape suivante.",
    response_model=ActivitePage,
    responses={
        200: {"description": "Ok, la requête s'est déroulée correctement"},
        **_NO_RESULT,
        400: {
            "model": Erreur,
            "description": "Une erreur fonctionnelle a été détectée : `PARAM_INCOHERENT`, « Il "
            "faut renseigner exactement un paramètre. » (publié ; `details` les codes envoyés), "
            "un paramètre mal formé ou un curseur qui n'est pas celui d'une page précédente.",
        },
        **_ERRORS,
    },
)
async def chercher(
    caller: CallerAo,
    agent: AgentDep,
    runtime: RuntimeDep,
    code_activite: Annotated[
        str | None,
        Query(
            alias="codeActivite",
            max_length=20,
            description="Code de l'activité. String de caractères alphanumériques en majuscules.",
            examples=["ACT366"],
        ),
    ] = None,
    code_domaine: Annotated[
        str | None,
        Query(
            alias="codeDomaine",
            max_length=20,
            description="Code du domaine. String de 3 caractères alphabétiques en majuscules.",
            examples=["GLI"],
        ),
    ] = None,
    code_famille: Annotated[
        str | None,
        Query(
            alias="codeFamille",
            max_length=20,
            description="Code de la famille. String de caractères alphanumériques en majuscules.",
            examples=["GLI100"],
        ),
    ] = None,
    numero_france_travail: Annotated[
        str | None,
        Query(
            alias="numeroFranceTravail",
            max_length=20,
            description="Numero France Travail de l'usager sur lequel on recherche des activités.",
            examples=["12345678901"],
        ),
    ] = None,
    cursor: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Curseur du dernier appel. Permet de lire la suite de la liste en "
            "enrichissant ce paramètre et en laissant les paramètres du dernier appel.",
        ),
    ] = None,
) -> ActivitePage | Response:
    """One page of the structure's activities (204 when none matches)."""
    # Activities move on with the sanctions this client treated (Gestion des sanctions RSA v1).
    service = SanctionsService(runtime.store, runtime.population, runtime.clock).activities(
        caller.client.client_id
    )
    criteria = Criteria(code_activite, code_famille, code_domaine, numero_france_travail, cursor)
    page = service.search(caller.client.departement, criteria)
    if not page.activities:
        return Response(status_code=204)
    return ActivitePage.of(page)


@router.get(
    f"{V2}/referentiel-activites",
    operation_id="getReferentiel",
    tags=["Référentiel activités opérationnelles"],
    summary="Récupérer l'entièreté des activités du référentiel",
    description="Tous les domaines, leurs familles et les activités de ces familles.",
    response_model=list[DomaineReferentiel],
    responses={
        200: {"description": "Ok, la requête s'est déroulée correctement"},
        413: {
            "model": Erreur,
            "description": "Corps de requête au-delà de la limite du bac à sable (README "
            "« Limits ») : la lecture n'en attend aucun. Les 204 et 400 publiés ne se produisent "
            "pas : l'opération n'a pas de paramètre.",
        },
        **_ERRORS,
    },
)
async def referentiel(caller: CallerAo, agent: AgentDep) -> list[DomaineReferentiel]:
    """The whole référentiel."""
    return [DomaineReferentiel.of(d, detail=True) for d in REFERENTIEL]


def _bad(name: str, value: str, what: str) -> CodeMessageError:
    return CodeMessageError(
        400,
        INCOHERENT,
        f"Le paramètre {name} doit être une chaîne de {what}.",
        f"{name} is written in {what} (published parameter description).",
        details={name: value},
    )


def _code(value: str, name: str, pattern: str, what: str) -> str:
    if not re.match(pattern, value):
        raise _bad(name, value, what)
    return value


_ALNUM = "caractères alphanumériques en majuscules"
_ALPHA3 = "3 caractères alphabétiques en majuscules"


@router.get(
    f"{V2}/referentiel-activites/activites/{{codeActivite}}",
    operation_id="getActivite",
    tags=["Référentiel activités opérationnelles"],
    summary="Récupérer le code et libellé d'une activité",
    description="Le libellé de l'activité, de sa famille et de son domaine.",
    response_model=ActiviteReferentiel,
    responses={200: {"description": "Ok"}, **_NO_RESULT, **_BAD_CODE, **_ERRORS},
)
async def activite(
    caller: CallerAo,
    agent: AgentDep,
    code_activite: Annotated[str, Path(alias="codeActivite", max_length=20, examples=["ACT366"])],
) -> ActiviteReferentiel | Response:
    """One activity of the référentiel (204 for an unknown code)."""
    found = ACTIVITES.get(_code(code_activite, "codeActivite", _CODE, _ALNUM))
    if found is None:
        return Response(status_code=204)
    return ActiviteReferentiel.of(*found)


def _domaine(code: str, detail: bool) -> DomaineReferentiel | Response:
    found = DOMAINES.get(_code(code, "codeDomaine", r"^[A-Z]{3}$", _ALPHA3))
    return Response(status_code=204) if found is None else DomaineReferentiel.of(found, detail)


def _famille(code: str, detail: bool) -> FamilleReferentiel | Response:
    found = FAMILLES.get(_code(code, "codeFamille", _CODE, _ALNUM))
    return Response(status_code=204) if found is None else FamilleReferentiel.of(*found, detail)


_DOMAINE = Annotated[str, Path(alias="codeDomaine", max_length=20, examples=["GLI"])]
_FAMILLE = Annotated[str, Path(alias="codeFamille", max_length=20, examples=["GLI100"])]


@router.get(
    f"{V2}/referentiel-activites/domaines/{{codeDomaine}}",
    operation_id="getDomaine",
    tags=["Référentiel activités opérationnelles"],
    summary="Récupérer le code et libellé d'un domaine",
    response_model=DomaineReferentiel,
    responses={200: {"description": "Ok"}, **_NO_RESULT, **_BAD_CODE, **_ERRORS},
)
async def domaine(
    caller: CallerAo, agent: AgentDep, code_domaine: _DOMAINE
) -> DomaineReferentiel | Response:
    """One domain's code and libellé (204 for an unknown code)."""
    return _domaine(code_domaine, detail=False)


@router.get(
    f"{V2}/referentiel-activites/domaines/{{codeDomaine}}/detail",
    operation_id="getDomaineDetail",
    tags=["Référentiel activités opérationnelles"],
    summary="Récupérer le détail d'un domaine",
    response_model=DomaineReferentiel,
    responses={200: {"description": "Ok"}, **_NO_RESULT, **_BAD_CODE, **_ERRORS},
)
async def domaine_detail(
    caller: CallerAo, agent: AgentDep, code_domaine: _DOMAINE
) -> DomaineReferentiel | Response:
    """One domain with its families and their activities (204 for an unknown code)."""
    return _domaine(code_domaine, detail=True)


@router.get(
    f"{V2}/referentiel-activites/familles/{{codeFamille}}",
    operation_id="getFamille",
    tags=["Référentiel activités opérationnelles"],
    summary="Récupérer le code et libellé d'une famille",
    response_model=FamilleReferentiel,
    responses={200: {"description": "Ok"}, **_NO_RESULT, **_BAD_CODE, **_ERRORS},
)
async def famille(
    caller: CallerAo, agent: AgentDep, code_famille: _FAMILLE
) -> FamilleReferentiel | Response:
    """One family's code and libellé, and its domain's (204 for an unknown code)."""
    return _famille(code_famille, detail=False)


@router.get(
    f"{V2}/referentiel-activites/familles/{{codeFamille}}/detail",
    operation_id="getFamilleDetail",
    tags=["Référentiel activités opérationnelles"],
    summary="Récupérer le détail d'une famille",
    response_model=FamilleReferentiel,
    responses={200: {"description": "Ok"}, **_NO_RESULT, **_BAD_CODE, **_ERRORS},
)
async def famille_detail(
    caller: CallerAo, agent: AgentDep, code_famille: _FAMILLE
) -> FamilleReferentiel | Response:
    """One family with its activities (204 for an unknown code)."""
    return _famille(code_famille, detail=True)
