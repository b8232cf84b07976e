"""One access rule for both generations, and person references accepted only as issued.

The v1 identifiant names the person, not the caller (the same for every client, as on the
platform): every v1 route must therefore apply Recherche usager's rattachement rule (R002) on
each call, as v2 routes do through their client-bound jeton. Values are the README's and the
contract's: 403 ``ERR_USAGER_NON_RATTACHE``, 401 ``ERR_IDENTIFIANT_INVALIDE`` /
``ERR_JETON_USAGER_INVALIDE``.
"""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2
import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from sandbox.population.search import is_known
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, AGENT_SCOPES, NOW, request_token

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
S001 = {"nir": "290036204190175", "dateNaissance": "1990-03-14"}  # persona s001-certifiee (62)
RECHERCHE_V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
V1_SCOPES = (
    "api_rechercher-usagerv1 api_statut-usagerv1 api_diagnosticargumentev1 "
    "api_metiers-profil-competencesv1 ciblepro api_projet-creation-entreprisev1"
)
CD62 = ("PAR_test_cd62", "secret-test-cd62")
CD59 = ("PAR_test_cd59", "secret-test-cd59")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """A sandbox with two départements subscribed to every scope: 62 and 59."""
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES / "personas", fixtures / "personas")
    entries = [
        f"  - {{client_id: {cid}, client_secret: {secret}, nom: {cid}, departement: '{dep}', "
        "scopes: all}"
        for (cid, secret), dep in ((CD62, "62"), (CD59, "59"))
    ]
    (fixtures / "clients.yaml").write_text(
        "version: 1\nclients:\n" + "\n".join(entries) + "\n", encoding="utf-8"
    )
    settings = Settings(data_dir=tmp_path / "data", secret_key="k", fixtures_dir=fixtures)
    with TestClient(create_app(settings, FrozenClock(NOW))) as test_client:
        yield test_client


def _v1(client: TestClient, credentials: tuple[str, str]) -> dict[str, str]:
    token = request_token(client, "/partenaire", V1_SCOPES, credentials)
    return {"Authorization": f"Bearer {token}"}


def _identifiant(client: TestClient, credentials: tuple[str, str], person: dict[str, str]) -> str:
    response = client.post(RECHERCHE_V1, json=person, headers=_v1(client, credentials))
    assert response.json()["codeRetour"] == "S001", response.text
    identifiant: str = response.json()["identifiant"]
    return identifiant


V1Call = Callable[[TestClient, dict[str, str], str], httpx2.Response]
V1_ROUTES: dict[str, V1Call] = {
    "statut": lambda c, h, i: c.post(
        "/partenaire/statut-usager/v1/statut", json={"idNat": i}, headers=h
    ),
    "diagnostic": lambda c, h, i: c.get(
        f"/partenaire/diagnosticargumente/v1/individus/{quote(i, safe='')}", headers=h
    ),
    "contraintes": lambda c, h, i: c.get(
        f"/partenaire/diagnosticargumente/v1/individus/{quote(i, safe='')}/contraintes",
        headers=h,
    ),
    "metiers": lambda c, h, i: c.get(
        "/partenaire/metiers-profil-competences/v1/metiers-recherches",
        headers={**h, "id-national": i},
    ),
    "cref": lambda c, h, i: c.get(
        "/partenaire/projet-creation-entreprise/v1/projets-cref",
        headers={**h, "id-national": i},
    ),
}


def _nord_person(runtime: Runtime) -> dict[str, str]:
    """A generated person the Nord client finds (S001 for a caller of département 59)."""
    today = NOW.date()
    for index in range(len(runtime.population)):
        person = runtime.population.generated(index)
        if (
            person.attachment_departement == "59"
            and person.rsa.beneficiary
            and person.address is not None
            and is_known(person, today)
            and len(runtime.population.find_by_nir(person.nir_body)) == 1
        ):
            return {"nir": person.nir_body, "dateNaissance": person.birth_date.isoformat()}
    raise AssertionError("the population has nobody attached to the Nord")


def test_recherche_refuses_another_departement_in_both_generations(client: TestClient) -> None:
    v1 = client.post(RECHERCHE_V1, json=S001, headers=_v1(client, CD59))
    token = request_token(client, "/agent", AGENT_SCOPES, CD59)
    v2 = client.post(
        RECHERCHE_V2, json=S001, headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    )
    assert (v1.status_code, v1.json()["codeRetour"]) == (403, "R002")
    assert (v2.status_code, v2.json()["codeRetour"]) == (403, "R002")


@pytest.mark.parametrize("route", sorted(V1_ROUTES))
def test_a_v1_identifiant_from_another_client_opens_nothing(client: TestClient, route: str) -> None:
    identifiant = _identifiant(client, CD62, S001)
    owner = V1_ROUTES[route](client, _v1(client, CD62), identifiant)
    borrowed = V1_ROUTES[route](client, _v1(client, CD59), identifiant)
    assert owner.status_code in (200, 204), owner.text
    assert borrowed.status_code == 403, borrowed.text
    assert borrowed.json() == {
        "codeErreur": "ERR_USAGER_NON_RATTACHE",
        "codeHttp": 403,
        "message": "L'usager n'est pas rattaché à la structure de l'accédant",
    }
    assert "another departement" in borrowed.headers["x-sandbox-hint"]


@pytest.mark.parametrize("route", sorted(V1_ROUTES))
def test_each_departement_reads_its_own_people_through_v1(client: TestClient, route: str) -> None:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    person = _nord_person(runtime)
    identifiant = _identifiant(client, CD59, person)
    assert V1_ROUTES[route](client, _v1(client, CD59), identifiant).status_code in (200, 204)
    assert V1_ROUTES[route](client, _v1(client, CD62), identifiant).status_code == 403


def _envelope(jeton: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(base64.b64decode(jeton))
    return loaded


def _encode(envelope: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(envelope).encode()).decode()


def _changed(field: str, value: object) -> Callable[[str], str]:
    def change(jeton: str) -> str:
        return _encode({**_envelope(jeton), field: value})

    return change


def _removed(field: str) -> Callable[[str], str]:
    def remove(jeton: str) -> str:
        envelope = _envelope(jeton)
        del envelope[field]
        return _encode(envelope)

    return remove


def _data_uuid_changed(jeton: str) -> str:
    envelope = _envelope(jeton)
    _, _, sealed = envelope["data"].partition("#")
    return _encode({**envelope, "data": f"00000000-0000-4000-8000-000000000000#{sealed}"})


@pytest.mark.parametrize(
    "alter",
    [
        _changed("vers", "0.2"),
        _changed("uuid", "c919bf8c-2ca9-4726-aa03-c4a5e12828d5"),
        _changed("type", "/agent"),
        _changed("expire", 1),
        _changed("extra", "x"),
        _removed("vers"),
        _removed("uuid"),
        _removed("type"),
        _data_uuid_changed,
    ],
    ids=lambda alter: getattr(alter, "__qualname__", "alter"),
)
def test_every_field_of_the_jeton_envelope_is_authenticated(
    client: TestClient, alter: Callable[[str], str]
) -> None:
    token = request_token(client, "/agent", AGENT_SCOPES, CD62)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    jeton = client.post(RECHERCHE_V2, json=S001, headers=headers).json()["jetonUsager"]
    contrat = "/partenaire/contrat-usager/v2/contrat"
    assert client.get(contrat, headers={**headers, "ft-jeton-usager": jeton}).status_code == 200
    # Whitespace of the JSON text is not part of the content: re-encoding alone is accepted.
    same = _encode(_envelope(jeton))
    assert client.get(contrat, headers={**headers, "ft-jeton-usager": same}).status_code == 200
    response = client.get(contrat, headers={**headers, "ft-jeton-usager": alter(jeton)})
    assert (response.status_code, response.json()["codeErreur"]) == (
        401,
        "ERR_JETON_USAGER_INVALIDE",
    )
    assert "exactly as Rechercher usager v2 returned it" in response.headers["x-sandbox-hint"]


def test_the_uuid_half_of_a_v1_identifiant_is_authenticated(client: TestClient) -> None:
    identifiant = _identifiant(client, CD62, S001)
    _, _, sealed = identifiant.partition("#")
    for altered in (f"00000000-0000-4000-8000-000000000000#{sealed}", f"#{sealed}", f" #{sealed}"):
        response = V1_ROUTES["statut"](client, _v1(client, CD62), altered)
        assert (response.status_code, response.json()["codeErreur"]) == (
            401,
            "ERR_IDENTIFIANT_INVALIDE",
        ), altered
        assert "exactly as Recherche usager v1 returned it" in response.headers["x-sandbox-hint"]


def test_an_unencoded_hash_in_a_path_gets_a_hint_about_percent_23(client: TestClient) -> None:
    identifiant = _identifiant(client, CD62, S001)
    uuid_half, _, _ = identifiant.partition("#")
    # What the server receives when a client puts '#' unencoded in the URL: the uuid half only.
    response = client.get(
        f"/partenaire/diagnosticargumente/v1/individus/{uuid_half}", headers=_v1(client, CD62)
    )
    assert (response.status_code, response.json()["codeErreur"]) == (
        401,
        "ERR_IDENTIFIANT_INVALIDE",
    )
    hint = response.headers["x-sandbox-hint"]
    assert "%23" in hint
    assert "{identifiant}" in hint
    assert "ft-" not in hint


def test_identifiant_hints_name_where_it_travels(client: TestClient) -> None:
    headers = _v1(client, CD62)
    absent = client.get(
        "/partenaire/metiers-profil-competences/v1/metiers-recherches", headers=headers
    )
    assert absent.json()["codeErreur"] == "ERR_IDENTIFIANT_ABSENT"
    assert absent.headers["x-sandbox-hint"] == (
        "Send the identifiant of Recherche usager v1 in header id-national."
    )
    malformed = V1_ROUTES["statut"](client, headers, "pas-un-identifiant")
    assert malformed.json()["codeErreur"] == "ERR_IDENTIFIANT_INVALIDE"
    assert malformed.headers["x-sandbox-hint"].startswith("body field idNat is not an identifiant")
