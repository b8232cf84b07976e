"""Orientation usager v1 and v2: a RSA suite's flow, end to end, as published.

Expected values come from the published files (``orientation-usager.json``,
``orientation-usager-v2.json``: paths, statuses, enums, the Spring Boot error examples), the
convention (Art. 1: oriented to France Travail → category 1, 2 or 3, else 5) and
``fixtures/README.md`` (personas).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from sandbox.orientation import Organisme, Parcours, effective_orientation, propose
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT, NOW, request_token

V1 = "/partenaire/orientationusager/v1"
V2 = "/partenaire/orientationusager/v2"
CONTRAT = "/partenaire/contrat-usager/v2/contrat"
SEARCH = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RSA_CLIENT = ("PAR_ftsandbox_cd62_rsa", "ftsandbox-secret-cd62-rsa")
# The scope string, plus Statut usager v2 and Orientation v2 (same RSA suite).
DONE_WHEN_SCOPE = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant api_orientationusagerv1 "
    "orientationusager"
)
SUITE_SCOPE = (
    f"{DONE_WHEN_SCOPE} api_contrat-usagerv2 statutcontratusager api_orientationusagerv2 "
    "lireorientationusager decisionorientationusager"
)
# fixtures/README.md
SOCIAL = {"nir": "171036264391356", "dateNaissance": "1971-03-03"}  # categorie-5-social
PRO = {"nir": "297086276591203", "dateNaissance": "1997-08-22"}  # categorie-3-pro
AUCUNE = {"nir": "286046204190193", "dateNaissance": "1986-04-17"}
EN_ATTENTE = {"nir": "181096204190279", "dateNaissance": "1981-09-05"}
BROUILLON = {"nir": "277016204190396", "dateNaissance": "1977-01-30"}
CLOTUREE = {"nir": "169086204190467", "dateNaissance": "1969-08-14"}
TODAY = NOW.date().isoformat()
# The frozen clock's instant, as Spring Boot writes it (published examples).
STAMP = "2026-11-28T09:30:00.000+00:00"
ETATS = ["BROUILLON", "EN_ATTENTE", "OUVERT", "CLOTURE"]  # etatOrientation, published
SENT_PRO = {"origine": "INSCRIPTION_CONSEILLER_CD", "parcours": "PED", "organisme": "FT"}


def headers_for(
    client: TestClient,
    persona: dict[str, str],
    scope: str = SUITE_SCOPE,
    credentials: tuple[str, str] = RSA_CLIENT,
) -> dict[str, str]:
    """A token, the agent headers and the persona's jeton (Rechercher usager v2)."""
    token = request_token(client, scope=scope, credentials=credentials)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    found = client.post(SEARCH, json=persona, headers=headers).json()
    assert found["codeRetour"] == "S001", found
    return {**headers, "ft-jeton-usager": found["jetonUsager"]}


def read(client: TestClient, headers: dict[str, str], base: str = V1, **query: str) -> Any:
    response = client.get(f"{base}/lectureOrientation", params=query, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def category(client: TestClient, headers: dict[str, str]) -> str:
    response = client.get(CONTRAT, headers=headers)
    assert response.status_code == 200, response.text
    code: str = response.json()["m_contrat"]["m_categ_inscription_code"]
    return code


def spring(response: Any, path: str) -> str:
    """Check a Spring Boot 400 as published; returns its message."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"timestamp", "status", "error", "message", "path"}
    assert (body["timestamp"], body["status"], body["error"], body["path"]) == (
        STAMP,
        400,
        "Bad Request",
        path,
    )
    message: str = body["message"]
    return message


def test_a_rsa_suite_finds_reads_sends_and_reads_back_an_orientation(client: TestClient) -> None:
    headers = headers_for(
        client, SOCIAL, DONE_WHEN_SCOPE + " api_contrat-usagerv2 statutcontratusager"
    )
    (before,) = read(client, headers)
    assert (before["parcours"], before["organisme"], before["etat"]) == ("PSO", "CD", "OUVERT")
    assert category(client, headers) == "5"

    sent = client.post(f"{V1}/orientation", json=SENT_PRO, headers=headers)
    assert (sent.status_code, sent.content) == (201, b"")

    now, closed = read(client, headers)
    assert (now["parcours"], now["organisme"], now["etat"], now["statut"]) == (
        "PED",
        "FT",
        "OUVERT",
        "DECIDE",
    )
    assert now["date_entree_parcours"] == TODAY and now["agent_creation"] == "BATCH"
    assert (closed["parcours"], closed["etat"], closed["date_sortie_parcours"]) == (
        "PSO",
        "CLOTURE",
        TODAY,
    )
    assert [o["parcours"] for o in read(client, headers, etatOrientation="OUVERT")] == ["PED"]
    # Convention Art. 1: oriented to France Travail → category 1, 2 or 3.
    assert category(client, headers) in {"1", "2", "3"}

    back = client.post(
        f"{V1}/orientation",
        json={**SENT_PRO, "parcours": "PSO", "organisme": "CD"},
        headers=headers,
    )
    assert back.status_code == 201
    assert category(client, headers) == "5"


def test_statut_usager_v1_follows_the_orientation_too(client: TestClient) -> None:
    # The default client holds both realms: it writes in /agent and reads Statut v1 in /partenaire.
    headers = headers_for(client, SOCIAL, SUITE_SCOPE, DEFAULT_CLIENT)
    assert client.post(f"{V1}/orientation", json=SENT_PRO, headers=headers).status_code == 201
    token = request_token(client, "/partenaire", "api_rechercher-usagerv1 api_statut-usagerv1")
    v1 = {"Authorization": f"Bearer {token}"}
    identifiant = client.post(
        "/partenaire/rechercher-usager/v1/usagers/recherche", json=SOCIAL, headers=v1
    ).json()["identifiant"]
    statut = client.post(
        "/partenaire/statut-usager/v1/statut", json={"idNat": identifiant}, headers=v1
    )
    assert statut.status_code == 200, statut.text
    assert statut.json()["categInscriptionCode"] in {"1", "2", "3"}


def test_a_person_oriented_to_france_travail_keeps_their_category(client: TestClient) -> None:
    headers = headers_for(client, PRO)
    assert category(client, headers) == "3"
    assert client.post(f"{V1}/orientation", json=SENT_PRO, headers=headers).status_code == 201
    assert category(client, headers) == "3"


def test_v2_calculates_decides_and_reads_with_its_own_shapes(client: TestClient) -> None:
    headers = headers_for(client, SOCIAL)
    criteres = {"origine": "INSCRIPTION_CONSEILLER_CD", "situation_professionnelle": "JAMAIS"}
    calcul = client.post(f"{V2}/calculerOrientation", json=criteres, headers=headers)
    assert calcul.status_code == 200, calcul.text
    proposal = calcul.json()
    assert (proposal["parcours"], proposal["etat"], proposal["statut"]) == (
        "PED",
        "EN_ATTENTE",
        "PRECONISE_REORIENTATION",  # an open orientation exists: a reorientation is proposed
    )
    assert proposal["referent_parcours"]["organisme"] == {"code": "FT"}
    assert proposal["criteres_orientation"]["situation_professionnelle"] == "JAMAIS"
    assert proposal["criteres_orientation"]["brsa"] is True
    assert category(client, headers) == "5"  # a proposal changes nothing yet

    decision = {"etat_decision": "ACCEPTEE", "date_decision": TODAY}
    decided = client.post(f"{V2}/decisionOrientation", json=decision, headers=headers)
    assert (decided.status_code, decided.content) == (201, b"")

    opened, closed = read(client, headers, V2)
    assert (opened["etat"], opened["statut"], opened["date_entree_parcours"]) == (
        "OUVERT",
        "DECIDE_REORIENTATION",
        TODAY,
    )
    assert opened["decision"]["etat_decision"] == "ACCEPTEE"
    assert opened["decision"]["agent_decision"] == "BATCH"  # the pa-identifiant-agent
    assert closed["etat"] == "CLOTURE"
    assert category(client, headers) in {"1", "2", "3"}

    modified = client.put(
        f"{V2}/modificationOrientation", json={"parcours": "PSP"}, headers=headers
    )
    assert modified.status_code == 200, modified.text
    assert (modified.json()["parcours"], modified.json()["statut"], modified.json()["etat"]) == (
        "PSP",
        "MODIFIE",
        "OUVERT",
    )
    # v1 reads the same orientation with its own enums (no MODIFIE there).
    assert read(client, headers, etatOrientation="OUVERT")[0]["statut"] == "DECIDE"


def test_a_refusal_opens_the_orientation_chosen_instead(client: TestClient) -> None:
    headers = headers_for(client, EN_ATTENTE)
    refusal = {
        "etat_decision": "REFUSEE",
        "date_decision": TODAY,
        "motif_refus": "APPRECIATION_DIFFERENTE",
        "parcours": "PSO",
        "referent_parcours": {"organisme": {"code": "CD"}},
    }
    assert (
        client.post(f"{V2}/decisionOrientation", json=refusal, headers=headers).status_code == 201
    )
    (opened,) = read(client, headers, V2, etatOrientation="OUVERT")
    assert (opened["parcours"], opened["referent_parcours"]["organisme"]["code"]) == ("PSO", "CD")
    assert opened["decision"]["motif_refus"] == "APPRECIATION_DIFFERENTE"
    assert category(client, headers) == "5"


def test_personas_give_every_documented_state(client: TestClient) -> None:
    for version in (V1, V2):
        empty = client.get(f"{version}/lectureOrientation", headers=headers_for(client, AUCUNE))
        assert (empty.status_code, empty.content) == (204, b"")
    (pending,) = read(client, headers_for(client, EN_ATTENTE))
    assert (pending["parcours"], pending["statut"], pending["etat"]) == (
        "PED",
        "PRECONISE",
        "EN_ATTENTE",
    )
    (draft,) = read(client, headers_for(client, BROUILLON))
    assert (draft["parcours"], draft["organisme"], draft["etat"]) == ("IND", "IND", "BROUILLON")
    (closed,) = read(client, headers_for(client, CLOTUREE))
    assert closed["etat"] == "CLOTURE" and closed["date_sortie_parcours"]
    for etat in ETATS:
        listed = client.get(
            f"{V1}/lectureOrientation",
            params={"etatOrientation": etat},
            headers=headers_for(client, CLOTUREE),
        )
        assert listed.status_code == (200 if etat == "CLOTURE" else 204)


def test_a_pending_proposal_accepted_moves_the_category(client: TestClient) -> None:
    headers = headers_for(client, EN_ATTENTE)
    assert category(client, headers) == "5"
    decision = {
        "etat_decision": "ACCEPTEE",
        "date_decision": TODAY,
        "organisme_decision": "CD",
        "agent_decision": "IIII9999",
    }
    assert (
        client.post(f"{V1}/decisionOrientation", json=decision, headers=headers).status_code == 201
    )
    (opened,) = read(client, headers, etatOrientation="OUVERT")
    assert (opened["organisme"], opened["organisme_decision"]) == ("FT", "CD")
    assert opened["decision"]["agent_decision"] == "IIII9999"
    assert category(client, headers) in {"1", "2", "3"}


def test_refusals_use_the_published_spring_boot_body(client: TestClient) -> None:
    headers = headers_for(client, SOCIAL)
    # The published examples' messages and back-end paths.
    bad_etat = client.get(
        f"{V1}/lectureOrientation", params={"etatOrientation": "X"}, headers=headers
    )
    assert spring(bad_etat, "/api-orientationusager/v1/orientation") == (
        "Le champ etatOrientation doit avoir une de ces valeurs : [BROUILLON, EN_ATTENTE, "
        "OUVERT, CLOTURE]"
    )
    bad_sante = client.post(
        f"{V2}/calculerOrientation", json={"contrainte_sante": "X"}, headers=headers
    )
    message = spring(bad_sante, "/api-orientationusager/v2/orientation/calculer")
    head, _, values = message.partition(" : ")
    assert head == "Le champ contrainteSante doit avoir une de ces valeurs"
    assert set(values.strip("[]").split(", ")) == {
        "INCAPACITE_RECHERCHE_ACTIVITE_PRO",
        "IMPACT_FAIBLE_RECHERCHE_EMPLOI",
        "AUCUNE",
        "IMPACT_FORT_RECHERCHE_EMPLOI",
    }
    no_etat = client.post(f"{V1}/decisionOrientation", json={}, headers=headers)
    assert spring(no_etat, "/api-orientationusager/v1/orientation/decider") == (
        "Le champ etatDecision est obligatoire"
    )
    nothing_v1 = client.put(f"{V1}/modificationOrientation", headers=headers)
    assert spring(nothing_v1, "/api-orientationusager/v1/orientation/modifier") == (
        "Au moins un champ est obligatoire parmi codeParcours, codeStructure, dateEntreeParcours"
    )
    nothing_v2 = client.put(f"{V2}/modificationOrientation", json={}, headers=headers)
    assert spring(nothing_v2, "/api-orientationusager/v2/orientation/modifier") == (
        "Au moins un champ est obligatoire parmi codeParcours, codeStructureReferenteParcours, "
        "dateEntreeParcours"
    )
    not_json = client.post(
        f"{V1}/orientation",
        content=b"{",
        headers={**headers, "Content-Type": "application/json"},
    )
    spring(not_json, "/api-orientationusager/v1/orientation")
    bad_date = client.put(
        f"{V1}/modificationOrientation", headers={**headers, "dateEntreeParcours": "25/12/2024"}
    )
    spring(bad_date, "/api-orientationusager/v1/orientation/modifier")
    bad_structure = client.put(
        f"{V1}/modificationOrientation", headers={**headers, "codeStructure": "ABC"}
    )
    spring(bad_structure, "/api-orientationusager/v1/orientation/modifier")


def test_business_refusals(client: TestClient) -> None:
    draft = headers_for(client, BROUILLON)
    accept = {"etat_decision": "ACCEPTEE", "date_decision": TODAY}
    assert spring(
        client.post(f"{V2}/decisionOrientation", json=accept, headers=draft),
        "/api-orientationusager/v2/orientation/decider",
    ) == ("Aucune orientation en attente de décision pour cet usager")
    closed = headers_for(client, CLOTUREE)
    assert spring(
        client.put(f"{V1}/modificationOrientation", headers={**closed, "codeParcours": "PED"}),
        "/api-orientationusager/v1/orientation/modifier",
    ) == ("Aucune orientation ouverte pour cet usager")

    # A calculation with nothing to go on is a draft (IND): nothing to decide.
    calcul = client.post(f"{V2}/calculerOrientation", json={}, headers=draft)
    assert (calcul.json()["parcours"], calcul.json()["etat"]) == ("IND", "BROUILLON")
    assert "attente" in spring(
        client.post(
            f"{V2}/decisionOrientation",
            json={"etat_decision": "ACCEPTEE", "date_decision": TODAY},
            headers=draft,
        ),
        "/api-orientationusager/v2/orientation/decider",
    )
    pending = headers_for(client, EN_ATTENTE)
    no_motif = client.post(
        f"{V2}/decisionOrientation",
        json={"etat_decision": "REFUSEE", "date_decision": TODAY, "parcours": "PSO"},
        headers=pending,
    )
    assert "motifRefus" in spring(no_motif, "/api-orientationusager/v2/orientation/decider")
    no_choice = client.post(
        f"{V2}/decisionOrientation",
        json={"etat_decision": "REFUSEE", "date_decision": TODAY, "motif_refus": "AUTRE"},
        headers=pending,
    )
    spring(no_choice, "/api-orientationusager/v2/orientation/decider")
    too_early = client.post(
        f"{V2}/decisionOrientation",
        json={"etat_decision": "ACCEPTEE", "date_decision": "2000-01-01"},
        headers=headers_for(client, SOCIAL),
    )
    assert spring(too_early, "/api-orientationusager/v2/orientation/decider") == (
        "Aucune orientation en attente de décision pour cet usager"
    )
    social = headers_for(client, SOCIAL)
    assert (
        client.post(
            f"{V2}/calculerOrientation", json={"capacite_a_travailler": True}, headers=social
        ).json()["etat"]
        == "EN_ATTENTE"
    )
    early_decision = client.post(
        f"{V2}/decisionOrientation",
        json={"etat_decision": "ACCEPTEE", "date_decision": "2000-01-01"},
        headers=social,
    )
    assert "date de décision" in spring(
        early_decision, "/api-orientationusager/v2/orientation/decider"
    )
    early = client.post(
        f"{V1}/orientation", json={**SENT_PRO, "date_entree_parcours": "2000-01-01"}, headers=social
    )
    spring(early, "/api-orientationusager/v1/orientation")
    # Nothing refused was stored: the open orientation and the pending proposal only.
    assert sorted(o["etat"] for o in read(client, social)) == ["EN_ATTENTE", "OUVERT"]


def test_jeton_errors_keep_the_platforms_body(client: TestClient) -> None:
    headers = headers_for(client, SOCIAL)
    del headers["ft-jeton-usager"]
    for method, path in (("GET", f"{V1}/lectureOrientation"), ("POST", f"{V2}/orientation")):
        response = client.request(method, path, headers=headers, json=SENT_PRO)
        assert response.status_code == 400
        assert response.json()["codeErreur"] == "ERR_JETON_USAGER_ABSENT"
    bad = client.get(f"{V1}/lectureOrientation", headers={**headers, "ft-jeton-usager": "x"})
    assert (bad.status_code, bad.json()["codeErreur"]) == (401, "ERR_JETON_USAGER_INVALIDE")


def test_v2_operations_want_their_own_published_scopes(client: TestClient) -> None:
    base = "api_rechercher-usagerv2 rechercheusager profil_accedant api_orientationusagerv2"
    reader = headers_for(client, SOCIAL, f"{base} lireorientationusager")
    assert client.get(f"{V2}/lectureOrientation", headers=reader).status_code == 200
    refused = client.post(f"{V2}/orientation", json=SENT_PRO, headers=reader)
    assert (refused.status_code, refused.content) == (403, b"")
    assert "decisionorientationusager" in refused.headers["x-sandbox-hint"]
    writer = headers_for(client, SOCIAL, f"{base} decisionorientationusager")
    sent_v2 = {
        "origine": "INSCRIPTION_CONSEILLER_CD",
        "parcours": "PED",
        "referent_parcours": {"organisme": {"code": "FT"}},
    }
    assert client.post(f"{V2}/orientation", json=sent_v2, headers=writer).status_code == 201
    assert client.get(f"{V2}/lectureOrientation", headers=writer).status_code == 403


def test_v1_does_not_serve_abandoned_proposals(client: TestClient) -> None:
    headers = headers_for(client, SOCIAL)
    criteres = {"situation_professionnelle": "JAMAIS"}
    for _ in range(2):
        assert (
            client.post(f"{V1}/calculOrientation", json=criteres, headers=headers).status_code
            == 200
        )
    v2 = [o["etat"] for o in read(client, headers, V2)]
    assert sorted(v2) == ["ABANDON", "EN_ATTENTE", "OUVERT"]
    assert sorted(o["etat"] for o in read(client, headers)) == ["EN_ATTENTE", "OUVERT"]


def test_each_client_sees_only_its_own_orientations(client: TestClient) -> None:
    rsa = headers_for(client, SOCIAL)
    default = headers_for(client, SOCIAL, SUITE_SCOPE, DEFAULT_CLIENT)
    assert client.post(f"{V1}/orientation", json=SENT_PRO, headers=rsa).status_code == 201
    assert len(read(client, rsa)) == 2
    (untouched,) = read(client, default)
    assert untouched["parcours"] == "PSO"
    assert category(client, default) == "5"


def test_orientations_persist_across_a_restart(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key="k")
    clock = FrozenClock(NOW)
    with TestClient(create_app(settings, clock)) as first:
        headers = headers_for(first, SOCIAL)
        assert first.post(f"{V1}/orientation", json=SENT_PRO, headers=headers).status_code == 201
        written = read(first, headers)
    with TestClient(create_app(settings, clock)) as again:
        headers = headers_for(again, SOCIAL)
        assert read(again, headers) == written
        assert category(again, headers) in {"1", "2", "3"}


def test_the_same_seed_gives_the_same_orientations(tmp_path: Path) -> None:
    answers = []
    for name in ("a", "b"):
        settings = Settings(data_dir=tmp_path / name, secret_key="k")
        with TestClient(create_app(settings, FrozenClock(NOW))) as app_client:
            headers = headers_for(app_client, SOCIAL)
            before = read(app_client, headers, V2)
            app_client.post(f"{V1}/orientation", json=SENT_PRO, headers=headers)
            answers.append((before, read(app_client, headers, V2), category(app_client, headers)))
    assert answers[0] == answers[1]


def test_the_cap_per_person_refuses_with_409_and_stores_nothing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sandbox.orientation.service.MAX_PER_PERSON", 3)
    headers = headers_for(client, SOCIAL)
    for _ in range(2):  # the generated orientation and two sent ones
        assert client.post(f"{V1}/orientation", json=SENT_PRO, headers=headers).status_code == 201
    refused = client.post(f"{V1}/orientation", json=SENT_PRO, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["codeErreur"] == "ERR_LIMITE_BAC_A_SABLE"
    assert len(read(client, headers)) == 3


_CRITERES = st.fixed_dictionaries(
    {},
    optional={
        "situation_professionnelle": st.sampled_from(
            ["EN_ACTIVITE", "DEUX_DERNIERES_ANNEES", "PLUS_DEUX_ANS", "JAMAIS"]
        ),
        "capacite_a_travailler": st.booleans(),
        "contrainte_sante": st.sampled_from(
            [
                "INCAPACITE_RECHERCHE_ACTIVITE_PRO",
                "IMPACT_FORT_RECHERCHE_EMPLOI",
                "IMPACT_FAIBLE_RECHERCHE_EMPLOI",
                "AUCUNE",
            ]
        ),
        "contrainte_mobilite": st.sampled_from(
            ["AUCUN_MOYEN_DE_TRANSPORT", "DEPENDANT_TRANSPORT", "AUTRE", "AUCUNE"]
        ),
        "boe": st.booleans(),
        "boe_souhait_accompagnement": st.booleans(),
        "origine": st.sampled_from(["INSCRIPTION_CONSEILLER_CD", "INSCRIPTION_AUTO_MILO"]),
    },
)


@given(_CRITERES)
def test_the_calculation_never_sends_to_work_who_cannot_work(criteres: dict[str, Any]) -> None:
    proposal = propose(criteres)
    unable = criteres.get("capacite_a_travailler") is False or (
        criteres.get("contrainte_sante") == "INCAPACITE_RECHERCHE_ACTIVITE_PRO"
    )
    partial = (
        "situation_professionnelle" not in criteres and "capacite_a_travailler" not in criteres
    )
    if partial:
        assert (proposal.parcours, proposal.organisme) == (Parcours.IND, Organisme.IND)
    elif unable:
        assert (proposal.parcours, proposal.organisme) == (Parcours.PSO, Organisme.CD)
    # A decidable proposal always names a real organisme; only a partial one is IND.
    assert (proposal.organisme is Organisme.IND) == partial
    assert propose(dict(criteres)) == proposal


def test_date_entree_parcours_is_kept_as_sent(client: TestClient) -> None:
    headers = headers_for(client, SOCIAL)
    later = (NOW.date() + dt.timedelta(days=10)).isoformat()
    body = {**SENT_PRO, "date_entree_parcours": later}
    assert client.post(f"{V1}/orientation", json=body, headers=headers).status_code == 201
    opened, closed = read(client, headers)
    assert opened["date_entree_parcours"] == later
    assert closed["date_sortie_parcours"] == later


def test_other_apis_read_the_effective_orientation_of_their_client(
    client: TestClient, runtime: Runtime
) -> None:
    seed = runtime.population.seed
    person = runtime.population.get("p-categorie-5-social")
    assert person is not None
    before = effective_orientation(runtime.store, seed, RSA_CLIENT[0], person)
    assert before.written is False and before.record is not None
    assert (before.record.parcours, before.record.organisme) == (Parcours.PSO, Organisme.CD)
    headers = headers_for(client, SOCIAL)
    assert client.post(f"{V1}/orientation", json=SENT_PRO, headers=headers).status_code == 201
    after = effective_orientation(runtime.store, seed, RSA_CLIENT[0], person)
    assert after.written is True and after.record is not None
    assert (after.record.parcours, after.record.organisme) == (Parcours.PED, Organisme.FT)
    other = effective_orientation(runtime.store, seed, DEFAULT_CLIENT[0], person)
    assert other.written is False


def test_a_structure_sent_or_modified_is_read_back(client: TestClient) -> None:
    headers = headers_for(client, SOCIAL)
    body = {**SENT_PRO, "structure": {"code_safir": "62512"}}
    assert client.post(f"{V1}/orientation", json=body, headers=headers).status_code == 201
    (opened,) = read(client, headers, etatOrientation="OUVERT")
    assert opened["structure"]["code_safir"] == "62512"
    modified = client.put(
        f"{V1}/modificationOrientation", headers={**headers, "codeStructure": "NAQ0057"}
    )
    assert modified.status_code == 200, modified.text
    assert modified.json()["structure"]["code_aurore"] == "NAQ0057"
    (v2,) = read(client, headers, V2, etatOrientation="OUVERT")
    assert v2["referent_parcours"]["structure"]["code"] == "NAQ0057"
    assert v2["statut"] == "MODIFIE"


def test_an_outage_answers_in_the_spring_boot_body(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "outage", secret_key="k", profile="outage")
    with TestClient(create_app(settings, FrozenClock(NOW))) as outage:
        token = request_token(outage, scope=SUITE_SCOPE, credentials=RSA_CLIENT)
        headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS, "ft-jeton-usager": "x"}
        response = outage.get(f"{V2}/lectureOrientation", headers=headers)
    assert response.status_code == 503
    assert response.json() == {
        "timestamp": STAMP,
        "status": 503,
        "error": "Service Unavailable",
        "message": "Service indisponible",
        "path": "/api-orientationusager/v2/orientation",
    }
