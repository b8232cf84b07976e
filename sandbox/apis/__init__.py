"""Partner APIs: a thin HTTP layer over the population and the auth services."""

from __future__ import annotations

from fastapi import APIRouter

from sandbox.apis.activites_operationnelles.router import router as activites_operationnelles
from sandbox.apis.conclusions_entretiens.router import router as conclusions_entretiens
from sandbox.apis.contrat_engagement.router import router as contrat_engagement
from sandbox.apis.diagnostic_individu.router import router as diagnostic_individu
from sandbox.apis.donnees_rqth.router import router as donnees_rqth
from sandbox.apis.gestion_sanctions_rsa.router import router as gestion_sanctions_rsa
from sandbox.apis.informations_administratives.router import router as informations_administratives
from sandbox.apis.metiers_projets.router import router as metiers_projets
from sandbox.apis.metiers_projets.router import v2_router as metiers_projets_v2
from sandbox.apis.orientation_usager.router import router as orientation_usager
from sandbox.apis.recherche_usager.router import router as recherche_usager
from sandbox.apis.rendez_vous.router import router as rendez_vous
from sandbox.apis.rendez_vous_push.router import router as rendez_vous_push
from sandbox.apis.statut_usager.router import router as statut_usager

PARTNER_ROUTERS: tuple[APIRouter, ...] = (
    recherche_usager,
    statut_usager,
    diagnostic_individu,
    metiers_projets,
    informations_administratives,
    rendez_vous,
    conclusions_entretiens,
    orientation_usager,
    donnees_rqth,
    rendez_vous_push,
    contrat_engagement,
    activites_operationnelles,
    gestion_sanctions_rsa,
)
"""Every partner API router built once, in contract order (then ``metiers_projets_v2``)."""

__all__ = ["PARTNER_ROUTERS", "metiers_projets_v2"]
