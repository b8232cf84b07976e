"""Contrat d'engagement v1: a département reads, signs and refuses CER and PPAE, as published.

Expected texts are the published file's (``contrat-engagement.json``: etat enum, ProblemDetails
titles and details) and the convention's (Annexe 4: CER with the département, PPAE with France
Travail); persona states are those of ``fixtures/personas``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from sandbox.lpe import MAX_WRITES_PER_PERSON, Etat, TypeContrat, contract_type, derived_contract
from sandbox.population import Population
from sandbox.population.models import Orientation
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, NOW, request_token

V1 = "/partenaire/contrat-engagement/v1"
SCOPE = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant "
    "api_contrat-engagementv1 contratengagementpart"
)
PPAE_SIGNE = ("187046204196035", "1987-04-09")
CER_A_SIGNER = ("282106219396133", "1982-10-17")
AUCUN = ("190016249896296", "1990-01-23")
REFUSE = ("296066276596366", "1996-06-05")
EN_ATTENTE = ("179086204196402", "1979-08-14")
NON_ORIENTE = ("200026219396539", "2000-02-29")
CESSE = ("180066217890937", "1980-06-30")
PUBLISHED_STATES = {"SIGNE", "REFUSE", "A_SIGNER", "EN_ATTENTE_SIGNATURE", "SUSPENDU"}
ALREADY_SIGNED = "Impossible de signer un contrat d'engagemenet déjà signé."
ALREADY_REFUSED = "Impossible de refuser un contrat d'engagement déjà refusé."
EXISTS_SIGNED = (
    "Un contrat d'engagement est déjà existant, impossible de créer un contrat d'engagmeent à "
    "l'état signé."
)
BAD_FORMAT = "Format de date de signature invalide, format attendu yyyy-MM-dd'T'HH:mm:ssZ."
IN_FUTURE = "La date de signature doit être antérieur ou égale à la date du jour."
SUSPENDED = (
    "Un contrat d'engagement existe déjà à l'état suspendu, impossible de signer le contrat."
)


def token_headers(client: TestClient) -> dict[str, str]:
    token = request_token(client, scope=SCOPE)
    return {"Authorization": f"Bearer {token}", **AGENT_HEADERS}


def headers_for(client: TestClient, who: tuple[str, str]) -> dict[str, str]:
    headers = token_headers(client)
    found = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json={"nir": who[0], "dateNaissance": who[1]},
        headers=headers,
    ).json()
    assert found["codeRetour"] == "S001", found
    return {**headers, "ft-jeton-usager": found["jetonUsager"]}


def problem(response_json: dict[str, object], status: int, title: str) -> str:
    """Check a published ProblemDetails body; returns its detail."""
    assert response_json["type"] == "about:blank"
    assert response_json["status"] == status
    assert response_json["title"] == title
    detail = response_json["detail"]
    assert isinstance(detail, str)
    return detail


def test_a_professional_orientation_reads_a_ppae_signed_with_france_travail(
    client: TestClient,
) -> None:
    response = client.get(f"{V1}/lecture", headers=headers_for(client, PPAE_SIGNE))
    assert response.status_code == 200
    body = response.json()
    assert body["etat"] == "SIGNE"
    assert body["organisme"] == "France Travail"
    assert "dateRefus" not in body and "dateSuspension" not in body
    # Published examples: 2024-06-01T15:35:00.000Z (UTC, milliseconds).
    assert dt.datetime.strptime(body["dateSignature"], "%Y-%m-%dT%H:%M:%S.000Z")
    titles = [e["titre"] for e in body["engagements"]["engagementsUsager"]]
    assert titles[0] == "Je participe activement"
    assert body["mentionsLegales"]["mentions"][0]["titre"] == "Respect du contrat"
    assert body["mentionsLegales"]["voiesRecours"]["titre"] == "Voies de recours"


def test_a_social_orientation_reads_a_cer_of_the_departement_and_signs_it_again(
    client: TestClient,
) -> None:
    headers = headers_for(client, CER_A_SIGNER)
    before = client.get(f"{V1}/lecture", headers=headers).json()
    assert before["etat"] == "A_SIGNER"
    assert "départemental" in before["organisme"]
    signed = client.patch(
        f"{V1}/signer", json={"dateSignature": "2026-11-20T10:15:00.000Z"}, headers=headers
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["etat"] == "SIGNE"
    assert signed.json()["dateSignature"] == "2026-11-20T10:15:00.000Z"
    again = client.get(f"{V1}/lecture", headers=headers).json()
    assert again["etat"] == "SIGNE" and again["dateSignature"] == "2026-11-20T10:15:00.000Z"
    assert again["organisme"] == before["organisme"]


def test_no_contract_answers_204_then_a_first_refusal_is_read_back(client: TestClient) -> None:
    headers = headers_for(client, AUCUN)
    assert client.get(f"{V1}/lecture", headers=headers).status_code == 204
    patched = client.patch(
        f"{V1}/refuser", json={"dateRefus": "2026-11-02T08:00:00Z"}, headers=headers
    )
    assert patched.status_code == 400
    problem(patched.json(), 400, "RefusException")
    refused = client.post(
        f"{V1}/refuser", json={"dateRefus": "2026-11-02T09:00:00+01:00"}, headers=headers
    )
    assert refused.status_code == 200, refused.text
    assert refused.json()["etat"] == "REFUSE"
    assert refused.json()["dateRefus"] == "2026-11-02T08:00:00.000Z"
    assert "dateSignature" not in refused.json()
    read = client.get(f"{V1}/lecture", headers=headers).json()
    assert read["etat"] == "REFUSE" and "départemental" in read["organisme"]  # socio-pro: CER
    second = client.post(
        f"{V1}/signer", json={"dateSignature": "2026-11-03T08:00:00Z"}, headers=headers
    )
    assert problem(second.json(), 400, "SignatureException") == EXISTS_SIGNED


def test_signing_a_signed_contract_or_refusing_a_refused_one_is_refused_as_published(
    client: TestClient,
) -> None:
    signed = headers_for(client, PPAE_SIGNE)
    response = client.patch(
        f"{V1}/signer", json={"dateSignature": "2026-11-01T10:00:00Z"}, headers=signed
    )
    assert problem(response.json(), 400, "SignatureException") == ALREADY_SIGNED
    refused = headers_for(client, REFUSE)
    response = client.patch(
        f"{V1}/refuser", json={"dateRefus": "2026-11-01T10:00:00Z"}, headers=refused
    )
    assert problem(response.json(), 400, "RefusException") == ALREADY_REFUSED
    # A refused contract may still be signed (PATCH /signer), and is read back signed.
    response = client.patch(
        f"{V1}/signer", json={"dateSignature": "2026-11-01T10:00:00Z"}, headers=refused
    )
    assert response.status_code == 200 and response.json()["etat"] == "SIGNE"
    assert "dateRefus" not in client.get(f"{V1}/lecture", headers=refused).json()


def test_a_suspended_contract_reads_only_its_date_and_patch_gets_the_published_500(
    client: TestClient,
) -> None:
    headers = headers_for(client, CESSE)
    body = client.get(f"{V1}/lecture", headers=headers).json()
    assert set(body) == {"etat", "dateSuspension"}  # published example contrat-suspendu
    assert body["etat"] == "SUSPENDU"
    for path, field in (("signer", "dateSignature"), ("refuser", "dateRefus")):
        response = client.patch(
            f"{V1}/{path}", json={field: "2026-11-01T10:00:00Z"}, headers=headers
        )
        assert response.status_code == 500
        assert problem(response.json(), 500, "Exception") == SUSPENDED


def test_an_electronic_signature_in_progress_has_no_date(client: TestClient) -> None:
    body = client.get(f"{V1}/lecture", headers=headers_for(client, EN_ATTENTE)).json()
    assert body["etat"] == "EN_ATTENTE_SIGNATURE"
    assert "dateSignature" not in body and "dateRefus" not in body


def test_a_person_not_yet_oriented_has_no_contract_and_a_first_one_is_a_ppae(
    client: TestClient,
) -> None:
    headers = headers_for(client, NON_ORIENTE)
    assert client.get(f"{V1}/lecture", headers=headers).status_code == 204
    created = client.post(
        f"{V1}/signer", json={"dateSignature": "2026-11-27T16:00:00Z"}, headers=headers
    )
    assert created.status_code == 200
    assert created.json()["organisme"] == "France Travail"


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ("01/06/2024", BAD_FORMAT),
        ("2024-06-01T15:35:00", BAD_FORMAT),
        ("2024-02-30T15:35:00Z", BAD_FORMAT),
        ("2026-11-28T09:31:00Z", IN_FUTURE),
    ],
)  # fmt: skip
def test_a_bad_signature_date_gets_the_published_400(
    client: TestClient, value: str, detail: str
) -> None:
    headers = headers_for(client, AUCUN)
    response = client.post(f"{V1}/signer", json={"dateSignature": value}, headers=headers)
    assert response.status_code == 400
    assert problem(response.json(), 400, "DonneeEnEntreeInvalideException") == detail
    assert client.get(f"{V1}/lecture", headers=headers).status_code == 204  # nothing stored


def test_a_missing_jeton_or_body_is_a_problem_details_400(client: TestClient) -> None:
    headers = token_headers(client)
    response = client.get(f"{V1}/lecture", headers=headers)
    detail = problem(response.json(), 400, "DonneeEnEntreeInvalideException")
    assert detail == "Le header 'ft-jeton-usager' est obligatoire dans ce context"
    with_jeton = headers_for(client, AUCUN)
    bodies: list[object] = [{}, {"dateSignature": 20240601}, [], {"dateSignature": "x" * 65}]
    for body in bodies:
        response = client.post(f"{V1}/signer", json=body, headers=with_jeton)
        assert response.status_code == 400, body
        problem(response.json(), 400, "DonneeEnEntreeInvalideException")


def test_the_structure_is_read_without_jeton(client: TestClient) -> None:
    response = client.get(f"{V1}/lecture/structure", headers=token_headers(client))
    assert response.status_code == 200
    engagements = response.json()["engagements"]
    assert len(engagements["engagementsUsager"]) == 5  # published example
    assert len(engagements["engagementsConseiller"]) == 5


def test_writes_are_per_client(client: TestClient) -> None:
    headers = headers_for(client, AUCUN)
    client.post(f"{V1}/signer", json={"dateSignature": "2026-11-01T10:00:00Z"}, headers=headers)
    other = request_token(
        client,
        scope="api_rechercher-usagerv2 rechercheusager profil_accedant api_contrat-engagementv1 "
        "contratengagementpart",
        credentials=("PAR_ftsandbox_cd62_rsa", "ftsandbox-secret-cd62-rsa"),
    )
    other_headers = {"Authorization": f"Bearer {other}", **AGENT_HEADERS}
    found = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json={"nir": AUCUN[0], "dateNaissance": AUCUN[1]},
        headers=other_headers,
    ).json()
    response = client.get(
        f"{V1}/lecture", headers={**other_headers, "ft-jeton-usager": found["jetonUsager"]}
    )
    assert response.status_code == 204


def test_the_write_cap_answers_409(client: TestClient) -> None:
    headers = headers_for(client, PPAE_SIGNE)
    for index in range(MAX_WRITES_PER_PERSON):
        path, field = ("refuser", "dateRefus") if index % 2 == 0 else ("signer", "dateSignature")
        response = client.patch(
            f"{V1}/{path}", json={field: "2026-11-01T10:00:00Z"}, headers=headers
        )
        assert response.status_code == 200, (index, response.text)
    response = client.patch(
        f"{V1}/refuser", json={"dateRefus": "2026-11-01T10:00:00Z"}, headers=headers
    )
    assert response.status_code == 409
    problem(response.json(), 409, "ERR_LIMITE_BAC_A_SABLE")


def test_the_contract_follows_the_orientation_for_generated_people(runtime: Runtime) -> None:
    population = runtime.population
    seen: set[str] = set()
    for index in range(400):
        person = population.generated(index)
        contract = derived_contract(population.seed, person, NOW.date())
        if contract is None:
            continue
        seen.add(contract.etat.value)
        expected = (
            TypeContrat.PPAE
            if person.rsa.orientation in (None, Orientation.PRO)
            else TypeContrat.CER
        )
        assert contract.type_contrat is expected
        assert (contract.organisme == "France Travail") == (expected is TypeContrat.PPAE)
    assert seen <= PUBLISHED_STATES
    assert {"SIGNE", "REFUSE", "A_SIGNER", "EN_ATTENTE_SIGNATURE", "SUSPENDU"} <= seen


@given(st.integers(min_value=0, max_value=9_999), st.integers(min_value=0, max_value=2**32))
def test_the_derived_contract_is_a_pure_function_of_seed_and_person(index: int, seed: int) -> None:
    population = Population(seed=seed, size=10_000, epoch=NOW.date())
    person = population.generated(index)
    first = derived_contract(seed, person, NOW.date())
    assert first == derived_contract(seed, person, NOW.date())
    if first is not None:
        assert first.etat in set(Etat)
        assert contract_type(person) is first.type_contrat
        for moment in (first.date_signature, first.date_refus, first.date_suspension):
            assert moment is None or moment.date() <= NOW.date()


def test_an_orientation_the_client_sends_decides_the_contract_type(client: TestClient) -> None:
    # Convention Annexe 4 (TYPE_CONTRAT): a CER with the département for an orientation to the
    # département, a PPAE with France Travail otherwise; the client's own orientation counts.
    scope = f"{SCOPE} api_orientationusagerv1 orientationusager"
    headers = {"Authorization": f"Bearer {request_token(client, scope=scope)}", **AGENT_HEADERS}
    found = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json={"nir": NON_ORIENTE[0], "dateNaissance": NON_ORIENTE[1]},
        headers=headers,
    ).json()
    headers["ft-jeton-usager"] = found["jetonUsager"]
    assert client.get(f"{V1}/lecture", headers=headers).status_code == 204  # not oriented yet
    social = {"origine": "INSCRIPTION_CONSEILLER_CD", "parcours": "PSO", "organisme": "CD"}
    sent = client.post("/partenaire/orientationusager/v1/orientation", json=social, headers=headers)
    assert sent.status_code == 201, sent.text
    read = client.get(f"{V1}/lecture", headers=headers)
    assert read.status_code == 200, read.text
    assert "départemental" in read.json()["organisme"]  # a CER, not the PPAE of France Travail
    other = headers_for(client, NON_ORIENTE)  # the same client, a fresh jeton: same answer
    assert (
        client.get(f"{V1}/lecture", headers=other).json()["organisme"] == read.json()["organisme"]
    )
    # Another client (the RSA suite of fixtures/clients.yaml) did not orient the person.
    rsa_suite = ("PAR_ftsandbox_cd62_rsa", "ftsandbox-secret-cd62-rsa")
    token = request_token(client, scope=SCOPE, credentials=rsa_suite)
    suite = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    found = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json={"nir": NON_ORIENTE[0], "dateNaissance": NON_ORIENTE[1]},
        headers=suite,
    ).json()
    suite["ft-jeton-usager"] = found["jetonUsager"]
    assert client.get(f"{V1}/lecture", headers=suite).status_code == 204
