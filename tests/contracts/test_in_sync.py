"""The committed contracts are exactly what the models generate, and every route is documented."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from sandbox.apis.contracts import (
    CONTROL_PREFIX,
    DROP_PREFIX,
    api_of,
    documents,
    export,
    partner_routes,
)
from sandbox.apis.deps import GATEWAY_CHECKS
from sandbox.cli import main

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def test_committed_contracts_match_a_fresh_export(tmp_path: Path) -> None:
    assert main(["contracts", "export", "--check", "--dir", str(CONTRACTS)]) == 0
    assert main(["contracts", "export", "--check", "--dir", str(tmp_path)]) == 1


def test_check_names_a_stale_document(app: FastAPI, tmp_path: Path) -> None:
    export(app, tmp_path)
    (tmp_path / "statut-usager-v2.json").write_text("{}", encoding="utf-8")
    (tmp_path / "obsolete.json").write_text("{}", encoding="utf-8")
    assert export(app, tmp_path, check=True) == ["statut-usager-v2.json", "obsolete.json"]


def test_every_partner_route_declares_its_scope_and_error_responses(app: FastAPI) -> None:
    document = app.openapi()
    for route in partner_routes(app):
        path = route.path or ""
        if (
            path.startswith((CONTROL_PREFIX, DROP_PREFIX))
            or path == "/connexion/oauth2/access_token"
        ):
            continue
        api = api_of(route)
        assert api is not None, f"{path} has no gateway check"
        for method in route.methods or ():
            operation = document["paths"][path][method.lower()]
            assert operation["operationId"], path
            assert operation["security"], path
            statuses = set(operation["responses"])
            assert {"401", "403"} <= statuses, (path, statuses)
            assert (
                any(s.startswith("4") and s not in {"401", "403"} for s in statuses)
                or "204" in statuses
            ), (path, statuses)
    assert set(GATEWAY_CHECKS.values()) >= {api_of(r) for r in partner_routes(app) if api_of(r)}


def test_recherche_links_to_the_apis_that_take_its_output(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    v2 = paths["/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"]["post"]
    assert "to_recupererContratV2" in v2["responses"]["200"]["links"]
    v1 = paths["/partenaire/rechercher-usager/v1/usagers/recherche"]["post"]
    assert "to_recupererStatutUsagerV1" in v1["responses"]["200"]["links"]


def test_the_control_plane_is_not_in_the_partner_contract(app: FastAPI) -> None:
    assert not [p for p in app.openapi()["paths"] if p.startswith(CONTROL_PREFIX)]


def test_the_file_drop_has_its_own_document_opened_by_either_realm(app: FastAPI) -> None:
    assert not [p for p in app.openapi()["paths"] if p.startswith(DROP_PREFIX)]
    drop = documents(app)["depot-fichiers"]
    routes = [r for r in partner_routes(app) if (r.path or "").startswith(DROP_PREFIX)]
    assert {r.path for r in routes} == set(drop["paths"])
    for path, item in drop["paths"].items():
        for method, operation in item.items():
            realms = {name for requirement in operation["security"] for name in requirement}
            assert realms == {"francetravail_oauth2_agent", "francetravail_oauth2_partenaire"}
            statuses = set(operation["responses"])
            assert "401" in statuses, (path, statuses)
            if "{id_depot}" in path:
                assert "404" in statuses, (path, statuses)
            if method == "post":
                assert {"400", "409", "413"} <= statuses, (path, statuses)


def test_the_fault_layer_attributes_every_route_to_its_api(app: FastAPI) -> None:
    from sandbox.auth.scopes import api_of_path

    for route in partner_routes(app):
        api = api_of(route)
        if api is not None:
            assert api_of_path((route.path or "").replace("{", "x").replace("}", "")) is api
