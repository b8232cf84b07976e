"""POST /v4/dossiers: the contract and the route agree on every body, in both directions.

Expected answers come from the published OpenAPI (``diagnostic-usager.json``, operation
``enregistrerDossierV4``): 200 when the write went through, 204 when one of the idDiagnostic sent
is not found for the usager, 400 when the data do not conform. Its DTOs declare
``dateExploration`` ``format: date-time`` (RFC 3339) and ``EnregistrerBesoinsDto`` requires
``idDiagnostic``. A refused body writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from sandbox.resources import contracts_dir
from sandbox.runtime import Runtime
from tests.sandbox.apis.test_diagnostic_individu import V4, v4_headers

UNKNOWN_ID = "8d09ab70-77c5-42fc-8554-5a02b264cbaa"  # the published example's id: nobody's here
DATE = "2026-11-27T10:00:00.000+01:00"
BESOIN = {"code": "1", "valeur": "BESOIN"}


def _contraintes(moment: str = DATE) -> dict[str, Any]:
    return {
        "dateExploration": moment,
        "contraintesAEnregistrer": [{"code": "23", "valeur": "OUI", "impact": "FORT"}],
    }


def _besoins(id_diagnostic: str, *besoins: dict[str, str]) -> dict[str, Any]:
    return {
        "besoinsParDiagnosticAEnregistrer": [
            {"idDiagnostic": id_diagnostic, "dateExploration": DATE, "besoinAEnregistrer": besoins}
        ]
    }


# Bodies the published DTO and the référentiel refuse: each must get the documented 400.
INVALID: dict[str, Callable[[str], dict[str, Any]]] = {
    "unknown besoin code, unknown idDiagnostic": lambda _: _besoins(
        UNKNOWN_ID, {"code": "99", "valeur": "BESOIN"}
    ),
    "free-text nomMetier, unknown idDiagnosticModifie": lambda _: {
        "diagnosticsAEnregistrer": [{"idDiagnosticModifie": UNKNOWN_ID, "nomMetier": "Boulanger"}]
    },
    "unknown contrainte code next to an unknown idDiagnostic": lambda _: {
        **_besoins(UNKNOWN_ID, BESOIN),
        "contraintesDossierAEnregistrer": {
            "dateExploration": DATE,
            "contraintesAEnregistrer": [{"code": "99", "valeur": "OUI"}],
        },
    },
    "dateExploration without a time zone": lambda _: {
        "contraintesDossierAEnregistrer": _contraintes("2026-11-27T10:00:00")
    },
    "dateExploration without seconds": lambda _: {
        "contraintesDossierAEnregistrer": _contraintes("2026-11-27T10:00+01:00")
    },
    "dateExploration with a +hhmm offset": lambda _: {
        "contraintesDossierAEnregistrer": _contraintes("2026-11-27T10:00:00+0100")
    },
    "dateExploration in fullwidth digits": lambda _: {
        "contraintesDossierAEnregistrer": _contraintes("２０２６-11-27T10:00:00Z")
    },
    "besoins without their idDiagnostic": lambda _: {
        "besoinsParDiagnosticAEnregistrer": [
            {"dateExploration": DATE, "besoinAEnregistrer": [BESOIN]}
        ]
    },
    "a modification with nothing to modify": lambda known: {
        "diagnosticsAEnregistrer": [{"idDiagnosticModifie": known}]
    },
    "contraintesAEnregistrer (published example's name) that is no object": lambda _: {
        "contraintesAEnregistrer": 5
    },
    "the contraintes under both names": lambda _: {
        "contraintesDossierAEnregistrer": None,
        "contraintesAEnregistrer": _contraintes(),
    },
    "pouvoir d'agir without confiance": lambda _: {
        "pouvoirAgirAEnregistrer": {"accompagnement": "OUI"}
    },
    "nothing at all": lambda _: {},
}

# Refused by a rule the operation declares in x-regles-metier rather than by its schema: the
# ROME 4.0 referential's 14 313 labels are too many for an enum in the contract.
BUSINESS_RULE_CASES = {"free-text nomMetier, unknown idDiagnosticModifie"}

# Bodies the published DTO accepts: 200, or 204 for an unknown idDiagnostic.
VALID: dict[str, tuple[Callable[[str], dict[str, Any]], int]] = {
    "besoins of a known diagnostic": (lambda known: _besoins(known, BESOIN), 200),
    "besoins of an unknown diagnostic": (lambda _: _besoins(UNKNOWN_ID, BESOIN), 204),
    "priority of a known diagnostic": (
        lambda known: {
            "diagnosticsAEnregistrer": [{"idDiagnosticModifie": known, "prioritaire": False}]
        },
        200,
    ),
    "contraintes under the published example's name": (
        lambda _: {"contraintesAEnregistrer": _contraintes("2026-11-27T10:00:00Z")},
        200,
    ),
    "pouvoir d'agir": (
        lambda _: {"pouvoirAgirAEnregistrer": {"confiance": "OUI", "accompagnement": "NON"}},
        200,
    ),
}


@pytest.fixture
def headers(client: TestClient, runtime: Runtime) -> dict[str, str]:
    return v4_headers(client, runtime)


@pytest.fixture
def known(client: TestClient, headers: dict[str, str]) -> str:
    diagnostics = client.get(f"{V4}/diagnostics", headers=headers).json()["diagnostics"]
    return str(diagnostics[0]["idDiagnostic"])


@pytest.mark.parametrize("case", INVALID)
def test_an_invalid_dossier_body_gets_the_documented_400_and_writes_nothing(
    client: TestClient, headers: dict[str, str], known: str, case: str
) -> None:
    before = client.get(f"{V4}/dossiers", headers=headers).json()
    response = client.post(f"{V4}/dossiers", json=INVALID[case](known), headers=headers)
    assert response.status_code == 400, response.content
    assert response.json()["codeErreur"] == "ERR_DONNEE_INCORRECTE"
    assert response.headers["x-sandbox-hint"]
    assert client.get(f"{V4}/dossiers", headers=headers).json() == before
    assert client.get(f"{V4}/dossiers/historisation", headers=headers).status_code == 204


@pytest.mark.parametrize("case", VALID)
def test_a_valid_dossier_body_is_written_or_names_its_unknown_diagnostic(
    client: TestClient, headers: dict[str, str], known: str, case: str
) -> None:
    body, status = VALID[case]
    response = client.post(f"{V4}/dossiers", json=body(known), headers=headers)
    assert (response.status_code, response.content) == (status, b"")
    history = client.get(f"{V4}/dossiers/historisation", headers=headers)
    assert history.status_code == (200 if status == 200 else 204)


def _contract_validator() -> Any:
    document = json.loads(
        (contracts_dir() / "openapi" / "diagnostic-individu-v4.json").read_text(encoding="utf-8")
    )
    schema = {
        "$ref": "#/components/schemas/EnregistrerDossierDto",
        "components": document["components"],
    }
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def test_the_contract_accepts_exactly_the_bodies_the_route_accepts(
    client: TestClient, headers: dict[str, str], known: str
) -> None:
    validator = _contract_validator()
    document = json.loads(
        (contracts_dir() / "openapi" / "diagnostic-individu-v4.json").read_text(encoding="utf-8")
    )
    rules = document["paths"]["/partenaire/diagnosticargumente/v4/dossiers"]["post"]
    assert any("nomMetier" in rule for rule in rules["x-regles-metier"])
    for case, body in INVALID.items():
        if case in BUSINESS_RULE_CASES:
            continue
        assert not validator.is_valid(body(known)), case
    for case, (valid, _) in VALID.items():
        assert validator.is_valid(valid(known)), case
