"""Fidelity coverage: every field of the convention's data lists, resolved in the contracts.

``contracts/convention-data-lists.yaml`` transcribes Annexe 2 §10 and Annexe 3's lists and says
which operation and JSON path serves each field; this module resolves those paths in the
generated OpenAPI documents (the partner APIs and the control plane, which serves what only the
Suivi de parcours tool shows) and renders ``contracts/COVERAGE.md``. A field whose path does not
resolve shows as missing; a field the sandbox deliberately does not serve says why
(``non_servi``) and is counted apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

Schema = dict[str, Any]


class Serving(BaseModel):
    """Where one operation serves a convention field."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    operation: str
    location: Literal["request", "response", "header", "path", "query"] = Field(alias="in")
    path: str


class ConventionField(BaseModel):
    """A field of the convention's tables."""

    model_config = ConfigDict(extra="forbid")

    name: str
    direction: Literal["entrée", "sortie"]
    note: str | None = None
    serves: list[Serving] = []
    non_servi: str | None = Field(
        default=None, description="Why the sandbox does not serve this field (no serving then)."
    )


class ConventionApi(BaseModel):
    """One API of Annexe 2 §10, or one data list of Annexe 3."""

    model_config = ConfigDict(extra="forbid")

    api: str
    section: str
    fields: list[ConventionField]


class DataLists(BaseModel):
    """The whole transcription."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    apis: list[ConventionApi]


def load_data_lists(path: Path) -> DataLists:
    """Read and validate the transcription."""
    return DataLists.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _operation(document: Schema, operation_id: str) -> Schema | None:
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return operation
    return None


def _deref(document: Schema, schema: Schema) -> Schema:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _branches(document: Schema, schema: Schema) -> list[Schema]:
    schema = _deref(document, schema)
    branches = [
        branch
        for key in ("anyOf", "oneOf", "allOf")
        for sub in schema.get(key, ())
        for branch in _branches(document, sub)
    ]
    # A schema may carry properties beside its combinators (e.g. "at least one list").
    if not branches or "properties" in schema or "items" in schema:
        branches.append(schema)
    return branches


def _has_path(document: Schema, schema: Schema, steps: list[str]) -> bool:
    if not steps:
        return True
    step, rest = steps[0], steps[1:]
    for branch in _branches(document, schema):
        if step.endswith("[]"):
            name = step[:-2]
            prop = branch.get("properties", {}).get(name) if name else branch
            if prop is None:
                continue
            for array in _branches(document, prop):
                if "items" in array and _has_path(document, array["items"], rest):
                    return True
        elif step in branch.get("properties", {}) and _has_path(
            document, branch["properties"][step], rest
        ):
            return True
    return False


def resolves(document: Schema, serving: Serving) -> bool:
    """Whether the operation exists and serves the field at that path."""
    operation = _operation(document, serving.operation)
    if operation is None:
        return False
    if serving.location in ("header", "path", "query"):
        return any(
            p["name"] == serving.path and p["in"] == serving.location
            for p in operation.get("parameters", [])
        )
    if serving.location == "request":
        content = operation.get("requestBody", {}).get("content", {})
    else:
        content = operation.get("responses", {}).get("200", {}).get("content", {})
    schemas = [media["schema"] for media in content.values() if "schema" in media]
    steps = serving.path.split(".") if serving.path else []  # "" is the body itself
    return any(_has_path(document, schema, steps) for schema in schemas)


def _resolves_in(documents: Sequence[Schema], serving: Serving) -> bool:
    return any(resolves(document, serving) for document in documents)


def _served(documents: Sequence[Schema], field: ConventionField) -> bool:
    return bool(field.serves) and all(_resolves_in(documents, s) for s in field.serves)


def missing(documents: Sequence[Schema], lists: DataLists) -> list[str]:
    """Every (API, field, operation, path) that does not resolve in any of the documents."""
    return [
        f"{api.api} / {field.name}: {s.operation} {s.location} {s.path}"
        for api in lists.apis
        for field in api.fields
        for s in field.serves
        if not _resolves_in(documents, s)
    ] + [
        f"{api.api} / {field.name}: served by no operation"
        for api in lists.apis
        for field in api.fields
        if not field.serves and not field.non_servi
    ]


def render_coverage(documents: Sequence[Schema], lists: DataLists) -> str:
    """The COVERAGE.md table: every convention field with the paths that serve it."""
    fields = [field for api in lists.apis for field in api.fields]
    served = sum(1 for field in fields if _served(documents, field))
    declined = sum(1 for field in fields if field.non_servi)
    lines = [
        "# Convention coverage",
        "",
        "Generated by `ft-sandbox contracts export` from `convention-data-lists.yaml` and the",
        "OpenAPI documents; do not edit. Every field of Annexe 2 §10 and of Annexe 3's data lists",
        "with the operation and JSON path that serve it in each generation (`sandbox…`",
        "operations are the control plane's, for what only the Suivi de parcours tool shows).",
        "",
        f"**{served} / {len(fields) - declined} fields served**"
        + (f", {declined} not served on purpose (each says why)." if declined else "."),
    ]
    for api in lists.apis:
        lines += ["", f"## {api.api} ({api.section})", ""]
        lines += ["| Field | Direction | Served by | |", "|---|---|---|---|"]
        for field in api.fields:
            where = "<br>".join(f"`{s.operation}` {s.location} `{s.path}`" for s in field.serves)
            note = f" ({field.note})" if field.note else ""
            if field.non_servi:
                status = f"not served: {field.non_servi}"
            else:
                status = "✓" if _served(documents, field) else "**missing**"
            lines.append(f"| {field.name}{note} | {field.direction} | {where or '—'} | {status} |")
    return "\n".join(lines) + "\n"
