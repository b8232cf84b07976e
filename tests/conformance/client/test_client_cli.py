"""`ft-conformance client` as documented in the README: exit codes, reports, watch mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import xmlschema

from conformance.cli import main
from conformance.client.results import Campaign
from conformance.client.runner import client_environment, local_sandbox
from conformance.client.scenarios import persona_records, scenarios

ROOT = Path(__file__).resolve().parents[3]
GOOD = f"{sys.executable} {ROOT / 'examples' / 'clients' / 'reference.py'}"


@pytest.mark.parametrize(
    "arguments",
    [
        ["client", "--watch"],
        ["client", "--run", "true", "--base-url", "http://127.0.0.1:9"],
        ["client", "--run", "true", "--client-id", "PAR_inconnu"],
        ["client", "--run", "true", "--scenario", "pas-un-scenario"],
    ],
    ids=["watch-without-base-url", "base-url-without-admin-token", "unknown-client", "scenario"],
)
def test_usage_errors_exit_2(
    arguments: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FT_SANDBOX_ADMIN_TOKEN", raising=False)
    try:
        code = main(arguments)
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    assert code == 2
    assert capsys.readouterr().err


def test_a_command_that_cannot_be_launched_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["client", "--scenario", "nominal", "--run", "/nonexistent/client"]) == 2
    assert "cannot launch" in capsys.readouterr().err


def test_the_good_client_exits_0_and_every_report_is_written(tmp_path: Path) -> None:
    outputs = {name: tmp_path / name for name in ("c.json", "c.xml", "c.html")}
    code = main(
        [
            "client",
            "--scenario",
            "nominal",
            "--run",
            GOOD,
            "--json",
            str(outputs["c.json"]),
            "--junit",
            str(outputs["c.xml"]),
            "--html",
            str(outputs["c.html"]),
            "--journal-dir",
            str(tmp_path / "journaux"),
        ]
    )
    assert code == 0
    campaign = Campaign.model_validate_json(outputs["c.json"].read_text())
    assert [s.name for s in campaign.scenarios] == ["nominal"]
    assert campaign.command == GOOD and campaign.seed == 2024253
    assert "Rechercher usager" in " ".join(campaign.contract_versions)
    # The JUnit report validates against the common JUnit XML schema (vendored beside).
    schema = xmlschema.XMLSchema(Path(__file__).parent / "data" / "junit-10.xsd")
    schema.validate(str(outputs["c.xml"]))
    assert "Procès-verbal de recette" in outputs["c.html"].read_text()
    journal = json.loads((tmp_path / "journaux" / "nominal.json").read_text())
    assert journal and journal[0]["index"] == 1


def test_a_broken_twin_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["client", "--scenario", "nominal", "--run", f"{GOOD} --defect nir-in-query"]) == 1
    assert "no-nir-in-url" in capsys.readouterr().out


def test_watch_grades_what_a_running_client_sends_during_the_window(tmp_path: Path) -> None:
    nominal = scenarios()["nominal"]
    with local_sandbox(2024253, tmp_path / "sandbox.log") as (base, token):
        people = tmp_path / "personas.json"
        people.write_text(json.dumps(persona_records(nominal.personas)))
        from conformance.client.runner import Target

        target = Target(base, token, "PAR_ftsandbox_cd62", "ftsandbox-secret-cd62")
        env = {**os.environ, **client_environment(target, nominal, people)}

        def later() -> None:
            time.sleep(1.0)
            subprocess.run(GOOD.split(), env=env, check=True, capture_output=True, timeout=60)

        vendor = threading.Thread(target=later)
        vendor.start()
        out = tmp_path / "watch.json"
        code = main(
            [
                "client",
                "--watch",
                "--client-id",
                "PAR_ftsandbox_cd62",
                "--duration",
                "4",
                "--base-url",
                base,
                "--admin-token",
                token,
                "--json",
                str(out),
            ]
        )
        vendor.join()
    assert code == 0
    campaign = Campaign.model_validate_json(out.read_text())
    (observed,) = campaign.scenarios
    assert observed.name == "observation" and observed.client_exit_code is None
    assert observed.report.rows >= 1 + 3 * len(nominal.personas) - 1
    assert "token-reuse" in observed.report.rules and "batch-completes" not in observed.report.rules


def test_a_campaign_against_a_shared_sandbox_is_published_there(tmp_path: Path) -> None:
    import httpx

    client = "PAR_ftsandbox_cd62"
    with local_sandbox(2024253, tmp_path / "sandbox.log") as (base, token):
        admin = {"Authorization": f"Bearer {token}"}
        shared = ["--base-url", base, "--admin-token", token, "--scenario", "nominal"]
        out = tmp_path / "c.json"
        assert main(["client", "--run", GOOD, *shared, "--json", str(out)]) == 0
        broken = f"{GOOD} --defect nir-in-query"
        assert main(["client", "--run", broken, *shared, "--no-publish"]) == 1
        listed = httpx.get(f"{base}/_sandbox/reports/{client}", headers=admin).json()
        # Only the published campaign, with the kit's verdict (it exited 0).
        assert [(r["verdict"], r["exit_code"], r["rules_failed"]) for r in listed] == [
            ("conforme", 0, 0)
        ]
        assert listed[0]["scenarios"] == 1 and listed[0]["rules_passed"] > 0
        detail = httpx.get(f"{base}/_sandbox/reports/{client}/{listed[0]['id']}", headers=admin)
        assert detail.json()["campaign"] == json.loads(out.read_text())
        pv = httpx.get(f"{base}{listed[0]['html']}", headers=admin)
        assert "Procès-verbal de recette" in pv.text
        assert pv.headers["content-security-policy"].startswith("sandbox;")
        assert main(["client", "--run", broken, *shared]) == 1
        latest = httpx.get(f"{base}/_sandbox/reports/{client}", headers=admin).json()[0]
        assert (latest["verdict"], latest["exit_code"]) == ("non conforme", 1)
        assert latest["rules_failed"] >= 1
