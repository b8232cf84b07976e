"""Diagnostic Usager v4 (realm /agent); ``router`` gathers it with historisation, référentiel, v1.

This module serves the dossier, diagnostics, besoins, contraintes, pouvoir d'agir and autonomie
numérique. Reads answer 204 when there is nothing; writes answer what the published OpenAPI
documents: 200 (without a body, but POST /diagnostics with its idDiagnostic), 400 when the
référentiel refuses them (``ERR_DONNEE_INCORRECTE``), and POST /dossiers 204 when one of its
idDiagnostic is unknown (nothing is written then). An unknown usager (``access``) is written to
like a person without a dossier.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from sandbox.apis.diagnostic_individu.access import (
    STORAGE_LIMIT,
    WRITTEN,
    UsagerV4,
    no_content,
    ok,
    person_errors,
    person_responses,
)
from sandbox.apis.diagnostic_individu.requests import (
    EnregistrerAutonomieNumeriqueDto,
    EnregistrerBesoinsDto,
    EnregistrerContraintesDto,
    EnregistrerDiagnosticDto,
    EnregistrerDossierDto,
    EnregistrerPouvoirAgirDto,
)
from sandbox.apis.diagnostic_individu.router_historique import router as historique_router
from sandbox.apis.diagnostic_individu.router_referentiel import router as referentiel_router
from sandbox.apis.diagnostic_individu.router_v1 import router as v1_router
from sandbox.apis.diagnostic_individu.schemas import (
    AutonomieNumeriqueIndividuDto,
    BesoinsParDiagnosticIndividuDto,
    DiagnosticIndividuDto,
    DiagnosticsIndividusDto,
    DossierIndividuDto,
    PouvoirAgirIndividuDto,
    ReponseEnregistrerDiagnosticDto,
    ThematiqueContrainte,
)

V4 = "/partenaire/diagnosticargumente/v4"
TAG = "Diagnostic individu v4"
dossier_router = APIRouter(tags=[TAG])

IdDiagnostic = Annotated[
    str,
    Path(
        alias="idDiagnostic",
        max_length=64,
        description="Identifiant diagnostic non chiffré, visible sur la ressource de lecture.",
        examples=["514ca75e-5afd-403d-9fc7-5b4ba35307f7"],
    ),
]
READ = person_responses(4)
WRITE = {**WRITTEN, **person_errors(4)}
UNKNOWN_ID_IN_DOSSIER: dict[int | str, dict[str, Any]] = {
    204: {
        "description": "Un des identifiants diagnostics fournis n'a pas été trouvé pour cet usager "
        "(ou est SUPPRIME) : rien n'est enregistré. Le corps est d'abord vérifié en entier : un "
        "corps non conforme reçoit 400, quels que soient ses identifiants."
    }
}


@dossier_router.get(
    f"{V4}/dossiers",
    operation_id="recupererDossierIndividuV4",
    summary="Récupère le dossier agrégé de l'usager",
    response_model=DossierIndividuDto,
    responses=READ,
)
async def recuperer_dossier(usager: UsagerV4) -> DossierIndividuDto | Response:
    """Diagnostics with their besoins, contraintes, pouvoir d'agir, autonomie numérique."""
    dossier = usager.dossier()
    if dossier.is_empty():
        return no_content()
    return DossierIndividuDto.of(dossier)


@dossier_router.post(
    f"{V4}/dossiers",
    operation_id="enregistrerDossierV4",
    summary="Enregistre le dossier agrégé de l'usager",
    response_model=None,
    response_class=Response,
    responses={**WRITE, **UNKNOWN_ID_IN_DOSSIER},
)
async def enregistrer_dossier(body: EnregistrerDossierDto, usager: UsagerV4) -> Response:
    """All parts in one atomic write: 400 if any part does not conform, else 204 if an
    idDiagnostic is unknown (nothing written either way), else 200.

    Besoins and contraintes follow their own routes' rules: besoin 7, contrainte 22 and its
    situations and objectifs go to the autonomie numérique wherever they are written.
    """
    return ok() if usager.record_dossier(body.to_domain()) else no_content()


@dossier_router.get(
    f"{V4}/besoins",
    operation_id="recupererBesoinsIndividuV4",
    summary="Récupère les besoins de l'usager",
    response_model=list[BesoinsParDiagnosticIndividuDto],
    responses=READ,
)
async def recuperer_besoins(usager: UsagerV4) -> list[BesoinsParDiagnosticIndividuDto] | Response:
    """The besoins of every diagnostic; 204 « Aucun diagnostic »."""
    dossier = usager.dossier()
    if not dossier.diagnostics:
        return no_content()
    return [BesoinsParDiagnosticIndividuDto.of(d) for d in dossier.diagnostics]


@dossier_router.get(
    f"{V4}/diagnostics",
    operation_id="recupererDiagnosticsIndividuV4",
    summary="Récupère les diagnostics de l'usager",
    response_model=DiagnosticsIndividusDto,
    responses=READ,
)
async def recuperer_diagnostics(usager: UsagerV4) -> DiagnosticsIndividusDto | Response:
    """Every diagnostic, SUPPRIME ones included with that statut."""
    dossier = usager.dossier()
    if not dossier.diagnostics:
        return no_content()
    return DiagnosticsIndividusDto(
        diagnostics=[DiagnosticIndividuDto.of(d) for d in dossier.diagnostics]
    )


@dossier_router.post(
    f"{V4}/diagnostics",
    operation_id="creerDiagnosticV4",
    summary="Enregistre la création d'un diagnostic de l'usager",
    response_model=ReponseEnregistrerDiagnosticDto,
    responses={
        200: {
            "description": "Le diagnostic est créé : son idDiagnostic est renvoyé, usager inconnu "
            "du bac à sable compris (traité comme un usager sans dossier)."
        },
        **person_errors(4),
        **STORAGE_LIMIT,
    },
)
async def creer_diagnostic(
    body: EnregistrerDiagnosticDto, usager: UsagerV4
) -> ReponseEnregistrerDiagnosticDto:
    """A new diagnostic (estCreationPartenaire), 200 with its idDiagnostic; 400 for an empty DTO."""
    write = body.to_domain()
    created = usager.edit(lambda editor: editor.create_diagnostic(write))
    return ReponseEnregistrerDiagnosticDto(id_diagnostic=created.id)


@dossier_router.put(
    f"{V4}/diagnostics/{{idDiagnostic}}",
    operation_id="modifierDiagnosticV4",
    summary="Enregistre les modifications d'un diagnostic de l'usager",
    response_model=None,
    response_class=Response,
    responses=WRITE,
)
async def modifier_diagnostic(
    id_diagnostic: IdDiagnostic, body: EnregistrerDiagnosticDto, usager: UsagerV4
) -> Response:
    """Modify a diagnostic; 400 for an empty DTO or an unknown (or SUPPRIME) idDiagnostic."""
    write = body.to_domain()
    usager.edit(lambda editor: editor.modify_diagnostic(id_diagnostic, write))
    return ok()


@dossier_router.post(
    f"{V4}/diagnostics/{{idDiagnostic}}/besoins",
    operation_id="enregistrerBesoinV4",
    summary="Enregistre les modifications de Besoins de l'usager",
    response_model=None,
    response_class=Response,
    responses=WRITE,
)
async def enregistrer_besoins(
    id_diagnostic: IdDiagnostic, body: EnregistrerBesoinsDto, usager: UsagerV4
) -> Response:
    """Besoins of one diagnostic; 400 for an empty list or a code outside the référentiel.

    Every besoin of the référentiel is accepted, as the published DTO allows. Besoin 7 is
    recorded in the autonomie numérique (read by GET /autonomienumerique), the only resource
    whose reads show it: the besoins of a diagnostic never list it.
    """
    write = body.to_domain(id_diagnostic)
    usager.edit(lambda editor: editor.record_besoins(write))
    return ok()


@dossier_router.post(
    f"{V4}/diagnostics/{{idDiagnostic}}/priorise",
    operation_id="prioriserDiagnosticsIndividuV4",
    summary="Priorise le diagnostic de l'usager",
    response_model=None,
    response_class=Response,
    responses=WRITE,
)
async def prioriser_diagnostic(
    id_diagnostic: IdDiagnostic,
    usager: UsagerV4,
    prioritaire: Annotated[
        bool | None,
        Query(description="true : priorise ; false : dépriorise ; absent : inverse l'état actuel."),
    ] = None,
) -> Response:
    """Set or toggle the priority; 400 for an unknown idDiagnostic."""
    usager.edit(lambda editor: editor.prioritise(id_diagnostic, prioritaire))
    return ok()


@dossier_router.post(
    f"{V4}/diagnostics/{{idDiagnostic}}/supprime",
    operation_id="supprimerDiagnosticIndividuV4",
    summary="Supprime le diagnostic de l'usager",
    response_model=None,
    response_class=Response,
    responses=WRITE,
)
async def supprimer_diagnostic(id_diagnostic: IdDiagnostic, usager: UsagerV4) -> Response:
    """Mark the diagnostic SUPPRIME; 400 for an unknown idDiagnostic."""
    usager.edit(lambda editor: editor.delete(id_diagnostic))
    return ok()


@dossier_router.get(
    f"{V4}/contraintes",
    operation_id="recupererContraintesIndividuV4",
    summary="Récupère les contraintes de l'usager",
    response_model=ThematiqueContrainte,
    responses=READ,
)
async def recuperer_contraintes(usager: UsagerV4) -> ThematiqueContrainte | Response:
    """Thématique 7, contraintes 23 to 29 with every situation and objectif."""
    dossier = usager.dossier()
    if dossier.contraintes is None:
        return no_content()
    return ThematiqueContrainte.of(dossier.contraintes)


@dossier_router.post(
    f"{V4}/contraintes",
    operation_id="enregistrerContraintesV4",
    summary="Enregistre les modifications de contraintes de l'usager",
    response_model=None,
    response_class=Response,
    responses=WRITE,
)
async def enregistrer_contraintes(body: EnregistrerContraintesDto, usager: UsagerV4) -> Response:
    """Contraintes 22–29 with their situations and objectifs.

    Every contrainte of thématique 7 is accepted, as the published DTO allows; contrainte 22 and
    its situations and objectifs are recorded in the autonomie numérique (read by GET
    /autonomienumerique), the only resource whose reads show them, and GET /contraintes keeps
    listing 23–29. 400 if the three lists are empty, a code is unknown, two are prioritaire, or a
    situation or objectif belongs to a contrainte not abordée (valeur OUI, possibly set by this
    request).
    """
    write = body.to_domain()
    usager.edit(lambda editor: editor.record_contraintes(write, numerique=True))
    return ok()


@dossier_router.get(
    f"{V4}/pouvoiragir",
    operation_id="recupererPouvoirAgirV4",
    summary="Récupère les données du pouvoir d'agir de l'usager",
    response_model=PouvoirAgirIndividuDto,
    responses=READ,
)
async def recuperer_pouvoir_agir(usager: UsagerV4) -> PouvoirAgirIndividuDto | Response:
    """The two answers and resultatAnalyse, the référentiel's libellé for them.

    204 only if never answered (persona diagnostic-sans-pouvoir-agir); a generated dossier always
    has it, as in the published examples.
    """
    dossier = usager.dossier()
    if dossier.pouvoir_agir is None:
        return no_content()
    return PouvoirAgirIndividuDto.of(dossier.pouvoir_agir)


@dossier_router.post(
    f"{V4}/pouvoiragir",
    operation_id="enregistrerPouvoirAgirV4",
    summary="Enregistre les modifications du pouvoir d'agir de l'usager",
    response_model=None,
    response_class=Response,
    responses=WRITE,
)
async def enregistrer_pouvoir_agir(body: EnregistrerPouvoirAgirDto, usager: UsagerV4) -> Response:
    """Record the answers; resultatAnalyse follows from the (confiance, accompagnement) matrix."""
    usager.edit(lambda editor: editor.record_pouvoir_agir(body.confiance, body.accompagnement))
    return ok()


@dossier_router.get(
    f"{V4}/autonomienumerique",
    operation_id="recupererAutonomieNumériqueV4",
    summary="Récupère l'autonomie numérique de l'usager",
    response_model=AutonomieNumeriqueIndividuDto,
    responses=READ,
)
async def recuperer_autonomie(usager: UsagerV4) -> AutonomieNumeriqueIndividuDto | Response:
    """Contrainte 22 and besoin 7, explored or not (then NON_EXPLORE / NON_ABORDEE, agent null).

    204 only if never filled in (persona diagnostic-sans-pouvoir-agir); a generated dossier always
    has it, as in the published examples.
    """
    dossier = usager.dossier()
    if dossier.autonomie is None:
        return no_content()
    return AutonomieNumeriqueIndividuDto.of(dossier.autonomie)


@dossier_router.post(
    f"{V4}/autonomienumerique",
    operation_id="enregistrerAutonomieNumeriqueV4",
    summary="Enregistre les modifications de l'autonomie numérique de l'usager",
    response_model=None,
    response_class=Response,
    responses=WRITE,
)
async def enregistrer_autonomie(
    body: EnregistrerAutonomieNumeriqueDto, usager: UsagerV4
) -> Response:
    """Besoin 7, contrainte 22 and its situations/objectifs (only once 22 is abordée).

    Only these codes, a deliberate reading of the published DTO (its besoin and contrainte are
    « pour l'autonomie numérique », its example writes situation 46 and objectif 1 of contrainte
    22): other codes are refused (400) and go through the besoins and contraintes routes.
    """
    write = body.to_domain()
    usager.edit(lambda editor: editor.record_autonomie(write))
    return ok()


router = APIRouter()
"""Both generations of Diagnostic individu, in contract order."""
for part in (dossier_router, historique_router, referentiel_router, v1_router):
    router.include_router(part)
