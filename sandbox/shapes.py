"""A body reduced to its masked *shape*: what the journal keeps of requests and answers.

A shape keeps what a conformance rule needs and nothing that identifies a person: field names,
code values (``codeRetour``, ``codeErreur``, ``topIdentiteCertifiee``, ``typeX``…), the format
of dates, a NIR masked to its first 7 characters with the keyed hash of the whole (the person,
never the value), and the keyed hash of the references a client
is handed and sends back (``jetonUsager``, ``identifiant``, ``access_token``) so that a later
call can be tied to the answer it came from. Every other string, every number, every name or
free text becomes a placeholder (``<string>``, ``<number>``…).

Bounded: bodies longer than ``MAX_BODY_BYTES`` are neither kept nor parsed, at most
``MAX_NODES`` values and ``MAX_DEPTH`` levels are described, a list is described by its length
and its first item.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import orjson

from sandbox.privacy import MASK, contains_credential, contains_nir, mask_nir

MAX_BODY_BYTES = 65_536
MAX_NODES = 256
MAX_DEPTH = 8
MORE = "…"

Hasher = Callable[[str, str], str]
"""``(kind, value) -> keyed hash``: the journal's ``identity``."""

# Field names whose short, space-free values are codes from a published list, not free text.
_CODE_FIELD = re.compile(r"(?i)^(code|top|type|etat|statut|categorie|niveau|grant_type)|code$")
# A code is upper case with a digit or an underscore (S001, ERR_USAGER_NON_RATTACHE), or at most
# 3 characters (O, N, RSA): a word such as a name in capitals is not taken for one.
_CODE_VALUE = re.compile(r"^(?:[A-Z0-9.\-]{0,31}[0-9_][A-Z0-9_.\-]{0,31}|[A-Z0-9]{1,3})$")
_LONG_NUMBER = re.compile(r"\d{5,}")
# References handed to a client and sent back by it: kept as keyed hashes, never as values.
_HASHED_FIELDS = {
    "jetonUsager": "jeton",
    "jeton": "jeton",
    "identifiant": "identifiant",
    "idNat": "identifiant",
    "access_token": "token",
}
_SECRET_FIELDS = frozenset({"client_secret", "password", "motDePasse", "secret"})
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,47}$")
_DATES = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "<date AAAA-MM-JJ>"),
    (re.compile(r"^\d{2}/\d{2}/\d{4}$"), "<date JJ/MM/AAAA>"),
    (re.compile(r"^\d{8}$"), "<date AAAAMMJJ>"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"), "<datetime>"),
)
_NIR_BODY = re.compile(r"^[1-478]\d{4}(\d{2}|2[AaBb])\d{6}(\d{2})?$")
_SEPARATORS = re.compile(r"[ .\-]")


# Memoised: the same keys and the same short values come back in every call of a client.
_CACHE_SIZE = 8192
_names: dict[str, str] = {}
_strings: dict[tuple[str, str], str] = {}


def field_name(name: str) -> str:
    """A field name as the journal may keep it: a name-like key, else a placeholder."""
    kept = _names.get(name)
    if kept is None:
        ok = _KEY.match(name) and not contains_nir(name) and not contains_credential(name)
        kept = name if ok else "<champ>"
        if len(_names) >= _CACHE_SIZE:
            _names.clear()
        _names[name] = kept
    return kept


def _string(field: str, value: str, hasher: Hasher) -> str:
    kind = _HASHED_FIELDS.get(field)
    if kind is not None:
        return f"<{kind} {hasher(kind, value)}>"
    if field in _SECRET_FIELDS:
        return MASK
    if len(value) >= 13:
        compact = _SEPARATORS.sub("", value)
        if _NIR_BODY.match(compact):
            # The keyed hash names the person, so that a rule can tell two calls about the same
            # person from calls about two people born the same month in the same place.
            return f"<nir {mask_nir(compact)} {hasher('nir', compact.upper())}>"
    key = (field, value)
    shaped = _strings.get(key)
    if shaped is None:
        shaped = _classify(field, value)
        if len(_strings) >= _CACHE_SIZE:
            _strings.clear()
        _strings[key] = shaped
    return shaped


def _classify(field: str, value: str) -> str:
    if value[:1].isdigit():
        for pattern, label in _DATES:
            if pattern.match(value):
                return label
    if (
        len(value) <= 32
        and _CODE_FIELD.search(field)
        and _CODE_VALUE.match(value)
        and not _LONG_NUMBER.search(value)
        and not contains_credential(value)
    ):
        return value
    return "<string>"


class _Budget:
    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_NODES


def _shape(field: str, value: Any, hasher: Hasher, depth: int, budget: _Budget) -> Any:
    budget.left -= 1
    if value is None:
        return None
    if isinstance(value, bool):
        return "<boolean>"
    if isinstance(value, int | float):
        return "<number>"
    if isinstance(value, str):
        return _string(field, value, hasher)
    if depth >= MAX_DEPTH:
        return MORE
    if isinstance(value, list):
        item = _shape(field, value[0], hasher, depth + 1, budget) if value else None
        return {"list": len(value), "item": item}
    if isinstance(value, dict):
        shaped: dict[str, Any] = {}
        for key, item in value.items():
            if budget.left <= 0:
                shaped[MORE] = len(value) - len(shaped)
                break
            name = field_name(str(key))
            shaped[name] = _shape(name, item, hasher, depth + 1, budget)
        return shaped
    return "<value>"


_SHAPE_CACHE_BYTES = 2048
_shapes: dict[tuple[bytes, str | None, Hasher], Any] = {}


def body_shape(body: bytes | None, content_type: str | None, hasher: Hasher) -> Any:
    """The masked shape of a body; None when there is no body.

    A small body's shape is memoised by its bytes: the same bytes always have the same shape,
    keyed hashes included (the hasher is the instance's, and one process has one instance in
    production; tests build several, hence the hasher in the key).
    """
    if not body:
        return None
    if len(body) > _SHAPE_CACHE_BYTES:
        return _body_shape(body, content_type, hasher)
    key = (body, content_type, hasher)
    if key in _shapes:
        return _shapes[key]
    shaped = _shapes[key] = _body_shape(body, content_type, hasher)
    if len(_shapes) >= _CACHE_SIZE:
        _shapes.clear()
    return shaped


def _body_shape(body: bytes, content_type: str | None, hasher: Hasher) -> Any:
    if len(body) > MAX_BODY_BYTES:
        return f"<body over {MAX_BODY_BYTES} bytes, not described>"
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return f"<bytes {len(body)}>"
        pairs = parse_qsl(text, keep_blank_values=True)
        return {field_name(k): _string(field_name(k), v, hasher) for k, v in pairs[:MAX_NODES]}
    if kind.endswith("json") or (not kind and body[:1] in (b"{", b"[")):
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            return f"<invalid json {len(body)} bytes>"
        return _shape("", parsed, hasher, 0, _Budget())
    if kind.startswith("text/"):
        return f"<text {len(body)} bytes>"
    return f"<bytes {len(body)}>"
