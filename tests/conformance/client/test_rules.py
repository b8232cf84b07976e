"""Every client-conformance rule fails on a journal that breaks it, with evidence pointing at
the exact calls, and passes on one that respects it.

Journals are built as the sandbox writes them (``journal_builder``); expected call numbers are
those of the calls each test builds to break the rule, thresholds those of the issue's table
and of the convention (6 s: Annexe 2 §3; Retry-After: the platform's 429; 60 s token margin).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from conformance.client.checks import evaluate
from conformance.client.rules import RULE_IDS, RULES, rule
from conformance.client.traffic import Context
from sandbox.findings import Severity
from tests.conformance.client.journal_builder import (
    CONTEXT,
    OK_HEADERS,
    PARTENAIRE_SCOPES,
    RDV_V1,
    SCOPES_RECHERCHE_V2,
    STATUT_V2,
    JournalBuilder,
)

TABLE = [
    "batch-completes",
    "personas-processed",
    "token-realm",
    "token-scopes-covering",
    "token-scopes-minimal",
    "token-reuse",
    "token-renewal",
    "no-secret-in-url",
    "no-nir-in-url",
    "agent-headers",
    "jeton-from-recherche",
    "jeton-expired-reuse",
    "recherche-first",
    "no-functional-retry",
    "no-content-no-retry",
    "retry-bounded",
    "retry-backoff",
    "retry-after-honoured",
    "patience-6s",
    "outage-rate",
    "subscribed-apis",
    "rsa-only",
    "formats",
]


def evidence(
    entries: list[dict[str, Any]], rule_id: str, context: Context = CONTEXT
) -> list[list[int]]:
    """The call numbers of each finding of one rule (which must have judged something)."""
    report = evaluate(entries, context, [rule_id])
    assert rule_id in report.rules, f"{rule_id} found nothing to judge"
    return [[e.call for e in f.evidence] for f in report.findings if f.rule == rule_id]


def messages(entries: list[dict[str, Any]], rule_id: str, context: Context = CONTEXT) -> str:
    report = evaluate(entries, context, [rule_id])
    return " | ".join(f.message for f in report.findings)


def test_the_registry_holds_exactly_the_shared_table_in_order() -> None:
    assert list(RULE_IDS) == TABLE
    for entry in RULES:
        assert entry.title and entry.clause and entry.explanation and entry.hint
        assert isinstance(entry.severity, Severity)
    assert rule("patience-6s").clause.count("6 secondes") == 1
    with pytest.raises(KeyError):
        rule("inconnue")


def test_an_unknown_rule_id_is_refused() -> None:
    with pytest.raises(KeyError, match="inconnue"):
        evaluate([], CONTEXT, ["inconnue"])


def _good_client() -> JournalBuilder:
    journal = JournalBuilder()
    journal.token()
    journal.good_person("p1", "j1")
    journal.recherche("p2", code="S002", jeton=None)
    journal.good_person("p3", "j3")
    journal.statut("j3", status=204, response=None)
    return journal


def test_the_good_clients_traffic_passes_every_rule_that_applies() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.good_person("p1", "j1")
    journal.recherche("p2", code="S002", jeton=None)
    journal.recherche("p3", code="R001", jeton=None)
    journal.recherche("p4")
    journal.statut("j1", status=204, response=None)
    report = evaluate(journal.entries, CONTEXT)
    assert report.findings == []
    assert {"token-reuse", "no-functional-retry", "rsa-only", "formats"} <= set(report.rules)
    assert report.kind == "client" and report.source == "essai"
    assert report.rows == len(journal.entries)


# ---- token-realm -------------------------------------------------------------------------


def test_token_realm_fails_on_a_partenaire_token_used_on_an_agent_api() -> None:
    journal = JournalBuilder()
    journal.token("tokp", realm="/partenaire", scopes=PARTENAIRE_SCOPES)
    journal.recherche(token="tokp")
    journal.recherche("p2", token="tokp")
    assert evidence(journal.entries, "token-realm") == [[1, 2]]


def test_token_realm_passes_on_one_token_per_realm() -> None:
    journal = JournalBuilder()
    journal.token("tok1")
    journal.token("tokp", realm="/partenaire", scopes=PARTENAIRE_SCOPES)
    journal.recherche(token="tok1")
    journal.recherche_v1(token="tokp")
    assert evidence(journal.entries, "token-realm") == []


# ---- token-scopes-covering ---------------------------------------------------------------


def test_token_scopes_covering_fails_on_a_gateway_scope_refusal() -> None:
    journal = JournalBuilder()
    journal.token(scopes=SCOPES_RECHERCHE_V2)
    journal.recherche()
    journal.statut(status=403, response=None)
    assert evidence(journal.entries, "token-scopes-covering") == [[3]]


def test_token_scopes_covering_fails_on_an_invalid_scope_token_request() -> None:
    journal = JournalBuilder()
    journal.token(None, scopes=["api_rechercher-usagerv2", "api_inconnuev9"], status=400)
    journal.token(None, scopes=[], status=400)
    assert evidence(journal.entries, "token-scopes-covering") == [[1], [2]]
    assert "api_inconnuev9" in messages(journal.entries, "token-scopes-covering")


def test_token_scopes_covering_passes_on_a_token_with_every_scope() -> None:
    journal = _good_client()
    # A refusal without a realm is invalid_client, not a scope problem.
    journal.token(None, realm=None, status=400)
    assert evidence(journal.entries, "token-scopes-covering") == []


# ---- token-scopes-minimal ----------------------------------------------------------------


def test_token_scopes_minimal_fails_on_scopes_no_call_used() -> None:
    journal = JournalBuilder()
    extra = ["api_diagnosticargumentev4", "diagnosticusageragent"]
    journal.token(
        scopes=SCOPES_RECHERCHE_V2 + ["api_contrat-usagerv2", "statutcontratusager"] + extra
    )
    journal.recherche()
    journal.statut()
    assert evidence(journal.entries, "token-scopes-minimal") == [[1]]
    assert "api_diagnosticargumentev4 diagnosticusageragent" in messages(
        journal.entries, "token-scopes-minimal"
    )


def test_token_scopes_minimal_passes_on_exactly_the_scopes_of_the_apis_called() -> None:
    assert evidence(_good_client().entries, "token-scopes-minimal") == []


def test_token_scopes_minimal_does_not_judge_person_scopes_when_nobody_was_found() -> None:
    journal = JournalBuilder()
    journal.token()  # Recherche, Statut and Métiers scopes: the batch had no chance to use two
    journal.recherche(code="S002", jeton=None)
    assert evidence(journal.entries, "token-scopes-minimal") == []


# ---- token-reuse -------------------------------------------------------------------------


def test_token_reuse_fails_on_a_token_per_call() -> None:
    journal = JournalBuilder()
    journal.token("tok1")
    journal.recherche(token="tok1")
    journal.token("tok2")
    journal.recherche("p2", token="tok2")
    journal.token("tok3")
    assert evidence(journal.entries, "token-reuse") == [[1, 3], [3, 5]]


def test_token_reuse_passes_on_a_renewal_within_the_last_60_seconds() -> None:
    journal = JournalBuilder()
    journal.token("tok1")
    journal.recherche(token="tok1")
    journal.wait(1499 - 59)
    journal.token("tok2")
    journal.recherche("p2", token="tok2")
    assert evidence(journal.entries, "token-reuse") == []


def test_token_reuse_passes_on_a_renewal_after_a_refusal() -> None:
    journal = JournalBuilder()
    journal.token("tok1")
    journal.recherche(token="tok1", status=401, response=None, fault_type="token")
    journal.token("tok2")
    journal.recherche(token="tok2")
    assert evidence(journal.entries, "token-reuse") == []


def test_token_reuse_counts_each_realm_apart() -> None:
    journal = JournalBuilder()
    journal.token("tok1")
    journal.token("tokp", realm="/partenaire", scopes=PARTENAIRE_SCOPES)
    journal.recherche(token="tok1")
    journal.recherche_v1(token="tokp")
    assert evidence(journal.entries, "token-reuse") == []


# ---- token-renewal -----------------------------------------------------------------------


def test_token_renewal_fails_on_more_than_two_token_requests_after_a_refusal() -> None:
    journal = JournalBuilder(step=1.5)  # spaced: not a storm, only too many
    journal.token("tok1")
    journal.recherche(token="tok1", status=401, response=None)
    journal.token("tok2")
    journal.token("tok3")
    journal.token("tok4")
    journal.recherche(token="tok4")
    assert evidence(journal.entries, "token-renewal") == [[2, 3, 4, 5]]


def test_token_renewal_fails_on_a_storm_of_token_requests() -> None:
    journal = JournalBuilder(step=0.2)
    for _ in range(3):
        journal.token(None, status=500)
    journal.token("tok1")
    journal.recherche(token="tok1")
    assert evidence(journal.entries, "token-renewal") == [[1, 2, 3, 4]]


def test_token_renewal_passes_on_one_new_token_after_a_refusal() -> None:
    journal = JournalBuilder()
    journal.token("tok1")
    journal.recherche(token="tok1", status=401, response=None)
    journal.token("tok2")
    journal.recherche(token="tok2")
    assert evidence(journal.entries, "token-renewal") == []


def test_an_empty_agent_header_401_is_not_a_token_refusal() -> None:
    journal = JournalBuilder(step=1.5)
    journal.token("tok1")
    headers = {**OK_HEADERS, "pa-nom-agent": "empty"}
    journal.recherche(token="tok1", status=401, response=None, agent_headers=headers)
    journal.token("tok2")
    # The token was never refused: asking a new one is token-reuse's finding.
    assert evidence(journal.entries, "token-reuse") == [[1, 3]]


# ---- no-secret-in-url / no-nir-in-url ----------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "flag"), [("no-secret-in-url", "secret_in_url"), ("no-nir-in-url", "nir_in_url")]
)
def test_url_rules_fail_on_the_flagged_call_and_pass_otherwise(rule_id: str, flag: str) -> None:
    journal = JournalBuilder()
    journal.token()
    flags: dict[str, Any] = {flag: True}
    journal.statut(jeton=None, query=["nir"], **flags)
    journal.recherche()
    assert evidence(journal.entries, rule_id) == [[2]]
    assert evidence(_good_client().entries, rule_id) == []


# ---- agent-headers -----------------------------------------------------------------------


@pytest.mark.parametrize("state", ["absent", "empty", "forbidden_character"])
def test_agent_headers_fail_on_an_agent_realm_call_with_a_bad_header(state: str) -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche()
    journal.statut(agent_headers={**OK_HEADERS, "pa-identifiant-agent": state})
    assert evidence(journal.entries, "agent-headers") == [[3]]


def test_agent_headers_pass_when_every_agent_call_carries_them() -> None:
    assert evidence(_good_client().entries, "agent-headers") == []


def test_agent_headers_are_not_asked_of_partenaire_realm_apis() -> None:
    journal = JournalBuilder()
    journal.token("tokp", realm="/partenaire", scopes=PARTENAIRE_SCOPES)
    journal.recherche_v1()
    report = evaluate(journal.entries, CONTEXT, ["agent-headers"])
    assert report.rules == [] and report.findings == []


# ---- jeton-from-recherche / jeton-expired-reuse / recherche-first -------------------------


# What the platform answers a jeton it did not issue to this client (README "Behaviour").
FORGED = {"codeErreur": "ERR_JETON_USAGER_INVALIDE", "codeHttp": "<number>"}


def test_jeton_from_recherche_fails_on_a_forged_jeton() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche(jeton="j1")
    journal.statut("forge", status=401, response=FORGED)
    journal.statut("j1")
    assert evidence(journal.entries, "jeton-from-recherche") == [[3]]
    assert evidence(journal.entries, "recherche-first") == []


def test_a_genuine_jeton_kept_from_an_earlier_run_fails_recherche_first_not_forgery() -> None:
    # Accepted by the API, but no Recherche of this run handed it out: Recherche was skipped.
    journal = JournalBuilder()
    journal.token()
    journal.statut("kept")
    assert evidence(journal.entries, "recherche-first") == [[2]]
    assert evidence(journal.entries, "jeton-from-recherche") == []


def test_jeton_from_recherche_passes_on_jetons_handed_by_recherche() -> None:
    assert evidence(_good_client().entries, "jeton-from-recherche") == []


def test_jeton_expired_reuse_fails_on_a_jeton_used_after_its_expiry_refusal() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche(jeton="j1")
    expired = {"codeErreur": "ERR_JETON_USAGER_EXPIRE", "codeHttp": "<number>"}
    journal.statut("j1", status=401, response=expired)
    journal.metiers("j1")
    assert evidence(journal.entries, "jeton-expired-reuse") == [[3, 4]]


def test_jeton_expired_reuse_passes_on_a_new_recherche() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche(jeton="j1")
    expired = {"codeErreur": "ERR_JETON_USAGER_EXPIRE", "codeHttp": "<number>"}
    journal.statut("j1", status=401, response=expired)
    journal.recherche(jeton="j2")
    journal.statut("j2")
    assert evidence(journal.entries, "jeton-expired-reuse") == []


def test_recherche_first_fails_on_a_call_without_any_reference() -> None:
    journal = JournalBuilder()
    journal.token()
    absent = {"codeErreur": "ERR_JETON_USAGER_ABSENT", "codeHttp": "<number>"}
    journal.statut(None, status=400, response=absent)
    journal.recherche()
    assert evidence(journal.entries, "recherche-first") == [[2]]


def test_recherche_first_fails_on_a_reference_handed_only_later() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.statut("j1")
    journal.recherche(jeton="j1")
    assert evidence(journal.entries, "recherche-first") == [[2, 3]]
    # The jeton was handed out by this client: not forged.
    assert evidence(journal.entries, "jeton-from-recherche") == []


def test_recherche_first_fails_on_a_v1_identifiant_never_handed() -> None:
    journal = JournalBuilder()
    journal.token("tokp", realm="/partenaire", scopes=PARTENAIRE_SCOPES)
    journal.recherche_v1(identifiant="id1")
    journal.statut_v1("id-autre")
    assert evidence(journal.entries, "recherche-first") == [[3]]


def test_recherche_first_does_not_take_an_agent_realm_identifiant_for_a_v1_one() -> None:
    journal = JournalBuilder()
    journal.token()
    path = "/partenaire/activites-operationnelles/v2/activites"
    body = {
        "identifiant": "<identifiant 00000000000000ab>",
        "typeIdentifiant": "numeroFranceTravail",
    }
    journal.add(api="activites-operationnelles-v2", path=path, route=path, request=body)
    assert evaluate(journal.entries, CONTEXT, ["recherche-first"]).findings == []


def test_recherche_first_passes_when_recherche_comes_first() -> None:
    journal = JournalBuilder()
    journal.token("tokp", realm="/partenaire", scopes=PARTENAIRE_SCOPES)
    journal.recherche_v1(identifiant="id1")
    journal.statut_v1("id1")
    assert evidence(journal.entries, "recherche-first") == []
    assert evidence(_good_client().entries, "recherche-first") == []


# ---- no-functional-retry / no-content-no-retry --------------------------------------------


@pytest.mark.parametrize("code", ["S002", "S003", "R001", "R002", "R997", "R998"])
def test_no_functional_retry_fails_on_a_functional_code_replayed(code: str) -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche(code=code, jeton=None)
    journal.recherche("p2", code="S002", jeton=None)
    journal.wait(30)
    journal.recherche(code=code, jeton=None)
    assert evidence(journal.entries, "no-functional-retry") == [[2, 4]]


def test_no_functional_retry_fails_on_a_4xx_code_erreur_replayed() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche()
    refused = {"codeErreur": "ERR_USAGER_NON_RATTACHE", "codeHttp": "<number>"}
    journal.statut(status=403, response=refused)
    journal.statut(status=403, response=refused)
    assert evidence(journal.entries, "no-functional-retry") == [[3, 4]]


def test_no_functional_retry_passes_on_an_injected_r998_retried() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche(code="R998", jeton=None, fault_type="error")
    journal.wait(0.5)
    journal.recherche()
    assert evaluate(journal.entries, CONTEXT, ["no-functional-retry"]).findings == []
    assert evidence(_good_client().entries, "no-functional-retry") == []


def test_no_content_no_retry_fails_on_a_204_replayed_within_5_seconds() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche()
    journal.statut(status=204, response=None)
    journal.wait(1)
    journal.statut()
    assert evidence(journal.entries, "no-content-no-retry") == [[3, 4]]


def test_no_content_no_retry_passes_on_moving_on_or_asking_much_later() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche()
    journal.statut(status=204, response=None)
    journal.metiers()
    journal.wait(6)
    journal.statut()
    assert evidence(journal.entries, "no-content-no-retry") == []


# ---- retry-bounded / retry-backoff / retry-after-honoured ---------------------------------


def _retries(gaps: list[float], status: int = 500, **fault: Any) -> JournalBuilder:
    """A Statut usager v2 failing transiently, retried after ``gaps``, then the next call.

    A GET with its jeton: under an injected fault the journal holds no request body, so a
    retried call is recognised by its route and person reference.
    """
    journal = JournalBuilder(step=0.0)
    journal.token()
    journal.wait(0.1)
    failed = {"codeErreur": "ERR_TECHNIQUE", "codeHttp": "<number>"}
    journal.statut("j1", status=status, response=failed, fault_type="error", **fault)
    for gap in gaps:
        journal.wait(gap)
        journal.statut("j1", status=status, response=failed, fault_type="error", **fault)
    journal.wait(0.1)
    journal.metiers("j1")
    return journal


def test_retry_bounded_fails_on_a_fourth_retry() -> None:
    journal = _retries([0.5, 1, 2, 4])
    assert evidence(journal.entries, "retry-bounded") == [[2, 3, 4, 5, 6]]


def test_calls_whose_body_the_journal_does_not_hold_are_never_the_same_request() -> None:
    journal = JournalBuilder(step=0.5)
    journal.token()
    for _ in range(6):
        journal.recherche(code="R999", jeton=None, fault_type="error", request=None)
    assert evaluate(journal.entries, CONTEXT, ["retry-bounded"]).findings == []


def test_retry_bounded_passes_on_three_retries() -> None:
    assert evidence(_retries([0.5, 1, 2]).entries, "retry-bounded") == []


def test_retry_bounded_counts_a_pause_of_a_circuit_breaker_as_a_new_attempt() -> None:
    # 3 retries, a 5 s pause, then a probe: not a fourth retry.
    assert evidence(_retries([0.5, 1, 2, 5]).entries, "retry-bounded") == []


def test_retry_backoff_fails_on_an_immediate_retry() -> None:
    assert evidence(_retries([0.1]).entries, "retry-backoff") == [[2, 3]]


def test_retry_backoff_fails_on_gaps_that_do_not_grow() -> None:
    assert evidence(_retries([1, 1, 1]).entries, "retry-backoff") == [[3, 4]]


def test_retry_backoff_passes_on_exponential_back_off() -> None:
    assert evidence(_retries([0.5, 1, 2]).entries, "retry-backoff") == []


def test_retry_backoff_accepts_constant_gaps_that_honour_retry_after() -> None:
    journal = _retries([3, 3, 3], status=503, retry_after=3)
    assert evidence(journal.entries, "retry-backoff") == []


def test_retry_after_honoured_fails_on_a_call_before_the_delay() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche(code="S001", jeton="j1")
    journal.recherche(
        "p2", status=429, response="<text 17 bytes>", fault_type="rate_limit", retry_after=2
    )
    journal.wait(0.5)
    journal.recherche("p2")
    assert evidence(journal.entries, "retry-after-honoured") == [[3, 4]]


def test_retry_after_honoured_passes_on_waiting_or_calling_another_api() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche(jeton="j1")
    journal.recherche(
        "p2", status=429, response="<text 17 bytes>", fault_type="rate_limit", retry_after=2
    )
    journal.statut("j1")  # another API: its own quota
    journal.wait(2.05)
    journal.recherche("p2")
    assert evidence(journal.entries, "retry-after-honoured") == []


# ---- patience-6s -------------------------------------------------------------------------


def test_patience_fails_on_a_call_abandoned_after_2_seconds() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche(
        status=None,
        response=None,
        outcome="client_disconnected",
        duration_ms=2000.0,
        fault_type="latency",
    )
    assert evidence(journal.entries, "patience-6s") == [[2]]
    assert "2,0 s" in messages(journal.entries, "patience-6s")


def test_patience_passes_on_a_client_that_waits_10_seconds() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche(
        status=None,
        response=None,
        outcome="client_disconnected",
        duration_ms=10000.0,
        fault_type="timeout",
    )
    journal.recherche(duration_ms=5900.0, fault_type="latency")
    assert evidence(journal.entries, "patience-6s") == []


# ---- outage-rate -------------------------------------------------------------------------


def _outage(journal: JournalBuilder, person: str) -> int:
    return journal.recherche(person, code="R999", jeton=None, fault_type="outage")


def test_outage_rate_fails_on_a_storm_during_an_outage() -> None:
    journal = JournalBuilder(step=0.2)
    journal.token()
    calls = [_outage(journal, f"p{n}") for n in range(12)]
    assert evidence(journal.entries, "outage-rate") == [calls]


def test_outage_rate_fails_on_too_many_calls_about_one_person() -> None:
    journal = JournalBuilder(step=1.2)
    journal.token()
    calls = [_outage(journal, "p1") for _ in range(17)]
    assert evidence(journal.entries, "outage-rate") == [calls]


def test_outage_rate_passes_on_the_good_clients_backoff_and_circuit_breaker() -> None:
    journal = JournalBuilder(step=0.0)
    journal.token()
    for person in ("p1", "p2"):
        for gap in (0.0, 0.5, 1.0, 2.0):
            journal.wait(gap)
            _outage(journal, person)
    for _ in range(11):  # one probe every 5 s for the rest of the minute
        journal.wait(5)
        _outage(journal, "p3")
    assert evidence(journal.entries, "outage-rate") == []


# ---- subscribed-apis ---------------------------------------------------------------------


def test_subscribed_apis_fails_on_an_api_the_client_did_not_subscribe() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche()
    journal.add(
        api="rendez-vous-partenaire-v1", path=RDV_V1, route=RDV_V1, token="tok1", status=403
    )
    journal.add(path="/partenaire/inexistante/v1/x", token="tok1", status=404)
    assert evidence(journal.entries, "subscribed-apis") == [[3], [4]]
    assert "Rendez-vous partenaire v1" in messages(journal.entries, "subscribed-apis")


def test_subscribed_apis_passes_on_subscribed_apis_and_is_not_judged_without_a_subscription() -> (
    None
):
    assert evidence(_good_client().entries, "subscribed-apis") == []
    unknown = replace(CONTEXT, scopes=frozenset())
    assert evaluate(_good_client().entries, unknown, ["subscribed-apis"]).rules == []


# ---- rsa-only ----------------------------------------------------------------------------


def test_rsa_only_fails_on_a_call_after_an_out_of_perimeter_answer() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche()
    out = {"codeErreur": "ERR_USAGER_HORS_PERIMETRE", "codeHttp": "<number>"}
    journal.statut(status=403, response=out)
    journal.metiers()
    assert evidence(journal.entries, "rsa-only") == [[3, 4]]


def test_rsa_only_fails_on_another_search_of_a_person_answered_r001() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche("p1", code="R001", jeton=None)
    journal.recherche_v1("p1")  # the same person, through the other generation
    journal.recherche("p1", code="R001", jeton=None)  # the same request: no-functional-retry's
    assert evidence(journal.entries, "rsa-only") == [[2, 3]]


def test_rsa_only_passes_when_the_client_stops_the_person() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche("p1", code="R001", jeton=None)
    journal.good_person("p2", "j2")
    assert evidence(journal.entries, "rsa-only") == []


# ---- formats -----------------------------------------------------------------------------


def test_formats_fail_on_a_date_or_a_nir_out_of_format_or_a_r997() -> None:
    journal = JournalBuilder()
    journal.token()
    journal.recherche("p1", date="<date JJ/MM/AAAA>")
    journal.recherche("p2", nir="<nir 2900362****** 0123456789abcdef>")
    journal.recherche("p3", code="R997", jeton=None, nir="<string>")
    journal.recherche("p4")
    assert evidence(journal.entries, "formats") == [[2], [3], [4]]
    text = messages(journal.entries, "formats")
    assert "<date JJ/MM/AAAA>" in text and "13 caractères" in text and "R997" in text


def test_formats_pass_on_documented_formats() -> None:
    assert evidence(_good_client().entries, "formats") == []


def test_statut_route_is_the_published_one() -> None:
    # A guard on the builder itself: the journal's route template of Statut usager v2.
    assert STATUT_V2 == "/partenaire/contrat-usager/v2/contrat"
