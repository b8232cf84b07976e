"""The 2024 rendez-vous push (realm /partenaire), read back through Rendez-vous partenaire v1.

Expected values come from the convention's Annexe 3 (field names, the objet "RSA Orientation :
Convocation sur site", the information "Ramenez votre pièce d'identité"), the reference §6.2
(modes, the idModalite list, typeReception values), the published v1 listing's names and enums,
the persona files, and the mapping the contract states; never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from sandbox.rendezvous import MAX_PER_PERSON
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT, NOW, request_token

PUSH = "/partenaire/rendezvous-partenaires/v1/rendezvous"
LIST = "/partenaire/rendez-vous-partenaire/v1/rendez-vous-usager"
RECHERCHE = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
PUSH_SCOPE = "api_rendezvous-partenairesv1"
LIST_SCOPE = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant api_rendez-vous-partenairev1 gererRDV"
)
OTHER_CLIENT = ("PAR_ftsandbox_cd62_rdv", "ftsandbox-secret-cd62-rdv")
# Personas (fixtures/personas): two RSA beneficiaries of the Pas-de-Calais, one outside the RSA,
# one of the Nord.
ALICE = {"nir": "290036204190175", "dateNaissance": "1990-03-14"}  # s001-certifiee
BRUNO = {"nir": "185076219390244", "dateNaissance": "1985-07-02"}  # s001-non-certifiee
NON_RSA = {"nir": "192016211990576", "dateNaissance": "1992-01-25"}  # r001-hors-perimetre
NORD = {"nir": "288095935090696", "dateNaissance": "1988-09-03"}  # r002-autre-departement
HOMONYME = {"nir": "278116249890476", "dateNaissance": "1978-11-20"}  # s003-homonyme-a and -b
UNKNOWN = {"nir": "290036204199974", "dateNaissance": "1990-03-14"}  # order 999: nobody

CONVOCATION: dict[str, Any] = {
    "idOrigine": 4242,
    "libelleStructure": "Maison du Département Solidarité d'Arras",
    "codeSafir": "62512",
    "objet": "RSA Orientation : Convocation sur site",
    "nombrePlaces": 1,
    "idModalite": 1,
    "typeReception": "Individuel",
    "dateRendezvous": "2026-12-16T09:30:00+01:00",
    "duree": 45,
    "initiateur": "PARTENAIRE",
    "address": "14 rue Foch 62000 Arras",
    "conseiller": [{"email": "referent@example.com", "nom": "DUPONT", "prenom": "Alexandra"}],
    "participants": [
        {
            **ALICE,
            "nom": "FICTIVE",
            "prenom": "Alice",
            "civilite": "Mme",
            "email": "alice@example.com",
            "telephone": "0639980101",
        }
    ],
    "information": "Ramenez votre pièce d'identité",
    "dateAnnulation": None,
    "dateFinRendezvous": "2026-12-16T10:15:00+01:00",
    "mode": "création",
}


def push_headers(
    client: TestClient, credentials: tuple[str, str] = DEFAULT_CLIENT
) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {request_token(client, '/partenaire', PUSH_SCOPE, credentials)}"
    }


def reader(
    client: TestClient, person: dict[str, str], credentials: tuple[str, str] = DEFAULT_CLIENT
) -> dict[str, str]:
    """Realm /agent headers with the person's jeton: what a v1 client reads with."""
    token = request_token(client, scope=LIST_SCOPE, credentials=credentials)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    found = client.post(RECHERCHE, json=person, headers=headers).json()
    assert found["codeRetour"] == "S001", found
    return {**headers, "ft-jeton-usager": found["jetonUsager"]}


def send(client: TestClient, headers: dict[str, str], **changes: Any) -> Any:
    return client.post(PUSH, json={**CONVOCATION, **changes}, headers=headers)


def listing(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(LIST, headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()
    return items


@pytest.fixture
def pusher(client: TestClient) -> dict[str, str]:
    return push_headers(client)


def test_a_creation_is_read_back_through_rendez_vous_partenaire_v1(
    client: TestClient, pusher: dict[str, str]
) -> None:
    response = send(client, pusher)
    assert response.status_code == 202, response.text
    assert response.json() == {"idOrigine": "4242", "mode": "création", "nombreParticipants": 1}
    assert listing(client, reader(client, ALICE)) == [
        {
            "adresse": {"libelleAdresse": "14 rue Foch 62000 Arras"},
            "date": "2026-12-16T08:30:00.000Z",
            "duree": 45,
            "estEnConflit": False,
            "idOrigine": "4242",
            "informationUtile": "Ramenez votre pièce d'identité",
            "initiateur": "CONSEILLER",
            "interlocuteur": {
                "email": "referent@example.com",
                "nom": "DUPONT",
                "prenom": "Alexandra",
            },
            "modaliteContact": "PHYSIQUE",
            "motif": "ORI",
            "organisme": {
                "code": "CD",
                "idStructure": "62512",
                "libelleStructure": "Maison du Département Solidarité d'Arras",
            },
            "statut": "PRIS",
            "telephoneContactUsager": "0639980101",
            "theme": "RSA Orientation : Convocation sur site",
            "typeReception": "IND",
        }
    ]


def test_a_modification_replaces_and_a_suppression_cancels(
    client: TestClient, clock: FrozenClock, pusher: dict[str, str]
) -> None:
    assert send(client, pusher).status_code == 202
    moved = send(
        client,
        pusher,
        mode="modification",
        objet="Accompagnement RSA : entretien",
        idModalite=3,
        dateRendezvous="2026-12-18T14:00:00Z",
        duree=30,
        dateFinRendezvous=None,
        conseiller=None,
    )
    assert moved.status_code == 202, moved.text
    assert moved.json()["mode"] == "modification"
    [item] = listing(client, reader(client, ALICE))
    assert (item["date"], item["duree"], item["statut"]) == (
        "2026-12-18T14:00:00.000Z",
        30,
        "MODIFIE",
    )
    assert (item["modaliteContact"], item["motif"]) == ("TELEPHONE", "AUT")
    assert item["theme"] == "Accompagnement RSA : entretien"
    assert "interlocuteur" not in item  # replaced, not merged

    clock.advance(dt.timedelta(minutes=5))
    cancelled = client.post(
        PUSH,
        json={"idOrigine": "4242", "mode": "suppression", "participants": [ALICE]},
        headers=push_headers(client),
    )
    assert cancelled.status_code == 202, cancelled.text
    [item] = listing(client, reader(client, ALICE))
    assert item["statut"] == "ANNULE"
    assert item["dateAnnulation"] == "2026-11-28T09:35:00.000Z"
    # Cancelled: a modification is refused, a second suppression is harmless.
    again = send(client, push_headers(client), mode="modification")
    assert (again.status_code, again.json()["codeErreur"]) == (400, "ERR_DONNEE_INCORRECTE")
    assert "participants[0]" in again.json()["message"]
    second = client.post(
        PUSH,
        json={"idOrigine": "4242", "mode": "suppression", "participants": [ALICE]},
        headers=push_headers(client),
    )
    assert second.status_code == 202


def test_a_date_annulation_cancels_and_a_v1_client_can_modify_the_pushed_rendez_vous(
    client: TestClient, pusher: dict[str, str]
) -> None:
    assert send(client, pusher, idOrigine="rdvi-7").status_code == 202
    headers = reader(client, ALICE)
    [item] = listing(client, headers)
    v1 = {
        "id": item["idOrigine"],
        "date": "2026-12-20T08:00:00Z",
        "modaliteContact": "VISIO",
        "motif": "ACC",
        "organisme": {"code": "CD"},
        "statut": "PRIS",
        "typeReception": "IND",
    }
    put = client.put("/partenaire/rendez-vous-partenaire/v1/rendez-vous", json=v1, headers=headers)
    assert put.status_code == 202, put.text
    assert listing(client, headers)[0]["motif"] == "ACC"

    cancelled = send(client, pusher, idOrigine="rdvi-8", dateAnnulation="2026-12-01T10:00:00Z")
    assert cancelled.status_code == 202
    statuts = {i["idOrigine"]: i["statut"] for i in listing(client, headers)}
    assert statuts == {"rdvi-7": "PRIS", "rdvi-8": "ANNULE"}


def test_a_collective_rendez_vous_reaches_every_participant(
    client: TestClient, pusher: dict[str, str]
) -> None:
    collective = send(
        client,
        pusher,
        idOrigine="atelier-1",
        objet="Atelier collectif CV",
        idModalite=7,
        typeReception="Collectif",
        nombrePlaces=12,
        participants=[ALICE, BRUNO],
    )
    assert collective.status_code == 202, collective.text
    assert collective.json()["nombreParticipants"] == 2
    for person in (ALICE, BRUNO):
        [item] = listing(client, reader(client, person))
        assert (item["idOrigine"], item["typeReception"]) == ("atelier-1", "COL")
        assert (item["modaliteContact"], item["motif"]) == ("VISIO", "AUT")
        assert "telephoneContactUsager" not in item


@pytest.mark.parametrize(
    ("change", "hint"),
    [
        ({"mode": "creation"}, "mode"),
        ({"idModalite": 4}, "idModalite"),
        ({"typeReception": "IND"}, "typeReception"),
        ({"participants": []}, "participants"),
        ({"participants": [{"nir": "290036204190176"}]}, "participants.0.nir"),
        ({"participants": [{"nom": "SANS NIR"}]}, "participants.0.nir"),
        (
            {"participants": [ALICE, ALICE], "typeReception": "Collectif", "idModalite": 2},
            "repeats",
        ),
        ({"dateRendezvous": None}, "dateRendezvous"),
        ({"objet": None, "idModalite": None}, "idModalite, objet"),
        ({"dateRendezvous": "16/12/2026 09:30"}, "dateRendezvous"),
        ({"idModalite": 2}, "Collectif"),
        ({"participants": [ALICE, BRUNO], "nombrePlaces": 2}, "exactly one participant"),
        (
            {"participants": [ALICE, BRUNO], "typeReception": "Collectif", "nombrePlaces": 1},
            "nombrePlaces",
        ),
        ({"duree": 30}, "disagree"),
        ({"dateFinRendezvous": "2026-12-16T09:00:00+01:00", "duree": None}, "after"),
        ({"idOrigine": "a/b"}, "idOrigine"),
        ({"idOrigine": True}, "idOrigine"),
        ({"idOrigine": -1}, "idOrigine"),
        ({"idOrigine": 10**12}, "idOrigine"),
        ({"participants": [{**ALICE, "dateNaissance": "14/03/1990"}]}, "dateNaissance"),
    ],
)
def test_a_bad_payload_is_a_400_saying_what_is_wrong(
    client: TestClient, pusher: dict[str, str], change: dict[str, Any], hint: str
) -> None:
    response = send(client, pusher, **change)
    assert response.status_code == 400, response.text
    assert response.json()["codeErreur"] == "ERR_DONNEE_INCORRECTE"
    assert hint in response.headers["x-sandbox-hint"]
    assert listing(client, reader(client, ALICE)) == []  # nothing stored


def test_a_body_that_is_not_json_is_a_400(client: TestClient, pusher: dict[str, str]) -> None:
    response = client.post(PUSH, content=b"idOrigine=1", headers=pusher)
    assert (response.status_code, response.json()["codeErreur"]) == (400, "ERR_DONNEE_INCORRECTE")


def test_creating_twice_or_modifying_an_unknown_id_origine_is_refused(
    client: TestClient, pusher: dict[str, str]
) -> None:
    assert send(client, pusher).status_code == 202
    twice = send(client, pusher)
    assert (twice.status_code, twice.json()["codeErreur"]) == (400, "ERR_DONNEE_INCORRECTE")
    assert "modification" in twice.headers["x-sandbox-hint"]
    for mode in ("modification", "suppression"):
        unknown = send(client, pusher, idOrigine="jamais-cree", mode=mode)
        assert unknown.status_code == 400
        assert unknown.json() == {
            "codeErreur": "ID_NON_RECONNU",
            "codeHttp": 400,
            "message": "Il n'existe pas de rdv pour l'id et l'utilisateur indiqué",
        }
        assert "participants[0]" in unknown.headers["x-sandbox-hint"]


@pytest.mark.parametrize(
    ("participant", "code"),
    [
        (UNKNOWN, "ERR_USAGER_INCONNU"),
        ({**BRUNO, "dateNaissance": "1985-07-03"}, "ERR_USAGER_INCONNU"),
        # s002-radie-plus-de-3-ans: struck off in 2021, unknown to France Travail (S002).
        ({"nir": "175056216090336", "dateNaissance": "1975-05-09"}, "ERR_USAGER_INCONNU"),
        (HOMONYME, "ERR_USAGER_AMBIGU"),
    ],
)
def test_a_participant_the_population_does_not_hold_is_named_by_index_nir_masked(
    client: TestClient, pusher: dict[str, str], participant: dict[str, str], code: str
) -> None:
    response = send(
        client,
        pusher,
        typeReception="Collectif",
        nombrePlaces=None,
        participants=[ALICE, participant],
    )
    assert (response.status_code, response.json()["codeErreur"]) == (400, code)
    message = response.json()["message"]
    assert "participants[1]" in message
    assert f"NIR {participant['nir'][:7]}******)" in message  # 7 characters shown
    everything = response.text + str(response.headers)
    assert participant["nir"] not in everything and participant["nir"][:13] not in everything
    # Checked before writing: the first participant got nothing either.
    assert listing(client, reader(client, ALICE)) == []


@pytest.mark.parametrize(
    ("participant", "code"),
    [(NON_RSA, "ERR_USAGER_HORS_PERIMETRE"), (NORD, "ERR_USAGER_NON_RATTACHE")],
)
def test_a_participant_outside_the_access_rule_is_a_403(
    client: TestClient, pusher: dict[str, str], participant: dict[str, str], code: str
) -> None:
    response = send(client, pusher, participants=[participant])
    assert (response.status_code, response.json()["codeErreur"]) == (403, code)
    assert response.headers["x-sandbox-hint"].startswith("participants[0]: ")


def test_the_gateway_wants_a_partenaire_token_with_the_scope(client: TestClient) -> None:
    agent = request_token(client, scope=LIST_SCOPE)
    refused = client.post(PUSH, json=CONVOCATION, headers={"Authorization": f"Bearer {agent}"})
    assert (refused.status_code, refused.content) == (401, b"")
    other = request_token(client, "/partenaire", "api_rechercher-usagerv1")
    refused = client.post(PUSH, json=CONVOCATION, headers={"Authorization": f"Bearer {other}"})
    assert (refused.status_code, refused.content) == (403, b"")


def test_another_client_neither_sees_nor_changes_the_pushed_rendez_vous(
    client: TestClient, pusher: dict[str, str]
) -> None:
    assert send(client, pusher).status_code == 202
    # The appointment tool client (fixtures/clients.yaml) reads the same person: nothing.
    assert listing(client, reader(client, ALICE, OTHER_CLIENT)) == []
    # Nor can it modify it by its id through v1: ids are per client.
    v1 = {
        "id": "4242",
        "date": "2026-12-20T08:00:00Z",
        "modaliteContact": "VISIO",
        "motif": "ACC",
        "organisme": {"code": "CD"},
        "statut": "PRIS",
        "typeReception": "IND",
    }
    put = client.put(
        "/partenaire/rendez-vous-partenaire/v1/rendez-vous",
        json=v1,
        headers=reader(client, ALICE, OTHER_CLIENT),
    )
    assert (put.status_code, put.json()["codeErreur"]) == (400, "ID_NON_RECONNU")
    [mine] = listing(client, reader(client, ALICE))
    assert (mine["idOrigine"], mine["motif"]) == ("4242", "ORI")


def test_the_cap_per_person_is_the_v1_one(client: TestClient, pusher: dict[str, str]) -> None:
    for number in range(MAX_PER_PERSON):
        assert send(client, pusher, idOrigine=number).status_code == 202
        if number % 50 == 49:
            pusher.update(push_headers(client))
    refused = send(client, pusher, idOrigine="un-de-trop")
    assert (refused.status_code, refused.json()["codeErreur"]) == (409, "ERR_LIMITE_BAC_A_SABLE")


@settings(max_examples=10, deadline=None)
@given(origin=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,20}", fullmatch=True))
def test_the_same_pushes_give_the_same_listing(origin: str) -> None:
    def run() -> list[dict[str, Any]]:
        with tempfile.TemporaryDirectory(prefix="ft-push-") as data:
            instance = Settings(secret_key="k", data_dir=Path(data))
            app: FastAPI = create_app(instance, FrozenClock(NOW))
            with TestClient(app) as client:
                assert send(client, push_headers(client), idOrigine=origin).status_code == 202
                return listing(client, reader(client, ALICE))

    first, second = run(), run()
    assert first == second and first[0]["idOrigine"] == origin
