"""Diagnostic writes for a usager the sandbox does not know answer what the published API does.

"Unknown" is a valid jeton (sealed by this instance, issued to this client, not expired) whose
person the population no longer holds: its size or its personas changed since the jeton was
issued. The platform only issues jetons for people it knows, so its published OpenAPI
(``diagnostic-usager.json``) has no answer for that case: a write that goes through answers 200
(``POST /diagnostics`` with its ``idDiagnostic``); 204 is documented for reads ("aucun … n'a été
trouvé pour cet usager") and, among writes, only for ``POST /dossiers`` when one of its
idDiagnostic is not found. The expected statuses below are copied from that file.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandbox.runtime import Runtime
from tests.sandbox.apis.test_diagnostic_individu import (
    CONTRAINTE_23,
    V1,
    V4,
    v1_headers,
    v4_headers,
)

# diagnostic-usager.json: the 2xx answers of each write operation.
PUBLISHED_2XX = {
    "enregistrerDossierV4": {"200", "204"},
    "creerDiagnosticV4": {"200"},
    "modifierDiagnosticV4": {"200"},
    "enregistrerBesoinV4": {"200"},
    "prioriserDiagnosticsIndividuV4": {"200"},
    "supprimerDiagnosticIndividuV4": {"200"},
    "enregistrerContraintesV4": {"200"},
    "enregistrerPouvoirAgirV4": {"200"},
    "enregistrerAutonomieNumeriqueV4": {"200"},
}
DATE = "2026-11-27T10:00:00.000+01:00"


def _unknown_key(runtime: Runtime) -> str:
    key = f"g{runtime.population.size}"  # one past the last generated person
    assert runtime.population.get(key) is None
    return key


def _documented(app: FastAPI) -> dict[tuple[str, str], tuple[str, set[str]]]:
    """(method, path) → (operationId, documented statuses)."""
    return {
        (method.upper(), path): (operation["operationId"], set(operation["responses"]))
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
    }


def test_every_v4_write_documents_the_2xx_answers_of_the_published_file(app: FastAPI) -> None:
    documented = dict(_documented(app).values())
    for operation_id, published in PUBLISHED_2XX.items():
        ours = {s for s in documented[operation_id] if s.startswith("2")}
        assert ours == published, operation_id


def test_writes_for_an_unknown_usager_go_through_and_read_back(
    client: TestClient, runtime: Runtime, app: FastAPI
) -> None:
    headers = v4_headers(client, runtime, _unknown_key(runtime))
    documented = _documented(app)
    assert client.get(f"{V4}/dossiers", headers=headers).status_code == 204

    def write(method: str, route: str, body: Any = None) -> Any:
        response = client.request(method, f"{V4}{route}", json=body, headers=headers)
        template = route.replace(id_diagnostic, "{idDiagnostic}") if id_diagnostic else route
        operation_id, statuses = documented[(method, f"{V4}{template}")]
        assert response.status_code == 200, (operation_id, response.status_code)
        assert str(response.status_code) in statuses & PUBLISHED_2XX[operation_id]
        return response

    id_diagnostic = ""
    created = write("POST", "/diagnostics", {"codeAppellation": "11450"}).json()
    id_diagnostic = created["idDiagnostic"]
    assert isinstance(id_diagnostic, str) and id_diagnostic
    write("PUT", f"/diagnostics/{id_diagnostic}", {"codeTypologie": "PM"})
    besoins = {"dateExploration": DATE, "besoinAEnregistrer": [{"code": "1", "valeur": "BESOIN"}]}
    write("POST", f"/diagnostics/{id_diagnostic}/besoins", besoins)
    write("POST", f"/diagnostics/{id_diagnostic}/priorise")
    write("POST", "/contraintes", CONTRAINTE_23)
    write("POST", "/pouvoiragir", {"confiance": "OUI", "accompagnement": "NON"})
    autonomie = {"dateExploration": DATE, "besoinAEnregistrer": {"code": "7", "valeur": "BESOIN"}}
    write("POST", "/autonomienumerique", autonomie)
    write(
        "POST",
        "/dossiers",
        {"pouvoirAgirAEnregistrer": {"confiance": "NON", "accompagnement": "OUI"}},
    )
    write("POST", f"/diagnostics/{id_diagnostic}/supprime")

    diagnostics = client.get(f"{V4}/diagnostics", headers=headers).json()["diagnostics"]
    assert [(d["idDiagnostic"], d["statut"], d["codeTypologie"]) for d in diagnostics] == [
        (id_diagnostic, "SUPPRIME", "PM")
    ]
    pouvoir = client.get(f"{V4}/pouvoiragir", headers=headers).json()
    assert (pouvoir["confiance"], pouvoir["accompagnement"]) == ("NON", "OUI")
    history = client.get(f"{V4}/dossiers/historisation", headers=headers).json()
    assert history["totalDonnees"] == 9


def test_a_v1_write_for_an_unknown_usager_goes_through(
    client: TestClient, runtime: Runtime
) -> None:
    identifiant = quote(runtime.references.identifiant(_unknown_key(runtime)), safe="")
    path = f"{V1}/{identifiant}/contraintes"
    body = {
        "dateExploration": DATE,
        "idConseiller": "TNAN0260",
        "contraintes": [{"code": "27", "valeur": "OUI"}],
    }
    assert client.get(path, headers=v1_headers(client)).status_code == 204
    assert client.post(path, json=body, headers=v1_headers(client)).status_code == 200
    contraintes = client.get(path, headers=v1_headers(client)).json()["contraintes"]
    assert next(c for c in contraintes if c["id"] == 27)["valeur"] == "OUI"
