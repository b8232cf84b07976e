"""Orientation usager: a person's RSA orientations, one document per (OAuth client, person)."""

from sandbox.orientation.calcul import Proposal, propose
from sandbox.orientation.records import (
    Decision,
    Etat,
    Organisme,
    Parcours,
    Record,
    Statut,
    Structure,
    generated,
)
from sandbox.orientation.service import (
    MAX_PER_PERSON,
    Decided,
    Effective,
    Modified,
    OrientationService,
    Sent,
    convention_category,
    effective_orientation,
)

__all__ = [
    "MAX_PER_PERSON",
    "Decided",
    "Decision",
    "Effective",
    "Etat",
    "Modified",
    "Organisme",
    "OrientationService",
    "Parcours",
    "Proposal",
    "Record",
    "Sent",
    "Statut",
    "Structure",
    "convention_category",
    "effective_orientation",
    "generated",
    "propose",
]
