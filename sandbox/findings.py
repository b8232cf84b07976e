"""The result model of every report of the project: exchange-file checks and client checks.

A ``Report`` says what was checked, how many findings of each severity it holds, and the findings
themselves — bounded: at most ``MAX_FINDINGS_PER_RULE`` findings are kept per rule, the rest are
only counted (``omitted``), so a file with a million bad rows still gives a report of a few
hundred kilobytes. Values in findings are always masked (``sandbox.privacy``) before they get here.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

MAX_FINDINGS_PER_RULE = 100
"""Findings kept per rule in one report; the others are counted in ``Report.omitted``."""


class Severity(StrEnum):
    """How serious a finding is, in French as the reports show it."""

    ERROR = "erreur"
    WARNING = "avertissement"
    INFO = "information"

    @property
    def rank(self) -> int:
        """2 for an error, 1 for a warning, 0 for an information (for ``--fail-on``)."""
        return _RANKS[self]


_RANKS = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


class Evidence(BaseModel):
    """One exchange of a client's journal that shows a finding (client checks)."""

    call: int = Field(description="Rang de l'échange dans le journal du client (1 = le premier).")
    at: str = Field(description="Heure de l'échange (horloge du bac à sable, ISO 8601).")
    excerpt: str = Field(
        description="L'échange en une ligne, masqué (méthode, route, statut, code, faute)."
    )


class Finding(BaseModel):
    """One thing found: which rule, where, why, and how to fix it."""

    rule: str = Field(description="Identifiant stable de la règle (ex. `missing-column`).")
    severity: Severity
    message: str = Field(description="Ce qui ne va pas, en français.")
    hint: str = Field(description="Comment corriger.")
    clause: str = Field(description="La clause de la convention que la règle fait respecter.")
    line: int | None = Field(default=None, description="Ligne du fichier (1 = l'en-tête).")
    column: str | None = Field(default=None, description="Nom de la colonne.")
    column_number: int | None = Field(
        default=None, description="Rang de la colonne (1 = première)."
    )
    value: str | None = Field(default=None, description="La valeur en cause, masquée.")
    evidence: list[Evidence] = Field(
        default_factory=list,
        description="Les échanges qui le montrent (contrôle d'un client), dans l'ordre.",
    )


class Report(BaseModel):
    """What was checked and what was found."""

    source: str = Field(description="Ce qui a été vérifié (nom du fichier).")
    kind: str | None = Field(description="Le type de fichier (ex. `annexe4-pilotage`), si reconnu.")
    encoding: str | None = None
    delimiter: str | None = None
    rows: int = Field(default=0, description="Lignes de données lues (en-tête exclu).")
    readable: bool = Field(
        default=True, description="Faux si le fichier n'a pas pu être lu comme un tableau."
    )
    rules: list[str] = Field(default_factory=list, description="Les règles appliquées.")
    counts: dict[Severity, int] = Field(default_factory=dict)
    by_rule: dict[str, int] = Field(default_factory=dict, description="Constats par règle.")
    omitted: dict[str, int] = Field(
        default_factory=dict,
        description=f"Constats comptés mais non détaillés (au-delà de {MAX_FINDINGS_PER_RULE} "
        "par règle).",
    )
    findings: list[Finding] = Field(default_factory=list)

    def add(self, finding: Finding) -> None:
        """Count a finding, and keep it unless its rule already has its share."""
        self.counts[finding.severity] = self.counts.get(finding.severity, 0) + 1
        seen = self.by_rule.get(finding.rule, 0)
        self.by_rule[finding.rule] = seen + 1
        if seen < MAX_FINDINGS_PER_RULE:
            self.findings.append(finding)
        else:
            self.omitted[finding.rule] = self.omitted.get(finding.rule, 0) + 1

    def worst(self) -> Severity | None:
        """The most serious severity found, if any."""
        present = [s for s, n in self.counts.items() if n]
        return max(present, key=lambda s: s.rank) if present else None

    def fails(self, threshold: Severity) -> bool:
        """True if a finding is at or above ``threshold``."""
        return any(n and s.rank >= threshold.rank for s, n in self.counts.items())
