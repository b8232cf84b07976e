"""Diagnostic individu: the référentiel, a person's dossier, its baseline, partner writes, history.

No HTTP here: ``sandbox.apis.diagnostic_individu`` maps these models to both API generations.
"""

from sandbox.diagnostics.models import Agent, Dossier, Version
from sandbox.diagnostics.referentiel import Referentiel, referentiel
from sandbox.diagnostics.service import DiagnosticService, HistoryKind, VersionPage

__all__ = [
    "Agent",
    "DiagnosticService",
    "Dossier",
    "HistoryKind",
    "Referentiel",
    "Version",
    "VersionPage",
    "referentiel",
]
