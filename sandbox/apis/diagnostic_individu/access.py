"""Dependencies of both generations: the person a request is about, seen by one client.

v4: gateway token of realm /agent, ``pa-*`` headers (they also name the agent who writes), then
``ft-jeton-usager``. v1: gateway token of realm /partenaire, then the identifiant of the path
(clients send it URL-encoded, ``#`` as ``%23``). Both then apply Annexe 3 §1.2 (RSA only).

A valid jeton or identifiant whose person the population no longer holds (its size or personas
changed since it was issued) names an "unknown usager": the platform only issues jetons for
people it knows, and its published writes answer 200, so the sandbox treats that usager as a
person without a dossier: reads answer 204 until a write, writes go through (200).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Response

from sandbox.apis.deps import (
    AgentDep,
    Caller,
    JetonHeader,
    RuntimeDep,
    key_from_identifiant,
    key_from_jeton,
    person_or_none,
    readable_by,
    require,
)
from sandbox.apis.responses import BackendErrorBody, gateway_responses
from sandbox.auth.scopes import Api
from sandbox.diagnostics import Agent, DiagnosticService, Dossier, HistoryKind, VersionPage
from sandbox.diagnostics.commands import DossierWrite, UnknownDiagnosticError
from sandbox.diagnostics.service import Subject
from sandbox.diagnostics.writes import Editor
from sandbox.runtime import Runtime

T = TypeVar("T")

CallerV4 = Annotated[Caller, Depends(require(Api.DIAGNOSTIC_V4))]
CallerV1 = Annotated[Caller, Depends(require(Api.DIAGNOSTIC_V1))]

_PERSON_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "model": BackendErrorBody,
        "description": "Données non conformes (ERR_DONNEE_INCORRECTE : code ou valeur hors "
        "référentiel, liste vide…) ; jeton usager ou identifiant absent.",
    },
    401: {
        "model": BackendErrorBody,
        "description": "Jeton d'accès refusé par la passerelle (corps vide), ou jeton usager / "
        "identifiant invalide ou expiré (ERR_JETON_USAGER_*, ERR_IDENTIFIANT_*).",
    },
    403: {
        "model": BackendErrorBody,
        "description": "Scopes insuffisants (corps vide) ; jeton délivré à une autre application "
        "(ERR_JETON_USAGER_NON_AUTORISE) ; usager non allocataire du RSA "
        "(ERR_USAGER_HORS_PERIMETRE, convention Annexe 3 §1.2) ; usager rattaché à un autre "
        "département que l'accédant (ERR_USAGER_NON_RATTACHE, la règle R002 de Recherche "
        "usager, appliquée à chaque appel : l'identifiant v1 est le même pour tous les clients).",
    },
}


def person_errors(generation: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries of every person route: gateway, jeton/identifiant, périmètre."""
    entries: dict[int | str, dict[str, Any]] = dict(_PERSON_ERRORS)
    if generation == 4:
        entries.update(gateway_responses(302))
    return entries


def person_responses(generation: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries of a person read: 204 (nothing found), then the errors."""
    return {
        204: {
            "description": "Aucune donnée n'a été trouvée pour cet usager (pas de corps), "
            "usager inconnu du bac à sable compris."
        },
        **person_errors(generation),
    }


def no_content() -> Response:
    """204: nothing to answer (or nothing written)."""
    return Response(status_code=204)


def ok() -> Response:
    """200 without a body: the write went through."""
    return Response(status_code=200)


STORAGE_LIMIT: dict[int | str, dict[str, Any]] = {
    409: {
        "model": BackendErrorBody,
        "description": "Limite du bac à sable atteinte (ERR_LIMITE_BAC_A_SABLE, propre au bac à "
        "sable) : 100 diagnostics par usager, 20 000 versions par usager, 250 000 versions et "
        "50 000 usagers par client ; rien n'est enregistré. Réinitialiser l'état du client "
        "(POST /_sandbox/reset).",
    },
}
WRITTEN: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "L'enregistrement des données s'est bien déroulé (pas de corps), usager "
        "inconnu du bac à sable compris : il est traité comme un usager sans dossier."
    },
    **STORAGE_LIMIT,
}


def service_of(runtime: Runtime) -> DiagnosticService:
    """The dossiers service of an instance."""
    population = runtime.population
    return DiagnosticService(runtime.store, population.seed, population.epoch, runtime.clock)


@dataclass(frozen=True, slots=True)
class Usager:
    """The person of a request, as one client sees it, and who writes for that client.

    ``subject`` is the person, or the key of an unknown usager (see the module docstring).
    """

    service: DiagnosticService
    client_id: str
    subject: Subject
    agent: Agent

    def dossier(self) -> Dossier:
        """The client's dossier of the usager (empty for an unknown usager nobody wrote to)."""
        return self.service.dossier(self.client_id, self.subject)

    def edit(self, change: Callable[[Editor], T]) -> T:
        """Apply and store a write; returns what ``change`` returns."""
        return self.service.edit(self.client_id, self.subject, self.agent, change)

    def record_dossier(self, write: DossierWrite) -> bool:
        """Store a whole-dossier write; False (204, nothing stored) for an unknown idDiagnostic."""
        try:
            self.edit(lambda editor: editor.record_dossier(write))
        except UnknownDiagnosticError:
            return False
        return True

    def versions(self, kind: HistoryKind, **query: Any) -> VersionPage:
        """The client's history of one kind."""
        return self.service.versions(self.client_id, self.subject, kind, **query)

    def written_by(self, agent: Agent) -> Usager:
        """The same person, written to by another agent (v1 bodies name their conseiller)."""
        return dataclasses.replace(self, agent=agent)


async def usager_v4(
    caller: CallerV4, agent: AgentDep, runtime: RuntimeDep, ft_jeton_usager: JetonHeader
) -> Usager:
    """Gateway, pa-* headers, then the jeton's person, readable by the caller."""
    key = key_from_jeton(runtime, caller, ft_jeton_usager)
    person = readable_by(person_or_none(runtime, key), caller)
    return Usager(
        service=service_of(runtime),
        client_id=caller.client.client_id,
        subject=key if person is None else person,
        agent=Agent(
            identifiant=agent.identifiant,
            nom=agent.nom,
            prenom=agent.prenom,
            structure=caller.client.nom,
        ),
    )


async def usager_v1(
    caller: CallerV1,
    runtime: RuntimeDep,
    identifiant: Annotated[
        str,
        Path(
            description="Identifiant national chiffré (idRci) de Recherche usager v1, encodé dans "
            "l'URL (# devient %23).",
        ),
    ],
) -> Usager:
    """Gateway, then the identifiant's person, readable by the caller."""
    key = key_from_identifiant(runtime, identifiant, "the URL path segment {identifiant}")
    person = readable_by(person_or_none(runtime, key), caller)
    return Usager(
        service=service_of(runtime),
        client_id=caller.client.client_id,
        subject=key if person is None else person,
        agent=Agent(structure=caller.client.nom),
    )


UsagerV4 = Annotated[Usager, Depends(usager_v4)]
UsagerV1 = Annotated[Usager, Depends(usager_v1)]
