"""Settings of a sandbox instance: the only module that reads the environment."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ft-sandbox"


MetiersShape = Literal["objet", "liste"]
SuiviMfa = Literal["required", "optional", "off"]
"""Second factor of the Suivi de parcours tool (README "Suivi de parcours (Annexe 3)")."""
"""How Métiers recherchés / projets CREF v2 answer: the published object, or the list reading."""


class Settings(BaseSettings):
    """Everything an instance needs; defaults are the embedded case (127.0.0.1, built-in people).

    Every field can be set from the environment with the prefix ``FT_SANDBOX_`` (for example
    ``FT_SANDBOX_SEED=7``) or passed explicitly, which is what tests do.
    """

    model_config = SettingsConfigDict(env_prefix="FT_SANDBOX_", extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    seed: int = Field(default=2024253, description="Drives the whole population and every stream.")
    population_size: int = Field(default=10_000, ge=0, le=10_000_000)
    population_epoch: dt.date = Field(
        default=dt.date(2026, 1, 1),
        description="Generated civil and registration dates are laid out relative to this day.",
    )
    data_dir: Path = Field(default_factory=_default_data_dir)
    state_file: Path | None = Field(
        default=None,
        description="SQLite file of partners' writes; unset: state.sqlite3 in data_dir.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "postgresql://user:password@host:port/database: everything the instance keeps goes "
            "to that PostgreSQL database, which several instances share (needs the `postgresql` "
            "extra). Unset: the SQLite file (state_file)."
        ),
    )
    secret_key: str | None = Field(
        default=None,
        description=(
            "Signs tokens, jetons and identifiants. Unset: a random key is created once in "
            "data_dir, so values survive restarts but cannot be forged by clients."
        ),
    )
    admin_token: str | None = Field(
        default=None,
        description=(
            "Opens the control plane (/_sandbox). Unset: a random token is created once in "
            "data_dir (file admin.token); `ft-sandbox admin-token` prints it."
        ),
    )
    fixtures_dir: Path | None = Field(
        default=None, description="Overrides the shipped fixtures (clients.yaml, personas/)."
    )
    profile: str = Field(
        default="nominal",
        description="Fault profile for every client (shipped: nominal, convention-sla, degraded, "
        "outage, rate-limited, maintenance-window, chaos; or one of profiles_dir).",
    )
    profiles_dir: Path | None = Field(
        default=None, description="A directory of the user's own fault profiles (*.yaml)."
    )
    journal: bool = Field(
        default=True,
        description="The exchange journal (`off` for load tests: nothing is recorded, and the "
        "control plane says so).",
    )
    journal_size: int = Field(
        default=10_000, ge=1, le=1_000_000, description="Exchanges kept per client."
    )
    drop_retention_days: int = Field(
        default=7,
        ge=1,
        le=3650,
        description="Days an upload of the file drop is kept (virtual clock), then purged.",
    )
    access_log: bool = Field(default=False, description="Log one masked line per request.")
    metiers_shape: MetiersShape = Field(
        default="objet",
        description="200 body of Métiers recherchés / projets CREF v2: `objet`, the published "
        "single object (the first entry), or `liste`, every entry in an array (contracts/README).",
    )
    habilitations: Path | None = Field(
        default=None,
        description="An Annexe 3 §1.1 habilitation file loaded at start for the default client: "
        "one Suivi de parcours account per person (the file drop adds more).",
    )
    suivi_mfa: SuiviMfa = Field(
        default="optional",
        description="Second factor of the Suivi de parcours tool: `required` asks the TOTP code "
        "after the password, `optional` only to accounts that enrolled, `off` never.",
    )


def get_settings() -> Settings:
    """Read the settings from the environment (used by the CLI only; the app receives them)."""
    return Settings()


def state_location(settings: Settings) -> Path | str:
    """Where the instance keeps its state: the PostgreSQL URL if given, else the SQLite file."""
    return settings.database_url or settings.state_file or settings.data_dir / "state.sqlite3"
