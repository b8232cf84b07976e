"""The one place the Loi plein emploi APIs read a person's orientation."""

from __future__ import annotations

from sandbox.orientation import Effective
from sandbox.orientation.records import Organisme, Parcours
from sandbox.population.models import Orientation, Person

_BY_PARCOURS = {
    Parcours.PED: Orientation.PRO,
    Parcours.PSP: Orientation.SOCIO_PRO,
    Parcours.PSO: Orientation.SOCIAL,
}


def orientation_of(person: Person, effective: Effective | None = None) -> Orientation | None:
    """The person's current RSA orientation (None: not oriented yet).

    Every LPE rule (which contract, which activities) reads the orientation through here. Given
    the orientation a client sees (``sandbox.orientation.effective_orientation``), the one that
    client wrote wins: its parcours (PED, PSP, PSO), or for another parcours its organisme
    (France Travail: professional, else social); no open orientation is "not oriented".
    """
    if effective is None or not effective.written:
        return person.rsa.orientation
    record = effective.record
    if record is None:
        return None
    if record.parcours in _BY_PARCOURS:
        return _BY_PARCOURS[record.parcours]
    return Orientation.PRO if record.organisme is Organisme.FT else Orientation.SOCIAL
