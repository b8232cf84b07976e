"""The ft-sandbox command line: population sample for scripts and testers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sandbox.cli import main
from tests.conftest import NOW

PERSONAS = Path(__file__).resolve().parents[2] / "fixtures" / "personas"


def test_population_sample_prints_personas_then_generated_people(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FT_SANDBOX_DATA_DIR", str(tmp_path))
    count = len(list(PERSONAS.glob("*.yaml"))) + 20  # every persona, then generated people
    assert main(["population", "sample", "--count", str(count), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == count
    assert {"nir", "dateNaissance", "numeroFranceTravail", "codeRetour"} <= set(rows[0])
    assert rows[0]["persona"] is not None and rows[-1]["persona"] is None
    assert {row["codeRetour"] for row in rows} >= {"S001", "S002", "S003", "R001", "R002", "R998"}


def test_sample_codes_are_what_the_api_answers(
    client: TestClient, agent_headers: dict[str, str], settings: object
) -> None:
    from sandbox.population.sample import sample_rows

    rows = sample_rows(settings, 80, "62", NOW.date())  # type: ignore[arg-type]
    for row in (row for row in rows if row["persona"] is None):  # generated people
        response = client.post(
            "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
            json={"dateNaissance": row["dateNaissance"], "nir": row["nir"]},
            headers=agent_headers,
        )
        assert response.json()["codeRetour"] == row["codeRetour"], row
