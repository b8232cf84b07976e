"""The dossier's pouvoirAgir and autonomieNumerique are objects, as in every published example.

France Travail's published OpenAPI (``diagnostic-usager.json``) shows both parts as objects in
every example and says nowhere that they may be null; its référentiel gives the "not explored"
values (besoin ``NON_EXPLORE``, contrainte and situation ``NON_ABORDEE``, objectif
``NON_ABORDE``, agent and date null) and the pouvoir d'agir answers (``OUI``, ``NON``,
``NE_SAIT_PAS``). The null case is kept for clients that test it: persona
``diagnostic-sans-pouvoir-agir`` (fixtures/README.md). Both generations read the same dossier.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from sandbox.runtime import Runtime
from tests.sandbox.apis.test_diagnostic_individu import V1, V4, v1_headers, v4_headers

ANSWERS = {"OUI", "NON", "NE_SAIT_PAS"}
NULL_PERSONA = "p-diagnostic-sans-pouvoir-agir"


def _is_pouvoir_agir(part: Any) -> bool:
    return (
        isinstance(part, dict)
        and {part["confiance"], part["accompagnement"]} <= ANSWERS
        and bool(part["resultatAnalyse"])
    )


def _is_autonomie(part: Any) -> bool:
    if not isinstance(part, dict):
        return False
    besoin, contrainte = part["besoin"], part["contrainte"]
    if (besoin["code"], contrainte["code"]) != ("7", "22"):
        return False
    if part["dateExploration"] is not None:
        return True
    return (
        part["agent"] is None
        and besoin["valeur"] == "NON_EXPLORE"
        and contrainte["valeur"] == "NON_ABORDEE"
        and {s["valeur"] for s in contrainte["situations"]} == {"NON_ABORDEE"}
        and {o["valeur"] for o in contrainte["objectifs"]} == {"NON_ABORDE"}
    )


def test_every_generated_dossier_has_both_parts_in_v4_and_the_same_pouvoir_agir_in_v1(
    client: TestClient, runtime: Runtime
) -> None:
    headers = v4_headers(client, runtime)
    v1 = v1_headers(client)
    now_ms = int(runtime.clock.timestamp() * 1000)
    checked = unexplored = 0
    for index in range(2000):
        person = runtime.population.generated(index)
        if not person.rsa.beneficiary or person.attachment_departement != "62":
            continue  # the only people the Pas-de-Calais reads (Annexe 3 §1.2, R001/R002)
        headers["ft-jeton-usager"] = runtime.references.issue_jeton(
            person.key, "PAR_ftsandbox_cd62", now_ms
        )
        response = client.get(f"{V4}/dossiers", headers=headers)
        if response.status_code == 204:
            continue
        dossier = response.json()
        assert _is_pouvoir_agir(dossier["pouvoirAgir"]), person.key
        assert _is_autonomie(dossier["autonomieNumerique"]), person.key
        unexplored += dossier["autonomieNumerique"]["dateExploration"] is None
        if checked % 10 == 0:
            pouvoir = client.get(f"{V4}/pouvoiragir", headers=headers).json()
            autonomie = client.get(f"{V4}/autonomienumerique", headers=headers).json()
            assert (pouvoir, autonomie) == (dossier["pouvoirAgir"], dossier["autonomieNumerique"])
            identifiant = quote(runtime.references.identifiant(person.key), safe="")
            legacy = client.get(f"{V1}/{identifiant}/pouvoir-agir", headers=v1).json()
            assert (
                legacy["pouvoirAgir"]["confiance"],
                legacy["pouvoirAgir"]["accompagnement"],
            ) == (
                pouvoir["confiance"],
                pouvoir["accompagnement"],
            )
        checked += 1
        if checked == 200:
            break
    assert checked == 200
    assert 0 < unexplored < checked  # both the explored and the "not explored" objects occur


def test_the_tour_persona_has_both_parts(client: TestClient, runtime: Runtime) -> None:
    dossier = client.get(f"{V4}/dossiers", headers=v4_headers(client, runtime)).json()
    assert _is_pouvoir_agir(dossier["pouvoirAgir"])
    assert _is_autonomie(dossier["autonomieNumerique"])


def test_the_null_persona_has_a_dossier_without_either_part_until_a_write(
    client: TestClient, runtime: Runtime
) -> None:
    headers = v4_headers(client, runtime, NULL_PERSONA)
    dossier = client.get(f"{V4}/dossiers", headers=headers).json()
    assert dossier["besoinsParDiagnostic"]
    assert (dossier["pouvoirAgir"], dossier["autonomieNumerique"]) == (None, None)
    for route in ("/pouvoiragir", "/autonomienumerique"):
        assert client.get(f"{V4}{route}", headers=headers).status_code == 204
    identifiant = quote(runtime.references.identifiant(NULL_PERSONA), safe="")
    v1_pouvoir = f"{V1}/{identifiant}/pouvoir-agir"
    assert client.get(v1_pouvoir, headers=v1_headers(client)).status_code == 204

    body = {"confiance": "NE_SAIT_PAS", "accompagnement": "OUI"}
    assert client.post(f"{V4}/pouvoiragir", json=body, headers=headers).status_code == 200
    written = client.get(f"{V4}/dossiers", headers=headers).json()
    assert _is_pouvoir_agir(written["pouvoirAgir"]) and written["autonomieNumerique"] is None
    legacy = client.get(v1_pouvoir, headers=v1_headers(client)).json()["pouvoirAgir"]
    assert (legacy["confiance"], legacy["accompagnement"]) == ("NE_SAIT_PAS", "OUI")
