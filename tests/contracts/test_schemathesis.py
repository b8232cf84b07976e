"""Schemathesis against our own app, in process: every check, stateful links, no failure, no 5xx.

The auth provider plays a well-behaved client: a valid token of the operation's realm, the agent
headers, and a valid jeton (or identifiant) of persona ``s001-certifiee`` wherever the operation
takes one — so generated data exercises the APIs themselves rather than the gateway.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.auths import AuthContext

from sandbox import Settings, create_app
from sandbox.auth.scopes import Realm, scopes_of_realm
from sandbox.clock import FrozenClock
from sandbox.identifiers import full_nir
from sandbox.runtime import Runtime

_APP = create_app(
    Settings(data_dir=Path("/tmp/ft-sandbox-schemathesis"), secret_key="schemathesis"),
    FrozenClock(dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)),
)
_RUNTIME: Runtime = _APP.state.runtime
_PERSONA_KEY = "p-s001-certifiee"
_PERSONA_NIR = "290036204190175"
_CLIENT = "PAR_ftsandbox_cd62"
_AGENT = {
    "pa-nom-agent": "BATCH",
    "pa-prenom-agent": "SCHEMATHESIS",
    "pa-identifiant-agent": "BATCH",
}

# Valid NIRs: generated ones (mostly unknown: S002) and the persona's (S001).
_bodies = st.text(alphabet="0123456789", min_size=5, max_size=5).flatmap(
    lambda head: st.tuples(st.just(head), st.text(alphabet="0123456789", min_size=8, max_size=8))
)
_valid_nirs = _bodies.map(lambda parts: full_nir(parts[0] + parts[1])) | st.just(_PERSONA_NIR)
schemathesis.openapi.format("nir", _valid_nirs)

schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


@schema.auth()
class PartnerAuth:
    """Token, agent headers and person reference of a well-behaved client."""

    def get(self, case: Case[Any], context: AuthContext) -> dict[str, str]:
        now = _RUNTIME.clock.timestamp()
        return {
            realm.value: _RUNTIME.tokens.issue(_CLIENT, realm, sorted(scopes_of_realm(realm)), now)
            for realm in Realm
        }

    def set(self, case: Case[Any], data: dict[str, str], context: AuthContext) -> None:
        path = case.operation.path
        if path.startswith("/connexion/"):
            return
        realm = Realm.AGENT if "/v2/" in path or "/v4/" in path else Realm.PARTENAIRE
        headers = case.headers
        headers["Authorization"] = f"Bearer {data[realm.value]}"
        if realm is Realm.AGENT:
            headers.update(_AGENT)
        now_ms = int(_RUNTIME.clock.timestamp() * 1000)
        if _takes(case, "ft-jeton-usager"):
            headers["ft-jeton-usager"] = _RUNTIME.references.issue_jeton(
                _PERSONA_KEY, _CLIENT, now_ms
            )
        # A person reference replaces generated ones only in positive cases, so that negative
        # cases still reach the API with the invalid value Schemathesis chose.
        positive = case.meta is None or case.meta.generation.mode.is_positive
        identifiant = _RUNTIME.references.identifiant(_PERSONA_KEY)
        if positive and isinstance((case.path_parameters or {}).get("identifiant"), str):
            case.path_parameters = {**(case.path_parameters or {}), "identifiant": identifiant}
        if positive and isinstance(case.body, dict) and isinstance(case.body.get("idNat"), str):
            case.body = {**case.body, "idNat": identifiant}
        if positive and _takes(case, "id-national"):
            headers["id-national"] = identifiant
        if positive and isinstance((case.query or {}).get("id-national"), str):
            case.query = {**(case.query or {}), "id-national": identifiant}


def _takes(case: Case[Any], header: str) -> bool:
    return any(p.name == header for p in case.operation.headers)


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_honours_its_contract(case: Case[Any]) -> None:
    response = case.call_and_validate()
    assert response.status_code < 500 or response.status_code == 503


APIWorkflow = schema.as_state_machine()
APIWorkflow.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=4,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
TestStatefulWorkflow = APIWorkflow.TestCase
