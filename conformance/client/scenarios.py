"""The scenarios of a client campaign, as data (``scenarios.yaml``), and the personas they hand out.

A scenario is a fault profile of the sandbox, the personas given to the client, and what the
runner does during the run (an outage window from the start, a clock jump after some calls).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from sandbox.population.personas import PersonaSpec, load_personas
from sandbox.resources import fixtures_dir

_FILE = Path(__file__).with_name("scenarios.yaml")


class Scenario(BaseModel):
    """One named, documented combination of faults, personas and runner actions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    description: str
    profile: str = Field(description="A fault profile of the sandbox, given to the client.")
    personas: tuple[str, ...] = Field(min_length=1)
    generation: Literal["v1", "v2"] = "v2"
    outage_seconds: float | None = Field(
        default=None,
        gt=0,
        le=60,
        description="Every partner API unavailable this long from the start.",
    )
    clock_jump_after_calls: int | None = Field(
        default=None, ge=1, description="Advance the clock once the client made this many calls."
    )
    clock_jump_seconds: float = Field(default=0, ge=0, le=31 * 86400)
    rules: tuple[str, ...] = Field(description="The rules the scenario is there to exercise.")
    timeout_seconds: float = Field(default=120, gt=0, le=3600)


class _ScenariosFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    scenarios: list[Scenario]


@cache
def scenarios() -> dict[str, Scenario]:
    """Every scenario, in campaign order."""
    data = _ScenariosFile.model_validate(yaml.safe_load(_FILE.read_text(encoding="utf-8")))
    return {scenario.name: scenario for scenario in data.scenarios}


@cache
def _specs() -> dict[str, PersonaSpec]:
    return load_personas(fixtures_dir(None) / "personas")[1]


def persona_records(ids: tuple[str, ...]) -> list[dict[str, str]]:
    """What a client is handed for each persona: the file a département would have (synthetic)."""
    specs = _specs()
    return [
        {
            "nir": specs[p].nir,
            "dateNaissance": specs[p].date_naissance.isoformat(),
            "nom": specs[p].nom,
            "prenom": specs[p].prenom,
        }
        for p in ids
    ]
