"""Gestion des sanctions RSA v1: a département handles France Travail's sanction proposals.

The flow of the Loi plein emploi workflows (reference §6.4): list the sanction activities
(Gestion activités opérationnelles v2, ``codeFamille=GLI100``), read the manquement of each
``idConsequenceSanction``, publish an event (``codeSortie`` C001), ask for a radiation. Expected
values are the published file's (``gestion-sanctions-rsa.json``: codes R010…R100 and their
messages, C001/C999, C000…C004 and their messages, the radiation rules of the description) and
the personas' (fixtures/personas: ``sanction-*``).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.lpe.sanctions import MAX_WRITES_PER_PERSON
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT, request_token

S = "/partenaire/gestion-sanctions-rsa/v1"
A = "/partenaire/activites-operationnelles/v2"
SCOPE = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant api_activites-operationnellesv2 "
    "activitesCD referentielCD api_gestion-sanctions-rsav1 gestiondesmanquements "
    "decisionSanctionPartenaire demandeRadiation"
)
A_INSTRUIRE = "90000003636"  # persona sanction-a-instruire: ACT366
LEVEE = "90000003737"  # persona sanction-levee: ACT369
SUPPRESSION = "90000003838"  # persona sanction-suppression: ACT370
C000 = "Demande de radiation créée"
C002 = "Demande de radiation non créée car non conforme aux cas d'usages"
DECISION = {
    "dateNotificationDecisionSanction": "2026-11-03",
    "natureManquement": "N61",
    "rangManquement": "R2",
    "dateManquement": "2026-10-03",
    "typeSanctionValide": "SUPPR_RSA",
    "modaliteDecisionValidee": "P",
    "montantValide": 100,
    "dureeValidee": 4,
    "justificationDecisionSanction": "2nd rang, pas de remobilisation",
}


class Agent:
    """A département's sanctions tool: one token, the jeton of one usager."""

    def __init__(self, client: TestClient, numero: str) -> None:
        self.client = client
        token = request_token(client, scope=SCOPE)
        self.headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
        self.numero = numero
        found = client.post(
            "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail",
            json={"numeroFranceTravail": numero},
            headers=self.headers,
        ).json()
        assert found["codeRetour"] == "S001", found
        self.jeton = {**self.headers, "ft-jeton-usager": found["jetonUsager"]}

    def activities(self) -> list[dict[str, Any]]:
        response = self.client.get(
            f"{A}/activites/chercher",
            params={"codeFamille": "GLI100", "numeroFranceTravail": self.numero},
            headers=self.headers,
        )
        if response.status_code == 204:
            return []
        activites: list[dict[str, Any]] = response.json()["activites"]
        return activites

    def consequence(self) -> str:
        (activite,) = self.activities()
        (attribut,) = activite["attributsSpecifiques"]
        assert attribut["nom"] == "idConsequenceSanction"
        value: str = attribut["valeur"]
        return value

    def detail(self, identifiant: str) -> Any:
        return self.client.get(
            f"{S}/detailManquement", params={"identifiantSanction": identifiant}, headers=self.jeton
        )

    def event(self, identifiant: str, kind: str, day: str = "2026-11-20", **extra: Any) -> Any:
        body = {
            "identifiantConsequenceSanction": identifiant,
            "evenement": {"typeEvenement": kind, "dateEvenement": day},
            **extra,
        }
        return self.client.post(f"{S}/evenementSanctionRSA", json=body, headers=self.jeton)

    def radiation(self, identifiant: str) -> Any:
        body = {"identifiantConsequenceSanction": identifiant, "justificationDemandeRadiation": "x"}
        return self.client.post(f"{S}/demandeRadiation", json=body, headers=self.jeton)

    def decision(self, **changes: Any) -> Any:
        body = {**DECISION, **changes}
        return self.client.post(f"{S}/decisionSanctionRSAPartenaire", json=body, headers=self.jeton)


VALID: dict[str, Any] = {
    "typeConsequenceSanctionValide": "SUPPR_RSA",
    "modaliteDecisionValidee": "P",
    "montantValide": 100,
    "dureeValidee": 4,
}


def test_a_proposal_is_instructed_decided_and_then_radiated(client: TestClient) -> None:
    agent = Agent(client, SUPPRESSION)
    assert [a["codeActivite"] for a in agent.activities()] == ["ACT370"]
    identifiant = agent.consequence()
    detail = agent.detail(identifiant)
    assert detail.status_code == 200
    body = detail.json()
    assert body["individu"] == {"numeroFranceTravail": SUPPRESSION}
    assert body["familleManquement"] in {"F01", "F03"}
    (consequence,) = body["consequencesSanction"]
    assert consequence["idConsequenceSanction"] == identifiant
    assert consequence["typeConsequenceSanction"] == "SUPPR_RSA"
    assert [e["typeEvenement"] for e in consequence["evenements"]] == [
        "PROP_SANCTION",
        "ACCORD_FT_SANCTION",
    ]
    # Not decided yet: a radiation is not in the regulatory cases.
    assert agent.radiation(identifiant).json() == {"codeSortie": "C002", "message": C002}
    assert agent.event(identifiant, "VALID_SANCTION", **VALID).json() == {"codeSortie": "C001"}
    assert agent.activities() == []  # the activity is done
    decided = agent.detail(identifiant).json()["consequencesSanction"][0]
    assert (decided["montantValide"], decided["dureeValidee"]) == (100, 4)
    assert decided["evenements"][-1]["typeEvenement"] == "VALID_SANCTION"
    assert agent.event(identifiant, "VALID_SANCTION", **VALID).json() == {"codeSortie": "C999"}
    radiated = agent.radiation(identifiant).json()
    assert (radiated["codeSortie"], radiated["message"]) == ("C000", C000)
    types = [
        c["typeConsequenceSanction"]
        for c in agent.detail(identifiant).json()["consequencesSanction"]
    ]
    assert types == ["SUPPR_RSA", "RADIATION"]
    again = agent.radiation(identifiant).json()
    assert again["codeSortie"] == "C004" and "idConsequenceSanctionCree" not in again


def test_instructing_a_suspension_moves_act366_to_act367(client: TestClient) -> None:
    agent = Agent(client, A_INSTRUIRE)
    identifiant = agent.consequence()
    assert agent.activities()[0]["codeActivite"] == "ACT366"
    # A decision before instruction is incompatible with the last event.
    assert agent.event(identifiant, "REFUS_SANCTION").json() == {"codeSortie": "C999"}
    assert agent.event(identifiant, "SAISIE_SANCTION").json() == {"codeSortie": "C001"}
    (activite,) = agent.activities()
    assert activite["codeActivite"] == "ACT367"
    assert activite["attributsSpecifiques"][0]["valeur"] == identifiant
    assert agent.event(identifiant, "REFUS_SANCTION").json() == {"codeSortie": "C001"}
    assert agent.activities() == []
    events = agent.detail(identifiant).json()["consequencesSanction"][0]["evenements"]
    assert [e["typeEvenement"] for e in events][-2:] == ["SAISIE_SANCTION", "REFUS_SANCTION"]


def test_a_lifting_of_suspension_is_decided_then_the_sanction_cancelled(client: TestClient) -> None:
    agent = Agent(client, LEVEE)
    identifiant = agent.consequence()
    assert agent.activities()[0]["codeActivite"] == "ACT369"
    consequence = agent.detail(identifiant).json()["consequencesSanction"][0]
    assert consequence["dureeValidee"] == consequence["dureeProposee"]  # already validated
    assert agent.event(identifiant, "REFUS_LEVEE_SUSP").json() == {"codeSortie": "C001"}
    assert agent.activities() == []
    cancel = agent.event(
        identifiant, "ANNULATION_SANCTION", typeConsequenceSanctionValide="SUSP_RSA"
    )
    assert cancel.json()["codeErreur"] == "R021"  # motifEvenement is required (published)
    body = {
        "identifiantConsequenceSanction": identifiant,
        "evenement": {
            "typeEvenement": "ANNULATION_SANCTION",
            "dateEvenement": "2026-11-21",
            "motifEvenement": "RECOURS",
            "commentaireEvenement": "Annulation suite à recours",
        },
        "typeConsequenceSanctionValide": "SUSP_RSA",
    }
    response = client.post(f"{S}/evenementSanctionRSA", json=body, headers=agent.jeton)
    assert response.json() == {"codeSortie": "C001"}
    last = agent.detail(identifiant).json()["consequencesSanction"][0]["evenements"][-1]
    assert (last["typeEvenement"], last["motif"]) == ("ANNULATION_SANCTION", "RECOURS")


def test_a_partner_decision_is_read_back_and_a_second_radiation_is_c001(client: TestClient) -> None:
    agent = Agent(client, A_INSTRUIRE)
    first = agent.decision().json()
    assert first["codeSortie"] == "C001"
    assert first["message"] == "Sanction partenaire créée et prise en compte par France Travail"
    detail = agent.detail(first["identifiantConsequenceSanction"]).json()
    assert detail["identifiantManquement"] == first["identifiantManquement"]
    assert detail["familleManquement"] == "F01"  # N61: obligations du contrat d'engagement
    assert detail["consequencesSanction"][0]["codeInitiateur"] == "CD"
    assert agent.radiation(first["identifiantConsequenceSanction"]).json()["codeSortie"] == "C000"
    second = agent.decision(natureManquement="N65", typeSanctionValide="SUSP_RSA").json()
    assert agent.radiation(second["identifiantConsequenceSanction"]).json()["codeSortie"] == "C001"
    assert agent.radiation("424242").json()["codeSortie"] == "C003"


def test_writes_are_per_client(client: TestClient) -> None:
    agent = Agent(client, A_INSTRUIRE)
    identifiant = agent.consequence()
    agent.event(identifiant, "SAISIE_SANCTION")
    token = request_token(
        client, scope=SCOPE, credentials=("PAR_ftsandbox_cd62_rsa", "ftsandbox-secret-cd62-rsa")
    )
    other = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    listed = client.get(
        f"{A}/activites/chercher",
        params={"codeFamille": "GLI100", "numeroFranceTravail": A_INSTRUIRE},
        headers=other,
    ).json()["activites"]
    assert [a["codeActivite"] for a in listed] == ["ACT366"]


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ({}, "R010", "Identifiant Consequence Sanction obligatoire"),
        ({"identifiantSanction": ""}, "R010", "Identifiant Consequence Sanction obligatoire"),
        ({"identifiantSanction": "12a"}, "R011", "Identifiant Consequence Sanction invalide"),
    ],
)
def test_a_bad_identifiant_gets_the_published_400(
    client: TestClient, query: dict[str, str], code: str, message: str
) -> None:
    agent = Agent(client, A_INSTRUIRE)
    response = client.get(f"{S}/detailManquement", params=query, headers=agent.jeton)
    assert response.status_code == 400
    assert (response.json()["codeErreur"], response.json()["message"]) == (code, message)


def test_an_unknown_consequence_is_204(client: TestClient) -> None:
    agent = Agent(client, A_INSTRUIRE)
    assert agent.detail("424242").status_code == 204
    assert agent.event("424242", "SAISIE_SANCTION").status_code == 204


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"identifiantConsequenceSanction": None}, "R011"),
        ({"identifiantConsequenceSanction": "abc"}, "R011"),
        ({"evenement": None}, "R020"),
        ({"evenement": {"dateEvenement": "2026-11-20"}}, "R020"),
        ({"evenement": {"typeEvenement": "PROP_SANCTION", "dateEvenement": "2026-11-20"}}, "R021"),
        ({"evenement": {"typeEvenement": "VALID_SANCTION"}}, "R030"),
        ({"evenement": {"typeEvenement": "VALID_SANCTION", "dateEvenement": "20/11/2026"}}, "R031"),
        ({"evenement": {"typeEvenement": "VALID_SANCTION", "dateEvenement": "2026-02-30"}}, "R031"),
        ({"evenement": {"typeEvenement": "VALID_SANCTION", "dateEvenement": "2099-01-01"}}, "R031"),
        (
            {"evenement": {"typeEvenement": "REFUS_SANCTION", "dateEvenement": "2026-11-20",
                           "commentaireEvenement": "x" * 4001}},
            "R040",
        ),
        ({"typeConsequenceSanctionValide": None}, "R050"),
        ({"typeConsequenceSanctionValide": "SUSP_FT"}, "R051"),
        ({"montantValide": None}, "R060"),
        ({"montantValide": "50"}, "R061"),
        ({"modaliteDecisionValidee": "X"}, "R062"),
        ({"modaliteDecisionValidee": None}, "R063"),
        ({"montantValide": 20}, "R064"),
        ({"dureeValidee": None}, "R070"),
        ({"dureeValidee": 6}, "R071"),
    ],
)  # fmt: skip
def test_an_event_failing_a_published_check_gets_its_code(
    client: TestClient, change: dict[str, Any], code: str
) -> None:
    agent = Agent(client, A_INSTRUIRE)
    body: dict[str, Any] = {
        "identifiantConsequenceSanction": agent.consequence(),
        "evenement": {"typeEvenement": "VALID_SANCTION", "dateEvenement": "2026-11-20"},
        **VALID,
    }
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None or k == "identifiantConsequenceSanction"}
    response = client.post(f"{S}/evenementSanctionRSA", json=body, headers=agent.jeton)
    assert response.status_code == 400, response.text
    assert response.json()["codeErreur"] == code


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"dateNotificationDecisionSanction": None}, "R032"),
        ({"dateNotificationDecisionSanction": "03/02/2026"}, "R033"),
        ({"dateNotificationDecisionSanction": "2099-02-03"}, "R033"),
        ({"justificationDecisionSanction": "x" * 4001}, "R041"),
        ({"typeSanctionValide": None}, "R052"),
        ({"typeSanctionValide": "RADIATION"}, "R053"),
        ({"montantValide": None}, "R060"),
        ({"montantValide": 1.5}, "R061"),
        ({"modaliteDecisionValidee": "Q"}, "R062"),
        ({"modaliteDecisionValidee": None}, "R063"),
        ({"montantValide": 101}, "R064"),
        ({"dureeValidee": None}, "R070"),
        ({"dureeValidee": 0}, "R071"),
        ({"natureManquement": None}, "R080"),
        ({"natureManquement": "N62"}, "R081"),
        ({"rangManquement": "R3"}, "R082"),
        ({"dateManquement": None}, "R090"),
        ({"dateManquement": "2026-13-01"}, "R091"),
        ({"dateManquement": "2026-12-01"}, "R091"),
    ],
)
def test_a_decision_failing_a_published_check_gets_its_code(
    client: TestClient, change: dict[str, Any], code: str
) -> None:
    agent = Agent(client, A_INSTRUIRE)
    body = {k: v for k, v in {**DECISION, **change}.items() if v is not None}
    response = client.post(f"{S}/decisionSanctionRSAPartenaire", json=body, headers=agent.jeton)
    assert response.status_code == 400, response.text
    assert response.json()["codeErreur"] == code


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "R012"),
        ({"identifiantConsequenceSanction": "12-3"}, "R013"),
        ({"identifiantConsequenceSanction": "123", "justificationDemandeRadiation": 5}, "R100"),
        ([], "R012"),
    ],
)
def test_a_radiation_failing_a_published_check_gets_its_code(
    client: TestClient, body: Any, code: str
) -> None:
    agent = Agent(client, A_INSTRUIRE)
    response = client.post(f"{S}/demandeRadiation", json=body, headers=agent.jeton)
    assert response.status_code == 400
    assert response.json()["codeErreur"] == code


def test_the_write_cap_answers_409_and_stores_nothing(client: TestClient) -> None:
    agent = Agent(client, A_INSTRUIRE)
    for _ in range(MAX_WRITES_PER_PERSON):
        assert agent.decision().json()["codeSortie"] == "C001"
    response = agent.decision()
    assert response.status_code == 409
    assert response.json()["codeErreur"] == "ERR_LIMITE_BAC_A_SABLE"
    # Answers that store nothing (C999, C00x) are not writes: still answered at the cap.
    assert agent.radiation("424242").json()["codeSortie"] == "C003"


# The published cycle of a suspension proposal (description of /evenementSanctionRSA and of
# /activites/chercher), written out: state → {event: next state}, and the activity of a state.
CYCLE = {
    "ACT366": {"SAISIE_SANCTION": "ACT367", "REFUS_SAISIE_SANCTION": "decidee"},
    "ACT367": {"VALID_SANCTION": "decidee", "REFUS_SANCTION": "refusee"},
    "decidee": {"ANNULATION_SANCTION": "annulee"},
    "refusee": {},
    "annulee": {},
}
EXTRA = {
    "VALID_SANCTION": VALID,
    "ANNULATION_SANCTION": {"typeConsequenceSanctionValide": "SUSP_RSA"},
}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(sorted({e for s in CYCLE.values() for e in s})), max_size=4))
def test_any_sequence_of_events_follows_the_published_cycle(
    client: TestClient, runtime: Runtime, kinds: list[str]
) -> None:
    runtime.store.reset(DEFAULT_CLIENT[0])
    agent = Agent(client, A_INSTRUIRE)
    identifiant = agent.consequence()
    state = "ACT366"
    for kind in kinds:
        body: dict[str, Any] = {
            "identifiantConsequenceSanction": identifiant,
            "evenement": {"typeEvenement": kind, "dateEvenement": "2026-11-20"},
            **EXTRA.get(kind, {}),
        }
        if kind == "ANNULATION_SANCTION":
            body["evenement"]["motifEvenement"] = "AUTRE"
        answer = client.post(f"{S}/evenementSanctionRSA", json=body, headers=agent.jeton).json()
        expected = CYCLE[state].get(kind)
        assert answer == {"codeSortie": "C001" if expected else "C999"}, (state, kind)
        state = expected or state
        listed = [a["codeActivite"] for a in agent.activities()]
        assert listed == ([state] if state.startswith("ACT") else [])
