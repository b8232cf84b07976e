"""The synthetic population: generated people plus hand-written personas, looked up in O(1).

Generated person *i* is computed on demand from (seed, i); nothing per person is stored but a
bounded cache of the people last asked for. A NIR is turned back into *i* through the inverse of a
keyed permutation (see ``nir_space`` and ``permutation``), so a population of two million answers
as fast as one of ten thousand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence

from sandbox.population.generator import PersonFactory
from sandbox.population.models import Person
from sandbox.population.nir_space import NirSpace
from sandbox.population.permutation import KeyedPermutation
from sandbox.randomness import derive_key

__all__ = ["Person", "Population"]

_NUMERO_SPACE = 10**10


class Population:
    """Look-ups by NIR, numéro France Travail and person key over generated people and personas."""

    def __init__(
        self, seed: int, size: int, epoch: dt.date, personas: Sequence[Person] = ()
    ) -> None:
        self.seed = seed
        self.size = size
        self.epoch = epoch
        self._space = NirSpace(epoch.year)
        if size > self._space.capacity:
            raise ValueError(f"population_size is limited to {self._space.capacity}")
        self._nir_order = KeyedPermutation(self._space.capacity, derive_key(seed, "nir"))
        self._numero_order = KeyedPermutation(_NUMERO_SPACE, derive_key(seed, "numero"))
        self._factory = PersonFactory(seed, epoch)
        self.personas = tuple(personas)
        self._persona_by_key = {p.key: p for p in self.personas}
        self._personas_by_nir: dict[str, list[Person]] = defaultdict(list)
        self._personas_by_numero: dict[str, list[Person]] = defaultdict(list)
        for persona in self.personas:
            self._personas_by_nir[persona.nir_body].append(persona)
            self._personas_by_numero[persona.numero_france_travail].append(persona)

    def __len__(self) -> int:
        return self.size + len(self.personas)

    def generated(self, index: int) -> Person:
        """Return generated person ``index`` (0 ≤ index < size)."""
        if not 0 <= index < self.size:
            raise IndexError(index)
        return self._person(index, self._nir_order.forward(index))

    def _person(self, index: int, x: int) -> Person:
        """Person ``index``, whose point in the NIR space is ``x``."""
        numero = f"1{self._numero_order.forward(index):010d}"
        return self._factory.build(index, self._space.decode(x), numero)

    def get(self, key: str) -> Person | None:
        """Return the person with this key (``g<index>`` or ``p-<persona id>``), if any."""
        if key.startswith("g") and key[1:].isdigit():
            index = int(key[1:])
            return self.generated(index) if index < self.size else None
        return self._persona_by_key.get(key)

    def find_by_nir(self, nir_body: str) -> list[Person]:
        """Everyone whose NIR starts with this 13-character body."""
        found = list(self._personas_by_nir.get(nir_body, ()))
        x = self._space.encode(nir_body)
        if x is not None:
            index = self._nir_order.inverse(x)
            if index < self.size:
                found.append(self._person(index, x))
        return found

    def find_by_numero(self, numero: str) -> list[Person]:
        """Everyone with this numéro France Travail."""
        found = list(self._personas_by_numero.get(numero, ()))
        if len(numero) == 11 and numero.startswith("1") and numero.isdigit():
            index = self._numero_order.inverse(int(numero[1:]))
            if index < self.size:
                found.append(self.generated(index))
        return found

    def sample(self, count: int) -> Iterator[Person]:
        """The personas first, then generated people in index order, ``count`` in all."""
        yielded = 0
        for persona in self.personas:
            if yielded == count:
                return
            yield persona
            yielded += 1
        for index in range(min(self.size, count - yielded)):
            yield self.generated(index)
