"""The pages' shared base: packaged assets served without CDN, strict security headers."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from sandbox import Settings, create_app


def test_the_stylesheet_is_packaged_and_served(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path, secret_key="web"))) as client:
        answer = client.get("/static/site.css")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/css")
        assert "--bleu" in answer.text
        # Assets are not an OAuth client's exchange: nothing in any journal.
        admin = {"Authorization": f"Bearer {client.app.state.runtime.admin_token}"}  # type: ignore[attr-defined]
        assert client.get("/_sandbox/counters", headers=admin).json() == {}
