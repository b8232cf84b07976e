"""Authenticated, deterministic sealing of small payloads (a SIV construction over HMAC/SHAKE).

Tokens, jetons usager and v1 identifiants are opaque to clients and cannot be forged or altered
without the instance's secret key; sealing the same payload twice gives the same bytes, which is
what makes a v1 ``identifiant`` stable per person.
"""

from __future__ import annotations

import hashlib
import hmac

TAG_BYTES = 16
_MAX_PAYLOAD = 0xFFFF


class SealError(ValueError):
    """The blob was not sealed with this key, or was altered."""


class Sealer:
    """Seals and opens payloads with one secret key."""

    def __init__(self, key: bytes, purpose: str) -> None:
        self._mac_key = hmac.new(key, f"mac:{purpose}".encode(), hashlib.sha256).digest()
        self._enc_key = hmac.new(key, f"enc:{purpose}".encode(), hashlib.sha256).digest()

    def _mac(self, plain: bytes) -> bytes:
        return hmac.digest(self._mac_key, plain, "sha256")[:TAG_BYTES]

    def _xor_keystream(self, tag: bytes, data: bytes) -> bytes:
        # One big-integer XOR instead of a Python loop over the bytes: tokens and jetons are
        # sealed or opened on every request.
        stream = hashlib.shake_256(self._enc_key + tag).digest(len(data))
        mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
        return mixed.to_bytes(len(data), "big")

    def seal(self, payload: bytes, pad_to: int = 0) -> bytes:
        """Return ``tag + ciphertext``; the payload is padded to ``pad_to`` bytes (hides length)."""
        if len(payload) > _MAX_PAYLOAD:
            raise ValueError("payload too long to seal")
        plain = len(payload).to_bytes(2, "big") + payload
        plain += b"\0" * max(0, pad_to - len(plain))
        tag = self._mac(plain)
        return tag + self._xor_keystream(tag, plain)

    def open(self, blob: bytes) -> bytes:
        """Return the payload of a sealed blob; raise ``SealError`` if it is not authentic."""
        if len(blob) <= TAG_BYTES:
            raise SealError("too short")
        tag, cipher = blob[:TAG_BYTES], blob[TAG_BYTES:]
        plain = self._xor_keystream(tag, cipher)
        if not hmac.compare_digest(tag, self._mac(plain)):
            raise SealError("authentication failed")
        length = int.from_bytes(plain[:2], "big")
        if length > len(plain) - 2:
            raise SealError("bad length")
        return plain[2 : 2 + length]
