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
