"""Error rendering shared by every API: 405 with the full Allow list, safe hint headers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sandbox.apis.responses import _header_safe


def test_an_unsupported_method_lists_every_allowed_one(client: TestClient) -> None:
    response = client.put("/partenaire/diagnosticargumente/v4/dossiers")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.json()["codeHttp"] == 405


def test_hints_are_printable_ascii_without_personal_data() -> None:
    hint = _header_safe("code «é\x00\x1f\n» NIR 290036204190175")
    assert hint.isascii() and hint.isprintable()
    assert "290036204190175" not in hint and "2900362" in hint
