"""Diagnostic individu through the app: v4 (jeton) and v1 (identifiant), one dossier per client."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.auth.scopes import Realm
from sandbox.clock import FrozenClock
from sandbox.diagnostics import referentiel
from sandbox.diagnostics.referentiel import Analyse
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, NORD_CLIENT, request_token

V4 = "/partenaire/diagnosticargumente/v4"
V1 = "/partenaire/diagnosticargumente/v1/individus"
V4_SCOPES = ["api_diagnosticargumentev4", "diagnosticusageragent"]
S001 = "p-s001-certifiee"
PLATFORM_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
CONTRAINTE_23 = {
    "dateExploration": "2026-11-27T10:00:00.000+01:00",
    "contraintesAEnregistrer": [
        {"code": "23", "valeur": "OUI", "estPrioritaire": True, "impact": "FORT"}
    ],
    "situationsAEnregistrer": [{"code": "7", "valeur": "OUI"}],
    "objectifsAEnregistrer": [{"code": "29", "valeur": "EN_COURS"}],
}


def _now_ms(runtime: Runtime) -> int:
    return int(runtime.clock.timestamp() * 1000)


def v4_headers(client: TestClient, runtime: Runtime, person: str = S001) -> dict[str, str]:
    token = request_token(client, scope=" ".join(V4_SCOPES))
    jeton = runtime.references.issue_jeton(person, "PAR_ftsandbox_cd62", _now_ms(runtime))
    return {
        "Authorization": f"Bearer {token}",
        **AGENT_HEADERS,
        "pa-identifiant-agent": "jdup0001",
        "ft-jeton-usager": jeton,
    }


def v1_headers(client: TestClient) -> dict[str, str]:
    token = request_token(client, "/partenaire", "api_diagnosticargumentev1")
    return {"Authorization": f"Bearer {token}"}


def v1_path(runtime: Runtime, person: str = S001, suffix: str = "") -> str:
    return f"{V1}/{quote(runtime.references.identifiant(person), safe='')}{suffix}"


@pytest.fixture
def headers(client: TestClient, runtime: Runtime) -> dict[str, str]:
    return v4_headers(client, runtime)


def test_the_dossier_has_the_published_shape(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(f"{V4}/dossiers", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "besoinsParDiagnostic",
        "thematiqueContrainte",
        "pouvoirAgir",
        "autonomieNumerique",
    }
    entry = body["besoinsParDiagnostic"][0]
    assert set(entry) == {
        "diagnostic",
        "dateDerniereExplorationBesoin",
        "agentDerniereExplorationBesoin",
        "thematiquesBesoins",
    }
    diagnostic = entry["diagnostic"]
    assert set(diagnostic) == {
        "idDiagnostic",
        "idMetierChiffre",
        "nomMetier",
        "typologie",
        "codeTypologie",
        "codeRome",
        "codeAppellation",
        "statut",
        "estPrioritaire",
        "agent",
        "dateMiseAJour",
        "dateMiseAJourProjet",
        "estCreationPartenaire",
    }  # codeSousTypologie only for an EF project (enum CRF…CR): absent, never null, here
    assert (diagnostic["statut"], diagnostic["estPrioritaire"]) == ("EN_COURS", True)
    assert set(diagnostic["agent"]) == {"id", "nom", "prenom", "structure", "type"}
    assert PLATFORM_DATE.match(diagnostic["dateMiseAJour"])
    metier = referentiel().metier(diagnostic["codeAppellation"])
    assert metier is not None and metier.libelle == diagnostic["nomMetier"]
    thematiques = entry["thematiquesBesoins"]
    assert [t["code"] for t in thematiques] == ["1", "2", "3", "4", "5", "6"]
    besoins = [b for t in thematiques for b in t["besoins"]]
    assert "7" not in {b["code"] for b in besoins} and len(besoins) == 20
    assert set(besoins[0]) == {"code", "libelle", "valeur", "agent", "dateExploration"}
    contraintes = body["thematiqueContrainte"]
    assert set(contraintes) == {
        "agent",
        "dateExploration",
        "code",
        "libelle",
        "declareSansContrainte",
        "contraintes",
    }
    assert [c["code"] for c in contraintes["contraintes"]] == [str(n) for n in range(23, 30)]
    assert set(contraintes["contraintes"][0]) == {
        "code",
        "libelle",
        "valeur",
        "estPrioritaire",
        "dateExploration",
        "impact",
        "situations",
        "objectifs",
    }


@pytest.mark.parametrize(
    "route",
    [
        "/dossiers",
        "/besoins",
        "/diagnostics",
        "/contraintes",
        "/pouvoiragir",
        "/autonomienumerique",
    ],
)
def test_someone_never_registered_has_no_diagnostic(
    client: TestClient, runtime: Runtime, route: str
) -> None:
    headers = v4_headers(client, runtime, "p-statut-identifie")
    response = client.get(f"{V4}{route}", headers=headers)
    assert (response.status_code, response.content) == (204, b"")


def test_v1_answers_204_without_a_dossier(client: TestClient, runtime: Runtime) -> None:
    response = client.get(v1_path(runtime, "p-statut-identifie"), headers=v1_headers(client))
    assert response.status_code == 204


def _read_v4_contrainte_23(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    body = client.get(f"{V4}/contraintes", headers=headers).json()
    contrainte: dict[str, Any] = next(c for c in body["contraintes"] if c["code"] == "23")
    return contrainte


def test_a_v4_write_is_read_by_both_generations_after_a_restart_and_by_no_one_else(
    client: TestClient, runtime: Runtime, settings: Settings, clock: FrozenClock
) -> None:
    headers = v4_headers(client, runtime)
    response = client.post(f"{V4}/contraintes", json=CONTRAINTE_23, headers=headers)
    assert (response.status_code, response.content) == (200, b"")

    restarted: FastAPI = create_app(settings, clock)
    with TestClient(restarted) as again:
        contrainte = _read_v4_contrainte_23(again, headers)
        assert (contrainte["valeur"], contrainte["estPrioritaire"], contrainte["impact"]) == (
            "OUI",
            True,
            "FORT",
        )
        assert contrainte["dateExploration"] == "2026-11-27T09:00:00.000Z"
        situations = {s["code"]: s for s in contrainte["situations"]}
        assert situations["7"]["valeur"] == "OUI"
        assert situations["7"]["agent"]["id"] == "jdup0001"

        v1 = again.get(v1_path(runtime, suffix="/contraintes"), headers=v1_headers(again)).json()
        assert v1["conseiller"] == "jdup0001"
        mobilite = next(c for c in v1["contraintes"] if c["id"] == 23)
        assert (mobilite["nom"], mobilite["valeur"]) == ("Développer sa mobilité", "OUI")
        assert mobilite["date"] == "2026-11-27T09:00:00.000+00:00"
        assert {o["code"]: o["valeur"] for o in mobilite["objectifs"]}["29"] == "EN_COURS"

        nord = runtime.tokens.issue(
            NORD_CLIENT[0], Realm.AGENT, V4_SCOPES, runtime.clock.timestamp()
        )
        nord_headers = {
            **headers,
            "Authorization": f"Bearer {nord}",
            "ft-jeton-usager": runtime.references.issue_jeton(
                S001, NORD_CLIENT[0], _now_ms(runtime)
            ),
        }
        # Another département reads nothing of this person, not even the baseline (R002 rule);
        # the per-client partition of the state itself is tested in test_diagnostics.py.
        for path in ("/contraintes", "/historisation/contraintes"):
            theirs = again.get(f"{V4}{path}", headers=nord_headers)
            assert (theirs.status_code, theirs.json()["codeErreur"]) == (
                403,
                "ERR_USAGER_NON_RATTACHE",
            )


def test_a_v1_write_is_read_through_v4(client: TestClient, runtime: Runtime) -> None:
    body = {
        "dateExploration": "2026-11-20T08:00:00Z",
        "idConseiller": "TNAN0260",
        "contraintes": [
            {
                "code": "27",
                "valeur": "OUI",
                "situations": [{"code": "2710", "valeur": "OUI"}],
                "objectifs": [{"code": "36", "valeur": "EN_COURS"}],
            }
        ],
    }
    path = v1_path(runtime, suffix="/contraintes")
    assert "%23" in path and "#" not in path
    response = client.post(path, json=body, headers=v1_headers(client))
    assert response.status_code == 200
    contraintes = client.get(f"{V4}/contraintes", headers=v4_headers(client, runtime)).json()
    logement = next(c for c in contraintes["contraintes"] if c["code"] == "27")
    assert logement["valeur"] == "OUI"
    situation = next(s for s in logement["situations"] if s["code"] == "2710")
    assert (situation["valeur"], situation["agent"]["id"]) == ("OUI", "TNAN0260")


def test_v1_reads_the_dossier_with_a_percent_encoded_identifiant(
    client: TestClient, runtime: Runtime
) -> None:
    response = client.get(v1_path(runtime), headers=v1_headers(client))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"besoinsParDiagnosticIndividuDtos", "contraintesIndividusDto"}
    assert set(body["besoinsParDiagnosticIndividuDtos"][0]) == {
        "idMetierChiffre",
        "nomMetier",
        "typologie",
        "statut",
        "estPrioritaire",
        "dateMiseAJour",
        "besoins",
    }
    assert set(body["contraintesIndividusDto"]) == {
        "conseiller",
        "dateDeModification",
        "code",
        "libelle",
        "contraintes",
    }
    first = body["contraintesIndividusDto"]["contraintes"][0]
    assert set(first) == {"code", "libelle", "valeur", "date", "situations", "objectifs"}


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("/contraintes", {"dateExploration": "2026-11-27T10:00:00Z"}),
        (
            "/contraintes",
            {**CONTRAINTE_23, "contraintesAEnregistrer": [{"code": "99", "valeur": "OUI"}]},
        ),
        (
            "/contraintes",
            {**CONTRAINTE_23, "contraintesAEnregistrer": [{"code": "23", "valeur": "PEUT-ETRE"}]},
        ),
        ("/contraintes", {**CONTRAINTE_23, "contraintesAEnregistrer": []}),
        (
            "/contraintes",
            {
                **CONTRAINTE_23,
                "contraintesAEnregistrer": [
                    {"code": "23", "valeur": "OUI", "estPrioritaire": True},
                    {"code": "24", "valeur": "OUI", "estPrioritaire": True},
                ],
            },
        ),
        ("/pouvoiragir", {"confiance": "OUI", "accompagnement": "Un peu"}),
        ("/pouvoiragir", {"confiance": "OUI"}),
        ("/diagnostics", {}),
        ("/diagnostics", {"nomMetier": "Boulanger passionné"}),
        ("/diagnostics", {"codeAppellation": "11450", "nomMetier": "Soigneur animalier"}),
        ("/diagnostics", {"codeTypologie": "XX"}),
        (
            "/autonomienumerique",
            {
                "dateExploration": "2026-11-27T10:00:00Z",
                "besoinAEnregistrer": {"code": "3", "valeur": "BESOIN"},
            },
        ),
        ("/dossiers", {}),
    ],
)
def test_free_text_unknown_codes_and_empty_writes_are_refused(
    client: TestClient, headers: dict[str, str], route: str, body: dict[str, object]
) -> None:
    response = client.post(f"{V4}{route}", json=body, headers=headers)
    assert response.status_code == 400
    assert response.json() == {
        "codeErreur": "ERR_DONNEE_INCORRECTE",
        "codeHttp": 400,
        "message": "Les données fournies sont incorrectes",
    }
    assert response.headers["x-sandbox-hint"]


def test_besoins_and_situations_outside_the_referentiel_are_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    diagnostic = client.get(f"{V4}/diagnostics", headers=headers).json()["diagnostics"][0]
    path = f"{V4}/diagnostics/{diagnostic['idDiagnostic']}/besoins"
    when = "2026-11-27T10:00:00Z"
    for besoins in ([{"code": "42", "valeur": "BESOIN"}], []):
        refused = client.post(
            path, json={"dateExploration": when, "besoinAEnregistrer": besoins}, headers=headers
        )
        assert refused.status_code == 400
    not_abordee = {
        "dateExploration": when,
        "situationsAEnregistrer": [{"code": "24", "valeur": "OUI"}],
    }
    assert client.post(f"{V4}/contraintes", json=not_abordee, headers=headers).status_code == 400
    accepted = client.post(
        path,
        json={
            "dateExploration": when,
            "besoinAEnregistrer": [{"code": "12", "valeur": "POINT_FORT"}],
        },
        headers=headers,
    )
    assert accepted.status_code == 200
    besoins = client.get(f"{V4}/besoins", headers=headers).json()[0]
    valeurs = {b["code"]: b["valeur"] for t in besoins["thematiquesBesoins"] for b in t["besoins"]}
    assert valeurs["12"] == "POINT_FORT"
    assert besoins["dateDerniereExplorationBesoin"] == "2026-11-27T10:00:00.000Z"


def test_besoin_7_and_contrainte_22_written_with_the_others_go_to_the_autonomie_numerique(
    client: TestClient, headers: dict[str, str], runtime: Runtime
) -> None:
    diagnostic = client.get(f"{V4}/diagnostics", headers=headers).json()["diagnostics"][0]
    when = "2026-11-27T10:00:00Z"
    besoins = {
        "dateExploration": when,
        "besoinAEnregistrer": [
            {"code": "7", "valeur": "POINT_FORT"},
            {"code": "5", "valeur": "BESOIN"},
        ],
    }
    path = f"{V4}/diagnostics/{diagnostic['idDiagnostic']}/besoins"
    assert client.post(path, json=besoins, headers=headers).status_code == 200
    contraintes = {
        "dateExploration": when,
        "contraintesAEnregistrer": [
            {"code": "22", "valeur": "OUI", "impact": "FORT"},
            {"code": "23", "valeur": "OUI"},
        ],
        "situationsAEnregistrer": [{"code": "46", "valeur": "OUI"}, {"code": "7", "valeur": "OUI"}],
        "objectifsAEnregistrer": [{"code": "1", "valeur": "EN_COURS"}],
    }
    assert client.post(f"{V4}/contraintes", json=contraintes, headers=headers).status_code == 200

    autonomie = client.get(f"{V4}/autonomienumerique", headers=headers).json()
    assert (autonomie["besoin"]["code"], autonomie["besoin"]["valeur"]) == ("7", "POINT_FORT")
    numerique = autonomie["contrainte"]
    assert (numerique["code"], numerique["valeur"], numerique["impact"]) == ("22", "OUI", "FORT")
    assert {s["code"]: s["valeur"] for s in numerique["situations"]}["46"] == "OUI"
    assert {o["code"]: o["valeur"] for o in numerique["objectifs"]}["1"] == "EN_COURS"
    thematique = client.get(f"{V4}/contraintes", headers=headers).json()["contraintes"]
    assert [c["code"] for c in thematique] == [str(n) for n in range(23, 30)]
    mobilite = thematique[0]
    assert {s["code"]: s["valeur"] for s in mobilite["situations"]}["7"] == "OUI"
    read = next(
        b
        for b in client.get(f"{V4}/besoins", headers=headers).json()
        if b["diagnostic"]["idDiagnostic"] == diagnostic["idDiagnostic"]
    )
    valeurs = {b["code"]: b["valeur"] for t in read["thematiquesBesoins"] for b in t["besoins"]}
    assert "7" not in valeurs and valeurs["5"] == "BESOIN"
    history = client.get(f"{V4}/historisation/autonomienumerique", headers=headers).json()
    assert history["totalDonnees"] == 2

    # v1 (no autonomie numérique there) keeps to contraintes 23–29.
    v1 = {
        "dateExploration": when,
        "idConseiller": "TNAN0260",
        "contraintes": [{"code": "22", "valeur": "OUI"}],
    }
    refused = client.post(
        v1_path(runtime, suffix="/contraintes"), json=v1, headers=v1_headers(client)
    )
    assert refused.status_code == 400


@pytest.mark.parametrize("analyse", referentiel().analyses, ids=lambda a: a.code)
def test_pouvoir_d_agir_is_analysed_with_the_referentiel_matrix(
    client: TestClient, headers: dict[str, str], analyse: Analyse
) -> None:
    confiance, accompagnement = analyse.confiance, analyse.accompagnement
    body = {"confiance": confiance, "accompagnement": accompagnement}
    assert client.post(f"{V4}/pouvoiragir", json=body, headers=headers).status_code == 200
    read = client.get(f"{V4}/pouvoiragir", headers=headers).json()
    assert read["resultatAnalyse"] == analyse.libelle
    assert (read["confiance"], read["agent"]["id"]) == (confiance, "jdup0001")


def test_confident_and_autonomous_reads_as_the_platform_says(
    client: TestClient, headers: dict[str, str], runtime: Runtime
) -> None:
    client.post(
        f"{V4}/pouvoiragir", json={"confiance": "OUI", "accompagnement": "NON"}, headers=headers
    )
    v1 = client.get(v1_path(runtime, suffix="/pouvoir-agir"), headers=v1_headers(client)).json()
    assert v1 == {
        "pouvoirAgir": {
            "confiance": "OUI",
            "accompagnement": "NON",
            "resultatAnalyse": "Confiant(e) et autonome pour mener ses démarches",
        }
    }


# POST /diagnostics as the published file describes it (EnregistrerDiagnosticDto: each field's
# example), and the other pair of its examples (EnregistrerDiagnosticPourDossierDto, and the
# nomMetier its GET /diagnostics example reads for it).
PUBLISHED_DIAGNOSTIC = {
    "codeAppellation": "13782",
    "codeRome": "H2409",
    "codeSousTypologie": "CRF",
    "codeTypologie": "EF",
    "idMetierChiffre": "fab31b61-9b96-4112-afac-5020a79a21de"
    "#UzFBZk-_jtQJyyfOo2dOcgheK27ExNYoGXwpuBB_as0",
    "nomMetier": "Coupeur / Coupeuse en bonneterie",
}
PUBLISHED_PAIR = {"codeRome": "F1204", "codeAppellation": "19070"}


def _diagnostic(client: TestClient, headers: dict[str, str], id_diagnostic: str) -> dict[str, Any]:
    diagnostics = client.get(f"{V4}/diagnostics", headers=headers).json()["diagnostics"]
    found: dict[str, Any] = next(d for d in diagnostics if d["idDiagnostic"] == id_diagnostic)
    return found


def test_the_published_examples_are_written_and_read_back(
    client: TestClient, headers: dict[str, str]
) -> None:
    created = client.post(f"{V4}/diagnostics", json=PUBLISHED_DIAGNOSTIC, headers=headers)
    assert created.status_code == 200
    id_diagnostic = created.json()["idDiagnostic"]
    read = _diagnostic(client, headers, id_diagnostic)
    assert {k: read[k] for k in PUBLISHED_DIAGNOSTIC} == PUBLISHED_DIAGNOSTIC
    put = client.put(f"{V4}/diagnostics/{id_diagnostic}", json=PUBLISHED_PAIR, headers=headers)
    assert put.status_code == 200
    read = _diagnostic(client, headers, id_diagnostic)
    assert (read["codeRome"], read["codeAppellation"], read["nomMetier"]) == (
        "F1204",
        "19070",
        "Responsable environnement et sécurité chantier",
    )
    dossier = {"diagnosticsAEnregistrer": [{"idDiagnosticModifie": None, **PUBLISHED_PAIR}]}
    assert client.post(f"{V4}/dossiers", json=dossier, headers=headers).status_code == 200
    last = client.get(f"{V4}/diagnostics", headers=headers).json()["diagnostics"][-1]
    assert (last["codeAppellation"], last["nomMetier"]) == (
        "19070",
        "Responsable environnement et sécurité chantier",
    )


def test_any_appellation_of_rome_4_is_accepted_and_an_unknown_one_refused_with_a_hint(
    client: TestClient, headers: dict[str, str]
) -> None:
    long_tail = client.post(
        f"{V4}/diagnostics", json={"codeAppellation": "522403"}, headers=headers
    )
    assert long_tail.status_code == 200
    read = _diagnostic(client, headers, long_tail.json()["idDiagnostic"])
    assert (read["codeRome"], read["nomMetier"]) == (
        "H1239",
        "Technicien / Technicienne bureau d'études écoconception",
    )
    documented = {
        "codeErreur": "ERR_DONNEE_INCORRECTE",
        "codeHttp": 400,
        "message": "Les données fournies sont incorrectes",
    }
    for body, hint in (
        ({"codeAppellation": "99999"}, "codeAppellation 99999 is not an appellation of ROME 4.0"),
        ({"codeRome": "Z9999"}, "codeRome Z9999 is not a ROME 4.0 fiche"),
        ({"codeAppellation": "13782", "codeRome": "F1204"}, "in the ROME H2409, not F1204"),
    ):
        refused = client.post(f"{V4}/diagnostics", json=body, headers=headers)
        assert (refused.status_code, refused.json()) == (400, documented)
        assert hint in refused.headers["x-sandbox-hint"]


def test_creating_prioritising_and_deleting_a_diagnostic(
    client: TestClient, headers: dict[str, str]
) -> None:
    created = client.post(
        f"{V4}/diagnostics",
        json={"codeAppellation": "11450", "codeTypologie": "PM"},
        headers=headers,
    )
    assert created.status_code == 200
    id_diagnostic = created.json()["idDiagnostic"]

    def mine() -> dict[str, Any]:
        diagnostics = client.get(f"{V4}/diagnostics", headers=headers).json()["diagnostics"]
        found: dict[str, Any] = next(d for d in diagnostics if d["idDiagnostic"] == id_diagnostic)
        return found

    assert (mine()["nomMetier"], mine()["estCreationPartenaire"], mine()["estPrioritaire"]) == (
        "Auxiliaire de soins aux animaux",
        True,
        False,
    )
    priorise = f"{V4}/diagnostics/{id_diagnostic}/priorise"
    assert client.post(priorise, headers=headers).status_code == 200
    assert mine()["estPrioritaire"] is True
    client.post(priorise, headers=headers)
    assert mine()["estPrioritaire"] is False
    client.post(priorise, params={"prioritaire": "true"}, headers=headers)
    client.post(priorise, params={"prioritaire": "true"}, headers=headers)
    assert mine()["estPrioritaire"] is True

    assert (
        client.post(f"{V4}/diagnostics/{id_diagnostic}/supprime", headers=headers).status_code
        == 200
    )
    assert mine()["statut"] == "SUPPRIME"
    put = client.put(
        f"{V4}/diagnostics/{id_diagnostic}", json={"codeAppellation": "10899"}, headers=headers
    )
    assert put.status_code == 400
    unknown = client.post(f"{V4}/diagnostics/inconnu/priorise", headers=headers)
    assert unknown.status_code == 400


def test_a_dossier_write_with_an_unknown_id_answers_204_and_writes_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    before = client.get(f"{V4}/dossiers", headers=headers).json()
    body = {
        "diagnosticsAEnregistrer": [
            {
                "idDiagnosticModifie": "8d09ab70-77c5-42fc-8554-5a02b264cbaa",
                "codeAppellation": "11450",
            }
        ],
        "pouvoirAgirAEnregistrer": {"confiance": "OUI", "accompagnement": "NON"},
    }
    response = client.post(f"{V4}/dossiers", json=body, headers=headers)
    assert (response.status_code, response.content) == (204, b"")
    assert client.get(f"{V4}/dossiers", headers=headers).json() == before
    assert client.get(f"{V4}/dossiers/historisation", headers=headers).status_code == 204


def test_a_dossier_write_records_every_part(client: TestClient, headers: dict[str, str]) -> None:
    existing = client.get(f"{V4}/diagnostics", headers=headers).json()["diagnostics"][0][
        "idDiagnostic"
    ]
    body = {
        "diagnosticsAEnregistrer": [
            {
                "idDiagnosticModifie": None,
                "codeAppellation": "14896",
                "codeTypologie": "MR",
                "prioritaire": True,
            }
        ],
        "besoinsParDiagnosticAEnregistrer": [
            {
                "idDiagnostic": existing,
                "dateExploration": "2026-11-27T10:00:00Z",
                "besoinAEnregistrer": [{"code": "1", "valeur": "POINT_FORT"}],
            }
        ],
        "contraintesAEnregistrer": CONTRAINTE_23,
        "pouvoirAgirAEnregistrer": {"confiance": "NON", "accompagnement": "OUI"},
        "autonomieNumeriqueAEnregistrer": {
            "dateExploration": "2026-11-27T10:00:00Z",
            "contrainteAEnregistrer": {"code": "22", "valeur": "OUI", "impact": "FAIBLE"},
            "besoinAEnregistrer": {"code": "7", "valeur": "BESOIN"},
            "situationsAEnregistrer": [{"code": "42", "valeur": "OUI"}],
        },
    }
    assert client.post(f"{V4}/dossiers", json=body, headers=headers).status_code == 200
    dossier = client.get(f"{V4}/dossiers", headers=headers).json()
    assert dossier["besoinsParDiagnostic"][-1]["diagnostic"]["nomMetier"] == "Etalagiste"
    assert dossier["pouvoirAgir"]["resultatAnalyse"] == "Besoin de réassurance et besoin d’appui"
    autonomie = dossier["autonomieNumerique"]
    assert (autonomie["contrainte"]["code"], autonomie["contrainte"]["valeur"]) == ("22", "OUI")
    assert (autonomie["besoin"]["code"], autonomie["besoin"]["valeur"]) == ("7", "BESOIN")
    version = client.get(f"{V4}/dossiers/historisation", headers=headers).json()
    donnees = version["donneesParVersionExploration"][0]["donnees"]
    assert set(donnees) == {
        "autonomieNumeriqueHistorisee",
        "besoinsHistorises",
        "contraintesHistorisees",
        "diagnosticsHistorises",
        "pouvoirAgirHistorise",
    }
    assert donnees["besoinsHistorises"] == [
        {
            "besoins": [
                {
                    "code": "1",
                    "libelle": "Identifier ses points forts et ses compétences",
                    "valeur": "POINT_FORT",
                }
            ],
            "idDiagnostic": existing,
        }
    ]


def test_historisation_pages_newest_first_within_a_period(
    client: TestClient, runtime: Runtime, clock: FrozenClock
) -> None:
    answers = ["OUI", "NON", "NE_SAIT_PAS"]
    for n in range(12):
        headers = v4_headers(client, runtime)
        body = {"confiance": answers[n % 3], "accompagnement": "OUI"}
        assert client.post(f"{V4}/pouvoiragir", json=body, headers=headers).status_code == 200
        clock.advance(dt.timedelta(hours=1))
    headers = v4_headers(client, runtime)
    route = f"{V4}/historisation/pouvoiragir"
    first = client.get(route, headers=headers).json()
    assert (first["totalDonnees"], first["pageActuelle"], first["donneesParPage"]) == (12, 1, 10)
    assert len(first["donneesParVersionExploration"]) == 10
    newest = first["donneesParVersionExploration"][0]
    assert newest["versionExploration"]["dateExploration"] == "2026-11-28T20:30:00.000Z"
    assert newest["donnees"] == {"accompagnement": "OUI", "confiance": "NE_SAIT_PAS"}
    last = client.get(
        route, params={"donneesParPage": 5, "pageActuelle": 3}, headers=headers
    ).json()
    assert len(last["donneesParVersionExploration"]) == 2
    for page in (4, 2**62):  # past the end: the page is empty, the total still said
        beyond = client.get(route, params={"pageActuelle": page}, headers=headers)
        assert beyond.status_code == 200
        assert (beyond.json()["totalDonnees"], beyond.json()["donneesParVersionExploration"]) == (
            12,
            [],
        )
    window = client.get(
        route,
        params={"dateDebut": "2026-11-28T10:30:00", "dateFin": "2026-11-28T12:30:00"},
        headers=headers,
    ).json()
    assert window["totalDonnees"] == 3
    assert (window["dateDebut"], window["dateFin"]) == (
        "2026-11-28T10:30:00.000Z",
        "2026-11-28T12:30:00.000Z",
    )
    for params in (
        {"donneesParPage": 101},
        {"pageActuelle": 0},
        {"dateDebut": "28/11/2026"},
        {"dateDebut": "2026-02-30T10:00:00"},
    ):
        refused = client.get(route, params=params, headers=headers)
        assert (refused.status_code, refused.json()["codeErreur"]) == (400, "ERR_DONNEE_INCORRECTE")
    empty = {"dateDebut": "2026-11-28T12:00:00", "dateFin": "2026-11-28T10:00:00"}
    assert client.get(route, params=empty, headers=headers).status_code == 204
    assert client.get(f"{V4}/historisation/contraintes", headers=headers).status_code == 204


def test_v1_diagnostic_enregistrement_updates_by_id_metier_with_coded_labels(
    client: TestClient, runtime: Runtime
) -> None:
    v4 = v4_headers(client, runtime)
    current = client.get(f"{V4}/diagnostics", headers=v4).json()["diagnostics"][0]
    item = {
        "conseiller": {"nom": "Martin", "prenom": "Léa", "structure": "CD 62 - MDS Arras"},
        "idMetierChiffre": current["idMetierChiffre"],
        "nomMetier": "Coloriste textile",
        "typologie": "projet de métier",
    }
    path = v1_path(runtime, suffix="/diagnostics")
    assert (
        client.put(path, json={"diagnostic": [item]}, headers=v1_headers(client)).status_code == 200
    )
    updated = client.get(f"{V4}/diagnostics", headers=v4).json()["diagnostics"][0]
    assert (updated["codeRome"], updated["codeAppellation"], updated["codeTypologie"]) == (
        "H1201",
        "12721",
        "PM",
    )
    listed = client.get(path, headers=v1_headers(client)).json()["listeDiagnostics"][0]
    assert listed["conseiller"] == {
        "nom": "Martin",
        "prenom": "Léa",
        "structure": "CD 62 - MDS Arras",
    }
    assert listed["nomMetier"] == "Coloriste textile"
    for wrong in (
        {**item, "nomMetier": "Coloriste"},
        {**item, "typologie": "mon projet"},
        {**item, "idMetierChiffre": "inconnu"},
    ):
        refused = client.put(path, json={"diagnostic": [wrong]}, headers=v1_headers(client))
        assert refused.status_code == 400
    two = client.put(path, json={"diagnostic": [item, item]}, headers=v1_headers(client))
    assert two.status_code == 400


def test_people_outside_the_rsa_perimeter_are_refused(client: TestClient, runtime: Runtime) -> None:
    headers = v4_headers(client, runtime, "p-r001-hors-perimetre")
    response = client.get(f"{V4}/dossiers", headers=headers)
    assert (response.status_code, response.json()["codeErreur"]) == (
        403,
        "ERR_USAGER_HORS_PERIMETRE",
    )
    v1 = client.get(v1_path(runtime, "p-r001-hors-perimetre"), headers=v1_headers(client))
    assert (v1.status_code, v1.json()["codeErreur"]) == (403, "ERR_USAGER_HORS_PERIMETRE")


def test_bad_jetons_and_identifiants_get_a_documented_error(
    client: TestClient, headers: dict[str, str], runtime: Runtime
) -> None:
    forged = client.get(f"{V4}/dossiers", headers={**headers, "ft-jeton-usager": "pas-un-jeton"})
    assert (forged.status_code, forged.json()["codeErreur"]) == (401, "ERR_JETON_USAGER_INVALIDE")
    missing = {k: v for k, v in headers.items() if k != "ft-jeton-usager"}
    absent = client.post(
        f"{V4}/pouvoiragir", json={"confiance": "OUI", "accompagnement": "NON"}, headers=missing
    )
    assert (absent.status_code, absent.json()["codeErreur"]) == (400, "ERR_JETON_USAGER_ABSENT")
    bad_id = client.get(f"{V1}/{quote('abc#def', safe='')}", headers=v1_headers(client))
    assert (bad_id.status_code, bad_id.json()["codeErreur"]) == (401, "ERR_IDENTIFIANT_INVALIDE")
    no_agent = {k: v for k, v in headers.items() if k != "pa-nom-agent"}
    assert client.get(f"{V4}/dossiers", headers=no_agent, follow_redirects=False).status_code == 302


def test_referentiel_needs_no_jeton_and_knows_its_domaines(
    client: TestClient, runtime: Runtime
) -> None:
    token = request_token(client, scope=" ".join(V4_SCOPES))
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    whole = client.get(f"{V4}/referentiel", headers=headers).json()
    assert set(whole) == {"thematiquesBesoins", "thematiqueContrainte", "pourvoirAgir"}
    besoin = whole["thematiquesBesoins"][0]["besoins"][0]
    assert besoin == {
        "code": "1",
        "valeur": ["NON_EXPLORE", "BESOIN", "POINT_FORT"],
        "libelle": "Identifier ses points forts et ses compétences",
    }
    assert len(whole["pourvoirAgir"]["analyses"]) == 9
    situations = client.get(f"{V4}/referentiel/contrainte/situation", headers=headers).json()
    first = situations["thematiqueContrainte"]["contraintes"][0]
    assert "situations" in first and "objectifs" not in first
    cell = client.get(
        f"{V4}/referentiel/pouvoir-agir/analyse",
        params={"confiance": "NON", "accompagnement": "OUI"},
        headers=headers,
    ).json()
    assert [a["libelle"] for a in cell["pourvoirAgir"]["analyses"]] == [
        "Besoin de réassurance et besoin d’appui"
    ]
    aide = client.get(
        f"{V4}/referentiel/besoin", params={"inclure": "aide-questionnement"}, headers=headers
    ).json()
    assert (
        set(aide) == {"thematiquesBesoins"}
        and aide["thematiquesBesoins"][0]["aideQuestionnement"] == []
    )
    for path in (
        "/referentiel/metier",
        "/referentiel/besoin/situation",
        "/referentiel/contrainte/analyse",
    ):
        unknown = client.get(f"{V4}{path}", headers=headers)
        assert unknown.json() == {
            "codeErreur": "ERR_RESSOURCE_INCONNUE",
            "codeHttp": 404,
            "message": "La ressource demandée n'existe pas",
        }
    assert (
        client.get(
            f"{V4}/referentiel",
            headers={"Authorization": f"Bearer {token}"},
            follow_redirects=False,
        ).status_code
        == 302
    )


def test_every_diagnostic_operation_is_documented(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    operations = [
        operation
        for path, item in paths.items()
        if path.startswith("/partenaire/diagnosticargumente/")
        for operation in item.values()
    ]
    assert len(operations) == 25 + 8
    for operation in operations:
        assert operation["operationId"] and operation["summary"]
        assert {"200", "400", "401", "403"} <= set(operation["responses"]), operation["operationId"]
    assert {
        "recupererDossierIndividuV4",
        "enregistrerDossierV4",
        "recupererAutonomieNumériqueV4",
        "recupererSousDomaineReferentiel",
        "recupererDossierIndividuV1",
    } <= {operation["operationId"] for operation in operations}


def test_a_dossier_holds_at_most_100_diagnostics_then_409_stores_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    """README, section Limits: 100 diagnostics per person (generated ones included)."""

    def count() -> int:
        return len(client.get(f"{V4}/diagnostics", headers=headers).json()["diagnostics"])

    body = {"codeAppellation": "11450", "codeTypologie": "PM"}
    for _ in range(100 - count()):
        assert client.post(f"{V4}/diagnostics", json=body, headers=headers).status_code == 200
    history = client.get(f"{V4}/dossiers/historisation", headers=headers).json()["totalDonnees"]
    refused = client.post(f"{V4}/diagnostics", json=body, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["codeErreur"] == "ERR_LIMITE_BAC_A_SABLE"
    assert "/_sandbox/reset" in refused.headers["x-sandbox-hint"]
    assert count() == 100
    after = client.get(f"{V4}/dossiers/historisation", headers=headers).json()["totalDonnees"]
    assert after == history
    # Other writes on the same dossier still go through.
    pouvoir = {"confiance": "OUI", "accompagnement": "NON"}
    assert client.post(f"{V4}/pouvoiragir", json=pouvoir, headers=headers).status_code == 200
