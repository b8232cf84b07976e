"""diagnosticargumente v1 (realm /partenaire, convention Annexe 2 §10.3): same dossier as v4.

Attested paths (carnet-de-bord): ``GET .../v1/individus/{idRci}`` and ``.../contraintes``. The
other resources of the convention have no public path; theirs here are reconstructed on the same
pattern and say so in their description. The identifiant contains ``#``: send it URL-encoded
(``%23``).
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from sandbox.apis.diagnostic_individu.access import (
    WRITTEN,
    UsagerV1,
    no_content,
    ok,
    person_errors,
    person_responses,
)
from sandbox.apis.diagnostic_individu.requests_v1 import (
    ContraintesIndividusEnregistrementV1,
    DiagnosticsIndividusEnregistrementV1,
)
from sandbox.apis.diagnostic_individu.schemas_v1 import (
    BesoinsIndividusV1,
    BesoinsParDiagnosticIndividuDtoV1,
    ContraintesIndividusDtoV1,
    ContraintesIndividusV1,
    DiagnosticsIndividusV1,
    DossierIndividuV1,
    PouvoirAgirIndividuV1,
)
from sandbox.diagnostics import Agent

V1 = "/partenaire/diagnosticargumente/v1/individus/{identifiant}"
RECONSTRUCTED = (
    "Chemin reconstruit : la convention décrit la ressource mais aucune source publique ne donne "
    "son chemin ; il suit le motif des chemins attestés (/individus/{idRci}/contraintes)."
)
router = APIRouter(tags=["Diagnostic individu v1"])
READ = person_responses(1)
WRITE = {**WRITTEN, **person_errors(1)}


@router.get(
    V1,
    operation_id="recupererDossierIndividuV1",
    summary="Dossiers individus : diagnostics, besoins et contraintes",
    description="Chemin attesté (carnet-de-bord). Champs : ceux de carnet-de-bord "
    "(idMetierChiffre ; la convention écrit idMetier).",
    response_model=DossierIndividuV1,
    responses=READ,
)
async def dossier_v1(usager: UsagerV1) -> DossierIndividuV1 | Response:
    """The v1 dossier; 204 without diagnostics and contraintes."""
    dossier = usager.dossier()
    if not (dossier.diagnostics or dossier.contraintes):
        return no_content()
    return DossierIndividuV1(
        diagnostics=[BesoinsParDiagnosticIndividuDtoV1.of(d) for d in dossier.diagnostics],
        contraintes=ContraintesIndividusDtoV1.of(dossier.contraintes)
        if dossier.contraintes
        else None,
    )


@router.get(
    f"{V1}/contraintes",
    operation_id="recupererContraintesIndividuV1",
    summary="Contraintes individus",
    description="Chemin attesté (carnet-de-bord). Les contraintes y ont id (entier) et nom.",
    response_model=ContraintesIndividusV1,
    responses=READ,
)
async def contraintes_v1(usager: UsagerV1) -> ContraintesIndividusV1 | Response:
    """Contraintes 23 to 29 with their situations and objectifs."""
    dossier = usager.dossier()
    if dossier.contraintes is None:
        return no_content()
    return ContraintesIndividusV1.of(dossier.contraintes)


@router.post(
    f"{V1}/contraintes",
    operation_id="enregistrerContraintesIndividuV1",
    summary="Contraintes individus enregistrement",
    description=f"{RECONSTRUCTED} Situations et objectifs sont imbriqués sous leur contrainte, "
    "qui doit être abordée (valeur OUI) ; codes et valeurs du référentiel seulement (400).",
    response_model=None,
    response_class=Response,
    responses=WRITE,
)
async def enregistrer_contraintes_v1(
    body: ContraintesIndividusEnregistrementV1, usager: UsagerV1
) -> Response:
    """Record the contraintes as the conseiller idConseiller."""
    writer = usager.written_by(
        Agent(identifiant=body.id_conseiller, structure=usager.agent.structure)
    )
    write = body.to_domain()
    writer.edit(lambda editor: editor.record_contraintes(write))
    return ok()


@router.get(
    f"{V1}/besoins",
    operation_id="recupererBesoinsIndividuV1",
    summary="Besoins individus",
    description=RECONSTRUCTED,
    response_model=BesoinsIndividusV1,
    responses=READ,
)
async def besoins_v1(usager: UsagerV1) -> BesoinsIndividusV1 | Response:
    """The besoins of every diagnostic."""
    dossier = usager.dossier()
    if not dossier.diagnostics:
        return no_content()
    return BesoinsIndividusV1.of(dossier.diagnostics)


@router.get(
    f"{V1}/diagnostics",
    operation_id="recupererDiagnosticsIndividuV1",
    summary="Diagnostics individus",
    description=f"{RECONSTRUCTED} Lecture retenue du tableau de la convention, dont les "
    "descriptions sont décalées d'une ligne : la description d'un champ est celle de la ligne "
    "suivante (conseiller = nom, prénom et structure du professionnel).",
    response_model=DiagnosticsIndividusV1,
    responses=READ,
)
async def diagnostics_v1(usager: UsagerV1) -> DiagnosticsIndividusV1 | Response:
    """listeDiagnostics."""
    dossier = usager.dossier()
    if not dossier.diagnostics:
        return no_content()
    return DiagnosticsIndividusV1.of(dossier.diagnostics)


_DIAGNOSTIC_WRITE = (
    f"{RECONSTRUCTED} Corps : diagnostic, liste d'un élément {{conseiller {{nom, prenom, "
    "structure}}, idMetierChiffre, nomMetier, typologie}}. nomMetier est le libellé exact d'une "
    "appellation ROME du référentiel, typologie un libellé de typologie : jamais de texte libre."
)


@router.put(
    f"{V1}/diagnostics",
    operation_id="enregistrerDiagnosticIndividuV1",
    summary="Diagnostics individus enregistrement (modification)",
    description=f"{_DIAGNOSTIC_WRITE} Modifie le diagnostic de cet idMetierChiffre (400 s'il "
    "n'existe pas).",
    response_model=None,
    response_class=Response,
    responses=WRITE,
)
async def modifier_diagnostic_v1(
    body: DiagnosticsIndividusEnregistrementV1, usager: UsagerV1
) -> Response:
    """Update the diagnostic of an idMetierChiffre."""
    _save_diagnostic(body, usager, create=False)
    return ok()


@router.post(
    f"{V1}/diagnostics",
    operation_id="creerOuModifierDiagnosticIndividuV1",
    summary="Diagnostics individus enregistrement (création ou modification)",
    description=f"{_DIAGNOSTIC_WRITE} Modifie le diagnostic de cet idMetierChiffre, ou le crée "
    "s'il n'existe pas (idMetierChiffre NON_DEFINI ou uuid#…).",
    response_model=None,
    response_class=Response,
    responses=WRITE,
)
async def enregistrer_diagnostic_v1(
    body: DiagnosticsIndividusEnregistrementV1, usager: UsagerV1
) -> Response:
    """Update or create the diagnostic of an idMetierChiffre."""
    _save_diagnostic(body, usager, create=True)
    return ok()


def _save_diagnostic(
    body: DiagnosticsIndividusEnregistrementV1, usager: UsagerV1, create: bool
) -> None:
    item = body.diagnostic[0]
    writer = usager.written_by(item.writer(usager.agent.structure))
    writer.edit(
        lambda editor: editor.save_by_metier(
            item.id_metier_chiffre, item.nom_metier, item.typologie, create
        )
    )


@router.get(
    f"{V1}/pouvoir-agir",
    operation_id="recupererPouvoirAgirV1",
    summary="Pouvoir Agir",
    description=f"{RECONSTRUCTED} Les réponses du pouvoir d'agir de v4 pour le même usager ; 204 "
    "quand v4 n'en a pas (persona diagnostic-sans-pouvoir-agir).",
    response_model=PouvoirAgirIndividuV1,
    responses=READ,
)
async def pouvoir_agir_v1(usager: UsagerV1) -> PouvoirAgirIndividuV1 | Response:
    """pouvoirAgir {confiance, accompagnement, resultatAnalyse}."""
    dossier = usager.dossier()
    if dossier.pouvoir_agir is None:
        return no_content()
    return PouvoirAgirIndividuV1.of(dossier.pouvoir_agir)
