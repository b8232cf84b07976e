"""Control plane of published client-conformance reports (``sandbox.campaigns``).

``ft-conformance client`` publishes each campaign it runs against a shared sandbox here; the
control panel lists them per client and opens their procès-verbal. The HTML is served under a
sandboxing Content-Security-Policy: it is what a caller sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from sandbox.admin.router import (
    ADMIN_ERRORS,
    CLIENT_ERRORS,
    INVALID,
    AdminDep,
    KnownClientId,
    refused,
)
from sandbox.campaigns import MAX_REPORT_BYTES, MAX_REPORTS_PER_CLIENT
from sandbox.state import StoredReport
from sandbox.web import untrusted_html

PREFIX = "/_sandbox/reports"
router = APIRouter(prefix=PREFIX, tags=["Control plane"])

ReportId = Annotated[str, Path(max_length=20, description="A report id of the list.")]
_REPORT_ERRORS = refused(
    404,
    "`ERR_CLIENT_INCONNU`: unknown client id; `ERR_RAPPORT_INCONNU`: no such report kept for "
    f"the client (the {MAX_REPORTS_PER_CLIENT} latest are kept; a reset drops them).",
)


class CampaignPublication(BaseModel):
    """A campaign as ``ft-conformance client`` wrote it: its JSON and its HTML procès-verbal."""

    model_config = ConfigDict(extra="forbid")

    campaign: dict[str, Any] = Field(
        description="The campaign's JSON report (`ft-conformance client --json`); its "
        "`client_id` must be the path's."
    )
    html: str = Field(
        min_length=1, description="The campaign's HTML procès-verbal (`--html`), kept as sent."
    )


class PublishedReport(BaseModel):
    """A kept campaign report: when it arrived and its verdict."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(examples=["7"])
    client_id: str
    received_at: dt.datetime = Field(description="When the sandbox received it (virtual clock).")
    verdict: Literal["conforme", "non conforme"]
    scenarios: int
    scenarios_failed: int
    rules_passed: int = Field(description="Rule verdicts `conforme`, summed over the scenarios.")
    rules_failed: int = Field(description="Rule verdicts `non conforme`, summed over scenarios.")
    exit_code: int = Field(description="The kit's exit code: 0 passed, 1 rule failures.")
    html: str = Field(description="Where its procès-verbal is served (this control plane).")

    @classmethod
    def of(cls, client_id: str, stored: StoredReport) -> PublishedReport:
        """The control plane's view of a stored report."""
        summary = stored.summary
        return cls(
            id=str(stored.id),
            client_id=client_id,
            received_at=stored.received_at,
            verdict="conforme" if summary["exit_code"] == 0 else "non conforme",
            scenarios=summary["scenarios"],
            scenarios_failed=summary["scenarios_failed"],
            rules_passed=summary["rules_passed"],
            rules_failed=summary["rules_failed"],
            exit_code=summary["exit_code"],
            html=f"{PREFIX}/{client_id}/{stored.id}/html",
        )


class PublishedReportDetail(PublishedReport):
    """A kept campaign report with its JSON."""

    campaign: dict[str, Any] = Field(description="The campaign's JSON, as published.")


@router.post(
    "/{client_id}",
    operation_id="sandboxPublishReport",
    response_model=PublishedReport,
    status_code=201,
    responses={
        **ADMIN_ERRORS,
        **refused(
            400,
            INVALID,
            "Among them: a `campaign` that is not a campaign of `ft-conformance client` "
            "(its scenarios' reports), or of another client.",
        ),
        **CLIENT_ERRORS,
        **refused(
            413,
            f"`ERR_REQUETE_TROP_VOLUMINEUSE`: a body over {MAX_REPORT_BYTES} bytes (2 MiB), "
            "refused before it is read.",
        ),
    },
)
async def publish(
    client_id: KnownClientId, body: CampaignPublication, runtime: AdminDep
) -> PublishedReport:
    """Keep a campaign's report for the client; beyond the latest 20, the oldest is dropped."""
    stored = runtime.reports.publish(client_id, body.campaign, body.html)
    return PublishedReport.of(client_id, stored)


@router.get(
    "/{client_id}",
    operation_id="sandboxReports",
    response_model=list[PublishedReport],
    responses={**ADMIN_ERRORS, **CLIENT_ERRORS},
)
async def reports(client_id: KnownClientId, runtime: AdminDep) -> list[PublishedReport]:
    """The client's kept campaign reports, newest first."""
    return [PublishedReport.of(client_id, r) for r in runtime.reports.of_client(client_id)]


@router.get(
    "/{client_id}/{report_id}",
    operation_id="sandboxReport",
    response_model=PublishedReportDetail,
    responses={**ADMIN_ERRORS, **refused(400, INVALID), **_REPORT_ERRORS},
)
async def report(
    client_id: KnownClientId, report_id: ReportId, runtime: AdminDep
) -> PublishedReportDetail:
    """One kept report: its verdict and the campaign's JSON."""
    stored = runtime.reports.get(client_id, report_id)
    summary = PublishedReport.of(client_id, stored)
    return PublishedReportDetail(
        **summary.model_dump(), campaign=orjson.loads(stored.result or "{}")
    )


@router.get(
    "/{client_id}/{report_id}/html",
    operation_id="sandboxReportHtml",
    response_class=HTMLResponse,
    responses={
        200: {
            "description": "The procès-verbal as published, under "
            "`Content-Security-Policy: sandbox; default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:` (no script runs, nothing is fetched) and "
            "`X-Content-Type-Options: nosniff`.",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
        **ADMIN_ERRORS,
        **refused(400, INVALID),
        **_REPORT_ERRORS,
    },
)
async def report_html(
    client_id: KnownClientId, report_id: ReportId, runtime: AdminDep
) -> HTMLResponse:
    """One kept report's HTML procès-verbal, sandboxed (it is what the publisher sent)."""
    return untrusted_html(runtime.reports.get(client_id, report_id).html or "")
