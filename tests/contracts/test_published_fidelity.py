"""Where a client generated from France Travail's published OpenAPI files would trip (issue 9, 9).

Expected values are the published files' (louije/explo-ftio, ``schemas/``), written out here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OPENAPI = Path(__file__).resolve().parents[2] / "contracts" / "openapi"


def document(name: str) -> dict[str, Any]:
    """One exported contract file."""
    result: dict[str, Any] = json.loads((OPENAPI / f"{name}.json").read_text(encoding="utf-8"))
    return result


# statut-usager.json: security of GET /contrat and its two schemes.
STATUT_SCOPES = ["api_contrat-usagerv2", "statutcontratusager", "profil_accedant"]
PUBLISHED_AUTHORIZATION_CODE = {
    "authorizationUrl": "https://proxyproconnect.francetravail.net/connexion/oauth2/agent/authorize",
    "tokenUrl": "https://proxyproconnect.francetravail.net/connexion/oauth2/agent/access_token",
}


def test_statut_usager_accepts_the_agents_authorization_code_flow_as_published() -> None:
    doc = document("statut-usager-v2")
    security = doc["paths"]["/partenaire/contrat-usager/v2/contrat"]["get"]["security"]
    schemes = doc["components"]["securitySchemes"]
    flows = {
        flow: settings
        for requirement in security
        for name, scopes in requirement.items()
        if sorted(scopes) == sorted(STATUT_SCOPES)
        for flow, settings in schemes[name]["flows"].items()
    }
    assert set(flows) == {"clientCredentials", "authorizationCode"}
    code = flows["authorizationCode"]
    assert {k: code[k] for k in PUBLISHED_AUTHORIZATION_CODE} == PUBLISHED_AUTHORIZATION_CODE
    assert sorted(code["scopes"]) == sorted(STATUT_SCOPES)
    assert len(security) == 2  # either one opens the operation
    described = next(s for s in schemes.values() if "authorizationCode" in s["flows"])
    assert "Non servi par le bac à sable" in described["description"]


# metiers-recherches-projets-evolution.json: the 200 of each operation is one object.
PUBLISHED_200 = {
    ("/partenaire/metiers-projets-entreprises/v2/metiers-recherches", "metierRecherche"): {
        "appellation", "contrats", "dateValidationPasseportEmploi", "dureeExperience",
        "dureesHebdomadaires", "identifiant", "mobiliteHabitation", "mobilites", "mrs",
        "passeportEmploi", "rome", "salaire", "typologieEmploi",
    },
    ("/partenaire/metiers-projets-entreprises/v2/projets-cref", "projetCref"): {
        "appellation", "identifiant", "mobiliteHabitation", "mobilites", "rome",
        "typeCrefCreation", "typeCrefFranchise", "typeCrefReprise",
    },
}  # fmt: skip


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_metiers_and_projets_cref_answer_the_published_object() -> None:
    doc = document("metiers-projets-entreprises-v2")
    for (path, _), properties in PUBLISHED_200.items():
        ok = doc["paths"][path]["get"]["responses"]["200"]
        schema = _resolve(doc, ok["content"]["application/json"]["schema"])
        assert schema.get("type") == "object", path
        assert set(schema["properties"]) == properties
