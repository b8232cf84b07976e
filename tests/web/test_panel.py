"""The control panel through the test client: sign-in, sessions, CSRF, actions, journal paging.

What a recette team relies on (README "Control panel"): nothing of ``/_sandbox/ui`` opens
without the admin token; a form posted without the page's CSRF token changes nothing; each
action has the effect of the control-plane route it stands for; the live journal's JSON pages
forward with ``since``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.admin.panel import router as panel_router
from tests.conftest import DEFAULT_CLIENT, request_token
from tests.filedrop.builders import annexe1, person

ADMIN_TOKEN = "panel-admin-token"
UI = "/_sandbox/ui"
CLIENT = DEFAULT_CLIENT[0]
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def panel_app(tmp_path: Path) -> FastAPI:
    """An instance with a controllable clock (the default) and a known admin token."""
    return create_app(Settings(data_dir=tmp_path, secret_key="panel", admin_token=ADMIN_TOKEN))


@pytest.fixture
def browser(panel_app: FastAPI) -> Iterator[TestClient]:
    """A client without a session."""
    with TestClient(panel_app) as client:
        yield client


def csrf_of(client: TestClient, path: str) -> str:
    """The CSRF token of the forms of a page."""
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    found = CSRF.search(answer.text)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, token: str = ADMIN_TOKEN) -> TestClient:
    """Sign in through the form, as a person would."""
    csrf = csrf_of(client, f"{UI}/connexion")
    answer = client.post(
        f"{UI}/connexion", data={"csrf": csrf, "jeton": token}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == UI, answer.text
    return client


@pytest.fixture
def admin(browser: TestClient) -> TestClient:
    """A client signed in to the panel."""
    return sign_in(browser)


def _ui_routes() -> list[APIRoute]:
    return [
        r
        for r in panel_router.routes
        if isinstance(r, APIRoute) and r.path.startswith(UI) and r.path != f"{UI}/connexion"
    ]


def _concrete(path: str) -> str:
    return (
        path.replace("{client_id}", CLIENT).replace("{upload_id}", "d1").replace("{report_id}", "1")
    )


def test_every_panel_route_needs_a_session(browser: TestClient) -> None:
    routes = _ui_routes()
    # Clients, profile, reset (page and action), clock (page and action), outages (schedule,
    # clear), journal (page and JSON), drop, report, conformance reports (list, PV), sign-out.
    assert len(routes) == 15
    for route in routes:
        for method in route.methods or ():
            answer = browser.request(method, _concrete(route.path), follow_redirects=False)
            if route.path.endswith(".json"):
                assert answer.status_code == 401, route.path
            else:
                assert answer.status_code == 303, (method, route.path)
                assert answer.headers["location"] == f"{UI}/connexion"


def test_the_ui_routes_are_not_in_the_exported_contract(browser: TestClient) -> None:
    assert not [p for p in browser.get("/openapi.json").json()["paths"] if p.startswith(UI)]


def test_a_wrong_admin_token_is_refused(browser: TestClient) -> None:
    csrf = csrf_of(browser, f"{UI}/connexion")
    answer = browser.post(f"{UI}/connexion", data={"csrf": csrf, "jeton": "not-the-token"})
    assert answer.status_code == 401
    assert "Jeton d'administration incorrect" in html.unescape(answer.text)
    assert browser.get(UI, follow_redirects=False).status_code == 303


def test_a_partner_secret_is_not_an_admin_token(browser: TestClient) -> None:
    csrf = csrf_of(browser, f"{UI}/connexion")
    answer = browser.post(f"{UI}/connexion", data={"csrf": csrf, "jeton": DEFAULT_CLIENT[1]})
    assert answer.status_code == 401


def test_the_session_cookie_is_httponly_strict_and_scoped(browser: TestClient) -> None:
    csrf = csrf_of(browser, f"{UI}/connexion")
    answer = browser.post(
        f"{UI}/connexion", data={"csrf": csrf, "jeton": ADMIN_TOKEN}, follow_redirects=False
    )
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/_sandbox/ui" in cookie
    assert ADMIN_TOKEN not in answer.headers["set-cookie"]


def test_an_altered_session_cookie_opens_nothing(admin: TestClient) -> None:
    sealed = admin.cookies["ft_sandbox_panel"]
    flipped = ("A" if sealed[10] != "A" else "B").join((sealed[:10], sealed[11:]))
    admin.cookies.clear()
    admin.cookies.set("ft_sandbox_panel", flipped)
    assert admin.get(UI, follow_redirects=False).status_code == 303


def test_a_cookie_of_another_instance_opens_nothing(admin: TestClient, tmp_path: Path) -> None:
    other = create_app(
        Settings(data_dir=tmp_path / "autre", secret_key="other", admin_token=ADMIN_TOKEN)
    )
    with TestClient(other) as stranger:
        stranger.cookies.set("ft_sandbox_panel", admin.cookies["ft_sandbox_panel"])
        assert stranger.get(UI, follow_redirects=False).status_code == 303


def test_a_new_admin_token_closes_the_open_sessions(admin: TestClient, tmp_path: Path) -> None:
    # Same data directory and secret, the admin token changed (FT_SANDBOX_ADMIN_TOKEN).
    renewed = create_app(Settings(data_dir=tmp_path, secret_key="panel", admin_token="renewed"))
    with TestClient(renewed) as same_instance:
        same_instance.cookies.set("ft_sandbox_panel", admin.cookies["ft_sandbox_panel"])
        assert same_instance.get(UI, follow_redirects=False).status_code == 303
    # The cookie itself is still good for the instance that issued it.
    assert admin.get(UI, follow_redirects=False).status_code == 200


def test_sign_in_needs_the_forms_csrf_token(browser: TestClient) -> None:
    csrf_of(browser, f"{UI}/connexion")
    answer = browser.post(
        f"{UI}/connexion", data={"csrf": "forged", "jeton": ADMIN_TOKEN}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert browser.get(UI, follow_redirects=False).status_code == 303


def test_a_form_without_the_sessions_csrf_token_changes_nothing(admin: TestClient) -> None:
    for csrf in ("", "forged"):
        answer = admin.post(
            f"{UI}/clients/{CLIENT}/profil", data={"csrf": csrf, "profil": "outage"}
        )
        assert answer.status_code == 403
    assert admin.get("/_sandbox/faults", headers=ADMIN).json()["clients"] == {}


def test_the_sign_in_pages_csrf_token_is_not_the_sessions(browser: TestClient) -> None:
    anonymous = csrf_of(browser, f"{UI}/connexion")
    sign_in(browser)
    answer = browser.post(f"{UI}/clients/{CLIENT}/profil", data={"csrf": anonymous, "profil": "x"})
    assert answer.status_code == 403


def test_changing_a_profile_in_the_panel_is_what_the_control_plane_shows(
    admin: TestClient,
) -> None:
    csrf = csrf_of(admin, UI)
    answer = admin.post(f"{UI}/clients/{CLIENT}/profil", data={"csrf": csrf, "profil": "outage"})
    assert answer.status_code == 200 and "Profil de pannes modifié" in answer.text
    assert admin.get("/_sandbox/faults", headers=ADMIN).json()["clients"] == {CLIENT: "outage"}
    # The empty choice gives the client back the instance's default.
    admin.post(f"{UI}/clients/{CLIENT}/profil", data={"csrf": csrf, "profil": ""})
    assert admin.get("/_sandbox/faults", headers=ADMIN).json()["clients"] == {}


def test_an_unknown_profile_or_client_is_refused_with_a_page(admin: TestClient) -> None:
    csrf = csrf_of(admin, UI)
    answer = admin.post(f"{UI}/clients/{CLIENT}/profil", data={"csrf": csrf, "profil": "nope"})
    assert answer.status_code == 400 and "ERR_SCENARIO_INCONNU" in answer.text
    answer = admin.post(f"{UI}/clients/inconnu/profil", data={"csrf": csrf, "profil": "outage"})
    assert answer.status_code == 404 and "Client inconnu" in answer.text
    assert admin.get("/_sandbox/faults", headers=ADMIN).json()["clients"] == {}


def test_the_clients_page_charts_the_counters(admin: TestClient) -> None:
    for _ in range(3):
        request_token(admin)
    page = admin.get(UI).text
    assert f"Compteurs de {CLIENT} : appels 3" in page
    assert "<svg" in page and "<script" not in page


def test_reset_asks_first_then_wipes_the_journal(admin: TestClient) -> None:
    request_token(admin)
    confirm = admin.get(f"{UI}/clients/{CLIENT}/remise-a-zero")
    assert "Confirmer la remise à zéro" in confirm.text
    assert admin.get("/_sandbox/counters", headers=ADMIN).json()[CLIENT]["calls"] == 1
    csrf = CSRF.search(confirm.text).group(1)  # type: ignore[union-attr]
    answer = admin.post(f"{UI}/clients/{CLIENT}/remise-a-zero", data={"csrf": csrf})
    assert answer.status_code == 200 and "Client remis à zéro" in answer.text
    assert CLIENT not in admin.get("/_sandbox/counters", headers=ADMIN).json()


def _clock(client: TestClient) -> dict[str, object]:
    state: dict[str, object] = client.get("/_sandbox/clock", headers=ADMIN).json()
    return state


def test_freeze_advance_and_set_move_the_control_planes_clock(admin: TestClient) -> None:
    csrf = csrf_of(admin, f"{UI}/horloge")
    admin.post(f"{UI}/horloge", data={"csrf": csrf, "action": "freeze"})
    frozen = _clock(admin)
    assert frozen["frozen"] is True
    admin.post(f"{UI}/horloge", data={"csrf": csrf, "action": "advance", "secondes": "3600"})
    moved = dt.datetime.fromisoformat(str(_clock(admin)["now"]))
    assert moved - dt.datetime.fromisoformat(str(frozen["now"])) == dt.timedelta(hours=1)
    instant = "2027-03-01T08:00:00+01:00"
    answer = admin.post(f"{UI}/horloge", data={"csrf": csrf, "action": "set", "instant": instant})
    assert "Horloge modifiée" in answer.text
    assert dt.datetime.fromisoformat(str(_clock(admin)["now"])) == dt.datetime.fromisoformat(
        instant
    )
    admin.post(f"{UI}/horloge", data={"csrf": csrf, "action": "unfreeze"})
    assert _clock(admin)["frozen"] is False


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"action": "advance", "secondes": "beaucoup"}, "doit être un nombre"),
        ({"action": "set", "instant": "1700000000"}, "ISO 8601"),
        ({"action": "advance", "secondes": "9e12"}, "less than or equal"),
        ({"action": "set", "instant": "2200-01-01T00:00:00Z"}, "within"),
    ],
)
def test_a_bad_clock_value_is_shown_and_changes_nothing(
    admin: TestClient, fields: dict[str, str], shown: str
) -> None:
    csrf = csrf_of(admin, f"{UI}/horloge")
    admin.post(f"{UI}/horloge", data={"csrf": csrf, "action": "freeze"})
    before = _clock(admin)
    answer = admin.post(f"{UI}/horloge", data={"csrf": csrf, **fields})
    assert answer.status_code == 400 and shown in answer.text
    assert _clock(admin) == before


def test_outages_are_scheduled_listed_and_cleared(admin: TestClient) -> None:
    csrf = csrf_of(admin, f"{UI}/horloge")
    answer = admin.post(
        f"{UI}/indisponibilites",
        data={
            "csrf": csrf,
            "debut": "2026-12-24T18:00:00+01:00",
            "fin": "2026-12-24T20:00:00+01:00",
            "client": CLIENT,
            "api": ["statut-usager-v1", "token"],
        },
    )
    assert "Indisponibilité programmée" in answer.text
    assert "scheduled-outage-1" in answer.text and "statut-usager-v1, token" in answer.text
    refused = admin.post(
        f"{UI}/indisponibilites",
        data={"csrf": csrf, "debut": "2026-12-24T20:00:00Z", "fin": "2026-12-24T18:00:00Z"},
    )
    assert refused.status_code == 400 and "end must be after start" in refused.text
    cleared = admin.post(f"{UI}/indisponibilites/suppression", data={"csrf": csrf})
    assert "Aucune indisponibilité programmée" in cleared.text
    # Cleared for the control plane too: nothing left to remove.
    assert admin.delete("/_sandbox/outages", headers=ADMIN).json() == {"removed": 0}


def test_the_json_journal_pages_forward_with_since(admin: TestClient) -> None:
    for _ in range(105):
        request_token(admin)
    first = admin.get(f"{UI}/journal/{CLIENT}.json", params={"since": 0}).json()
    assert [r["index"] for r in first["rows"]] == list(range(1, 101))
    assert first["last"] == 100
    assert first["rows"][0]["route"] == "/connexion/oauth2/access_token"
    assert first["rows"][0]["method"] == "POST" and first["rows"][0]["status"] == "200"
    rest = admin.get(f"{UI}/journal/{CLIENT}.json", params={"since": first["last"]}).json()
    assert [r["index"] for r in rest["rows"]] == [101, 102, 103, 104, 105]
    idle = admin.get(f"{UI}/journal/{CLIENT}.json", params={"since": 105}).json()
    assert idle == {"generation": 0, "rows": [], "last": 105}
    # The same exchanges as the control plane's journal.
    plane = admin.get(f"/_sandbox/journal/{CLIENT}", params={"since": 100}, headers=ADMIN)
    assert [e["index"] for e in plane.json()] == [101, 102, 103, 104, 105]


def test_the_journal_page_works_without_script_and_names_its_feed(admin: TestClient) -> None:
    request_token(admin)
    page = admin.get(f"{UI}/journal/{CLIENT}").text
    assert f'data-source="{UI}/journal/{CLIENT}.json" data-since="1"' in page
    assert f'href="{UI}/journal/{CLIENT}">Actualiser' in page
    assert "/connexion/oauth2/access_token" in page
    assert DEFAULT_CLIENT[1] not in page


def test_the_json_journal_refuses_unknown_clients_and_bad_since(admin: TestClient) -> None:
    assert admin.get(f"{UI}/journal/inconnu.json").status_code == 404
    assert admin.get(f"{UI}/journal/{CLIENT}.json", params={"since": -1}).status_code == 400


def test_sign_out_ends_the_session(admin: TestClient) -> None:
    csrf = csrf_of(admin, UI)
    answer = admin.post(f"{UI}/deconnexion", data={"csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"{UI}/connexion"
    assert admin.get(UI, follow_redirects=False).status_code == 303


def test_a_dropped_files_report_shows_as_a_table(admin: TestClient) -> None:
    token = request_token(admin, realm="/partenaire", scope="api_rechercher-usagerv1")
    dropped = admin.post(
        "/depot-fichiers/v1/depots",
        content=b"NOM;PRENOM\nDUPONT;Jeanne\n",
        params={"nom": "inscriptions.csv", "type": "annexe1-inscription"},
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
    )
    assert dropped.status_code == 201, dropped.text
    upload = dropped.json()
    listing = admin.get(f"{UI}/depot/{CLIENT}").text
    assert "inscriptions.csv" in listing and upload["statut"] in listing
    page = admin.get(f"{UI}/depot/{CLIENT}/{upload['id']}")
    assert page.status_code == 200
    detail = admin.get(
        f"/depot-fichiers/v1/depots/{upload['id']}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    findings = detail["rapport"]["findings"]
    assert findings
    for finding in findings:
        assert f"<code>{finding['rule']}</code>" in page.text
    assert admin.get(f"{UI}/depot/{CLIENT}/inconnu").status_code == 404


def test_the_report_page_never_shows_a_full_nir_or_name(
    admin: TestClient, panel_app: FastAPI
) -> None:
    runtime = panel_app.state.runtime
    cells = person(runtime.population, "ZABOROWSKI", "Ludmila", dt.date(1985, 3, 9))
    nir = cells["NIR"]
    wrong_key = f"{(int(nir[13:]) % 97) + 1:02d}"
    content = (
        annexe1(runtime.population, [cells])
        .to_csv()
        .replace(nir.encode(), (nir[:13] + wrong_key).encode())
    )
    token = request_token(admin, realm="/partenaire", scope="api_rechercher-usagerv1")
    dropped = admin.post(
        "/depot-fichiers/v1/depots",
        content=content,
        params={"nom": "inscriptions.csv"},
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
    )
    assert dropped.status_code == 201, dropped.text
    upload = dropped.json()
    assert upload["statut"] == "refuse"
    shown = (
        admin.get(f"{UI}/depot/{CLIENT}").text
        + admin.get(f"{UI}/depot/{CLIENT}/{upload['id']}").text
    )
    assert '<table id="constats">' in shown
    assert nir[:13] not in shown
    assert "ZABOROWSKI" not in shown and "Ludmila" not in shown


def test_the_json_journal_names_a_new_generation_after_a_reset(admin: TestClient) -> None:
    for _ in range(3):
        request_token(admin)
    page = admin.get(f"{UI}/journal/{CLIENT}").text
    assert 'data-since="3" data-generation="0"' in page
    before = admin.get(f"{UI}/journal/{CLIENT}.json", params={"since": 0}).json()
    assert before["generation"] == 0 and before["last"] == 3
    csrf = csrf_of(admin, UI)
    admin.post(f"{UI}/clients/{CLIENT}/remise-a-zero", data={"csrf": csrf})
    # More calls after the reset than before it: numbers 1 to 5, past the page's since=3.
    for _ in range(5):
        request_token(admin)
    after = admin.get(f"{UI}/journal/{CLIENT}.json", params={"since": 3}).json()
    # The page polling with since=3 learns the journal changed (and would miss calls 1 to 3).
    assert after["generation"] != before["generation"]
    again = admin.get(f"{UI}/journal/{CLIENT}.json", params={"since": 0}).json()
    assert again["generation"] == after["generation"]
    assert [r["index"] for r in again["rows"]] == [1, 2, 3, 4, 5]
    # A reset through the control plane starts a new generation too.
    admin.post("/_sandbox/reset", json={"client_id": CLIENT}, headers=ADMIN)
    third = admin.get(f"{UI}/journal/{CLIENT}.json", params={"since": 0}).json()
    assert third["generation"] not in (before["generation"], after["generation"])
    assert third["rows"] == []
