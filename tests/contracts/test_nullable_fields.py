"""No response field is nullable unless the published files allow null there (issue 9, point 9).

France Travail's published schemas declare almost no property nullable; their examples send
``null`` in a few documented places. Every nullable property left in the exported response
schemas is listed here with its reason, so a new one cannot creep in unnoticed: where a value can
be absent, the field is optional and its key left out (``sandbox.apis.omission``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OPENAPI = Path(__file__).resolve().parents[2] / "contracts" / "openapi"

_UNEXPLORED = "published examples: an item never explored has agent and dateExploration null"
_RECHERCHE = "rechercher-usager.json examples: S002/S003 send null (non applicable)"
_RECHERCHE_ERRORS = "rechercher-usager.json examples: every error body sends jetonUsager null"
_V1_RECHERCHE = "convention-era clients receive identifiant/topIdentiteCertifiee null off S001"
_PUBLISHED_NULLABLE = "metiers-recherches-projets-evolution.json declares it nullable"
_ERT_200 = "statut-usager.json 200 description: stackTrace, entite, classeOrigine null"
# Left to the dossier-parts work (issue 9): the parts of the dossier and what they hold.
_PENDING = "pending: dossier parts (pouvoirAgir / autonomieNumerique), decided with the dossier"

ALLOWED: dict[str, str] = {
    # Recherche usager v2 and v1 (carried by every document that chains from it).
    "ResultatRechercheV2.topIdentiteCertifiee": _RECHERCHE,
    "ResultatRechercheV2.jetonUsager": _RECHERCHE,
    "ResultatRechercheV2.numeroFranceTravail": _RECHERCHE,
    "RechercheErrorV2.topIdentiteCertifiee": _RECHERCHE_ERRORS,
    "RechercheErrorV2.jetonUsager": _RECHERCHE_ERRORS,
    "ResultatRechercheV1.identifiant": _V1_RECHERCHE,
    "ResultatRechercheV1.topIdentiteCertifiee": _V1_RECHERCHE,
    "RechercheErrorV1.identifiant": _V1_RECHERCHE,
    "RechercheErrorV1.topIdentiteCertifiee": _V1_RECHERCHE,
    # Statut usager v2: the legacy ERT_200_FONCT body.
    "PopulationNonGeree.stackTrace": _ERT_200,
    "PopulationNonGeree.entite": _ERT_200,
    "PopulationNonGeree.classeOrigine": _ERT_200,
    # Métiers recherchés / projets CREF (v2 and v1 share the models).
    "Mobilite.mobilitePrioritaire": _PUBLISHED_NULLABLE,
    "MobiliteHabitation.mobilitePrioritaire": _PUBLISHED_NULLABLE,
    "TempsTravail.min": _PUBLISHED_NULLABLE,
    "TempsTravail.max": _PUBLISHED_NULLABLE,
    # Diagnostic usager v4.
    "AgentDto.structure": "diagnostic-usager.json AgentDto.structure: « Peut être nulle »",
    "BesoinIndividuDto.agent": _UNEXPLORED,
    "BesoinIndividuDto.dateExploration": _UNEXPLORED,
    "SituationDto.agent": _UNEXPLORED,
    "SituationDto.dateExploration": _UNEXPLORED,
    "ObjectifDto.agent": _UNEXPLORED,
    "ObjectifDto.dateExploration": _UNEXPLORED,
    "ContrainteIndividuDto.dateExploration": _UNEXPLORED + " (contrainte 24 NON_ABORDEE)",
    "DiagnosticIndividuDto.dateMiseAJourProjet": "published dossier example: null",
    "DiagnosticIndividuHistorisationDto.dateMiseAJourProjet": "as DiagnosticIndividuDto's",
    "DossierIndividuDto.pouvoirAgir": _PENDING,
    "DossierIndividuDto.autonomieNumerique": _PENDING,
    "DossierIndividuDto.thematiqueContrainte": _PENDING,
    "PouvoirAgirIndividuDto.agent": _PENDING,
    "PouvoirAgirIndividuDto.dateExploration": _PENDING,
    "AutonomieNumeriqueIndividuDto.agent": _PENDING,
    "AutonomieNumeriqueIndividuDto.dateExploration": _PENDING,
    # Diagnostic individu v1 (convention era, no published file).
    "ContrainteDossierV1.date": "carnet-de-bord on the real v1: « la date est parfois null »",
    "ContrainteV1.date": "carnet-de-bord on the real v1: « la date est parfois null »",
}


def _nullable(schema: dict[str, Any]) -> bool:
    branches = schema.get("anyOf", []) + schema.get("oneOf", [])
    return (
        schema.get("nullable") is True
        or schema.get("type") == "null"
        or (isinstance(schema.get("type"), list) and "null" in schema["type"])
        or any(isinstance(b, dict) and b.get("type") == "null" for b in branches)
    )


def _walk(
    doc: dict[str, Any], schema: Any, owner: str, seen: set[str], found: dict[str, Any]
) -> None:
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return
        seen.add(name)
        owner, schema = name, doc["components"]["schemas"][name]
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            _walk(doc, branch, owner, seen, found)
    _walk(doc, schema.get("items"), owner, seen, found)
    _walk(doc, schema.get("additionalProperties"), owner, seen, found)
    for name, prop in schema.get("properties", {}).items():
        if _nullable(prop):
            found[f"{owner}.{name}"] = prop
        _walk(doc, prop, owner, seen, found)


def nullable_response_properties() -> dict[str, dict[str, Any]]:
    """Every nullable property reachable from a response of an exported document."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(OPENAPI.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        seen: set[str] = set()
        for item in doc["paths"].values():
            for operation in item.values():
                for response in operation.get("responses", {}).values():
                    for media in response.get("content", {}).values():
                        _walk(doc, media.get("schema"), "", seen, found)
    return found


def test_every_nullable_response_field_is_allowed_with_its_reason() -> None:
    assert sorted(nullable_response_properties()) == sorted(ALLOWED)


def test_every_nullable_field_says_why_in_the_contract() -> None:
    undocumented = [
        name
        for name, prop in nullable_response_properties().items()
        if ALLOWED.get(name) != _PENDING and "null" not in prop.get("description", "").lower()
    ]
    assert undocumented == []


def test_the_walk_finds_a_nullable_field() -> None:
    """A check that cannot fail is not a check: the walk sees the fields kept nullable."""
    assert "BesoinIndividuDto.agent" in nullable_response_properties()
