"""Agent names travel as UTF-8 header bytes and come back unchanged (reference §3: pa-* headers)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandbox.apis.deps import header_text
from sandbox.runtime import Runtime
from tests.sandbox.apis.test_diagnostic_individu import CONTRAINTE_23, V4, v4_headers


def _situation_7_agent(client: TestClient, headers: dict[str, Any]) -> dict[str, Any]:
    body = client.get(f"{V4}/contraintes", headers=headers).json()
    contrainte = next(c for c in body["contraintes"] if c["code"] == "23")
    situation = next(s for s in contrainte["situations"] if s["code"] == "7")
    agent: dict[str, Any] = situation["agent"]
    return agent


@pytest.mark.parametrize("nom", ["Hélène", "李小龍", "🙂", "Ørsted-Ñúñez"])
def test_an_agent_name_is_stored_and_read_back_as_sent(
    client: TestClient, runtime: Runtime, nom: str
) -> None:
    # HTTP clients send header text as raw bytes; curl and the JVM clients send UTF-8.
    headers: dict[str, Any] = {
        **v4_headers(client, runtime),
        "pa-nom-agent": nom.encode(),
        "pa-prenom-agent": f"{nom} II".encode(),
    }
    response = client.post(f"{V4}/contraintes", json=CONTRAINTE_23, headers=headers)
    assert response.status_code == 200, response.text
    agent = _situation_7_agent(client, headers)
    assert (agent["nom"], agent["prenom"]) == (nom, f"{nom} II")


def test_header_bytes_that_are_not_utf_8_are_read_as_latin_1() -> None:
    # Starlette's TestClient re-encodes header text as UTF-8, so the wire form is built here:
    # ASGI servers hand the raw bytes over and Starlette reads them as latin-1.
    def as_asgi_reads(raw: bytes) -> str:
        return raw.decode("latin-1")

    assert header_text(as_asgi_reads("Hélène".encode())) == "Hélène"
    assert header_text(as_asgi_reads("Hélène".encode("latin-1"))) == "Hélène"
    assert header_text(as_asgi_reads(b"BATCH")) == "BATCH"


def test_a_pipe_is_still_refused_in_a_utf_8_name(client: TestClient, runtime: Runtime) -> None:
    headers: dict[str, Any] = {**v4_headers(client, runtime), "pa-nom-agent": "Hélène|X".encode()}
    response = client.post(f"{V4}/contraintes", json=CONTRAINTE_23, headers=headers)
    assert response.status_code == 401
    assert response.headers["x-sandbox-hint"] == (
        "The character | is forbidden in: pa-nom-agent. Remove it from the value."
    )
