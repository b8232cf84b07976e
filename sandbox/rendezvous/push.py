"""The 2024 rendez-vous push (realm ``/partenaire``): one payload, several participants.

A push names a rendez-vous by the client's own ``idOrigine`` and lists its participants; each
participant is a person, so each gets one appointment in the same store as Rendez-vous
partenaire v1 (facet ``rendez-vous``, per client and person), whose id is the ``idOrigine``:
the v1 list serves it as ``idOrigine`` and v1's PUT and DELETE take it. Every mode works per
listed participant:

- ``création`` creates the appointment for each participant (400 if one already holds this
  ``idOrigine``: send ``modification``);
- ``modification`` replaces it for each participant (400 ``ID_NON_RECONNU`` if one does not
  hold it, 400 if it was cancelled);
- ``suppression`` cancels it for each participant (400 ``ID_NON_RECONNU`` if one does not hold
  it; cancelling twice is harmless).

Every participant is checked (existence, cancellation, the ``MAX_PER_PERSON`` cap) before
anything is written, so a refused push stores nothing; the writes themselves are one
transaction per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sandbox.errors import BackendError
from sandbox.rendezvous.service import (
    MAX_PER_PERSON,
    UNKNOWN_ID_CODE,
    UNKNOWN_ID_MESSAGE,
    Appointment,
    RendezVousService,
    Written,
)
from sandbox.state import StorageLimitError


class Mode(StrEnum):
    """What a push does (the payload's ``mode``, accented as the convention era wrote it)."""

    CREATION = "création"
    MODIFICATION = "modification"
    SUPPRESSION = "suppression"


@dataclass(frozen=True, slots=True)
class Participation:
    """One participant of a push: where it stands in ``participants``, who, and what to store.

    ``written`` is None for a ``suppression``, which stores nothing new.
    """

    index: int
    person_key: str
    written: Written | None


def _held(appointments: list[Appointment], id_origine: str) -> Appointment | None:
    return next((a for a in appointments if a.id == id_origine), None)


def _invalid(message: str, hint: str) -> BackendError:
    return BackendError(400, "ERR_DONNEE_INCORRECTE", message, hint)


def _check(
    service: RendezVousService,
    client_id: str,
    id_origine: str,
    mode: Mode,
    participation: Participation,
) -> None:
    where = f"participants[{participation.index}]"
    appointments = service.appointments(client_id, participation.person_key)
    held = _held(appointments, id_origine)
    if mode is Mode.CREATION:
        if held is not None:
            raise _invalid(
                f"Le rendez-vous {id_origine} existe déjà pour le participant {where}",
                f"{where} already has the rendez-vous idOrigine {id_origine} for this client: "
                "send mode modification to change it (or suppression to cancel it).",
            )
        if len(appointments) >= MAX_PER_PERSON:
            raise StorageLimitError(f"rendez-vous per person ({where})", MAX_PER_PERSON)
        return
    if held is None:
        raise BackendError(
            400,
            UNKNOWN_ID_CODE,
            UNKNOWN_ID_MESSAGE,
            f"{where} has no rendez-vous idOrigine {id_origine} for this client: send mode "
            "création first (idOrigine is per client and per participant; a reset forgets it).",
        )
    if mode is Mode.MODIFICATION and not held.active():
        raise _invalid(
            f"Le rendez-vous {id_origine} du participant {where} est annulé",
            f"The rendez-vous idOrigine {id_origine} of {where} is cancelled (suppression, or "
            "dateAnnulation sent): it cannot be modified; create a new one with another idOrigine.",
        )


def push(
    service: RendezVousService,
    client_id: str,
    id_origine: str,
    mode: Mode,
    participations: list[Participation],
) -> None:
    """Apply one push for every participant, after checking them all (module docstring)."""
    for participation in participations:
        _check(service, client_id, id_origine, mode, participation)
    for participation in participations:
        key, written = participation.person_key, participation.written
        if mode is Mode.SUPPRESSION:
            service.cancel(client_id, key, id_origine)
        elif written is None:
            raise ValueError(f"a {mode} push needs what to store for each participant")
        elif mode is Mode.CREATION:
            service.create(client_id, key, written, appointment_id=id_origine)
        else:
            service.modify(client_id, key, id_origine, written)
