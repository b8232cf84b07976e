"""Client-conformance campaign reports published to the sandbox by ``ft-conformance client``.

When the kit grades a client against a shared sandbox (``--base-url`` or ``--watch``), it
publishes the campaign there (``POST /_sandbox/reports/{client_id}``): its JSON result and its
HTML procès-verbal, so that a recette team finds them in the control panel without the files.

**Bounded.** Per client, the latest ``MAX_REPORTS_PER_CLIENT`` campaigns are kept (the oldest
is dropped when a newer one arrives); one report (its whole request body) is at most
``MAX_REPORT_BYTES`` (413 beyond, refused before it is read: ``sandbox.apis.limits``). A reset
of the client drops its reports. Everything goes through the state layer (``reports`` table).

**Untrusted.** The JSON and the HTML are what a caller sent: the JSON is read only for the
verdict's counts (through ``sandbox.findings.Report``, the reports' own model), the HTML is kept
as sent and served only under a sandboxing Content-Security-Policy (no script, no request).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sandbox.clock import Clock
from sandbox.errors import BackendError
from sandbox.findings import Report, Severity
from sandbox.state import StateStore, StoredReport

MAX_REPORTS_PER_CLIENT = 20
"""Campaign reports kept per client, the most recent (README "Limits")."""
MAX_REPORT_BYTES = 2 * 1024 * 1024
"""The largest published report: its request body, JSON and HTML together (README "Limits")."""


class _Scenario(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(max_length=200)
    report: Report


class _Campaign(BaseModel):
    # Only what the verdict needs: the rest of the campaign is kept as sent.
    model_config = ConfigDict(extra="ignore")

    client_id: str = Field(max_length=100)
    scenarios: list[_Scenario] = Field(max_length=200)


@dataclass(frozen=True, slots=True)
class Verdict:
    """A campaign's verdict, computed as the kit computes it (``conformance.client.render``)."""

    scenarios: int
    scenarios_failed: int
    rules_passed: int
    """Rule verdicts ``conforme`` (with or without remarks), summed over the scenarios."""
    rules_failed: int
    """Rule verdicts ``non conforme`` (an ``erreur`` finding), summed over the scenarios."""
    exit_code: int
    """The kit's exit code for this campaign: 0 passed, 1 rule failures."""

    def as_dict(self) -> dict[str, int]:
        """The stored and served form."""
        return {
            "scenarios": self.scenarios,
            "scenarios_failed": self.scenarios_failed,
            "rules_passed": self.rules_passed,
            "rules_failed": self.rules_failed,
            "exit_code": self.exit_code,
        }


def _invalid(hint: str) -> BackendError:
    return BackendError(400, "ERR_COMMANDE_INVALIDE", f"Commande invalide : {hint}", hint)


def verdict(campaign: dict[str, Any], client_id: str) -> Verdict:
    """The verdict of a campaign's JSON; 400 ``ERR_COMMANDE_INVALIDE`` if it is not one of
    ``client_id``'s campaigns."""
    try:
        parsed = _Campaign.model_validate(campaign)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise _invalid(f"campaign.{where}: {first['msg']}") from None
    if parsed.client_id != client_id:
        raise _invalid("the campaign's client_id is not the client of the path")
    failed_rules = failed_scenarios = evaluated = 0
    for scenario in parsed.scenarios:
        report = scenario.report
        rules = {*report.rules, *report.by_rule, *(f.rule for f in report.findings)}
        failing = {f.rule for f in report.findings if f.severity is Severity.ERROR}
        evaluated += len(rules)
        failed_rules += len(failing)
        failed_scenarios += report.fails(Severity.ERROR)
    return Verdict(
        scenarios=len(parsed.scenarios),
        scenarios_failed=failed_scenarios,
        rules_passed=evaluated - failed_rules,
        rules_failed=failed_rules,
        exit_code=1 if failed_scenarios else 0,
    )


class CampaignReports:
    """The published campaign reports of one instance, per client."""

    def __init__(self, store: StateStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def publish(self, client_id: str, campaign: dict[str, Any], html: str) -> StoredReport:
        """Keep a campaign of ``client_id`` (received now, virtual clock); the oldest beyond
        ``MAX_REPORTS_PER_CLIENT`` goes. Raises 400 for a JSON that is not its campaign."""
        summary = verdict(campaign, client_id).as_dict()
        at = self._clock.now()
        result = orjson.dumps(campaign).decode()
        report_id = self._store.report_add(
            client_id, at, summary, result, html, MAX_REPORTS_PER_CLIENT
        )
        return StoredReport(report_id, at, summary)

    def of_client(self, client_id: str) -> list[StoredReport]:
        """The client's kept reports, newest first (summaries only)."""
        return self._store.reports(client_id)

    def get(self, client_id: str, report_id: str) -> StoredReport:
        """One kept report with its JSON and HTML; 404 ``ERR_RAPPORT_INCONNU`` otherwise."""
        # An id is a positive SQLite integer: anything else names no report.
        well_formed = report_id.isdigit() and len(report_id) <= 18
        found = self._store.report(client_id, int(report_id)) if well_formed else None
        if found is None:
            raise BackendError(
                404,
                "ERR_RAPPORT_INCONNU",
                "Rapport inconnu pour ce client",
                f"No such report for {client_id}: GET /_sandbox/reports/{client_id} lists the "
                f"{MAX_REPORTS_PER_CLIENT} latest (older ones are dropped, a reset drops all).",
            )
        return found
