"""Optional response fields: left out of the JSON when absent, never sent as ``null``.

France Travail's published schemas declare almost every property optional and almost none
nullable, so a client generated from them accepts a missing key and may reject a ``null``. A wire
field written ``value: X | Omitted = omissible("why it can be absent")`` is documented as a
non-required, non-nullable ``X``, and its key is left out of the answer when the value is
``None``. Fields that do stay nullable (the published examples send ``null``) say why in their
description, and ``tests/contracts/test_nullable_fields.py`` holds the list.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

Omitted = SkipJsonSchema[None]
"""The ``None`` of an omissible field: accepted in Python, absent from the JSON Schema."""


def _absent(value: object) -> bool:
    return value is None


def omissible(description: str, **kwargs: Any) -> Any:
    """A field whose key is omitted when its value is ``None``; ``description`` says when."""
    return Field(default=None, exclude_if=_absent, description=description, **kwargs)
