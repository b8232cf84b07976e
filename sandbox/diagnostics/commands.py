"""What partners ask to write (domain commands), and the errors a refused write raises.

The API layer turns each wire DTO into one of these; ``writes.Editor`` applies them. ``None``
always means "not sent" (the current value is kept).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sandbox.diagnostics.models import (
    BesoinValeur,
    CodeSousTypologie,
    CodeTypologie,
    ContrainteValeur,
    Impact,
    ObjectifValeur,
    Reponse,
    SituationValeur,
)
from sandbox.errors import BackendError

NON_DEFINI = "NON_DEFINI"
API_PARTENAIRE = "API_PARTENAIRE"
ID_METIER_PATTERN = r"^(NON_DEFINI|[0-9a-fA-F-]{36}#[A-Za-z0-9_-]{16,})$"
ID_METIER = re.compile(ID_METIER_PATTERN)
WRITABLE_CONTRAINTE = (
    ContrainteValeur.NON_ABORDEE,
    ContrainteValeur.OUI,
    ContrainteValeur.CLOTUREE,
)


def shown(value: str) -> str:
    """A client value fit for a hint header: at most 12 characters of ``[0-9A-Za-z_-]``."""
    return re.sub(r"[^0-9A-Za-z_-]", "?", value[:12])


def invalid(hint: str) -> BackendError:
    """The 400 answer to a write the référentiel refuses."""
    return BackendError(400, "ERR_DONNEE_INCORRECTE", "Les données fournies sont incorrectes", hint)


class UnknownDiagnosticError(BackendError):
    """An idDiagnostic that is not in the person's dossier (400; POST /dossiers answers 204)."""

    def __init__(self, diagnostic_id: str) -> None:
        super().__init__(
            400,
            "ERR_DONNEE_INCORRECTE",
            "Les données fournies sont incorrectes",
            f"idDiagnostic {shown(diagnostic_id)}… is not a diagnostic of this person.",
        )


@dataclass(frozen=True, slots=True)
class DiagnosticWrite:
    """The fields of ``EnregistrerDiagnosticDto`` (None: not sent)."""

    id_metier_chiffre: str | None = None
    nom_metier: str | None = None
    code_typologie: CodeTypologie | None = None
    code_sous_typologie: CodeSousTypologie | None = None
    code_rome: str | None = None
    code_appellation: str | None = None

    def is_empty(self) -> bool:
        """No field sent."""
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class DossierDiagnosticWrite:
    """A diagnostic of ``EnregistrerDossierDto``: created when ``modified_id`` is None."""

    diagnostic: DiagnosticWrite
    modified_id: str | None = None
    prioritaire: bool | None = None


@dataclass(frozen=True, slots=True)
class BesoinsWrite:
    """Besoins explored for one diagnostic."""

    diagnostic_id: str
    explored_at: dt.datetime
    besoins: list[tuple[str, BesoinValeur]]


@dataclass(frozen=True, slots=True)
class ContrainteWrite:
    """A contrainte to record; ``prioritaire``/``impact`` None keep the current value."""

    code: str
    valeur: ContrainteValeur
    prioritaire: bool | None = None
    impact: Impact | None = None


@dataclass(frozen=True, slots=True)
class SituationWrite:
    """A situation; ``contrainte`` is set when the client nests it under its contrainte (v1)."""

    code: str
    valeur: SituationValeur
    contrainte: str | None = None


@dataclass(frozen=True, slots=True)
class ObjectifWrite:
    """An objectif; ``contrainte`` is set when the client nests it under its contrainte (v1)."""

    code: str
    valeur: ObjectifValeur
    contrainte: str | None = None


@dataclass(frozen=True, slots=True)
class ContraintesWrite:
    """An exploration of contraintes (v4 ``EnregistrerContraintesDto`` or v1 enregistrement)."""

    explored_at: dt.datetime
    contraintes: list[ContrainteWrite] = field(default_factory=list)
    situations: list[SituationWrite] = field(default_factory=list)
    objectifs: list[ObjectifWrite] = field(default_factory=list)
    sans_contrainte: bool | None = None


@dataclass(frozen=True, slots=True)
class AutonomieWrite:
    """An exploration of the autonomie numérique (besoin 7, contrainte 22)."""

    explored_at: dt.datetime
    besoin: tuple[str, BesoinValeur] | None = None
    contrainte: ContrainteWrite | None = None
    situations: list[SituationWrite] = field(default_factory=list)
    objectifs: list[ObjectifWrite] = field(default_factory=list)

    def is_empty(self) -> bool:
        """Nothing to record."""
        return not (self.besoin or self.contrainte or self.situations or self.objectifs)


@dataclass(frozen=True, slots=True)
class DossierWrite:
    """``EnregistrerDossierDto``: any of its parts."""

    diagnostics: list[DossierDiagnosticWrite] = field(default_factory=list)
    besoins: list[BesoinsWrite] = field(default_factory=list)
    contraintes: ContraintesWrite | None = None
    pouvoir_agir: tuple[Reponse, Reponse] | None = None
    autonomie: AutonomieWrite | None = None

    def is_empty(self) -> bool:
        """Nothing to record."""
        return not (self.diagnostics or self.besoins) and not any(
            (self.contraintes, self.pouvoir_agir, self.autonomie)
        )


def utc(moment: dt.datetime) -> dt.datetime:
    """An aware UTC instant (naive input is read as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
