"""The kit on the reference clients: the good one passes every scenario, each broken twin fails
exactly the rules it breaks, with evidence pointing at the calls that show the defect.

Expected rule sets come from the issue's list of defects and `examples/clients/README.md`; the
evidence predicates from what each defect is (a NIR in a URL, a token request, a 429…), checked
on the journal entries the evidence names.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.client.render import render_html, render_json, render_junit
from conformance.client.results import Campaign
from conformance.client.rules import RULES
from conformance.client.runner import Runner, Target, local_sandbox
from conformance.client.scenarios import persona_records, scenarios
from sandbox.auth.clients import ClientRegistry
from sandbox.findings import Severity
from sandbox.resources import fixtures_dir

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "examples" / "clients" / "reference.py"
CLIENT = "PAR_ftsandbox_cd62_convention"
Entry = dict[str, Any]


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    scratch = tmp_path_factory.mktemp("campaign")
    registered = ClientRegistry.from_yaml(fixtures_dir(None) / "clients.yaml").get(CLIENT)
    assert registered is not None
    with local_sandbox(2024253, scratch / "sandbox.log") as (base, token):
        yield Runner(
            target=Target(base, token, CLIENT, registered.client_secret),
            seed=2024253,
            log=scratch / "run.log",
            subscribed=registered.scopes,
        )


def _command(defect: str | None) -> str:
    tail = f" --defect {defect}" if defect else ""
    return f"{sys.executable} {REFERENCE}{tail}"


def _failed(campaign: Campaign) -> dict[str, set[str]]:
    return {
        s.name: {f.rule for f in s.report.findings if f.severity is Severity.ERROR}
        for s in campaign.scenarios
    }


def _reports(campaign: Campaign) -> list[str]:
    titles = {r.id: r.title for r in RULES}
    return [
        render_json(campaign),
        render_junit(campaign, titles),
        render_html(campaign, titles),
    ]


def _assert_nothing_secret(texts: list[str], secret: str) -> None:
    personas = {
        p["nir"] for name in scenarios() for p in persona_records(scenarios()[name].personas)
    }
    for text in texts:
        assert secret not in text
        for nir in personas:
            assert nir not in text and nir[:13] not in text
        # No 13+ digit run (a NIR), no bearer value, no base64 JSON envelope (a jeton).
        assert not re.search(r"[0-9]{13}", text)
        assert "eyJ" not in text and "Bearer " not in text


def test_the_good_client_passes_every_scenario(runner: Runner) -> None:
    campaign = runner.campaign(_command(None), list(scenarios().values()))
    _assert_nothing_secret(_reports(campaign), runner.target.client_secret)
    assert _failed(campaign) == {name: set() for name in scenarios()}
    assert campaign.passed()
    # Every scenario graded something: the rules it is there to exercise were evaluated.
    for scenario, result in zip(scenarios().values(), campaign.scenarios, strict=True):
        evaluated = set(result.report.rules)
        assert set(scenario.rules) <= evaluated, (scenario.name, set(scenario.rules) - evaluated)
        assert result.client_exit_code == 0
    covered = {api for s in campaign.scenarios for api in s.coverage.apis}
    assert {"rechercher-usager-v2", "statut-usager-v2", "rechercher-usager-v1"} <= covered
    faults = {f for s in campaign.scenarios for f in s.coverage.faults}
    assert {"outage", "rate_limit", "latency", "error", "connection"} <= faults
    codes = {c for s in campaign.scenarios for c in s.coverage.codes}
    assert {"S001", "S002", "S003", "R001", "R002", "R998", "204", "429", "503"} <= codes


def _nir_in_url(entry: Entry) -> bool:
    return bool(entry["nir_in_url"])


def _token_request(entry: Entry) -> bool:
    return entry["token_request"] is not None


def _after_rate_limit(entry: Entry) -> bool:
    return entry["api"] is not None


def _abandoned(entry: Entry) -> bool:
    return bool(entry["outcome"] == "client_disconnected")


def _outage_call(entry: Entry) -> bool:
    return bool(entry["fault_type"] == "outage" or entry["status"] == 503)


def _jeton_call(entry: Entry) -> bool:
    return entry["jeton"] is not None


def _agent_headers_wrong(entry: Entry) -> bool:
    return any(state != "ok" for state in entry["agent_headers"].values())


def _functional_answer(entry: Entry) -> bool:
    code = (entry["response"] or {}).get("codeRetour")
    return code in {"S002", "S003", "R001", "R002", "R998"}


def _no_content(entry: Entry) -> bool:
    return bool(entry["status"] == 204)


def _any(entry: Entry) -> bool:
    return True


TWINS: list[tuple[str, str, set[str], dict[str, Callable[[Entry], bool]]]] = [
    ("token-per-call", "nominal", {"token-reuse"}, {"token-reuse": _token_request}),
    (
        "retries-functional",
        "codes-fonctionnels",
        {"no-functional-retry"},
        {"no-functional-retry": _functional_answer},
    ),
    (
        "ignores-retry-after",
        "quota",
        {"retry-after-honoured"},
        {"retry-after-honoured": _after_rate_limit},
    ),
    ("short-timeout", "latence", {"patience-6s"}, {"patience-6s": _abandoned}),
    (
        "storms-outage",
        "panne",
        {"retry-bounded", "retry-backoff", "outage-rate"},
        {"retry-bounded": _outage_call, "retry-backoff": _outage_call, "outage-rate": _outage_call},
    ),
    ("nir-in-query", "nominal", {"no-nir-in-url"}, {"no-nir-in-url": _nir_in_url}),
    ("forged-jeton", "nominal", {"jeton-from-recherche"}, {"jeton-from-recherche": _jeton_call}),
    (
        "unused-scopes",
        "nominal",
        {"token-scopes-minimal"},
        {"token-scopes-minimal": _token_request},
    ),
    ("no-agent-headers", "nominal", {"agent-headers"}, {"agent-headers": _agent_headers_wrong}),
    (
        "retries-no-content",
        "nominal",
        {"no-content-no-retry"},
        {"no-content-no-retry": _no_content},
    ),
]


@pytest.mark.parametrize(
    ("defect", "scenario", "expected", "shows"), TWINS, ids=[t[0] for t in TWINS]
)
def test_each_broken_twin_fails_exactly_the_rules_it_breaks_with_evidence(
    runner: Runner,
    defect: str,
    scenario: str,
    expected: set[str],
    shows: dict[str, Callable[[Entry], bool]],
) -> None:
    campaign = runner.campaign(_command(defect), [scenarios()[scenario]])
    assert _failed(campaign) == {scenario: expected}
    _assert_nothing_secret(_reports(campaign), runner.target.client_secret)
    assert not campaign.passed()
    entries = {e["index"]: e for e in runner.journals[scenario]}
    for finding in campaign.scenarios[0].report.findings:
        assert finding.evidence, finding.rule
        for evidence in finding.evidence:
            assert evidence.call in entries, evidence
            assert evidence.at.startswith("20")
        # The evidence names at least one call that shows the defect.
        assert any(shows[finding.rule](entries[e.call]) for e in finding.evidence), finding


def test_a_client_that_reuses_stored_references_fails_recherche_first(
    runner: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The twin keeps the references of its first run in $TMPDIR and skips Recherche after.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    nominal = [scenarios()["nominal"]]
    first = runner.campaign(_command("no-recherche"), nominal)
    assert _failed(first) == {"nominal": set()}
    second = runner.campaign(_command("no-recherche"), nominal)
    assert _failed(second) == {"nominal": {"recherche-first", "personas-processed"}}
    entries = {e["index"]: e for e in runner.journals["nominal"]}
    searched = [e for e in entries.values() if (e["api"] or "").startswith("rechercher-usager")]
    assert not searched
    finding = next(f for f in second.scenarios[0].report.findings if f.rule == "recherche-first")
    assert all(entries[e.call]["jeton"] is not None for e in finding.evidence)


def test_a_client_that_cannot_be_launched_is_a_usage_error(runner: Runner) -> None:
    from conformance.client.runner import LaunchError

    with pytest.raises(LaunchError, match="cannot launch"):
        runner.campaign("/nonexistent/ft-client", [scenarios()["nominal"]])


def test_a_client_that_dies_fails_batch_completes(runner: Runner) -> None:
    campaign = runner.campaign(
        f"{sys.executable} -c 'raise SystemExit(4)'", [scenarios()["nominal"]]
    )
    report = campaign.scenarios[0].report
    assert {f.rule for f in report.findings} == {"batch-completes", "personas-processed"}
    assert campaign.scenarios[0].client_exit_code == 4


def test_same_client_behaviour_gives_the_same_verdicts(runner: Runner) -> None:
    chosen = [scenarios()[name] for name in ("codes-fonctionnels", "erreurs-transitoires")]
    first = runner.campaign(_command("retries-functional"), chosen)
    again = runner.campaign(_command("retries-functional"), chosen)
    verdicts = [
        [(f.rule, f.message, [e.call for e in f.evidence]) for f in s.report.findings]
        for s in first.scenarios
    ]
    assert verdicts == [
        [(f.rule, f.message, [e.call for e in f.evidence]) for f in s.report.findings]
        for s in again.scenarios
    ]


def test_the_proces_verbal_opens_in_chromium_and_reads_as_a_sign_off(runner: Runner) -> None:
    from selenium.webdriver.common.by import By

    from tests.browser import artefacts_dir, axe_violations, chromium, print_to_pdf

    chosen = [scenarios()[name] for name in ("nominal", "quota")]
    campaign = runner.campaign(_command("ignores-retry-after"), chosen)
    page = artefacts_dir() / "proces-verbal-recette.html"
    page.write_text(render_html(campaign, {r.id: r.title for r in RULES}), encoding="utf-8")
    with chromium() as driver:
        driver.get(page.as_uri())  # type: ignore[attr-defined]
        text = driver.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
        assert driver.title.startswith("Procès-verbal de recette")  # type: ignore[attr-defined]
        headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "h1, h2")]  # type: ignore[attr-defined]
        assert headings[0].startswith("Procès-verbal de recette")
        for expected in (CLIENT, "2024253", "Pour le Département", "Pour France Travail"):
            assert expected in text
        # The failed rule is shown with the call numbers of its evidence.
        finding = next(
            f
            for s in campaign.scenarios
            for f in s.report.findings
            if f.rule == "retry-after-honoured"
        )
        assert "Retry-After respecté" in text
        assert all(str(e.call) in text for e in finding.evidence)
        # axe-core (vendored) finds no serious or critical accessibility violation.
        assert axe_violations(driver) == []
        driver.save_screenshot(str(artefacts_dir() / "proces-verbal-recette.png"))  # type: ignore[attr-defined]
        pdf = print_to_pdf(driver)
    assert pdf.startswith(b"%PDF")
    (artefacts_dir() / "proces-verbal-recette.pdf").write_bytes(pdf)
    # Printed on A4, each scenario starts a page: more pages than scenarios.
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") > len(chosen)
