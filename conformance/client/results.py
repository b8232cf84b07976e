"""A client campaign's result: one ``sandbox.findings.Report`` per scenario, and its frame.

Every client report (console, JSON, JUnit, the HTML procès-verbal) is rendered from a
``Campaign`` and nothing else. A scenario's ``Report`` has ``kind`` ``client``, ``source`` the
scenario's name, ``rows`` the exchanges graded, ``rules`` the rules evaluated in it: a rule in
``rules`` with no finding passed. Evidence inside findings is masked (journal shapes only).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from sandbox.findings import Report, Severity


class Coverage(BaseModel):
    """What a scenario's traffic exercised."""

    apis: list[str] = Field(default_factory=list, description="Les APIs appelées (identifiants).")
    generations: list[str] = Field(default_factory=list, description="`v1`, `v2`.")
    codes: list[str] = Field(
        default_factory=list,
        description="Codes retour et d'erreur reçus (`S001`, `R001`, `ERR_…`), et statuts HTTP.",
    )
    faults: list[str] = Field(default_factory=list, description="Types de faute injectés reçus.")


class ScenarioResult(BaseModel):
    """One scenario: how it was run and what was found."""

    name: str = Field(description="Identifiant stable du scénario (ex. `nominal`).")
    title: str = Field(description="Titre en français.")
    description: str = Field(description="Ce que le scénario met en place et pourquoi.")
    profile: str = Field(description="Le profil de fautes appliqué au client.")
    personas: list[str] = Field(description="Les personas remis au client (identifiants).")
    client_exit_code: int | None = Field(
        default=None, description="Code de sortie du client lancé (absent en mode `--watch`)."
    )
    duration_seconds: float = Field(description="Durée réelle du scénario.")
    coverage: Coverage = Field(default_factory=Coverage)
    report: Report


class Campaign(BaseModel):
    """A whole run of the kit against one client."""

    client_id: str
    seed: int
    sandbox_version: str
    contract_versions: dict[str, str] = Field(
        default_factory=dict,
        description="Version de chaque contrat OpenAPI servi (titre → version).",
    )
    command: str | None = Field(
        default=None, description="La commande lancée (`--run`), s'il y en a une."
    )
    started_at: str = Field(description="Début de la campagne (heure réelle, ISO 8601).")
    scenarios: list[ScenarioResult] = Field(default_factory=list)

    def passed(self) -> bool:
        """True when no scenario holds an error-severity finding."""
        return not any(s.report.fails(Severity.ERROR) for s in self.scenarios)
