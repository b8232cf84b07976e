"""How a cell's value appears in a finding: never a full NIR, a name, an address or a courriel.

Every value goes through ``sandbox.privacy`` (``mask_nir``, ``initials``, then ``scrub``). A
value of a column that is not personal is still cut down: any run of more than three letters
keeps only its first letter, since a name typed in the wrong column is still a name; codes
(« DEM », « CER », « 2A ») and digits stay readable, and a run of digits shaped like a NIR is
masked by ``scrub``.
"""

from __future__ import annotations

import re

from sandbox.exchange.columns import Masking
from sandbox.privacy import MASK, initials, mask_nir, scrub

MAX_SHOWN = 40
_LONG_WORD = re.compile(r"([^\W\d_])[^\W\d_]{3,}")


def mask_value(value: str, masking: Masking) -> str:
    """The value as a report may show it."""
    if masking is Masking.NIR:
        return mask_nir(_shorten(value[:15]))
    if masking is Masking.NAME:
        return initials(value[:MAX_SHOWN])
    if masking is Masking.EMAIL:
        domain = value.rpartition("@")[2] if "@" in value else ""
        return f"{value[:1]}***@{_shorten(domain)[:MAX_SHOWN]}" if domain else MASK
    if masking is Masking.PHONE:
        digits = [c for c in value if c.isdigit()]
        return "*" * max(0, len(digits) - 2) + "".join(digits[-2:])
    if masking is Masking.HIDDEN:
        return MASK
    return scrub(_shorten(value[:MAX_SHOWN])) + ("…" if len(value) > MAX_SHOWN else "")


def _shorten(text: str) -> str:
    return _LONG_WORD.sub(r"\1.", text)
