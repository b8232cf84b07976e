"""Dépôt de fichiers v1: upload, list, read, download and delete a client's exchange files.

Thin routes over ``sandbox.filedrop``. Not a France Travail API (so not under ``/partenaire/``):
the sandbox's stand-in for the convention's secure file-sharing service, opened by the
client's own OAuth token of either realm. A client only ever sees its own uploads (404 for
another's). Errors use the platform's legacy back-end body ``{codeErreur, codeHttp, message}``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from sandbox.apis.depot_fichiers.schemas import PREFIX, Depot, DepotDetail, ListeDepots, Rapport
from sandbox.apis.deps import Caller, RuntimeDep, any_token
from sandbox.apis.responses import BackendErrorBody, Responses, gateway_responses
from sandbox.errors import BackendError
from sandbox.exchange import ROW_MODELS
from sandbox.filedrop.service import MAX_FILE_BYTES, MAX_UPLOADS
from sandbox.findings import Report

router = APIRouter(prefix=PREFIX, tags=["Dépôt de fichiers"])

CallerDep = Annotated[Caller, Depends(any_token)]
FileKind = Literal[
    "annexe1-inscription", "annexe3-habilitations", "annexe4-pilotage", "annexe4-indicateurs"
]
if set(get_args(FileKind)) != set(ROW_MODELS):  # pragma: no cover - a new kind was added
    raise RuntimeError("FileKind must list every kind of sandbox.exchange.ROW_MODELS")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_PART = "fichier"

_NOT_FOUND: Responses = {
    404: {
        "model": BackendErrorBody,
        "description": "`ERR_DEPOT_INTROUVABLE` : ce client n'a pas (ou plus) ce dépôt — jamais "
        "déposé, supprimé, expiré (durée de conservation écoulée), ou déposé par un autre client.",
    }
}
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_FILE = {"schema": {"type": "string", "format": "binary", "minLength": 1}}
_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "Le fichier, soit comme corps brut (CSV UTF-8, UTF-8 avec BOM ou "
        "Windows-1252, `;` ou `,` ; ou XLSX), soit en `multipart/form-data` dans la partie "
        f"`{FILE_PART}`. {MAX_FILE_BYTES} octets au plus.",
        "content": {
            "text/csv": _FILE,
            XLSX: _FILE,
            "application/octet-stream": _FILE,
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FILE_PART],
                    "properties": {FILE_PART: _FILE["schema"]},
                }
            },
        },
    }
}


async def _file(request: Request) -> tuple[bytes, str | None]:
    """The uploaded bytes and the multipart file name, from a raw or a multipart body."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        return await request.body(), None
    try:
        form = await request.form()
    except (MultiPartException, ValueError, KeyError) as exc:
        raise BackendError(
            400,
            "ERR_FICHIER_ABSENT",
            "Le corps multipart est illisible",
            f"The multipart body could not be read ({str(exc)[:80]}): send the file in the "
            f"part '{FILE_PART}', or as the raw request body.",
        ) from None
    try:
        part = form.get(FILE_PART)
        if not isinstance(part, UploadFile):
            raise BackendError(
                400,
                "ERR_FICHIER_ABSENT",
                "Le fichier est vide ou absent",
                f"The multipart body has no file part '{FILE_PART}'.",
            )
        return await part.read(), part.filename
    finally:
        await form.close()


@router.post(
    "/depots",
    operation_id="deposerFichier",
    summary="Déposer un fichier d'échange (contrôlé, conservé, intégré s'il est accepté)",
    status_code=201,
    response_model=Depot,
    openapi_extra=_UPLOAD_BODY,
    responses={
        400: {
            "model": BackendErrorBody,
            "description": "`ERR_FICHIER_ABSENT` : corps vide, ou multipart sans partie "
            f"`{FILE_PART}` ; `ERR_DONNEE_INCORRECTE` : paramètre "
            "`type` hors des types connus, ou `nom` de plus de 255 caractères. Un fichier "
            "illisible (binaire, mal encodé…) n'est pas une erreur : il est conservé avec son "
            "rapport (`statut` `illisible`).",
        },
        409: {
            "model": BackendErrorBody,
            "description": f"`ERR_LIMITE_BAC_A_SABLE` : le client garde déjà {MAX_UPLOADS} "
            "dépôts (un fichier de pilotage en demande deux : son fichier d'indicateurs est "
            "conservé à côté). Supprimer des dépôts ou remettre le client à zéro.",
        },
        413: {
            "model": BackendErrorBody,
            "description": f"Fichier de plus de {MAX_FILE_BYTES} octets "
            "(`ERR_FICHIER_TROP_VOLUMINEUX`), ou corps de requête au-delà de la limite de la "
            "route (`ERR_REQUETE_TROP_VOLUMINEUSE`, README « Limits »).",
        },
        **gateway_responses(401),
    },
)
async def deposer(
    request: Request,
    caller: CallerDep,
    runtime: RuntimeDep,
    nom: Annotated[
        str | None, Query(max_length=255, description="Nom du fichier (sinon celui du multipart).")
    ] = None,
    type_fichier: Annotated[
        FileKind | None,
        Query(
            alias="type",
            description="Type du fichier (`annexe1-inscription`, `annexe3-habilitations`, "
            "`annexe4-pilotage`, `annexe4-indicateurs`) ; absent : détecté d'après l'en-tête.",
        ),
    ] = None,
) -> Depot:
    """Check the file, keep it with its report until it expires, and ingest it if accepted.

    An accepted Annexe 1 file registers its people for this client (Rechercher usager finds
    them); an accepted Annexe 4 pilot file gets its indicators file back (``depotIndicateurs``).
    """
    content, filename = await _file(request)
    upload = runtime.drop.drop(caller.client.client_id, content, nom or filename, type_fichier)
    return Depot.of(upload)


@router.get(
    "/depots",
    operation_id="listerDepots",
    summary="Lister les dépôts du client",
    response_model=ListeDepots,
    responses=gateway_responses(401),
)
async def lister(caller: CallerDep, runtime: RuntimeDep) -> ListeDepots:
    """The client's uploads still kept (expired ones are purged first), oldest first."""
    uploads = runtime.drop.uploads(caller.client.client_id)
    return ListeDepots(depots=[Depot.of(upload) for upload in uploads])


@router.get(
    "/depots/{id_depot}",
    operation_id="lireDepot",
    summary="Lire un dépôt et son rapport de contrôle",
    response_model=DepotDetail,
    responses={**_NOT_FOUND, **gateway_responses(401)},
)
async def lire(id_depot: str, caller: CallerDep, runtime: RuntimeDep) -> DepotDetail:
    """The upload's metadata and its full report (values masked)."""
    client_id = caller.client.client_id
    upload = runtime.drop.upload(client_id, id_depot)
    report = Report.model_validate(runtime.drop.report(client_id, id_depot))
    return DepotDetail(depot=Depot.of(upload), rapport=Rapport.of(report))


@router.get(
    "/depots/{id_depot}/contenu",
    operation_id="telechargerDepot",
    summary="Télécharger le fichier d'un dépôt",
    response_class=Response,
    responses={
        200: {
            "description": "Le fichier tel que déposé (ou produit par le bac à sable).",
            "content": {"text/csv": _BINARY, XLSX: _BINARY},
        },
        **_NOT_FOUND,
        **gateway_responses(401),
    },
)
async def telecharger(id_depot: str, caller: CallerDep, runtime: RuntimeDep) -> Response:
    """The bytes of the upload, as an attachment."""
    upload, content = runtime.drop.content(caller.client.client_id, id_depot)
    media = XLSX if content.startswith(b"PK\x03\x04") else "text/csv"
    return Response(
        content,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{upload.name}"',
            "Cache-Control": "no-store",
        },
    )


@router.delete(
    "/depots/{id_depot}",
    operation_id="supprimerDepot",
    summary="Supprimer un dépôt (fichier et rapport effacés)",
    status_code=204,
    response_class=Response,
    responses={**_NOT_FOUND, **gateway_responses(401)},
)
async def supprimer(id_depot: str, caller: CallerDep, runtime: RuntimeDep) -> Response:
    """Delete the upload, its bytes and its report at once."""
    runtime.drop.delete(caller.client.client_id, id_depot)
    return Response(status_code=204)
