"""A keyed, invertible permutation of ``range(size)``.

The population never stores people: identifiers (NIR, numéro France Travail) are computed from a
person's index through this permutation, and an identifier is turned back into an index through
its inverse. A look-up is then a handful of hashes, whatever the population size.

It is a balanced Feistel network over the smallest even number of bits that covers ``size``,
with cycle walking to stay inside the domain, and a SplitMix64 finaliser as round function
(integer arithmetic: a hash object per round would cost ten times more on the look-up path).
It scrambles; it is not meant as cryptography: what must be unforgeable is sealed elsewhere.
"""

from __future__ import annotations

import hashlib

_ROUNDS = 4
_MASK64 = (1 << 64) - 1


class KeyedPermutation:
    """A bijection of ``range(size)`` onto itself, fixed by ``key``."""

    def __init__(self, size: int, key: bytes) -> None:
        if size < 1:
            raise ValueError("size must be positive")
        self.size = size
        bits = max(2, (size - 1).bit_length())
        self._half_bits = (bits + 1) // 2
        self._mask = (1 << self._half_bits) - 1
        self._round_keys = [
            int.from_bytes(hashlib.blake2b(key + bytes([r]), digest_size=8).digest(), "big")
            for r in range(_ROUNDS)
        ]
        self._reversed_keys = self._round_keys[::-1]

    # The SplitMix64 rounds are written out in the two loops below rather than called: a method
    # call per round was most of the cost of a look-up.
    def _encrypt_once(self, x: int) -> int:
        half, mask = self._half_bits, self._mask
        left, right = x >> half, x & mask
        for key in self._round_keys:
            z = (right + key) & _MASK64
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
            left, right = right, left ^ ((z ^ (z >> 31)) & mask)
        return (left << half) | right

    def _decrypt_once(self, y: int) -> int:
        half, mask = self._half_bits, self._mask
        left, right = y >> half, y & mask
        for key in self._reversed_keys:
            z = (left + key) & _MASK64
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
            left, right = right ^ ((z ^ (z >> 31)) & mask), left
        return (left << half) | right

    def forward(self, x: int) -> int:
        """Map ``x`` in ``range(size)`` to its image in ``range(size)``."""
        if not 0 <= x < self.size:
            raise ValueError("outside the permutation's domain")
        y = self._encrypt_once(x)
        while y >= self.size:
            y = self._encrypt_once(y)
        return y

    def inverse(self, y: int) -> int:
        """Map an image back to the ``x`` it came from."""
        if not 0 <= y < self.size:
            raise ValueError("outside the permutation's domain")
        x = self._decrypt_once(y)
        while x >= self.size:
            x = self._decrypt_once(x)
        return x
