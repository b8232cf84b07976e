"""Rendez-vous partenaire: a person's appointments, one document per (OAuth client, person)."""

from sandbox.rendezvous.push import Mode, Participation, push
from sandbox.rendezvous.service import (
    MAX_PER_PERSON,
    Appointment,
    Listed,
    RendezVousService,
    Statut,
    Written,
    day_of,
)

__all__ = [
    "MAX_PER_PERSON",
    "Appointment",
    "Listed",
    "Mode",
    "Participation",
    "RendezVousService",
    "Statut",
    "Written",
    "day_of",
    "push",
]
