"""The only source of randomness: independent, reproducible streams derived from one seed.

Streams are derived with a stable digest (BLAKE2b), never with the built-in ``hash()``, which
changes from one process to the next; so the same seed gives the same people on every machine.
"""

from __future__ import annotations

import hashlib
import random
from typing import TypeVar

_T = TypeVar("_T")


def derive_seed(seed: int, purpose: str, key: int | str) -> int:
    """Return a 64-bit integer that depends only on (seed, purpose, key)."""
    material = f"{seed}\x1f{purpose}\x1f{key}".encode()
    return int.from_bytes(hashlib.blake2b(material, digest_size=8).digest(), "big")


def derive_rng(seed: int, purpose: str, key: int | str) -> random.Random:
    """Return a fresh ``random.Random`` for one (purpose, key) pair, e.g. ("civil", 42)."""
    return random.Random(derive_seed(seed, purpose, key))


def derive_key(seed: int, purpose: str) -> bytes:
    """Return 32 bytes of key material for keyed permutations and MACs."""
    return hashlib.blake2b(f"{seed}\x1f{purpose}".encode(), digest_size=32).digest()


def weighted_choice(rng: random.Random, choices: tuple[tuple[_T, float], ...]) -> _T:
    """Draw one value from ``(value, weight)`` pairs with one ``rng.random()``."""
    roll = rng.random() * sum(weight for _, weight in choices)
    for value, weight in choices:
        roll -= weight
        if roll < 0:
            return value
    return choices[-1][0]
