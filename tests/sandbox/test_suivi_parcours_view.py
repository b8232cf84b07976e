"""POST /_sandbox/suivi-parcours: what the Suivi de parcours tool shows, by NIR (Annexe 3).

Expected values come from Annexe 3 (a file opens only for a RSA beneficiary; the lists' fields),
the persona files and the partner API serving the same entretiens (Conclusions entretiens v1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, request_token

PERSONAS = Path(__file__).resolve().parents[2] / "fixtures" / "personas"
VIEW = "/_sandbox/suivi-parcours"


def persona(name: str) -> dict[str, Any]:
    """A persona file, read as YAML."""
    data: dict[str, Any] = yaml.safe_load((PERSONAS / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


def _admin(runtime: Runtime) -> dict[str, str]:
    return {"Authorization": f"Bearer {runtime.admin_token}"}


def test_a_rsa_beneficiary_s_file_has_the_three_annexe_3_lists(
    client: TestClient, runtime: Runtime, partenaire_headers: dict[str, str]
) -> None:
    spec = persona("categorie-3-pro")
    response = client.post(VIEW, json={"nir": spec["nir"]}, headers=_admin(runtime))
    assert response.status_code == 200, response.text
    [dossier] = response.json()["dossiers"]
    assert dossier["numeroFranceTravail"] == spec["numeroFranceTravail"]
    suivi = dossier["suiviIntensite"]
    assert (suivi["nom"], suivi["prenom"]) == (spec["nom"].upper(), spec["prenom"])
    assert suivi["statutInscription"] == spec["inscription"]["statut"]
    # « BNI du DE »: the identifiant national Recherche usager v1 returns for this person.
    v1 = client.post(
        "/partenaire/rechercher-usager/v1/usagers/recherche",
        json={"nir": spec["nir"], "dateNaissance": str(spec["dateNaissance"])},
        headers=partenaire_headers,
    )
    assert v1.status_code == 200, v1.text
    assert suivi["bni"] == v1.json()["identifiant"]
    for demarche in dossier["demarches"]:
        assert demarche["etat"] in {"AC", "RE", "AN"}  # Actif, Réalisé, Annulé
        assert {"libelleCourt", "libelleLong", "pourQuoi", "quoi", "droitsDemarche"} <= set(
            demarche
        )
    since = suivi["dateEntreeParcours"]
    assert suivi["demarches"] == [
        d["libelleCourt"] for d in dossier["demarches"] if d["dateCreation"] >= since
    ]
    for entretien in dossier["entretiens"]:
        assert entretien["origine"] in {"Conseiller", "Individu"}  # Annexe 3
        assert entretien["codeAgent"] == suivi["conseillerPrincipal"]["idgasi"]


def test_the_view_and_conclusions_entretiens_show_the_same_entretiens(
    client: TestClient, runtime: Runtime
) -> None:
    spec = persona("s001-certifiee")
    scope = (
        "api_rechercher-usagerv2 rechercheusager profil_accedant "
        "api_conclusions-entretiensv1 conclusionsentretienagent"
    )
    headers = {"Authorization": f"Bearer {request_token(client, scope=scope)}", **AGENT_HEADERS}
    body = {"nir": spec["nir"], "dateNaissance": str(spec["dateNaissance"])}
    jeton = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json=body,
        headers=headers,
    ).json()["jetonUsager"]
    api = client.get(
        "/partenaire/conclusions-entretiens/v1/entretiens",
        headers={**headers, "ft-jeton-usager": jeton},
    ).json()
    [dossier] = client.post(VIEW, json={"nir": spec["nir"]}, headers=_admin(runtime)).json()[
        "dossiers"
    ]
    shared = set(api[0]) if api else set()
    assert [{k: e[k] for k in shared} for e in dossier["entretiens"]] == api


def test_the_file_of_someone_outside_the_rsa_does_not_open(
    client: TestClient, runtime: Runtime
) -> None:
    spec = persona("r001-hors-perimetre")
    response = client.post(VIEW, json={"nir": spec["nir"]}, headers=_admin(runtime))
    assert (response.status_code, response.json()["codeErreur"]) == (
        403,
        "ERR_USAGER_HORS_PERIMETRE",
    )


def test_access_is_national(client: TestClient, runtime: Runtime) -> None:
    # Annexe 3 §1.2: « un accès national aux individus allocataires du RSA ».
    spec = persona("r002-autre-departement")
    response = client.post(VIEW, json={"nir": spec["nir"]}, headers=_admin(runtime))
    assert response.status_code == 200, response.text


def test_both_homonyms_files_open(client: TestClient, runtime: Runtime) -> None:
    spec = persona("s003-homonyme-a")
    response = client.post(VIEW, json={"nir": spec["nir"]}, headers=_admin(runtime))
    assert len(response.json()["dossiers"]) == 2


def test_an_unknown_or_invalid_nir_is_refused(client: TestClient, runtime: Runtime) -> None:
    unknown = "1991299999999"  # valid shape (month 12)
    assert runtime.population.find_by_nir(unknown) == []  # precondition: no one carries it
    response = client.post(VIEW, json={"nir": unknown}, headers=_admin(runtime))
    assert (response.status_code, response.json()["codeErreur"]) == (404, "ERR_USAGER_INCONNU")
    invalid = client.post(VIEW, json={"nir": "123"}, headers=_admin(runtime))
    assert (invalid.status_code, invalid.json()["codeErreur"]) == (400, "ERR_COMMANDE_INVALIDE")
    assert "123" not in invalid.headers.get("x-sandbox-hint", "")


def test_only_the_admin_token_opens_the_view(client: TestClient) -> None:
    spec = persona("s001-certifiee")
    token = request_token(client)
    response = client.post(
        VIEW, json={"nir": spec["nir"]}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
