"""Each exported contract is usable alone by a stateful run (issue 9, point 8).

OpenAPI links name operations of their own document (``operationId``), so a document whose
operations take a jeton (``ft-jeton-usager``) or an identifiant must itself hold the Recherche
usager operation that gives it, with links to those operations. The run below loads one file at a
time and gives the client only what a partner holds before any call — a token per realm and the
agent headers — so every jeton or identifiant reaching an operation came through a link.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.auths import AuthContext
from schemathesis.generation.stateful.state_machine import StepInput, StepOutput

from conformance.provider import (
    BUSINESS_RULES_KEY,
    DEFAULT_PERSONA,
    Credentials,
    apply_credentials,
    register_formats,
)
from sandbox import Settings, create_app
from sandbox.auth.scopes import Realm, scopes_of_realm
from sandbox.clock import FrozenClock
from sandbox.runtime import Runtime

OPENAPI = Path(__file__).resolve().parents[2] / "contracts" / "openapi"
DOCUMENTS = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in OPENAPI.glob("*")}
# The persona every well-behaved client of the README searches (fixtures/personas).
S001 = {"nir": "290036204190175", "dateNaissance": "1990-03-14"}
S001_NUMERO = {"numeroFranceTravail": "90000000101"}
CLIENT = "PAR_ftsandbox_cd62"


def _operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (path, operation)
        for path, item in document["paths"].items()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]


def _takes_a_person_reference(document: dict[str, Any], path: str, op: dict[str, Any]) -> bool:
    """Takes a jeton (v2) or an identifiant (v1): by header, path or body ``idNat``."""
    names = {p["name"] for p in op.get("parameters", [])}
    if {"ft-jeton-usager", "id-national"} & names or "{identifiant}" in path:
        return True
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = body.get("schema", {}).get("$ref", "")
    schema = document["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else {}
    return "idNat" in schema.get("properties", {})


def _links(document: dict[str, Any], person_only: bool = False) -> list[tuple[str, str]]:
    """(source, target) of every link; ``person_only``: those giving a jeton or identifiant."""
    return [
        (source["operationId"], link["operationId"])
        for _, source in _operations(document)
        for response in source.get("responses", {}).values()
        for link in response.get("links", {}).values()
        # Schemathesis adds the links it infers (operationRef) to the document it runs.
        if "operationId" in link
        and (
            not person_only
            or "$response.body#/jetonUsager" in json.dumps(link)
            or "$response.body#/identifiant" in json.dumps(link)
        )
    ]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_link_resolves_in_its_own_document(name: str) -> None:
    document = DOCUMENTS[name]
    ids = {op["operationId"] for _, op in _operations(document)}
    assert [link for link in _links(document) if link[1] not in ids] == []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_operation_taking_a_person_reference_is_reached_by_a_link(name: str) -> None:
    document = DOCUMENTS[name]
    consumers = {
        op["operationId"]
        for path, op in _operations(document)
        if _takes_a_person_reference(document, path, op)
    }
    linked = {target for _, target in _links(document)}
    assert sorted(consumers - linked) == []
    # The person reference comes from Recherche usager; an API's own links (a created
    # resource's id, with the same jeton) come from its own operations.
    producers = {source for source, _ in _links(document, person_only=True)}
    for path, op in _operations(document):
        if op["operationId"] in producers:
            assert "/partenaire/rechercher-usager/" in path
            if not name.startswith("rechercher-usager"):
                assert op["x-operation-incluse"].startswith("rechercher-usager-v")
                assert "incluse ici" in op["description"]


_APP = create_app(
    Settings(data_dir=Path(tempfile.mkdtemp(prefix="ft-stateful-")), secret_key="stateful"),
    FrozenClock(dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)),
)
_RUNTIME: Runtime = _APP.state.runtime
register_formats(DEFAULT_PERSONA[0])
CHAINED = sorted(name for name, document in DOCUMENTS.items() if _links(document))


# Schemathesis's default for positive data: a random jeton of a first step gets a 401.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]


def _config(document: dict[str, Any]) -> schemathesis.Config:
    """Defaults, and a 400 accepted where the contract declares business rules (x-regles-metier)."""
    ruled = sorted(
        op["operationId"] for _, op in _operations(document) if op.get(BUSINESS_RULES_KEY)
    )
    overrides = [
        {
            "include-operation-id": ruled,
            "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}},
        }
    ]
    return schemathesis.Config.from_dict({"operations": overrides if ruled else []})


def _machine(document: dict[str, Any], applied: set[str]) -> Any:
    schema = schemathesis.openapi.from_dict(document, config=_config(document))
    schema.app = _APP

    @schema.auth()
    class TokensOnly:
        """A token per realm and the agent headers: no jeton, no identifiant."""

        def get(self, case: Case[Any], context: AuthContext) -> Credentials:
            now = _RUNTIME.clock.timestamp()
            return Credentials(
                tokens={
                    realm: _RUNTIME.tokens.issue(CLIENT, realm, sorted(scopes_of_realm(realm)), now)
                    for realm in Realm
                },
                jeton=None,
                identifiant=None,
            )

        def set(self, case: Case[Any], data: Credentials, context: AuthContext) -> None:
            apply_credentials(case, data)

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Case[Any]) -> None:
            # A client searches a person it knows: the link then carries a real reference.
            if case.operation.path.startswith("/partenaire/rechercher-usager/") and isinstance(
                case.body, dict
            ):
                person: dict[str, Any] = S001_NUMERO if "numero" in case.operation.path else S001
                case.body = person

        def step(self, input: StepInput) -> StepOutput:
            output: StepOutput = super().step(input)
            transition = input.transition
            # A linked call whose reference the operation accepted: 2xx, not a refused jeton.
            if (
                transition is not None
                and not transition.is_inferred
                and input.is_applied
                and output.response.status_code < 300
            ):
                applied.add(transition.id.rsplit(" -> ", 2)[-2].split()[-1])
            return output

        def teardown(self) -> None:
            _RUNTIME.store.reset(CLIENT)

    return Workflow


@pytest.mark.parametrize("name", CHAINED)
def test_a_stateful_run_on_one_document_chains_recherche_to_its_operations(name: str) -> None:
    applied: set[str] = set()
    workflow = _machine(DOCUMENTS[name], applied)
    workflow.run(
        settings=settings(
            max_examples=8,
            stateful_step_count=3,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    linked = {target for _, target in _links(DOCUMENTS[name])}
    assert applied and {link.removeprefix("to_") for link in applied} <= linked, applied
