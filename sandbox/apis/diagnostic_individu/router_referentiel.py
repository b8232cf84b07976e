"""Référentiel routes of Diagnostic Usager v4: gateway token and ``pa-*`` headers, no jeton.

An unknown domaine or sous-domaine answers 404 in the back-end error shape
(``ERR_RESSOURCE_INCONNUE``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from sandbox.apis.deps import agent_headers, require
from sandbox.apis.diagnostic_individu.schemas_referentiel import (
    DonneesReferentielDto,
    analyses,
    donnees,
    parse_domaine,
)
from sandbox.apis.responses import BackendErrorBody, gateway_responses
from sandbox.auth.scopes import Api
from sandbox.diagnostics.models import Reponse

V4 = "/partenaire/diagnosticargumente/v4"
router = APIRouter(
    tags=["Diagnostic individu v4 — référentiel"],
    dependencies=[Depends(require(Api.DIAGNOSTIC_V4)), Depends(agent_headers)],
)

Inclure = Annotated[
    Literal["aide-questionnement"] | None,
    Query(description="Ajoute l'aide au questionnement (non publiée : listes vides)."),
]
_GATEWAY = gateway_responses(302, 401, 403)
_UNKNOWN: dict[int | str, dict[str, Any]] = {
    400: {"model": BackendErrorBody, "description": "Paramètre de requête invalide."},
    404: {"model": BackendErrorBody, "description": "Domaine ou sous-domaine inconnu."},
}


@router.get(
    f"{V4}/referentiel",
    operation_id="recupererReferentiel",
    summary="Récupère l'ensemble des données du référentiel pour le diagnostic",
    response_model=DonneesReferentielDto,
    response_model_exclude_none=True,
    responses={**_GATEWAY, 400: _UNKNOWN[400]},
)
async def recuperer_referentiel(inclure: Inclure = None) -> DonneesReferentielDto:
    """Besoins, contraintes with situations and objectifs, pouvoir d'agir."""
    return donnees(with_aide=inclure is not None)


@router.get(
    f"{V4}/referentiel/pouvoir-agir/analyse",
    operation_id="recupererPouvoirAgirAnalyseReferentiel",
    summary="Récupère le référentiel des analyses du pouvoir d'agir",
    response_model=DonneesReferentielDto,
    response_model_exclude_none=True,
    responses={**_GATEWAY, 400: _UNKNOWN[400]},
)
async def recuperer_analyses(
    confiance: Annotated[Reponse | None, Query(description="Réponse sur la confiance.")] = None,
    accompagnement: Annotated[
        Reponse | None, Query(description="Réponse sur le besoin d'accompagnement.")
    ] = None,
    inclure: Inclure = None,
) -> DonneesReferentielDto:
    """The matrix cells matching the answers given (all nine without answers)."""
    return analyses(confiance, accompagnement)


@router.get(
    f"{V4}/referentiel/{{domaine}}",
    operation_id="recupererDomaineReferentiel",
    summary="Récupère les données du référentiel, restreint à un domaine",
    response_model=DonneesReferentielDto,
    response_model_exclude_none=True,
    responses={**_GATEWAY, **_UNKNOWN},
)
async def recuperer_domaine(
    domaine: Annotated[str, Path(description="besoin, contrainte ou pouvoir-agir.")],
    inclure: Inclure = None,
) -> DonneesReferentielDto:
    """One domaine of the référentiel."""
    parsed, _ = parse_domaine(domaine)
    return donnees(parsed, with_aide=inclure is not None)


@router.get(
    f"{V4}/referentiel/{{domaine}}/{{sous_domaine}}",
    operation_id="recupererSousDomaineReferentiel",
    summary="Récupère les données du référentiel, restreint au domaine et sous-domaine",
    response_model=DonneesReferentielDto,
    response_model_exclude_none=True,
    responses={**_GATEWAY, **_UNKNOWN},
)
async def recuperer_sous_domaine(
    domaine: Annotated[str, Path(description="contrainte ou pouvoir-agir.")],
    sous_domaine: Annotated[
        str,
        Path(
            description="Le {sous-domaine} de la plateforme (nom de paramètre sans tiret ici) : "
            "situation ou objectif (contrainte) ; question ou analyse (pouvoir-agir).",
        ),
    ],
    inclure: Inclure = None,
) -> DonneesReferentielDto:
    """Situations, objectifs, questions or analyses."""
    parsed, parsed_sous = parse_domaine(domaine, sous_domaine)
    return donnees(parsed, parsed_sous, with_aide=inclure is not None)
