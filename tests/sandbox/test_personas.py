"""Every persona produces its documented outcome in both generations of both APIs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from sandbox.convention.return_codes import RETURN_CODES, ReturnCode
from sandbox.population.personas import PersonaError, load_personas
from sandbox.resources import fixtures_dir
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, NORD_CLIENT, request_token

PERSONAS_DIR = fixtures_dir() / "personas"
PEOPLE, SPECS = load_personas(PERSONAS_DIR)
IDS = [spec.id for spec in SPECS.values()]


@pytest.mark.parametrize("persona_id", IDS)
def test_recherche_usager_v2_and_v1_return_the_documented_code(
    persona_id: str,
    client: TestClient,
    agent_headers: dict[str, str],
    partenaire_headers: dict[str, str],
) -> None:
    spec = SPECS[persona_id]
    expected = spec.attendu.recherche_usager
    body = {"dateNaissance": spec.date_naissance.isoformat(), "nir": spec.nir}
    v2 = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json=body,
        headers=agent_headers,
    )
    v1 = client.post(
        "/partenaire/rechercher-usager/v1/usagers/recherche", json=body, headers=partenaire_headers
    )
    status = RETURN_CODES[expected].http_status
    assert (v2.status_code, v2.json()["codeRetour"]) == (status, expected)
    assert (v1.status_code, v1.json()["codeRetour"]) == (status, expected)
    assert v2.json()["message"] == RETURN_CODES[expected].message_v2
    assert v1.json()["message"] == RETURN_CODES[expected].message_v1
    if expected is ReturnCode.S001:
        certified = "O" if spec.identite_certifiee else "N"
        assert v2.json()["topIdentiteCertifiee"] == certified
        assert v1.json()["topIdentiteCertifiee"] == certified
        assert v2.json()["numeroFranceTravail"] == spec.numero_france_travail
        assert v2.json()["jetonUsager"]
        uuid_part, _, sealed = v1.json()["identifiant"].partition("#")
        assert len(uuid_part) == 36 and len(sealed) == 64
    else:
        assert v2.json()["jetonUsager"] is None
        assert v1.json()["identifiant"] is None


@pytest.mark.parametrize(
    "persona_id", [i for i in IDS if SPECS[i].attendu.recherche_usager is ReturnCode.S001]
)
def test_statut_usager_returns_the_persona_status_in_both_generations(
    persona_id: str,
    client: TestClient,
    agent_headers: dict[str, str],
    partenaire_headers: dict[str, str],
) -> None:
    spec = SPECS[persona_id]
    body = {"dateNaissance": spec.date_naissance.isoformat(), "nir": spec.nir}
    jeton = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json=body,
        headers=agent_headers,
    ).json()["jetonUsager"]
    identifiant = client.post(
        "/partenaire/rechercher-usager/v1/usagers/recherche", json=body, headers=partenaire_headers
    ).json()["identifiant"]
    v2 = client.get(
        "/partenaire/contrat-usager/v2/contrat", headers={**agent_headers, "ft-jeton-usager": jeton}
    )
    v1 = client.post(
        "/partenaire/statut-usager/v1/statut",
        json={"idNat": identifiant},
        headers=partenaire_headers,
    )
    expected = spec.attendu.statut_usager
    if expected == "204":
        assert (v2.status_code, v2.content, v1.status_code) == (204, b"", 204)
    elif expected == "ERT_200_FONCT":
        assert v2.status_code == 200 and v2.json()["codeErreur"] == "ERT_200_FONCT"
        assert v1.status_code == 200
        assert v1.json()["messageErreur"] == "Type de population non géré par l'API"
        assert set(v1.json()) == {"idNat", "messageErreur"}  # nothing else, never null
    else:
        assert v2.status_code == 200 and v1.status_code == 200
        contrat = v2.json()["m_contrat"]
        assert contrat["m_statut"] == spec.inscription.statut.value
        assert v1.json()["statutDE"] == spec.inscription.statut.value
        assert contrat["m_date_effet_statut"] == spec.inscription.date_effet_statut.isoformat()
        assert v1.json()["dateEffetStatut"] == contrat["m_date_effet_statut"]
        # A value the person does not have is left out, never null (published: optional).
        assert contrat.get("m_categ_inscription_code") == spec.inscription.categorie
        assert v1.json().get("categInscriptionCode") == spec.inscription.categorie
        assert None not in contrat.values() and None not in v1.json().values()
        assert v1.json()["dateInscription12"] == contrat["m_duree_inscription_12"]
        assert v1.json()["idNat"] == identifiant
        assert "messageErreur" not in v1.json()


def test_homonyms_are_each_found_by_their_numero(
    client: TestClient, agent_headers: dict[str, str]
) -> None:
    for persona_id in ("s003-homonyme-a", "s003-homonyme-b"):
        response = client.post(
            "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail",
            json={"numeroFranceTravail": SPECS[persona_id].numero_france_travail},
            headers=agent_headers,
        )
        assert response.json()["codeRetour"] == "S001"


def test_the_other_departement_finds_its_own_resident(client: TestClient) -> None:
    spec = SPECS["r002-autre-departement"]
    token = request_token(
        client,
        scope="api_rechercher-usagerv2 rechercheusager profil_accedant",
        credentials=NORD_CLIENT,
    )
    response = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json={"dateNaissance": spec.date_naissance.isoformat(), "nir": spec.nir},
        headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS},
    )
    assert response.json()["codeRetour"] == "S001"


def test_personas_cover_every_outcome_and_place(runtime: Runtime) -> None:
    codes = {spec.attendu.recherche_usager for spec in SPECS.values()}
    assert codes >= {
        ReturnCode.S001,
        ReturnCode.S002,
        ReturnCode.S003,
        ReturnCode.R001,
        ReturnCode.R002,
        ReturnCode.R998,
    }
    statuses = {spec.inscription.statut.value for spec in SPECS.values()}
    assert statuses == {"Identifié", "Inscrit", "Cessé", "Radié"}
    categories = {spec.inscription.categorie for spec in SPECS.values()}
    assert {"1", "2", "3", "5"} <= categories
    kinds = {p.birthplace.kind.value for p in PEOPLE}
    assert kinds == {"metropole", "corse", "outre-mer", "etranger"}
    assert any(p.nia for p in PEOPLE)
    assert any(not p.birth_month_known for p in PEOPLE)
    assert any(p.nir_body[5:7] == "20" for p in PEOPLE)
    assert len(runtime.population.personas) == len(PEOPLE)


def test_fixtures_readme_documents_every_persona() -> None:
    readme = (fixtures_dir() / "README.md").read_text(encoding="utf-8")
    for persona_id in IDS:
        assert f"`{persona_id}`" in readme


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nir": "290036204190176"}, "clé"),
        ({"dateNaissance": "1991-03-14"}, "year"),
        ({"numeroFranceTravail": "10000000101"}, "numeroFranceTravail"),
        ({"adresse": {"ligne": "1 rue", "commune": "00000"}}, "commune"),
        (
            {
                "inscription": {"statut": "Identifié", "dateEffetStatut": "2024-02-05"},
                "diagnostic": {"partiesNulles": ["pouvoirAgir"]},
            },
            "partiesNulles",
        ),
        ({"diagnostic": {"partiesNulles": ["besoins"]}}, "partiesNulles"),
        # Born 1990-03-14: no RQTH before 2006-03-14 (contract of Données RQTH).
        ({"rqth": {"dateDebut": "2006-03-13"}}, "16th birthday"),
        ({"rqth": {"dateDebut": "2020-01-01", "dateFin": "2019-12-31"}}, "dateFin"),
        ({"rqth": {"dateDebut": "2020-01-01", "source": "CAF"}}, "source"),
        ({"rqth": {"dateDebut": "2018-12-31"}}, "without dateFin"),
    ],
)
def test_an_inconsistent_persona_file_is_refused_with_its_name(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    source = yaml.safe_load((PERSONAS_DIR / "s001-certifiee.yaml").read_text(encoding="utf-8"))
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump({**source, **change}), encoding="utf-8")
    with pytest.raises(PersonaError, match="broken.yaml") as error:
        load_personas(tmp_path)
    assert message in str(error.value)


def test_fixtures_readme_tells_what_the_other_apis_return(runtime: Runtime) -> None:
    from sandbox.careers.baseline import baseline as careers
    from sandbox.diagnostics.baseline import baseline as dossier

    readme = (fixtures_dir() / "README.md").read_text(encoding="utf-8")
    section = readme.split("### What the other APIs return", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:5] for line in section.splitlines() if line.startswith("| `")]
    assert rows
    settings = runtime.settings
    for persona_cell, diagnostics, jobs, projects in rows:
        person = runtime.population.get("p-" + persona_cell.strip().strip("`"))
        assert person is not None
        generated = careers(settings.seed, person)
        expected = dossier(settings.seed, person, settings.population_epoch)
        assert int(diagnostics) == len(expected.diagnostics), persona_cell
        assert (int(jobs), int(projects)) == (len(generated.jobs), len(generated.projects))
