"""Loi plein emploi APIs of the départements: contrat d'engagement (CER or PPAE)."""

from sandbox.lpe.engagement import (
    MAX_WRITES_PER_PERSON,
    Action,
    Contract,
    EngagementService,
    Etat,
    TypeContrat,
    contract_type,
    derived_contract,
)
from sandbox.lpe.orientation import orientation_of

__all__ = [
    "MAX_WRITES_PER_PERSON",
    "Action",
    "Contract",
    "EngagementService",
    "Etat",
    "TypeContrat",
    "contract_type",
    "derived_contract",
    "orientation_of",
]
