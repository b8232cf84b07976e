"""The client campaign's reports: JUnit valid against the common schema with a test case per rule
per scenario, the HTML procès-verbal (verdicts, evidence, signatures, escaping, accessibility),
JSON round trip, privacy of every format, determinism."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from conformance.client.render import render_console, render_html, render_json, render_junit
from conformance.client.results import Campaign, Coverage, ScenarioResult
from sandbox.findings import Evidence, Finding, Report, Severity
from sandbox.privacy import scrub

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "data" / "junit-10.xsd")

HOSTILE = '<script>alert("x")</script> & [bold]gras[/bold]'
# The person behind the masked NIR below; a report must never show it whole.
FULL_NIR = "194026212345678"
MASKED_NIR = "<nir 1940262******** 0123456789abcdef>"
TOKEN = "<token 3f9a0c1d2e4b5a69>"
JETON = "<jeton 77aa00bb11cc22dd>"

TITLES = {
    "token-realm": "Jeton d'accès demandé sur le bon royaume",
    "token-reuse": "Jeton d'accès réutilisé jusqu'à près de son expiration",
    "no-nir-in-url": "Jamais de NIR dans une URL",
    "no-functional-retry": "Pas de nouvel essai après un refus fonctionnel",
    "retry-backoff": "Nouveaux essais espacés de plus en plus",
    "patience-6s": "Patience d'au moins 6 s",
}
RECHERCHE = "POST /partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
TOKEN_CALL = "POST /connexion/oauth2/access_token?realm=/agent"


def _report(name: str, rows: int, rules: list[str], findings: list[Finding]) -> Report:
    report = Report(source=name, kind="client", rows=rows, rules=rules)
    for finding in findings:
        report.add(finding)
    return report


def _scenario(name: str, title: str, report: Report, exit_code: int | None = 0) -> ScenarioResult:
    return ScenarioResult(
        name=name,
        title=title,
        description=f"Le scénario {title}.",
        profile="aucune-faute" if name == "nominal" else "panne-et-retour",
        personas=["rsa-62-nominal", "rsa-62-sans-metier"],
        client_exit_code=exit_code,
        duration_seconds=3.25,
        coverage=Coverage(
            apis=["rechercher-usager-v2", "statut-usager-v2"],
            generations=["v2"],
            codes=["200", "S001", "204"],
            faults=[] if name == "nominal" else ["outage"],
        ),
        report=report,
    )


def _campaign(scenarios: list[ScenarioResult]) -> Campaign:
    return Campaign(
        client_id="departement-62",
        seed=20241253,
        sandbox_version="0.1.0",
        contract_versions={"Rechercher usager v2": "2.1.0", "Statut usager v2": "2.0.0"},
        command="python -m client --lot personas.json",
        started_at="2026-12-01T20:50:18+00:00",
        scenarios=scenarios,
    )


ALL_RULES = ["token-realm", "token-reuse", "no-nir-in-url", "no-functional-retry", "patience-6s"]


def passing() -> Campaign:
    return _campaign(
        [
            _scenario("nominal", "Parcours nominal", _report("nominal", 14, ALL_RULES, [])),
            _scenario(
                "panne",
                "Panne et retour du service",
                _report("panne", 22, [*ALL_RULES, "retry-backoff"], []),
            ),
        ]
    )


def failing() -> Campaign:
    reuse = Finding(
        rule="token-reuse",
        severity=Severity.ERROR,
        message="Un nouveau jeton d'accès est demandé avant chaque appel.",
        hint="Garder le jeton jusqu'à 60 s avant son expiration.",
        clause="Annexe 3 § 2.1 — authentification",
        evidence=[
            Evidence(call=3, at="2026-12-01T10:00:03+00:00", excerpt=f"{TOKEN_CALL} 200 {TOKEN}"),
            Evidence(call=5, at="2026-12-01T10:00:04+00:00", excerpt=f"{TOKEN_CALL} 200 {TOKEN}"),
        ],
    )
    reuse_again = reuse.model_copy(
        update={
            "evidence": [
                Evidence(call=7, at="2026-12-01T10:00:05+00:00", excerpt=f"{TOKEN_CALL} 200")
            ]
        }
    )
    nir = Finding(
        rule="no-nir-in-url",
        severity=Severity.ERROR,
        message=f"Un NIR figure dans l'URL. {HOSTILE}",
        hint="Passer le NIR dans le corps de la requête.",
        clause="Annexe 3 § 4 — données personnelles",
        evidence=[Evidence(call=17, at="2026-12-01T10:00:09+00:00", excerpt=f"{HOSTILE} nir=…")],
    )
    slow = Finding(
        rule="patience-6s",
        severity=Severity.WARNING,
        message="Un appel abandonné après 5,5 s.",
        hint="Attendre au moins 6 s.",
        clause="Annexe 2 § 5 — niveaux de service",
        evidence=[
            Evidence(
                call=9,
                at="2026-12-01T10:00:06+00:00",
                excerpt=f"{RECHERCHE} client_disconnected {MASKED_NIR}",
            )
        ],
    )
    backoff = Finding(
        rule="retry-backoff",
        severity=Severity.ERROR,
        message="Nouveaux essais à intervalles constants de 0,1 s pendant la panne.",
        hint="Attendre 0,5 s, 1 s puis 2 s entre les essais.",
        clause="Annexe 2 § 6 — indisponibilité",
        evidence=[
            Evidence(call=41, at="2026-12-01T10:01:00+00:00", excerpt=f"{RECHERCHE} 503 outage"),
            Evidence(call=42, at="2026-12-01T10:01:00+00:00", excerpt=f"{RECHERCHE} 503 outage"),
        ],
    )
    return _campaign(
        [
            _scenario(
                "nominal",
                f"Parcours nominal {HOSTILE}",
                _report("nominal", 14, ALL_RULES, [reuse, reuse_again, nir, slow]),
            ),
            _scenario(
                "panne",
                "Panne et retour du service",
                _report("panne", 22, [*ALL_RULES, "retry-backoff"], [backoff]),
                exit_code=3,
            ),
        ]
    )


def _console(campaign: Campaign) -> str:
    out = io.StringIO()
    render_console(campaign, Console(file=out, width=200, color_system=None), TITLES)
    return out.getvalue()


def _all_formats(campaign: Campaign) -> list[str]:
    return [
        _console(campaign),
        render_json(campaign),
        render_junit(campaign, TITLES),
        render_html(campaign, TITLES),
    ]


# --- JUnit -----------------------------------------------------------------------------------


@pytest.mark.parametrize("campaign", [passing(), failing()], ids=["passing", "failing"])
def test_junit_is_valid_with_one_test_case_per_rule_per_scenario(campaign: Campaign) -> None:
    document = render_junit(campaign, TITLES)
    SCHEMA.validate(document)
    root = ET.fromstring(document)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["nominal", "panne"]
    cases = {s.get("name"): [c.get("name", "") for c in s.findall("testcase")] for s in suites}
    assert cases["nominal"] == [f"{rule} — {TITLES[rule]}" for rule in ALL_RULES]
    assert len(cases["panne"]) == 6 and cases["panne"][-1].startswith("retry-backoff — ")
    assert {c.get("classname") for c in suites[1].iter("testcase")} == {"client.panne"}
    assert [s.get("tests") for s in suites] == ["5", "6"] and root.get("tests") == "11"


def _failed_cases(document: str) -> set[tuple[str | None, str]]:
    return {
        (case.get("classname"), (case.get("name") or "").split(" — ")[0])
        for case in ET.fromstring(document).iter("testcase")
        if case.find("failure") is not None
    }


def test_junit_fails_exactly_the_rules_with_error_findings() -> None:
    assert _failed_cases(render_junit(passing(), TITLES)) == set()
    document = render_junit(failing(), TITLES)
    # The warning-only patience rule is reported, but does not fail the build.
    assert _failed_cases(document) == {
        ("client.nominal", "token-reuse"),
        ("client.nominal", "no-nir-in-url"),
        ("client.panne", "retry-backoff"),
    }
    root = ET.fromstring(document)
    assert [s.get("failures") for s in root.findall("testsuite")] == ["2", "1"]
    assert root.get("failures") == "3"
    nominal = root.findall("testsuite")[0]
    [reuse] = [c for c in nominal.iter("testcase") if c.get("name", "").startswith("token-reuse")]
    failure = reuse.find("failure")
    assert failure is not None and failure.get("type") == "token-reuse"
    assert failure.get("message") == "Un nouveau jeton d'accès est demandé avant chaque appel."
    text = failure.text or ""
    assert "appel n° 3 · 2026-12-01T10:00:03+00:00" in text and "appel n° 5" in text
    assert "Annexe 3 § 2.1" in text and "Garder le jeton" in text
    [patience] = [c for c in nominal if c.get("name", "").startswith("patience-6s")]
    assert "appel n° 9" in (patience.findtext("system-out") or "")


def test_a_failure_is_named_by_the_rules_first_error_not_an_earlier_warning() -> None:
    warning, error = (
        Finding(
            rule="patience-6s",
            severity=severity,
            message=message,
            hint="Attendre au moins 6 s.",
            clause="Annexe 2 § 5",
            evidence=[Evidence(call=call, at="2026-12-01T10:00:00+00:00", excerpt=RECHERCHE)],
        )
        for severity, message, call in (
            (Severity.WARNING, "Abandon après 5,9 s.", 4),
            (Severity.ERROR, "Abandon après 1 s.", 8),
        )
    )
    report = _report("latence", 9, ["patience-6s"], [warning, error])
    campaign = _campaign([_scenario("latence", "Latence", report)])
    failure = ET.fromstring(render_junit(campaign, TITLES)).find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "Abandon après 1 s."
    assert "appel n° 4" in (failure.text or "") and "appel n° 8" in (failure.text or "")
    assert "✗ patience-6s — Abandon après 1 s." in _console(campaign)


def test_junit_names_a_rule_missing_from_the_titles_by_its_id() -> None:
    document = render_junit(failing(), {})
    names = [c.get("name") for c in ET.fromstring(document).iter("testcase")]
    assert "token-reuse — token-reuse" in names


# --- HTML ------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The tags, headings, header cells and text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[int] = []
        self.headers: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "th":
            self.headers.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(document: str) -> _Page:
    page = _Page()
    page.feed(document)
    page.close()
    return page


def test_html_pv_shows_identification_verdicts_evidence_and_signatures() -> None:
    document = render_html(failing(), TITLES)
    text = " ".join(_page(document).text)
    assert "Procès-verbal de recette — raccordement aux API France Travail" in text
    for fact in (
        "departement-62",
        "20241253",
        "0.1.0",
        "Rechercher usager v2 : 2.1.0",
        "python -m client --lot personas.json",
        "1 décembre 2026 à 20:50:18 (UTC)",
    ):
        assert fact in text, fact
    assert "Non conforme" in text and "non conforme (2)" in text
    assert "conforme, avec remarques (1)" in text
    # Evidence: call numbers, times and masked excerpts of the failed rules.
    for call in (3, 5, 17, 41, 42):
        assert f"<td>{call}</td>" in document
    assert "2026-12-01T10:01:00+00:00" in text and f"{RECHERCHE} 503 outage" in text
    assert "Annexe 2 § 6 — indisponibilité" in text and "Attendre 0,5 s, 1 s puis 2 s" in text
    for block in ("Pour le Département", "Pour France Travail", "Nom", "Qualité", "Signature"):
        assert block in text
    # Coverage in total: APIs, generations, codes, faults.
    assert "outage" in text and "rechercher-usager-v2, statut-usager-v2" in text


def test_html_pv_of_a_passing_campaign_says_conforme() -> None:
    text = " ".join(_page(render_html(passing(), TITLES)).text)
    assert "Conforme" in text and "Non conforme" not in text and "non conforme" not in text
    assert "aucune en échec" in text


def test_html_is_standalone_accessible_and_printable() -> None:
    document = render_html(failing(), TITLES)
    page = _page(document)
    assert document.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert "http://" not in document and "https://" not in document
    # Headings start at h1, once, and never skip a level going down.
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert page.headers and all(h.get("scope") in {"col", "row", "rowgroup"} for h in page.headers)
    assert "@media print" in document and "size:A4" in document
    assert "break-before:page" in document


def test_html_escapes_hostile_strings() -> None:
    document = render_html(failing(), TITLES)
    assert "<script>" not in document
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in document
    assert HOSTILE in " ".join(_page(document).text)


_OWN_TAGS = set(_page(render_html(failing(), TITLES)).tags)


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_any_text_stays_text_in_html_and_junit(value: str) -> None:
    finding = Finding(
        rule="token-reuse",
        severity=Severity.ERROR,
        message=value,
        hint=value,
        clause=value,
        evidence=[Evidence(call=1, at=value, excerpt=value)],
    )
    scenario = _scenario("nominal", value, _report("nominal", 1, ["token-reuse"], [finding]))
    campaign = _campaign([scenario]).model_copy(update={"client_id": value, "command": value})
    page = _page(render_html(campaign, {"token-reuse": value}))
    assert set(page.tags) <= _OWN_TAGS
    document = render_junit(campaign, {"token-reuse": value})
    SCHEMA.validate(document)
    failure = ET.fromstring(document).find("testsuite/testcase/failure")
    assert failure is not None
    expected = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "\ufffd", value)
    assert failure.get("message") == expected


# --- console ---------------------------------------------------------------------------------


def test_console_gives_scenario_lines_rule_table_evidence_and_verdict() -> None:
    out = _console(failing())
    assert "code de sortie 0" in out and "code de sortie 3" in out
    assert "14 échanges" in out and "3,2 s" in out
    assert "non conforme (2)" in out and "conforme, avec remarques (1)" in out
    assert TITLES["token-reuse"] in out
    assert f"appel n° 3 · 2026-12-01T10:00:03+00:00 · {TOKEN_CALL} 200 {TOKEN}" in out
    assert "appel n° 41" in out
    # Warnings are shown in the table, their evidence only in the other formats.
    assert "appel n° 9 " not in out
    assert "[bold]gras[/bold]" in out  # a message's brackets are text, not markup
    assert out.rstrip().splitlines()[-1].startswith("Verdict : non conforme — 3 règles en échec")


def test_console_of_a_passing_campaign() -> None:
    out = _console(passing())
    assert "non conforme" not in out
    assert out.rstrip().splitlines()[-1] == (
        "Verdict : conforme — 11 règles évaluées dans 2 scénarios, aucune en échec"
    )


def test_a_watched_client_is_said_not_launched() -> None:
    campaign = passing().model_copy(update={"command": None})
    campaign.scenarios[0].client_exit_code = None
    assert "code de sortie non lancé (observation)" in _console(campaign)
    text = " ".join(_page(render_html(campaign, TITLES)).text)
    assert "--watch" in text and "python -m client" not in text


# --- JSON, privacy, determinism --------------------------------------------------------------


@pytest.mark.parametrize("campaign", [passing(), failing()], ids=["passing", "failing"])
def test_json_round_trips_to_an_equal_campaign(campaign: Campaign) -> None:
    document = render_json(campaign)
    assert Campaign.model_validate_json(document) == campaign
    assert "é" in document  # not \u00e9


_FULL_NIR = re.compile(r"(?<![0-9])[1-478][0-9]{12}(?:[0-9]{2})?(?![0-9])")
# A token or jeton value: a long base64url run with digits in it (URL paths have slashes).
_LONG_RUN = re.compile(r"(?=[A-Za-z_\-]*[0-9])[A-Za-z0-9_\-]{32,}")


@pytest.mark.parametrize("campaign", [passing(), failing()], ids=["passing", "failing"])
def test_no_format_shows_a_full_nir_or_a_credential(campaign: Campaign) -> None:
    for output in _all_formats(campaign):
        assert FULL_NIR not in output
        assert not _FULL_NIR.search(output)
        assert not _LONG_RUN.search(output)
        assert scrub(output) == output  # nothing the sandbox's own scrubber would mask


def test_same_campaign_gives_byte_identical_outputs() -> None:
    assert _all_formats(failing()) == _all_formats(failing())
    # An equal Campaign whose maps were filled in another order renders the same.
    reordered = failing()
    reordered.contract_versions = dict(reversed(reordered.contract_versions.items()))
    for scenario in reordered.scenarios:
        report = scenario.report
        report.by_rule = dict(reversed(report.by_rule.items()))
        report.counts = dict(reversed(report.counts.items()))
    assert reordered == failing()
    assert _all_formats(reordered) == _all_formats(failing())
