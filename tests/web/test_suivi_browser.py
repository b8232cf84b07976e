"""The Suivi de parcours tool in a real browser (Chromium) against a real server.

One server with the sample habilitation file (FT_SANDBOX_HABILITATIONS) and the second factor
required; the tests walk what a professional does and check the rules of Annexe 3: habilitation
dates, the second factor, RSA beneficiaries only, no free text, the NIR cut to 7 characters on
every page, the audit trail, and one diagnostic shared with Diagnostic argumenté v4 and v1.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pyotp
import pytest

from sandbox.jetons import PersonReferences
from tests.browser import ROOT, artefacts_dir, axe_violations, chromium, click_and_wait
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT
from tests.servers import free_port, running

SAMPLE = ROOT / "fixtures" / "files" / "valid" / "annexe3-habilitations.csv"
SECRET = "browser-suivi"
ADMIN = "admin-suivi"
ACTIVE = "nicolas.martin.1@pasdecalais.fr"  # sample: from 18/02/2024, no end
EXPIRED = "claude.pelletier.0@pasdecalais.fr"  # sample: until 02/12/2024
ALICE = ("p-s001-certifiee", "290036204190175")  # RSA, Pas-de-Calais
EMILE = ("p-r001-hors-perimetre", "192016211990576")  # not RSA, Pas-de-Calais
V4 = "/partenaire/diagnosticargumente/v4"
V1 = "/partenaire/diagnosticargumente/v1/individus"
P = "/suivi-de-parcours"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("suivi")
    port = free_port()
    env = {
        "FT_SANDBOX_DATA_DIR": str(data),
        "FT_SANDBOX_SECRET_KEY": SECRET,
        "FT_SANDBOX_ADMIN_TOKEN": ADMIN,
        "FT_SANDBOX_HABILITATIONS": str(SAMPLE),
        "FT_SANDBOX_SUIVI_MFA": "required",
    }
    args = ["-m", "sandbox", "serve", "--port", str(port)]
    with running(args, data / "server.log", env, port) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def personas_nirs() -> list[str]:
    from sandbox.population.personas import load_personas
    from sandbox.resources import fixtures_dir

    people, _ = load_personas(fixtures_dir(None) / "personas")
    return [person.nir for person in people]


def _admin(base: str, path: str) -> Any:
    answer = httpx.get(
        f"{base}/_sandbox/suivi-de-parcours{path}", headers={"Authorization": f"Bearer {ADMIN}"}
    )
    answer.raise_for_status()
    return answer.json()


def _account(base: str, courriel: str) -> dict[str, str]:
    account: dict[str, str] = next(a for a in _admin(base, "/comptes") if a["courriel"] == courriel)
    return account


def _by_id(driver: Any, element_id: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id)


def _submit(driver: Any, selector: str = "main form button[type=submit]") -> None:
    """Submit a form and wait for the next page (a click returns before it loads)."""
    from selenium.webdriver.common.by import By

    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, selector))


def _shot(driver: Any, name: str) -> None:
    driver.save_screenshot(str(artefacts_dir() / f"suivi-{name}.png"))


def _no_long_nir(driver: Any, nirs: list[str]) -> None:
    html = driver.page_source
    assert not re.search(r"(?<![0-9])[0-9]{15}(?![0-9])", html), driver.current_url
    for nir in nirs:
        assert nir[:8] not in html, (driver.current_url, nir[:7])


def _password_step(driver: Any, base: str, courriel: str, password: str) -> None:
    driver.delete_all_cookies()
    driver.get(f"{base}{P}/connexion")
    _by_id(driver, "courriel").send_keys(courriel)
    _by_id(driver, "mot_de_passe").send_keys(password)
    _submit(driver)


def _sign_in(driver: Any, base: str) -> None:
    account = _account(base, ACTIVE)
    _password_step(driver, base, ACTIVE, account["mot_de_passe"])
    _by_id(driver, "code").send_keys(pyotp.TOTP(account["totp_secret"]).now())
    _submit(driver)
    assert driver.current_url.endswith(f"{P}/recherche")


def _search_nir(driver: Any, base: str, nir: str) -> None:
    driver.get(f"{base}{P}/recherche")
    _by_id(driver, "nir").send_keys(nir)
    _submit(driver)


def _first_result(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    links = driver.find_elements(By.CSS_SELECTOR, "#resultats + table a")
    assert links, driver.find_element(By.TAG_NAME, "main").text
    link = links[0]
    href: str = link.get_attribute("href")
    return href


def test_non_habilitated_and_expired_accounts_cannot_sign_in(base: str, browser: Any) -> None:
    _password_step(browser, base, "inconnu@pasdecalais.fr", "nimportequoi")
    assert "personne non habilitée" in _by_id(browser, "erreur").text
    expired = _account(base, EXPIRED)
    assert expired["etat"] == "expired"
    _password_step(browser, base, EXPIRED, expired["mot_de_passe"])
    assert "a pris fin" in _by_id(browser, "erreur").text
    browser.get(f"{base}{P}/recherche")
    assert browser.current_url.endswith(f"{P}/connexion")


def test_with_mfa_required_a_wrong_code_is_refused_and_the_right_one_passes(
    base: str, browser: Any
) -> None:
    account = _account(base, ACTIVE)
    _password_step(browser, base, ACTIVE, account["mot_de_passe"])
    assert browser.current_url.endswith(f"{P}/connexion/code")
    right = pyotp.TOTP(account["totp_secret"]).now()
    _by_id(browser, "code").send_keys("000000" if right != "000000" else "111111")
    _submit(browser)
    assert "Code incorrect" in _by_id(browser, "erreur").text
    browser.get(f"{base}{P}/recherche")
    assert browser.current_url.endswith(f"{P}/connexion")  # no page before the code
    browser.get(f"{base}{P}/connexion/code")
    _by_id(browser, "code").send_keys(pyotp.TOTP(account["totp_secret"]).now())
    _submit(browser)
    assert browser.current_url.endswith(f"{P}/recherche")


def test_the_pages_walked_show_no_nir_beyond_7_characters_and_are_audited(
    base: str, browser: Any, personas_nirs: list[str]
) -> None:
    from selenium.webdriver.common.by import By

    before = len(_admin(base, "/audit"))
    _sign_in(browser, base)
    _no_long_nir(browser, personas_nirs)
    _search_nir(browser, base, EMILE[1])
    assert "Emile" in browser.page_source
    browser.get(_first_result(browser))
    assert (
        "Dossier non consultable : la personne n'est pas allocataire du RSA"
        in browser.find_element(By.TAG_NAME, "main").text
    )
    _no_long_nir(browser, personas_nirs)

    _search_nir(browser, base, ALICE[1])
    _no_long_nir(browser, personas_nirs)
    essentiel = _first_result(browser)
    browser.get(essentiel)
    assert ALICE[1][:7] in browser.find_element(By.TAG_NAME, "main").text
    links = [
        a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "nav.onglets a")
    ]
    assert len(links) == 7
    for link in links:
        browser.get(link)
        _no_long_nir(browser, personas_nirs)
    for which in ("diagnostic", "profil"):
        browser.get(f"{essentiel}/{which}/modifier")
        _no_long_nir(browser, personas_nirs)
        _submit(browser)  # posted unchanged: an edit that changes nothing, still traced
        _no_long_nir(browser, personas_nirs)
    trail = _admin(base, "/audit")[before:]
    details = [(e["action"], e["detail"]) for e in trail]
    assert (
        "consultation",
        "L'essentiel : refusé (Dossier non consultable : la personne n'est pas allocataire du RSA)",
    ) in details
    for title in (
        "L'essentiel",
        "Informations personnelles et situation",
        "Profil de compétences et CV",
        "Diagnostic et actions",
        "Échanges et contacts",
        "Démarches",
        "Rendez-vous",
        "Diagnostic et actions (modification)",
        "Profil de compétences et CV (modification)",
    ):
        assert ("consultation", title) in details, title
    assert ("modification", "Diagnostic et actions : aucun changement") in details
    assert {e["nir"] for e in trail} == {ALICE[1][:7] + "*" * 8, EMILE[1][:7] + "*" * 8}
    assert {e["courriel"] for e in trail} == {ACTIVE}


def test_every_edit_form_has_checkboxes_only(base: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    _sign_in(browser, base)
    _search_nir(browser, base, ALICE[1])
    essentiel = _first_result(browser)
    for which in ("diagnostic", "profil"):
        browser.get(f"{essentiel}/{which}/modifier")
        forms = browser.find_elements(By.CSS_SELECTOR, "main form")
        assert forms
        for form in forms:
            kinds = {i.get_attribute("type") for i in form.find_elements(By.TAG_NAME, "input")}
            assert kinds <= {"checkbox", "hidden"}, (which, kinds)
            assert "checkbox" in kinds
            assert not form.find_elements(By.CSS_SELECTOR, "textarea, select, [contenteditable]")
        assert not browser.find_elements(By.CSS_SELECTOR, "textarea, [contenteditable]")


def _api_headers(base: str, person_key: str) -> tuple[dict[str, str], dict[str, str]]:
    def token(realm: str, scope: str) -> str:
        answer = httpx.post(
            f"{base}/connexion/oauth2/access_token",
            params={"realm": realm},
            data={
                "grant_type": "client_credentials",
                "client_id": DEFAULT_CLIENT[0],
                "client_secret": DEFAULT_CLIENT[1],
                "scope": scope,
            },
        )
        answer.raise_for_status()
        value: str = answer.json()["access_token"]
        return value

    references = PersonReferences(SECRET.encode())
    jeton = references.issue_jeton(person_key, DEFAULT_CLIENT[0], int(time.time() * 1000))
    v4_token = token("/agent", "api_diagnosticargumentev4 diagnosticusageragent")
    v4 = {
        "Authorization": f"Bearer {v4_token}",
        **AGENT_HEADERS,
        "ft-jeton-usager": jeton,
    }
    v1 = {"Authorization": f"Bearer {token('/partenaire', 'api_diagnosticargumentev1')}"}
    return v4, v1


def test_a_diagnostic_edited_in_the_page_reads_back_through_v4_and_v1(
    base: str, browser: Any
) -> None:
    from selenium.webdriver.common.by import By

    _sign_in(browser, base)
    _search_nir(browser, base, ALICE[1])
    essentiel = _first_result(browser)
    browser.get(f"{essentiel}/diagnostic/modifier")
    box = _by_id(browser, "contrainte-25")
    if box.is_selected():
        box.click()
        _submit(browser)
        box = _by_id(browser, "contrainte-25")
    box.click()
    _submit(browser)
    assert "Modifications enregistrées" in browser.page_source
    assert _by_id(browser, "contrainte-25").is_selected()

    v4, v1 = _api_headers(base, ALICE[0])
    read = httpx.get(f"{base}{V4}/contraintes", headers=v4)
    assert read.status_code == 200, read.text
    contrainte = next(c for c in read.json()["contraintes"] if c["code"] == "25")
    assert contrainte["valeur"] == "OUI"
    identifiant = quote(PersonReferences(SECRET.encode()).identifiant(ALICE[0]), safe="")
    legacy = httpx.get(f"{base}{V1}/{identifiant}/contraintes", headers=v1)
    assert legacy.status_code == 200, legacy.text
    assert next(c for c in legacy.json()["contraintes"] if c["id"] == 25)["valeur"] == "OUI"
    edits = [e for e in _admin(base, "/audit") if e["action"] == "modification"]
    assert "contrainte 25 → OUI" in edits[-1]["detail"]

    # And the other way round: an API write shows in the page.
    written = httpx.post(
        f"{base}{V4}/contraintes",
        headers=v4,
        json={
            "dateExploration": "2026-11-27T10:00:00.000+01:00",
            "contraintesAEnregistrer": [{"code": "26", "valeur": "OUI", "impact": "FORT"}],
        },
    )
    assert written.status_code == 200, written.text
    browser.get(f"{essentiel}/diagnostic/modifier")
    assert _by_id(browser, "contrainte-26").is_selected()
    assert browser.find_elements(By.CSS_SELECTOR, "#contrainte-25:checked")


def test_main_pages_have_no_serious_accessibility_violation(base: str, browser: Any) -> None:
    browser.delete_all_cookies()
    browser.get(f"{base}{P}/connexion")
    pages = {"connexion": axe_violations(browser)}
    _shot(browser, "connexion")
    _sign_in(browser, base)
    _search_nir(browser, base, ALICE[1])
    pages["recherche"] = axe_violations(browser)
    _shot(browser, "recherche")
    essentiel = _first_result(browser)
    browser.get(essentiel)
    pages["essentiel"] = axe_violations(browser)
    _shot(browser, "essentiel")
    browser.get(f"{essentiel}/diagnostic/modifier")
    pages["modifier-diagnostic"] = axe_violations(browser)
    _shot(browser, "modifier-diagnostic")
    assert pages == {name: [] for name in pages}
