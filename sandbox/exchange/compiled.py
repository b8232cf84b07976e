"""A row model compiled into validators: one regular expression per column, one for a whole row.

Rows are never validated through Pydantic (too slow for a million rows). Each field's ``Spec``
becomes a cell pattern accepting exactly the well-formed values of the column; the patterns of a
file's header, joined with ``\\x1f`` (a character no pattern accepts), give one whole-row regex:
a row that matches it is well formed in every cell, and only the checks a pattern cannot express
(code lists too long to spell out, COG communes, NIR keys, dates in order, duplicate keys) run
in Python. A row that does not match is drilled into cell by cell to say which rule it breaks.

Dates are checked by the pattern itself (month lengths and leap years, years 1900-2099).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sandbox.exchange.codes import code_lists, commune_codes, departements
from sandbox.exchange.columns import ColumnType, DateFormat, Spec
from sandbox.exchange.models import ExchangeRow
from sandbox.identifiers import NIR_BODY_PATTERN

# Leap years 1904-2096 are the multiples of 4 but 1900; 2000 is one.
_LEAP = r"(?:19|20)(?:0[48]|[2468][048]|[13579][26])|2000"
_ISO_DATE = (
    r"(?:19|20)[0-9]{2}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    rf"|(?:{_LEAP})-02-29"
)
_FRENCH_DATE = (
    r"(?:(?:0[1-9]|[12][0-9]|3[01])/(?:0[13578]|1[02])|(?:0[1-9]|[12][0-9]|30)/(?:0[469]|11)"
    r"|(?:0[1-9]|1[0-9]|2[0-8])/02)/(?:19|20)[0-9]{2}"
    rf"|29/02/(?:{_LEAP})"
)
_ISO_FIRST = r"(?:19|20)[0-9]{2}-(?:0[1-9]|1[0-2])-01"
_FRENCH_FIRST = r"01/(?:0[1-9]|1[0-2])/(?:19|20)[0-9]{2}"
DATE_SHAPES = {
    DateFormat.ISO: re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    DateFormat.FRENCH: re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}"),
}

INJECTION_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Characters a spreadsheet reads as the start of a formula (OWASP CSV injection)."""
_TEXT_CHARS = r"[^\x00-\x08\x0b\x0c\x0e-\x1f]"
_NO_FORMULA = r"(?![=+\-@\t\r])"

PATTERNS: dict[ColumnType, str] = {
    ColumnType.NIR: rf"{NIR_BODY_PATTERN}(?:[0-9]{{2}})?",
    ColumnType.EMAIL: (
        r"[A-Za-z0-9._%+'\-]{1,64}@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}"
    ),
    ColumnType.PHONE: r"0[1-9](?:[ .]?[0-9]{2}){4}|\+[1-9][0-9]{7,14}",
    ColumnType.COMMUNE: r"(?:[0-9]{2}|2[AB])[0-9]{3}",
    ColumnType.DEPARTEMENT: r"[0-9]{2,3}|2[AB]",
}
"""Cell patterns of the typed columns (Python syntax; ``schema.py`` exports XSD-safe ones)."""

MAX_SPELLED_CODES = 64
"""Code lists up to this size are spelled out in the row regex; longer ones are set look-ups."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a kind, compiled."""

    name: str
    spec: Spec
    required: bool
    description: str
    pattern: str
    """Accepts exactly the well-formed non-empty values."""
    cell: re.Pattern[str]
    members: frozenset[str] | None
    """Values allowed beyond the pattern (long code lists, COG codes), if any."""
    codes: dict[str, str] | None
    date_format: DateFormat


@dataclass(frozen=True, slots=True)
class CompiledKind:
    """A file kind ready to check rows."""

    model: type[ExchangeRow]
    columns: dict[str, Column]

    def row_regex(self, mapped: list[Column | None], separator: str) -> re.Pattern[str]:
        """The whole-row regex for a file whose header maps to ``mapped``, cells joined by
        ``separator`` (the file's own, for unquoted CSV lines; ``\\x1f`` otherwise): a match
        means every cell is well formed."""
        sep = re.escape(separator)
        parts = []
        for column in mapped:
            if column is None:
                parts.append(f"[^{sep}]*")
                continue
            pattern = column.pattern.replace(
                _TEXT_CHARS, f"[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f{sep}]"
            )
            parts.append(f"(?:{pattern})" if column.required else f"(?:{pattern})?")
        return re.compile(sep.join(parts), re.DOTALL)


def _pattern(spec: Spec, date_format: DateFormat, codes: dict[str, str] | None) -> str:
    if spec.type is ColumnType.TEXT:
        return f"{_NO_FORMULA}{_TEXT_CHARS}{{1,{spec.max_length or 200}}}"
    if spec.type is ColumnType.DATE:
        iso = date_format is DateFormat.ISO
        if spec.first_of_month:
            return _ISO_FIRST if iso else _FRENCH_FIRST
        return _ISO_DATE if iso else _FRENCH_DATE
    if spec.type in (ColumnType.CODE, ColumnType.FLAG):
        assert codes is not None
        if len(codes) <= MAX_SPELLED_CODES:
            return "|".join(re.escape(c) for c in sorted(codes, key=lambda c: (-len(c), c)))
        return spec.pattern or f"{_TEXT_CHARS}{{1,100}}"
    if spec.type is ColumnType.PATTERN:
        assert spec.pattern is not None
        return spec.pattern
    return PATTERNS[spec.type]


def _members(spec: Spec, codes: dict[str, str] | None) -> frozenset[str] | None:
    if spec.type is ColumnType.COMMUNE:
        return commune_codes()
    if spec.type is ColumnType.DEPARTEMENT:
        return frozenset(departements())
    if codes is not None and len(codes) > MAX_SPELLED_CODES:
        return frozenset(codes)
    return None


def compile_kind(model: type[ExchangeRow]) -> CompiledKind:
    """Compile a row model (cached per model by the checker)."""
    columns: dict[str, Column] = {}
    for field in model.model_fields.values():
        spec = next(m for m in field.metadata if isinstance(m, Spec))
        assert field.alias is not None
        codes = code_lists()[spec.codes] if spec.codes else None
        pattern = _pattern(spec, model.DATE_FORMAT, codes)
        columns[field.alias] = Column(
            name=field.alias,
            spec=spec,
            required=field.is_required(),
            description=field.description or field.alias,
            pattern=pattern,
            cell=re.compile(pattern, re.DOTALL),
            members=_members(spec, codes),
            codes=codes,
            date_format=model.DATE_FORMAT,
        )
    return CompiledKind(model=model, columns=columns)
