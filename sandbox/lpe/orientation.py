"""The one place the Loi plein emploi APIs read a person's orientation."""

from __future__ import annotations

from sandbox.population.models import Orientation, Person


def orientation_of(person: Person) -> Orientation | None:
    """The person's current RSA orientation (None: not oriented yet).

    Every LPE rule (which contract, which activities) reads the orientation through here, so
    that written orientations, once served, change them in one place.
    """
    return person.rsa.orientation
