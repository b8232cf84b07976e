"""Create, modify, cancel and list a person's rendez-vous, in the state store.

Every appointment a client writes for a person lives in one document of facet ``rendez-vous``
per (client, person): a write is one ``StateStore.update`` (read, change, store in one
transaction), so it survives a restart, is seen by every process and by no other client. An
appointment is never removed: cancelling it (DELETE, or a write with statut ``ANNULE``) stamps
its ``cancelled_at`` and it stays listed, as the published ``dateAnnulation`` says ("le rdv est
annulé si non null"). So the ids of a person are numbered by creation, and each id is derived
from the seed, the client, the person and that number: the same seed and the same calls give the
same ids.

What the HTTP layer sends is kept as ``details`` (the published request, by its field names): the
domain reads only what its rules need, the date, the duration and the statut.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from sandbox.clock import Clock
from sandbox.errors import BackendError
from sandbox.randomness import derive_rng
from sandbox.state import StateStore, StorageLimitError, Update

FACET = "rendez-vous"
MAX_PER_PERSON = 200
"""Rendez-vous one client may hold for one person, cancelled ones included (README, Limits)."""
DEFAULT_PAST_DAYS = 30
"""Without date filters, past rendez-vous are listed for this many days (published)."""
DAY_FORMAT = "%d-%m-%Y"

UNKNOWN_ID_CODE = "ID_NON_RECONNU"
UNKNOWN_ID_MESSAGE = "Il n'existe pas de rdv pour l'id et l'utilisateur indiqué"


class Statut(StrEnum):
    """Statut de présence au rendez-vous (published enum)."""

    PRIS = "PRIS"
    EFFECTUE = "EFFECTUE"
    MODIFIE = "MODIFIE"
    ABSENT = "ABSENT"
    ANNULE = "ANNULE"


class Appointment(BaseModel):
    """One stored rendez-vous."""

    id: str
    date: dt.datetime
    duree: int
    statut: Statut
    details: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    cancelled_at: dt.datetime | None = None

    def end(self) -> dt.datetime:
        """When the appointment ends."""
        return self.date + dt.timedelta(minutes=self.duree)

    def active(self) -> bool:
        """Not cancelled."""
        return self.cancelled_at is None


@dataclass(frozen=True, slots=True)
class Listed:
    """An appointment as listed: with whether another active one overlaps it."""

    appointment: Appointment
    en_conflit: bool


def unknown_id(appointment_id: str) -> BackendError:
    """The platform's refusal of an id the person has no rendez-vous for (400)."""
    return BackendError(
        400,
        UNKNOWN_ID_CODE,
        UNKNOWN_ID_MESSAGE,
        "No rendez-vous of this person has this id for this client: send the id POST "
        "/rendez-vous returned for the same person (ids are per client and per person; a reset "
        "forgets them). A client may create the rendez-vous again.",
    )


def _invalid(hint: str) -> BackendError:
    return BackendError(400, "ERR_DONNEE_INCORRECTE", "Les données fournies sont incorrectes", hint)


def day_of(text: str, name: str) -> dt.date:
    """A ``dd-MM-yyyy`` query date, or the documented 400."""
    try:
        if len(text) != 10 or not text.isascii():
            raise ValueError(text)
        return dt.datetime.strptime(text, DAY_FORMAT).date()
    except ValueError:
        raise _invalid(f"{name} must be a date written dd-MM-yyyy, e.g. 10-11-2024.") from None


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Written:
    """What a create or modify sends: the published request, and the values the rules read."""

    date: dt.datetime
    duree: int
    statut: Statut
    details: dict[str, Any]


class RendezVousService:
    """The rendez-vous of one instance."""

    def __init__(self, store: StateStore, seed: int, clock: Clock) -> None:
        self._store = store
        self._seed = seed
        self._clock = clock

    def _load(self, stored: dict[str, Any] | None) -> list[Appointment]:
        items = (stored or {}).get("rendezVous", [])
        return [Appointment.model_validate(item) for item in items]

    def _write(
        self, client_id: str, person_key: str, change: Callable[[list[Appointment]], Any]
    ) -> Any:
        now = _utc(self._clock.now())
        results: list[Any] = []

        def apply(stored: dict[str, Any] | None) -> Update:
            appointments = self._load(stored)
            changed = change(appointments)
            results.append(changed)
            return Update(
                document={"rendezVous": [a.model_dump(mode="json") for a in appointments]},
                change=changed.model_dump(mode="json"),
                tags=(changed.id,),
            )

        self._store.update(client_id, person_key, FACET, now, apply)
        return results[0]

    def create(
        self,
        client_id: str,
        person_key: str,
        written: Written,
        appointment_id: str | None = None,
    ) -> str:
        """Store a new rendez-vous; returns its id. 409 past ``MAX_PER_PERSON``.

        The id is derived from the seed, unless the caller names it (``appointment_id``: the
        2024 push's ``idOrigine``), which must then be new for the person (400 otherwise).
        """
        now = _utc(self._clock.now())

        def change(appointments: list[Appointment]) -> Appointment:
            if len(appointments) >= MAX_PER_PERSON:
                raise StorageLimitError("rendez-vous per person", MAX_PER_PERSON)
            if appointment_id is not None and any(a.id == appointment_id for a in appointments):
                raise _invalid(
                    "This person already has a rendez-vous with this id for this client: "
                    "modify it instead of creating it again."
                )
            rng = derive_rng(
                self._seed, "rendez-vous-id", f"{client_id}\x1f{person_key}\x1f{len(appointments)}"
            )
            created = Appointment(
                id=appointment_id or str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                date=_utc(written.date),
                duree=written.duree,
                statut=written.statut,
                details=written.details,
                created_at=now,
                updated_at=now,
                cancelled_at=now if written.statut is Statut.ANNULE else None,
            )
            appointments.append(created)
            return created

        appointment: Appointment = self._write(client_id, person_key, change)
        return appointment.id

    def modify(
        self, client_id: str, person_key: str, appointment_id: str, written: Written
    ) -> None:
        """Replace a rendez-vous' content; ``ID_NON_RECONNU`` for an unknown id.

        A cancelled rendez-vous stays cancelled: modifying it is refused (400).
        """
        now = _utc(self._clock.now())

        def change(appointments: list[Appointment]) -> Appointment:
            index = _index(appointments, appointment_id)
            current = appointments[index]
            if not current.active():
                raise _invalid(
                    "This rendez-vous is cancelled (DELETE, or statut ANNULE): a cancelled "
                    "rendez-vous cannot be modified; create a new one."
                )
            updated = current.model_copy(
                update={
                    "date": _utc(written.date),
                    "duree": written.duree,
                    "statut": written.statut,
                    "details": written.details,
                    "updated_at": now,
                    "cancelled_at": now if written.statut is Statut.ANNULE else None,
                }
            )
            appointments[index] = updated
            return updated

        self._write(client_id, person_key, change)

    def cancel(self, client_id: str, person_key: str, appointment_id: str) -> None:
        """Cancel a rendez-vous (statut ``ANNULE``, ``dateAnnulation`` now); idempotent."""
        now = _utc(self._clock.now())

        def change(appointments: list[Appointment]) -> Appointment:
            index = _index(appointments, appointment_id)
            current = appointments[index]
            if current.active():
                current = current.model_copy(
                    update={"statut": Statut.ANNULE, "cancelled_at": now, "updated_at": now}
                )
                appointments[index] = current
            return current

        self._write(client_id, person_key, change)

    def appointments(self, client_id: str, person_key: str) -> list[Appointment]:
        """Every rendez-vous this client holds for the person, cancelled ones included."""
        return self._load(self._store.read(client_id, person_key, FACET))

    def listing(
        self,
        client_id: str,
        person_key: str,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> list[Listed]:
        """The person's rendez-vous from ``start`` to ``end`` (days, both included), by date.

        Without either bound: every future rendez-vous and those of the last 30 days. One bound
        alone leaves the other side open.
        """
        if start is not None and end is not None and start > end:
            raise _invalid("date-debut is after date-fin: send a range whose start comes first.")
        appointments = self._load(self._store.read(client_id, person_key, FACET))
        if start is None and end is None:
            low: dt.datetime | None = _utc(self._clock.now()) - dt.timedelta(DEFAULT_PAST_DAYS)
            high: dt.datetime | None = None
        else:
            low = _midnight(start) if start else None
            high = _midnight(end + dt.timedelta(days=1)) if end and end < dt.date.max else None
        chosen = [
            a
            for a in appointments
            if (low is None or a.date >= low) and (high is None or a.date < high)
        ]
        chosen.sort(key=lambda a: (a.date, a.created_at, a.id))
        return [Listed(a, _in_conflict(a, appointments)) for a in chosen]


def _index(appointments: list[Appointment], appointment_id: str) -> int:
    for index, appointment in enumerate(appointments):
        if appointment.id == appointment_id:
            return index
    raise unknown_id(appointment_id)


def _in_conflict(appointment: Appointment, appointments: list[Appointment]) -> bool:
    """Another active rendez-vous of the person overlaps this active one (published rule)."""
    if not appointment.active():
        return False
    start, end = appointment.date, appointment.end()
    return any(
        other.id != appointment.id and other.active() and other.date < end and start < other.end()
        for other in appointments
    )
