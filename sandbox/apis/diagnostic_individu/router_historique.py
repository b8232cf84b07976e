"""Historisation routes of Diagnostic Usager v4: the client's writes, one version per write.

Only this client's writes have a history (generated data has none): 204 until it writes.
``dateDebut``/``dateFin`` (``yyyy-MM-dd'T'HH:mm:ss``, read as UTC, ``dateFin`` inclusive to the
second) bound the recording instant; an empty period answers 204. ``donneesParPage`` 1–100
(default 10), ``pageActuelle`` ≥ 1 (default 1); outside these bounds, or an impossible date: 400.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel

from sandbox.apis.diagnostic_individu.access import UsagerV4, no_content, person_responses
from sandbox.apis.diagnostic_individu.schemas_historique import (
    AutonomieNumeriqueHistorisationDto,
    BesoinsIndividuHistorisationDto,
    ContraintesIndividuHistorisationDto,
    DiagnosticIndividuHistorisationDto,
    DiagnosticsIndividuHistorisationDto,
    DossierIndividuHistorisationDto,
    HistoryRequest,
    PageHistorisation,
    PageHistorisationAutonomieNumeriqueDto,
    PageHistorisationBesoinsIndividuDto,
    PageHistorisationContraintesIndividuDto,
    PageHistorisationDiagnosticsIndividuDto,
    PageHistorisationDossierIndividuDto,
    PageHistorisationPouvoirAgirIndividuDto,
    PouvoirAgirIndividuHistorisationDto,
    page_of,
)
from sandbox.diagnostics import HistoryKind, Version
from sandbox.diagnostics.commands import invalid
from sandbox.diagnostics.models import AutonomieChange, BesoinsChange, ContraintesChange

V4 = "/partenaire/diagnosticargumente/v4"
router = APIRouter(tags=["Diagnostic individu v4 — historisation"])
D = TypeVar("D", bound=BaseModel)
_FORMAT = "%Y-%m-%dT%H:%M:%S"
# Exactly the valid calendar instants (leap years included), so the contract says what is valid.
_DATE = (
    r"^(?:[1-9]\d{3}-(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])"
    r"|[1-9]\d{3}-(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"
    r"|[1-9]\d{3}-02-(?:0[1-9]|1\d|2[0-8])"
    r"|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)"
    r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$"
)


def _instant(value: str | None, name: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, _FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        raise invalid(f"{name} is not a date yyyy-MM-dd'T'HH:mm:ss.") from None


def history_request(
    date_debut: Annotated[
        str | None,
        Query(
            alias="dateDebut", pattern=_DATE, description="Début de période, yyyy-MM-dd'T'HH:mm:ss."
        ),
    ] = None,
    date_fin: Annotated[
        str | None,
        Query(alias="dateFin", pattern=_DATE, description="Fin de période, yyyy-MM-dd'T'HH:mm:ss."),
    ] = None,
    donnees_par_page: Annotated[
        int, Query(alias="donneesParPage", ge=1, le=100, description="Par défaut 10, au plus 100.")
    ] = 10,
    page_actuelle: Annotated[
        int, Query(alias="pageActuelle", ge=1, description="Par défaut 1.")
    ] = 1,
) -> HistoryRequest:
    """The period and page of a historisation request."""
    # dateDebut after dateFin is an empty period: 204, like any period without data.
    start = _instant(date_debut, "dateDebut")
    end = _instant(date_fin, "dateFin")
    return HistoryRequest(start=start, end=end, page=page_actuelle, per_page=donnees_par_page)


HistoryQuery = Annotated[HistoryRequest, Depends(history_request)]


def _page(
    envelope: type[PageHistorisation[D]],
    usager: UsagerV4,
    query: HistoryRequest,
    kind: HistoryKind,
    convert: Callable[[Version], D],
    diagnostic_id: str | None = None,
) -> PageHistorisation[D] | Response:
    end = query.end + dt.timedelta(microseconds=999_999) if query.end else None
    found = usager.versions(
        kind,
        diagnostic_id=diagnostic_id,
        start=query.start,
        end=end,
        page=query.page,
        per_page=query.per_page,
    )
    if not found.total:
        return no_content()
    return page_of(envelope, found, query, [convert(v) for v in found.versions])


@router.get(
    f"{V4}/dossiers/historisation",
    operation_id="recupererDossierIndividuHistorisationV4",
    summary="Récupère les données historisées du dossier de l'usager",
    response_model=PageHistorisationDossierIndividuDto,
    responses=person_responses(4),
)
async def historique_dossier(
    usager: UsagerV4, query: HistoryQuery
) -> PageHistorisation[DossierIndividuHistorisationDto] | Response:
    """Every write of the client, whatever it changed."""
    return _page(
        PageHistorisationDossierIndividuDto,
        usager,
        query,
        HistoryKind.DOSSIER,
        DossierIndividuHistorisationDto.of,
    )


@router.get(
    f"{V4}/historisation/autonomienumerique",
    operation_id="recupererAutonomieNumeriqueHistorisationV4",
    summary="Récupère les données historisées de l'autonomie numérique de l'usager",
    response_model=PageHistorisationAutonomieNumeriqueDto,
    responses=person_responses(4),
)
async def historique_autonomie(
    usager: UsagerV4, query: HistoryQuery
) -> PageHistorisation[AutonomieNumeriqueHistorisationDto] | Response:
    """Writes that changed the autonomie numérique."""
    return _page(
        PageHistorisationAutonomieNumeriqueDto,
        usager,
        query,
        HistoryKind.AUTONOMIE,
        lambda v: AutonomieNumeriqueHistorisationDto.of(v.autonomie or AutonomieChange()),
    )


@router.get(
    f"{V4}/historisation/contraintes",
    operation_id="recupererContraintesIndividuHistorisationV4",
    summary="Récupère les données historisées des contraintes de l'usager",
    response_model=PageHistorisationContraintesIndividuDto,
    responses=person_responses(4),
)
async def historique_contraintes(
    usager: UsagerV4, query: HistoryQuery
) -> PageHistorisation[ContraintesIndividuHistorisationDto] | Response:
    """Writes that changed contraintes, situations or objectifs."""
    return _page(
        PageHistorisationContraintesIndividuDto,
        usager,
        query,
        HistoryKind.CONTRAINTES,
        lambda v: ContraintesIndividuHistorisationDto.of(v.contraintes or ContraintesChange()),
    )


@router.get(
    f"{V4}/historisation/diagnostics",
    operation_id="recupererDiagnosticsIndividuHistorisationV4",
    summary="Récupère les données historisées des diagnostics de l'usager",
    response_model=PageHistorisationDiagnosticsIndividuDto,
    responses=person_responses(4),
)
async def historique_diagnostics(
    usager: UsagerV4, query: HistoryQuery
) -> PageHistorisation[DiagnosticsIndividuHistorisationDto] | Response:
    """Writes that created or changed diagnostics (their state after the write)."""
    return _page(
        PageHistorisationDiagnosticsIndividuDto,
        usager,
        query,
        HistoryKind.DIAGNOSTICS,
        lambda v: DiagnosticsIndividuHistorisationDto(
            diagnostics=[DiagnosticIndividuHistorisationDto.of(d) for d in v.diagnostics]
        ),
    )


@router.get(
    f"{V4}/historisation/diagnostics/{{idDiagnostic}}/besoins",
    operation_id="recupererBesoinsIndividuHistorisationV4",
    summary="Récupère les données historisées des besoins de l'usager",
    response_model=PageHistorisationBesoinsIndividuDto,
    responses=person_responses(4),
)
async def historique_besoins(
    usager: UsagerV4,
    query: HistoryQuery,
    id_diagnostic: Annotated[str, Path(alias="idDiagnostic", max_length=64)],
) -> PageHistorisation[BesoinsIndividuHistorisationDto] | Response:
    """Writes that changed the besoins of one diagnostic."""

    def besoins(version: Version) -> BesoinsIndividuHistorisationDto:
        changes = [b for b in version.besoins if b.diagnostic_id == id_diagnostic]
        merged = BesoinsChange(
            diagnostic_id=id_diagnostic, besoins=[i for c in changes for i in c.besoins]
        )
        return BesoinsIndividuHistorisationDto.of(merged)

    return _page(
        PageHistorisationBesoinsIndividuDto,
        usager,
        query,
        HistoryKind.BESOINS,
        besoins,
        diagnostic_id=id_diagnostic,
    )


@router.get(
    f"{V4}/historisation/pouvoiragir",
    operation_id="recupererPouvoirAgirHistorisationV4",
    summary="Récupère les données historisées du pouvoir d'agir de l'usager",
    response_model=PageHistorisationPouvoirAgirIndividuDto,
    responses=person_responses(4),
)
async def historique_pouvoir_agir(
    usager: UsagerV4, query: HistoryQuery
) -> PageHistorisation[PouvoirAgirIndividuHistorisationDto] | Response:
    """Writes of the pouvoir d'agir."""

    def pouvoir(version: Version) -> PouvoirAgirIndividuHistorisationDto:
        assert version.pouvoir_agir is not None
        return PouvoirAgirIndividuHistorisationDto.of(version.pouvoir_agir)

    return _page(
        PageHistorisationPouvoirAgirIndividuDto,
        usager,
        query,
        HistoryKind.POUVOIR_AGIR,
        pouvoir,
    )
