"""Schemathesis against our own app, in process: every check, stateful links, no failure, no 5xx.

The auth provider is the conformance kit's well-behaved client (``conformance.provider``): a valid
token of the operation's realm, the agent headers, and a valid jeton (or identifiant) of persona
``s001-certifiee`` wherever the operation takes one — so generated data exercises the APIs
themselves rather than the gateway.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.auths import AuthContext

from conformance.provider import (
    DEFAULT_PERSONA,
    Credentials,
    apply_credentials,
    checks_config,
    register_formats,
)
from sandbox import Settings, create_app
from sandbox.auth.scopes import Realm, scopes_of_realm
from sandbox.clock import FrozenClock
from sandbox.runtime import Runtime

_APP = create_app(
    Settings(data_dir=Path(tempfile.mkdtemp(prefix="ft-schemathesis-")), secret_key="schemathesis"),
    FrozenClock(dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)),
)
_RUNTIME: Runtime = _APP.state.runtime
_PERSONA_KEY = "p-s001-certifiee"
_CLIENT = "PAR_ftsandbox_cd62"

register_formats(DEFAULT_PERSONA[0])
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP, config=checks_config(_APP.openapi()))


@schema.auth()
class PartnerAuth:
    """Credentials minted by the instance itself for the default client and the persona."""

    def get(self, case: Case[Any], context: AuthContext) -> Credentials:
        now = _RUNTIME.clock.timestamp()
        references = _RUNTIME.references
        return Credentials(
            tokens={
                realm: _RUNTIME.tokens.issue(_CLIENT, realm, sorted(scopes_of_realm(realm)), now)
                for realm in Realm
            },
            jeton=references.issue_jeton(_PERSONA_KEY, _CLIENT, int(now * 1000)),
            identifiant=references.identifiant(_PERSONA_KEY),
        )

    def set(self, case: Case[Any], data: Credentials, context: AuthContext) -> None:
        apply_credentials(case, data)


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_honours_its_contract(case: Case[Any]) -> None:
    response = case.call_and_validate()
    assert response.status_code < 500
    # Each case starts from the generated population: writes would otherwise pile up on the
    # persona's dossier across thousands of cases.
    _RUNTIME.store.reset(_CLIENT)


class APIWorkflow(schema.as_state_machine()):  # type: ignore[misc]
    """The stateful run, each scenario starting from the generated population."""

    def teardown(self) -> None:
        _RUNTIME.store.reset(_CLIENT)


APIWorkflow.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=4,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
TestStatefulWorkflow = APIWorkflow.TestCase
