"""Schemathesis against the file drop's own document (``depot-fichiers.json``), in process.

The drop is not in ``/openapi.json`` (it is not a platform API), so the main self-test does not
reach it: this one loads its exported document. Each case starts from an empty drop.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.specs.openapi.checks import negative_data_rejection
from schemathesis.transport.serialization import serialize_binary

from conformance.provider import checks_config
from sandbox import Settings, create_app
from sandbox.apis.contracts import DROP_DOCUMENT, documents
from sandbox.apis.depot_fichiers.router import XLSX
from sandbox.auth.scopes import Realm, scopes_of_realm
from sandbox.clock import FrozenClock
from sandbox.runtime import Runtime

_APP = create_app(
    Settings(data_dir=Path(tempfile.mkdtemp(prefix="ft-schemathesis-depot-")), secret_key="s"),
    FrozenClock(dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)),
)
_RUNTIME: Runtime = _APP.state.runtime
_CLIENT = "PAR_ftsandbox_cd62"
_DOCUMENT = documents(_APP)[DROP_DOCUMENT]


@schemathesis.serializer("text/csv", XLSX)
def _file_bytes(context: Any, value: Any) -> bytes:
    """A generated file body as bytes (Schemathesis has no serializer for these media types)."""
    return serialize_binary(value)


schema = schemathesis.openapi.from_dict(_DOCUMENT, config=checks_config(_DOCUMENT))
schema.app = _APP


@schema.auth()
class DropAuth:
    """A token of the default client (realm /agent: either realm opens the drop)."""

    def get(self, case: Case[Any], context: Any) -> str:
        now = _RUNTIME.clock.timestamp()
        realm = Realm.AGENT
        return _RUNTIME.tokens.issue(_CLIENT, realm, sorted(scopes_of_realm(realm)), now)

    def set(self, case: Case[Any], data: str, context: Any) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_drop_operation_honours_its_contract(case: Case[Any]) -> None:
    # Any bytes are a file to check (an unreadable one gets its report), so a "schema-violating"
    # body is only another file: accepting it is the documented behaviour, not a violation.
    response = case.call_and_validate(app=_APP, excluded_checks=[negative_data_rejection])
    assert response.status_code < 500
    _RUNTIME.store.reset(_CLIENT)
