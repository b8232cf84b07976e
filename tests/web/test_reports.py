"""Client-conformance reports kept by the sandbox (README "Client conformance", "Limits").

What a recette team relies on: a campaign the kit publishes is listed for its client with its
verdict, in the control plane and the panel; the latest 20 are kept (the 21st drops the oldest);
a report over 2 MiB is refused with 413 and the control plane's error body; a reset of the
client drops them; the procès-verbal is served as it was sent, under a sandboxing CSP.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conformance.client.render import render_html, render_json
from conformance.client.results import Campaign, ScenarioResult
from sandbox import Settings, create_app
from sandbox.findings import Finding, Report, Severity
from tests.conftest import DEFAULT_CLIENT

ADMIN_TOKEN = "reports-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CLIENT = DEFAULT_CLIENT[0]
REPORTS = f"/_sandbox/reports/{CLIENT}"
UI = "/_sandbox/ui"
KEPT = 20  # README "Limits": the latest 20 campaigns per client
CAP = 2 * 1024 * 1024  # README "Limits": 2 MiB per published report
SANDBOX_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@pytest.fixture
def app_client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path, secret_key="reports", admin_token=ADMIN_TOKEN))
    with TestClient(app) as client:
        yield client


def _finding(rule: str, severity: Severity) -> Finding:
    return Finding(rule=rule, severity=severity, message="m", hint="h", clause="Annexe 2 § 7")


def campaign(client_id: str = CLIENT, command: str = "client --v1") -> Campaign:
    """Two scenarios: three rules then two; an error on one rule, a warning on another."""
    first = Report(source="nominal", kind="client", rules=["r1", "r2", "r3"])
    first.add(_finding("r2", Severity.ERROR))
    second = Report(source="pannes", kind="client", rules=["r1", "r2"])
    second.add(_finding("r1", Severity.WARNING))
    scenarios = [
        ScenarioResult(
            name=report.source,
            title=report.source,
            description="d",
            profile="nominal",
            personas=[],
            duration_seconds=1.0,
            report=report,
        )
        for report in (first, second)
    ]
    return Campaign(
        client_id=client_id,
        seed=1,
        sandbox_version="test",
        command=command,
        started_at="2026-12-01T09:00:00+00:00",
        scenarios=scenarios,
    )


def body(graded: Campaign) -> dict[str, Any]:
    """The publication body, as the kit sends it."""
    return {"campaign": json.loads(render_json(graded)), "html": render_html(graded, {})}


def publish(client: TestClient, graded: Campaign | None = None) -> dict[str, Any]:
    answer = client.post(REPORTS, json=body(graded or campaign()), headers=ADMIN)
    assert answer.status_code == 201, answer.text
    kept: dict[str, Any] = answer.json()
    return kept


def test_a_published_campaign_is_listed_with_its_verdict(app_client: TestClient) -> None:
    kept = publish(app_client)
    # 5 rule verdicts over 2 scenarios: one rule non conforme (the error), four conformes
    # (one with a remark); one scenario failed; the kit would exit 1.
    expected = {
        "client_id": CLIENT,
        "verdict": "non conforme",
        "scenarios": 2,
        "scenarios_failed": 1,
        "rules_passed": 4,
        "rules_failed": 1,
        "exit_code": 1,
    }
    assert {k: kept[k] for k in expected} == expected
    assert kept["html"] == f"{REPORTS}/{kept['id']}/html"
    listed = app_client.get(REPORTS, headers=ADMIN).json()
    assert listed == [kept]
    detail = app_client.get(f"{REPORTS}/{kept['id']}", headers=ADMIN).json()
    assert detail["campaign"] == body(campaign())["campaign"]
    # The PV says the same verdict as the list.
    html = app_client.get(kept["html"], headers=ADMIN).text
    assert "non conforme" in html and "1 règle en échec sur 5 évaluées" in html


def test_a_passing_campaign_is_conforme_with_exit_code_0(app_client: TestClient) -> None:
    passing = campaign()
    passing.scenarios = passing.scenarios[1:]  # the warning only
    kept = publish(app_client, passing)
    assert (kept["verdict"], kept["exit_code"], kept["rules_passed"], kept["rules_failed"]) == (
        "conforme",
        0,
        2,
        0,
    )


def test_the_21st_report_drops_the_oldest(app_client: TestClient) -> None:
    ids = [publish(app_client, campaign(command=f"client {n}"))["id"] for n in range(KEPT + 1)]
    listed = app_client.get(REPORTS, headers=ADMIN).json()
    assert [r["id"] for r in listed] == list(reversed(ids[1:]))
    gone = app_client.get(f"{REPORTS}/{ids[0]}", headers=ADMIN)
    assert gone.status_code == 404 and gone.json()["codeErreur"] == "ERR_RAPPORT_INCONNU"
    assert app_client.get(f"{REPORTS}/{ids[0]}/html", headers=ADMIN).status_code == 404
    kept = app_client.get(f"{REPORTS}/{ids[1]}", headers=ADMIN).json()
    assert kept["campaign"]["command"] == "client 1"


def test_a_report_over_2_mib_is_refused_with_413_and_nothing_is_kept(
    app_client: TestClient,
) -> None:
    big = body(campaign())
    big["html"] += "<!--" + "x" * CAP + "-->"
    answer = app_client.post(
        REPORTS,
        content=json.dumps(big).encode(),
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["codeErreur"] == "ERR_REQUETE_TROP_VOLUMINEUSE"
    assert app_client.get(REPORTS, headers=ADMIN).json() == []
    # Far beyond the control plane's usual 16 KiB, under 2 MiB: kept.
    fair = body(campaign())
    fair["html"] += "<!--" + "x" * (CAP - 64 * 1024) + "-->"
    assert app_client.post(REPORTS, json=fair, headers=ADMIN).status_code == 201


def test_a_reset_of_the_client_drops_its_reports(app_client: TestClient) -> None:
    kept = publish(app_client)
    # The kit's own reset between two scenarios keeps the earlier campaigns.
    keeping = {"client_id": CLIENT, "keep_reports": True}
    assert app_client.post("/_sandbox/reset", json=keeping, headers=ADMIN).status_code == 200
    assert [r["id"] for r in app_client.get(REPORTS, headers=ADMIN).json()] == [kept["id"]]
    answer = app_client.post("/_sandbox/reset", json={"client_id": CLIENT}, headers=ADMIN)
    assert answer.status_code == 200
    assert app_client.get(REPORTS, headers=ADMIN).json() == []
    assert app_client.get(f"{REPORTS}/{kept['id']}/html", headers=ADMIN).status_code == 404


def test_the_pv_is_served_as_sent_under_a_sandboxing_csp(app_client: TestClient) -> None:
    graded = campaign()
    sent = body(graded)["html"]
    kept = publish(app_client, graded)
    answer = app_client.get(kept["html"], headers=ADMIN)
    assert answer.status_code == 200 and answer.text == sent
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"].startswith(SANDBOX_CSP)
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("sent", "status"),
    [
        ({"campaign": {"client_id": CLIENT}, "html": "<p>pv</p>"}, 400),
        ({"campaign": {"client_id": "PAR_autre", "scenarios": []}, "html": "<p>pv</p>"}, 400),
        ({"campaign": {"client_id": CLIENT, "scenarios": []}, "html": ""}, 400),
        ({"html": "<p>pv</p>"}, 400),
    ],
    ids=["not-a-campaign", "another-clients-campaign", "empty-html", "no-campaign"],
)
def test_what_is_not_a_campaign_of_the_client_is_refused(
    app_client: TestClient, sent: dict[str, Any], status: int
) -> None:
    answer = app_client.post(REPORTS, json=sent, headers=ADMIN)
    assert answer.status_code == status
    assert answer.json()["codeErreur"] == "ERR_COMMANDE_INVALIDE"
    assert app_client.get(REPORTS, headers=ADMIN).json() == []


def test_reports_need_the_admin_token_and_a_known_client(app_client: TestClient) -> None:
    assert app_client.post(REPORTS, json=body(campaign())).status_code == 401
    assert app_client.get(REPORTS).status_code == 401
    partner = {"Authorization": f"Bearer {DEFAULT_CLIENT[1]}"}
    assert app_client.get(REPORTS, headers=partner).status_code == 401
    unknown = app_client.get("/_sandbox/reports/PAR_inconnu", headers=ADMIN)
    assert unknown.status_code == 404 and unknown.json()["codeErreur"] == "ERR_CLIENT_INCONNU"
    assert app_client.get(f"{REPORTS}/abc", headers=ADMIN).status_code == 404
    assert app_client.get(f"{REPORTS}/{'9' * 20}", headers=ADMIN).status_code == 404


def _panel(client: TestClient) -> TestClient:
    page = client.get(f"{UI}/connexion").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    client.post(f"{UI}/connexion", data={"csrf": csrf.group(1), "jeton": ADMIN_TOKEN})
    return client


def test_the_panel_lists_the_reports_and_opens_their_pv(app_client: TestClient) -> None:
    kept = publish(app_client)
    panel = _panel(app_client)
    assert f'href="{UI}/conformite/{CLIENT}"' in panel.get(UI).text
    listing = panel.get(f"{UI}/conformite/{CLIENT}").text
    row = re.search(rf'<tr id="campagne-{kept["id"]}">(.*?)</tr>', listing, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert cells[1:6] == ["non conforme", "1 sur 2", "4", "1", "1"]
    opened = panel.get(f"{UI}/conformite/{CLIENT}/{kept['id']}")
    assert opened.status_code == 200 and "Procès-verbal de recette" in opened.text
    assert opened.headers["content-security-policy"].startswith(SANDBOX_CSP)
    assert panel.get(f"{UI}/conformite/{CLIENT}/999").status_code == 404
    panel.cookies.clear()
    assert (
        panel.get(f"{UI}/conformite/{CLIENT}/{kept['id']}", follow_redirects=False).status_code
        == 303
    )


def test_a_reset_in_the_panel_drops_the_reports_too(app_client: TestClient) -> None:
    publish(app_client)
    panel = _panel(app_client)
    page = panel.get(f"{UI}/clients/{CLIENT}/remise-a-zero").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    panel.post(f"{UI}/clients/{CLIENT}/remise-a-zero", data={"csrf": csrf.group(1)})
    assert app_client.get(REPORTS, headers=ADMIN).json() == []
    assert "Aucune campagne publiée" in panel.get(f"{UI}/conformite/{CLIENT}").text
