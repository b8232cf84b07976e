"""The Suivi de parcours pages (test client): sign-in rules, CSRF, search, files, edits."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from sandbox.diagnostics.service import DiagnosticService
from sandbox.suivi.search import MAX_RESULTS
from tests.browser import ROOT

SAMPLE = ROOT / "fixtures" / "files" / "valid" / "annexe3-habilitations.csv"
ACTIVE = "nicolas.martin.1@pasdecalais.fr"
EXPIRED = "claude.pelletier.0@pasdecalais.fr"
ALICE_NIR = "290036204190175"  # persona s001-certifiee: RSA, Pas-de-Calais
EMILE_NIR = "192016211990576"  # persona r001-hors-perimetre: not RSA, Pas-de-Calais
FANNY_NIR = "288095935090696"  # persona r002-autre-departement: Nord
ADMIN = {"Authorization": "Bearer adm"}
P = "/suivi-de-parcours"


def _app(tmp_path: Path, mfa: str = "off") -> TestClient:
    clock = FrozenClock(dt.datetime(2025, 1, 15, 10, tzinfo=dt.UTC))
    settings = Settings(
        data_dir=tmp_path,
        secret_key="k",
        admin_token="adm",
        habilitations=SAMPLE,
        suivi_mfa=mfa,
    )
    return TestClient(create_app(settings, clock), follow_redirects=False)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with _app(tmp_path) as client:
        yield client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([A-Za-z0-9_-]+)"', html)
    assert found is not None
    return found.group(1)


def _account(client: TestClient, courriel: str) -> dict[str, str]:
    listed = client.get("/_sandbox/suivi-de-parcours/comptes", headers=ADMIN).json()
    account: dict[str, str] = next(a for a in listed if a["courriel"] == courriel)
    return account


def _sign_in(client: TestClient, courriel: str, password: str | None = None) -> int:
    form = client.get(f"{P}/connexion")
    password = password if password is not None else _account(client, courriel)["mot_de_passe"]
    answer = client.post(
        f"{P}/connexion",
        data={"csrf": _csrf(form.text), "courriel": courriel, "mot_de_passe": password},
    )
    return answer.status_code


def _search(client: TestClient, **criteria: str) -> str:
    page = client.get(f"{P}/recherche")
    answer = client.post(f"{P}/recherche", data={"csrf": _csrf(page.text), **criteria})
    return answer.text


def _ref(html: str) -> str:
    found = re.search(r'href="/suivi-de-parcours/usagers/([^"/]+)"', html)
    assert found is not None
    return found.group(1)


def test_the_session_cookie_is_http_only_and_strict(client: TestClient) -> None:
    form = client.get(f"{P}/connexion")
    password = _account(client, ACTIVE)["mot_de_passe"]
    answer = client.post(
        f"{P}/connexion",
        data={"csrf": _csrf(form.text), "courriel": ACTIVE, "mot_de_passe": password},
    )
    assert answer.status_code == 303 and answer.headers["location"] == f"{P}/recherche"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if "suivi_session=" in c)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")


def test_only_active_habilitations_sign_in(client: TestClient) -> None:
    assert _sign_in(client, "inconnu@pasdecalais.fr", "x") == 401
    assert _sign_in(client, ACTIVE, "mauvais") == 401
    expired = client.get(f"{P}/connexion")
    answer = client.post(
        f"{P}/connexion",
        data={
            "csrf": _csrf(expired.text),
            "courriel": EXPIRED,
            "mot_de_passe": _account(client, EXPIRED)["mot_de_passe"],
        },
    )
    assert answer.status_code == 403 and "a pris fin" in answer.text
    client.delete(f"/_sandbox/suivi-de-parcours/comptes/{ACTIVE}", headers=ADMIN)
    assert _sign_in(client, ACTIVE) == 403


def test_a_revocation_ends_an_open_session(client: TestClient) -> None:
    assert _sign_in(client, ACTIVE) == 303
    assert client.get(f"{P}/recherche").status_code == 200
    client.delete(f"/_sandbox/suivi-de-parcours/comptes/{ACTIVE}", headers=ADMIN)
    assert client.get(f"{P}/recherche").headers["location"] == f"{P}/connexion"


def test_a_post_without_the_anti_forgery_token_is_refused(client: TestClient) -> None:
    client.get(f"{P}/connexion")
    password = _account(client, ACTIVE)["mot_de_passe"]
    refused = client.post(f"{P}/connexion", data={"courriel": ACTIVE, "mot_de_passe": password})
    assert refused.status_code == 400
    assert _sign_in(client, ACTIVE) == 303
    forged = client.post(f"{P}/recherche", data={"csrf": "0" * 64, "nir": ALICE_NIR})
    assert forged.status_code == 400 and "FICTIVE" not in forged.text


def test_a_forged_session_cookie_opens_nothing(client: TestClient) -> None:
    client.cookies.set("suivi_session", "AAAA" * 20, path=P)
    assert client.get(f"{P}/recherche").headers["location"] == f"{P}/connexion"


def test_mfa_required_refuses_a_wrong_code(tmp_path: Path) -> None:
    with _app(tmp_path, "required") as client:
        assert _sign_in(client, ACTIVE) == 303
        assert client.get(f"{P}/recherche").status_code == 303  # the code is still due
        page = client.get(f"{P}/connexion/code")
        assert "sans_code" not in page.text
        wrong = client.post(
            f"{P}/connexion/code", data={"csrf": _csrf(page.text), "code": "000000"}
        )
        skipped = client.post(
            f"{P}/connexion/code", data={"csrf": _csrf(page.text), "sans_code": "1"}
        )
        assert wrong.status_code == 401 and skipped.status_code == 401
        secret = _account(client, ACTIVE)["totp_secret"]
        code = pyotp.TOTP(secret).at(dt.datetime(2025, 1, 15, 10, tzinfo=dt.UTC))
        right = client.post(f"{P}/connexion/code", data={"csrf": _csrf(page.text), "code": code})
        assert right.status_code == 303
        assert client.get(f"{P}/recherche").status_code == 200


def test_search_lists_the_departement_and_masks_the_nir(client: TestClient) -> None:
    _sign_in(client, ACTIVE)
    html = _search(client, nir=ALICE_NIR)
    assert "Alice" in html and ALICE_NIR[:7] in html and ALICE_NIR[:8] not in html
    by_name = _search(client, nom="fictive", prenom="ALICE")
    assert "Alice" in by_name and ALICE_NIR[:8] not in by_name
    by_id = _search(client, identifiant="90000000101")
    assert "Alice" in by_id
    many = _search(client, nom="Fictif")
    assert many.count("/suivi-de-parcours/usagers/") <= MAX_RESULTS
    assert "13 ou 15 caractères" in _search(client, nir="12345")


def test_access_is_national_for_rsa_beneficiaries(client: TestClient) -> None:
    # Annexe 3 §1.2: "un accès national aux individus allocataires du RSA" — a Pas-de-Calais
    # professional finds and opens an RSA beneficiary of the Nord.
    _sign_in(client, ACTIVE)
    html = _search(client, nir=FANNY_NIR)
    assert FANNY_NIR[:7] in html and FANNY_NIR[:8] not in html
    opened = client.get(f"{P}/usagers/{_ref(html)}")
    assert opened.status_code == 200, opened.text


def test_a_non_rsa_person_is_listed_but_refused(client: TestClient) -> None:
    _sign_in(client, ACTIVE)
    html = _search(client, nir=EMILE_NIR)
    assert "Emile" in html
    refused = client.get(f"{P}/usagers/{_ref(html)}")
    assert refused.status_code == 403
    assert "Dossier non consultable : la personne n&#39;est pas allocataire du RSA" in refused.text


def test_a_reference_is_opaque_and_for_one_client(client: TestClient) -> None:
    _sign_in(client, ACTIVE)
    ref = _ref(_search(client, nir=ALICE_NIR))
    assert ALICE_NIR[:7] not in ref
    assert client.get(f"{P}/usagers/{ref[:-2]}xx").status_code == 404


def test_every_page_opens_and_is_audited(client: TestClient) -> None:
    _sign_in(client, ACTIVE)
    ref = _ref(_search(client, nir=ALICE_NIR))
    sections = ["", "/informations", "/profil", "/diagnostic", "/echanges", "/demarches"]
    for section in [*sections, "/rendez-vous"]:
        answer = client.get(f"{P}/usagers/{ref}{section}")
        assert answer.status_code == 200, section
        assert ALICE_NIR[:8] not in answer.text
        assert not re.search(r"[0-9]{15}", answer.text), section
    trail = client.get("/_sandbox/suivi-de-parcours/audit", headers=ADMIN).json()
    assert [e["detail"] for e in trail] == [
        "L'essentiel",
        "Informations personnelles et situation",
        "Profil de compétences et CV",
        "Diagnostic et actions",
        "Échanges et contacts",
        "Démarches",
        "Rendez-vous",
    ]
    assert {e["nir"] for e in trail} == {ALICE_NIR[:7] + "*" * 8}
    assert {e["courriel"] for e in trail} == {ACTIVE}


def test_edits_are_checkboxes_written_for_the_account_client(client: TestClient) -> None:
    _sign_in(client, ACTIVE)
    ref = _ref(_search(client, nir=ALICE_NIR))
    form = client.get(f"{P}/usagers/{ref}/diagnostic/modifier")
    assert not re.search(r'<input(?![^>]*type="(checkbox|hidden)")', form.text)
    assert "<textarea" not in form.text and "contenteditable" not in form.text
    answer = client.post(
        f"{P}/usagers/{ref}/diagnostic/modifier",
        data={"csrf": _csrf(form.text), "contrainte": ["23", "24"]},
    )
    assert answer.status_code == 303
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    alice = runtime.population.find_by_nir(ALICE_NIR[:13])[0]
    service = DiagnosticService(
        runtime.store, runtime.settings.seed, runtime.population.epoch, runtime.clock
    )
    dossier = service.dossier("PAR_ftsandbox_cd62", alice)
    assert dossier.contraintes is not None
    assert {c for c, i in dossier.contraintes.items.items() if i.valeur.value == "OUI"} >= {
        "23",
        "24",
    }
    forged = client.post(
        f"{P}/usagers/{ref}/diagnostic/modifier",
        data={"csrf": _csrf(form.text), "contrainte": "99"},
    )
    assert forged.status_code == 400
    trail = client.get("/_sandbox/suivi-de-parcours/audit", headers=ADMIN).json()
    edits = [e for e in trail if e["action"] == "modification"]
    assert len(edits) == 1 and "contrainte 23 → OUI" in edits[0]["detail"]


def test_the_profile_form_writes_the_pouvoir_d_agir(client: TestClient) -> None:
    _sign_in(client, ACTIVE)
    ref = _ref(_search(client, nir=ALICE_NIR))
    form = client.get(f"{P}/usagers/{ref}/profil/modifier")
    assert not re.search(r'<input(?![^>]*type="(checkbox|hidden)")', form.text)
    client.post(
        f"{P}/usagers/{ref}/profil/modifier", data={"csrf": _csrf(form.text), "confiance": "oui"}
    )
    page = client.get(f"{P}/usagers/{ref}/profil")
    assert re.search(r"<dt>Confiance</dt><dd>OUI</dd>.*<dd>NON</dd>", page.text)


def test_mfa_optional_asks_the_code_and_lets_the_professional_go_on_without(
    tmp_path: Path,
) -> None:
    with _app(tmp_path, "optional") as client:
        assert _sign_in(client, ACTIVE) == 303
        page = client.get(f"{P}/connexion/code")
        assert 'name="sans_code"' in page.text
        wrong = client.post(f"{P}/connexion/code", data={"csrf": _csrf(page.text), "code": "1"})
        assert wrong.status_code == 401
        skipped = client.post(
            f"{P}/connexion/code", data={"csrf": _csrf(page.text), "sans_code": "1"}
        )
        assert skipped.headers["location"] == f"{P}/recherche"
        assert client.get(f"{P}/recherche").status_code == 200


def test_a_habilitation_not_yet_started_is_refused(tmp_path: Path) -> None:
    with _app(tmp_path) as client:
        clock = client.app.state.runtime.clock  # type: ignore[attr-defined]
        clock.set(dt.datetime(2024, 3, 1, tzinfo=dt.UTC))  # Alexandrie Millet: from 10/09/2024
        form = client.get(f"{P}/connexion")
        courriel = "alexandrie.millet.2@pasdecalais.fr"
        answer = client.post(
            f"{P}/connexion",
            data={
                "csrf": _csrf(form.text),
                "courriel": courriel,
                "mot_de_passe": _account(client, courriel)["mot_de_passe"],
            },
        )
        assert answer.status_code == 403 and "ne commence pas encore" in answer.text


def test_signing_out_ends_the_session(client: TestClient) -> None:
    _sign_in(client, ACTIVE)
    page = client.get(f"{P}/recherche")
    assert client.post(f"{P}/deconnexion", data={"csrf": "x"}).status_code == 400
    out = client.post(f"{P}/deconnexion", data={"csrf": _csrf(page.text)})
    assert out.headers["location"] == f"{P}/connexion"
    assert client.get(f"{P}/recherche").headers["location"] == f"{P}/connexion"


def test_the_pages_are_no_oauth_client_exchange(client: TestClient) -> None:
    _sign_in(client, ACTIVE)
    client.get(f"{P}/usagers/{_ref(_search(client, nir=ALICE_NIR))}")
    # Nothing in any client's journal: a professional's pages are not API calls.
    assert client.get("/_sandbox/counters", headers=ADMIN).json() == {}
