"""Table Schema (frictionless, Validata) of each file kind, generated from the row models.

What a Table Schema can say is exported: type, date format, required, pattern, enum,
maxLength, the primary key. Patterns are wrapped in one group and written without ``(?:`` or
look-aheads, so they stay XML Schema regular expressions as the specification asks (the formula
rule becomes "does not start with = + - @ tab CR"). What it cannot say (COG communes, NIR key and
coherence, date order) is in each field's description and in ``contracts/files/README.md``:
``ft-conformance files check`` enforces it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sandbox.exchange.checker import compiled
from sandbox.exchange.codes import code_lists, departements
from sandbox.exchange.columns import ColumnType, DateFormat
from sandbox.exchange.compiled import PATTERNS, Column
from sandbox.exchange.models import ROW_MODELS

_TEXT_PATTERN = r"[^=+\-@\t\r][\s\S]*"
_FIRST_OF_MONTH = {
    DateFormat.ISO: r"(19|20)[0-9]{2}-(0[1-9]|1[0-2])-01",
    DateFormat.FRENCH: r"01/(0[1-9]|1[0-2])/(19|20)[0-9]{2}",
}
_NOTES = {
    ColumnType.COMMUNE: " Le code doit exister au COG 2026 de l'INSEE "
    "(vérifié par ft-conformance).",
    ColumnType.NIR: " La clé et la cohérence avec SEXE et DATE_NAISSANCE sont vérifiées par "
    "ft-conformance.",
}


def _xsd(pattern: str) -> str:
    return "(" + re.sub(r"\(\?:", "(", pattern) + ")"


def _field(column: Column, date_format: DateFormat) -> dict[str, Any]:
    spec = column.spec
    constraints: dict[str, Any] = {"required": column.required}
    field: dict[str, Any] = {"name": column.name, "title": column.description, "type": "string"}
    description = column.description + "." + _NOTES.get(spec.type, "")
    if spec.type is ColumnType.DATE:
        if spec.first_of_month:
            constraints["pattern"] = _xsd(_FIRST_OF_MONTH[date_format])
            description += f" Date {date_format.value} ramenée au 1er du mois."
        else:
            field["type"] = "date"
            if date_format is DateFormat.FRENCH:
                field["format"] = "%d/%m/%Y"
    elif spec.type is ColumnType.FLAG:
        assert column.codes is not None
        codes = list(column.codes)
        field.update(type="boolean", trueValues=codes[:1], falseValues=codes[1:])
    elif spec.type is ColumnType.CODE:
        assert column.codes is not None
        constraints["enum"] = list(column.codes)
        if len(column.codes) <= 12:
            labels = "; ".join(f"{code} : {label}" for code, label in column.codes.items())
            description += f" Codes : {labels}."
    elif spec.type is ColumnType.DEPARTEMENT:
        constraints["enum"] = list(departements())
    elif spec.type is ColumnType.TEXT:
        constraints["pattern"] = _TEXT_PATTERN
        description += " Ne commence pas par = + - @ (injection de formule)."
    elif spec.type is ColumnType.PATTERN:
        assert spec.pattern is not None
        constraints["pattern"] = _xsd(spec.pattern)
    else:
        constraints["pattern"] = _xsd(PATTERNS[spec.type])
    if spec.max_length and spec.type is ColumnType.TEXT:
        constraints["maxLength"] = spec.max_length
    field["description"] = description
    field["constraints"] = constraints
    return field


def table_schema(kind: str) -> dict[str, Any]:
    """The Table Schema of one kind."""
    model = ROW_MODELS[kind]
    checks = compiled(kind)
    schema: dict[str, Any] = {
        "name": kind,
        "title": model.TITLE,
        "description": f"{model.TITLE}. Convention Pas-de-Calais / France Travail n° 2024-253, "
        f"{model.CLAUSE}. Dates au format {model.DATE_FORMAT.value}. Généré depuis "
        f"sandbox/exchange/models.py ({model.__name__}) : ne pas modifier à la main.",
        "fields": [_field(c, model.DATE_FORMAT) for c in checks.columns.values()],
        "missingValues": [""],
    }
    if model.ROW_KEY:
        schema["primaryKey"] = list(model.ROW_KEY)
    return schema


def render(kind: str) -> str:
    """The schema as written in ``contracts/files/<kind>.schema.json``."""
    return json.dumps(table_schema(kind), ensure_ascii=False, indent=2) + "\n"


def code_list_names() -> list[str]:
    """Names of the shipped code lists (documentation)."""
    return sorted(code_lists())
