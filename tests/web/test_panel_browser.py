"""The control panel in Chromium against a real server (issue 13, "Done when").

A recette team signs in with the admin token, gives a client the ``outage`` profile in the
page, and the next API call of that client gets 503 while the journal page (polling through
``static/panel.js``) shows that call within 2 s. The clock moves from the page, reset wipes a
client, a dropped file's report shows; axe-core finds no serious or critical violation on the
main pages. Screenshots are kept in ``artefacts_dir()``.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser import artefacts_dir, axe_violations, chromium, click_and_wait
from tests.conftest import AGENT_HEADERS, AGENT_SCOPES, DEFAULT_CLIENT
from tests.servers import free_port, running

CLIENT, SECRET = DEFAULT_CLIENT
CONTRAT = "/partenaire/contrat-usager/v2/contrat"
UI = "/_sandbox/ui"


class Served:
    """A running sandbox: its base URL and admin token."""

    def __init__(self, base: str, admin_token: str) -> None:
        self.base = base
        self.admin = {"Authorization": f"Bearer {admin_token}"}
        self.admin_token = admin_token

    def get(self, path: str) -> Any:
        """A control-plane read (admin bearer), as JSON."""
        answer = httpx.get(f"{self.base}{path}", headers=self.admin, timeout=5)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def token(self, realm: str = "/agent", scope: str = AGENT_SCOPES) -> str:
        """An access token of the default client."""
        answer = httpx.post(
            f"{self.base}/connexion/oauth2/access_token",
            params={"realm": realm},
            data={
                "grant_type": "client_credentials",
                "client_id": CLIENT,
                "client_secret": SECRET,
                "scope": scope,
            },
            timeout=5,
        )
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["access_token"]
        return token


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("panel")
    admin_token = secrets.token_hex(32)
    port = free_port()
    env = {
        "FT_SANDBOX_DATA_DIR": str(root / "data"),
        "FT_SANDBOX_ADMIN_TOKEN": admin_token,
        "FT_SANDBOX_SECRET_KEY": "panel-browser",
    }
    with running(
        ["-m", "sandbox", "serve", "--port", str(port)], root / "serve.log", env, port
    ) as base:
        yield Served(base, admin_token)


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def _by() -> Any:
    from selenium.webdriver.common.by import By

    return By


def sign_in(driver: Any, served: Served, token: str | None = None) -> None:
    """Type the token in the sign-in page's password field and submit, from a fresh browser."""
    By = _by()
    driver.delete_all_cookies()
    driver.get(f"{served.base}{UI}")
    assert driver.current_url == f"{served.base}{UI}/connexion"
    field = driver.find_element(By.ID, "jeton")
    assert field.get_attribute("type") == "password"
    field.send_keys(token or served.admin_token)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main button[type=submit]"))


def shot(driver: Any, name: str) -> None:
    driver.save_screenshot(str(artefacts_dir() / f"panel-{name}.png"))


def test_a_wrong_admin_token_is_refused(driver: Any, served: Served) -> None:
    By = _by()
    sign_in(driver, served, "not-the-admin-token")
    assert driver.current_url == f"{served.base}{UI}/connexion"
    assert (
        "Jeton d'administration incorrect"
        in driver.find_element(By.CSS_SELECTOR, "[role=alert]").text
    )
    shot(driver, "connexion-refusee")
    driver.get(f"{served.base}{UI}/horloge")
    assert driver.current_url == f"{served.base}{UI}/connexion"


def test_an_outage_set_in_the_page_answers_503_and_the_journal_shows_it_within_2s(
    driver: Any, served: Served
) -> None:
    from selenium.webdriver.support.ui import Select

    By = _by()
    sign_in(driver, served)
    assert driver.current_url == f"{served.base}{UI}"
    row = driver.find_element(By.ID, f"client-{CLIENT}")
    Select(row.find_element(By.TAG_NAME, "select")).select_by_value("outage")
    click_and_wait(driver, row.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Profil de pannes modifié" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert served.get("/_sandbox/faults")["clients"] == {CLIENT: "outage"}

    driver.get(f"{served.base}{UI}/journal/{CLIENT}")
    token = served.token()  # the token endpoint still answers under `outage`
    answer = httpx.get(
        f"{served.base}{CONTRAT}",
        headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS},
        timeout=5,
    )
    assert answer.status_code == 503
    called = time.monotonic()
    shown: list[str] = []
    while time.monotonic() - called < 2.0:
        shown = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#journal tbody tr")]
        if any(CONTRAT in text and " 503 " in f" {text} " for text in shown):
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the 503 call did not show within 2 s: {shown}")
    shot(driver, "journal")
    # The profile back to the default, in the page too.
    driver.get(f"{served.base}{UI}")
    row = driver.find_element(By.ID, f"client-{CLIENT}")
    Select(row.find_element(By.TAG_NAME, "select")).select_by_value("")
    click_and_wait(driver, row.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert served.get("/_sandbox/faults")["clients"] == {}


def test_freeze_and_advance_in_the_page_move_the_control_planes_clock(
    driver: Any, served: Served
) -> None:
    By = _by()
    sign_in(driver, served)
    driver.get(f"{served.base}{UI}/horloge")
    click_and_wait(
        driver, driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Figer')]")
    )
    frozen = served.get("/_sandbox/clock")
    assert frozen["frozen"] is True
    assert driver.find_element(By.ID, "figee").text == "oui"
    driver.find_element(By.ID, "secondes").send_keys("86400")
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='Avancer']"))
    moved = served.get("/_sandbox/clock")
    step = dt.datetime.fromisoformat(moved["now"]) - dt.datetime.fromisoformat(frozen["now"])
    assert step == dt.timedelta(days=1)
    shown = dt.datetime.fromisoformat(driver.find_element(By.ID, "maintenant").text)
    assert shown == dt.datetime.fromisoformat(moved["now"])
    shot(driver, "horloge")
    click_and_wait(
        driver, driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Libérer')]")
    )
    assert served.get("/_sandbox/clock")["frozen"] is False


def test_reset_in_the_page_wipes_the_clients_counters(driver: Any, served: Served) -> None:
    By = _by()
    served.token()
    assert served.get("/_sandbox/counters")[CLIENT]["calls"] >= 1
    sign_in(driver, served)
    row = driver.find_element(By.ID, f"client-{CLIENT}")
    click_and_wait(driver, row.find_element(By.PARTIAL_LINK_TEXT, "Remettre à zéro"))
    assert driver.current_url.endswith(f"/clients/{CLIENT}/remise-a-zero")
    shot(driver, "remise-a-zero")
    click_and_wait(
        driver, driver.find_element(By.XPATH, "//button[text()='Confirmer la remise à zéro']")
    )
    assert "Client remis à zéro" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert CLIENT not in served.get("/_sandbox/counters")


def _drop(served: Served) -> dict[str, Any]:
    token = served.token("/partenaire", "api_rechercher-usagerv1")
    answer = httpx.post(
        f"{served.base}/depot-fichiers/v1/depots",
        content=b"NOM;PRENOM\nDUPONT;Jeanne\n",
        params={"nom": "inscriptions.csv", "type": "annexe1-inscription"},
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    detail = httpx.get(
        f"{served.base}/depot-fichiers/v1/depots/{answer.json()['id']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    dropped: dict[str, Any] = detail.json()
    return dropped


def test_a_dropped_files_report_shows(driver: Any, served: Served) -> None:
    By = _by()
    dropped = _drop(served)
    sign_in(driver, served)
    click_and_wait(
        driver,
        driver.find_element(By.ID, f"client-{CLIENT}").find_element(By.PARTIAL_LINK_TEXT, "Dépôts"),
    )
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "inscriptions.csv"))
    rules = [
        c.text for c in driver.find_elements(By.CSS_SELECTOR, "#constats tbody td:first-child")
    ]
    assert rules == [f["rule"] for f in dropped["rapport"]["findings"]]
    shot(driver, "rapport")


def test_the_main_pages_have_no_serious_accessibility_violation(
    driver: Any, served: Served
) -> None:
    served.token()
    _drop(served)
    driver.delete_all_cookies()
    driver.get(f"{served.base}{UI}/connexion")
    violations: dict[str, list[Any]] = {"connexion": axe_violations(driver)}
    sign_in(driver, served)
    upload = httpx.get(
        f"{served.base}/depot-fichiers/v1/depots",
        headers={
            "Authorization": f"Bearer {served.token('/partenaire', 'api_rechercher-usagerv1')}"
        },
        timeout=5,
    ).json()
    first = upload["depots"][0]["id"]
    pages = {
        "clients": "",
        "horloge-et-indisponibilites": "/horloge",
        "journal-client": f"/journal/{CLIENT}",
        "depots": f"/depot/{CLIENT}",
        "rapport-depot": f"/depot/{CLIENT}/{first}",
        "rapports-conformite": f"/conformite/{CLIENT}",
        "confirmation-remise": f"/clients/{CLIENT}/remise-a-zero",
    }
    for name, path in pages.items():
        driver.get(f"{served.base}{UI}{path}")
        violations[name] = axe_violations(driver)
        shot(driver, name)
    assert {name: found for name, found in violations.items() if found} == {}


def _journal_rows(driver: Any) -> list[str]:
    """The journal table's rows as text, read in one script (the page may redraw meanwhile)."""
    rows: list[str] = driver.execute_script(
        "return Array.from(document.querySelectorAll('#journal tbody tr'))"
        ".map(r => r.innerText.replace(/\\s+/g, ' ').trim());"
    )
    return rows


def test_an_open_journal_page_starts_again_after_a_reset(driver: Any, served: Served) -> None:
    for _ in range(4):
        served.token()
    sign_in(driver, served)
    driver.get(f"{served.base}{UI}/journal/{CLIENT}")
    assert len(_journal_rows(driver)) >= 4
    answer = httpx.post(
        f"{served.base}/_sandbox/reset", json={"client_id": CLIENT}, headers=served.admin, timeout=5
    )
    assert answer.status_code == 200, answer.text
    served.token()  # call 1 of the new journal, below the page's last number
    called = time.monotonic()
    shown: list[str] = []
    while time.monotonic() - called < 2.0:
        shown = _journal_rows(driver)
        if len(shown) == 1 and shown[0].startswith("1 ") and "access_token" in shown[0]:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the first call after the reset did not show alone within 2 s: {shown}")
    shot(driver, "journal-apres-remise")


def test_a_published_campaign_is_listed_and_its_pv_opens_without_its_scripts(
    driver: Any, served: Served
) -> None:
    from tests.web.test_reports import body, campaign

    By = _by()
    sent = body(campaign())
    # Stored HTML is what a caller sent: a script in it must not run when the PV opens.
    sent["html"] = sent["html"].replace(
        "</body>", "<script>document.body.dataset.execute = 'oui';</script></body>"
    )
    answer = httpx.post(
        f"{served.base}/_sandbox/reports/{CLIENT}", json=sent, headers=served.admin, timeout=10
    )
    assert answer.status_code == 201, answer.text
    kept = answer.json()
    sign_in(driver, served)
    row = driver.find_element(By.ID, f"client-{CLIENT}")
    click_and_wait(driver, row.find_element(By.PARTIAL_LINK_TEXT, "Rapports de conformité"))
    listed = driver.find_element(By.ID, f"campagne-{kept['id']}")
    cells = [c.text for c in listed.find_elements(By.TAG_NAME, "td")]
    assert cells[1:6] == ["non conforme", "1 sur 2", "4", "1", "1"]
    shot(driver, "conformite")
    click_and_wait(driver, listed.find_element(By.PARTIAL_LINK_TEXT, "Ouvrir le procès-verbal"))
    assert driver.current_url == f"{served.base}{UI}/conformite/{CLIENT}/{kept['id']}"
    assert "Procès-verbal de recette" in driver.find_element(By.TAG_NAME, "h1").text
    assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-execute") is None
    shot(driver, "proces-verbal")
