"""Everything one sandbox instance holds, built once from its settings."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sandbox.auth.clients import ClientRegistry
from sandbox.auth.tokens import TokenService
from sandbox.campaigns import CampaignReports
from sandbox.clock import Clock, ControlledClock, ScheduledJumps
from sandbox.control import SharedControl, SharedStreams
from sandbox.diagnostics.service import upgrade_legacy
from sandbox.faults.controller import FaultController
from sandbox.faults.profiles import load_profiles
from sandbox.filedrop import FileDrop, IngestedPeople
from sandbox.jetons import PersonReferences
from sandbox.population import Population
from sandbox.population.personas import PersonaSpec, load_personas
from sandbox.privacy import register_credentials
from sandbox.recording import Journal
from sandbox.resources import fixtures_dir
from sandbox.sealing import Sealer
from sandbox.settings import Settings, state_location
from sandbox.state import StateStore
from sandbox.suivi import Accounts, Attempts, AuditTrail
from sandbox.suivi.loading import load_habilitations

SECRET_FILE = "secret.key"
ADMIN_TOKEN_FILE = "admin.token"


@dataclass(frozen=True, slots=True)
class Runtime:
    """The services of one instance; the HTTP layer reaches them through ``app.state``."""

    settings: Settings
    clock: Clock
    population: Population
    persona_specs: dict[str, PersonaSpec]
    clients: ClientRegistry
    tokens: TokenService
    references: PersonReferences
    store: StateStore
    admin_token: str
    faults: FaultController
    journal: Journal
    ingested: IngestedPeople
    drop: FileDrop
    jumps: ScheduledJumps | None
    """Clock jumps due at a client's call number (None when the clock is not controllable)."""
    panel_sessions: Sealer
    """Seals the control panel's session cookies with the instance secret."""
    accounts: Accounts
    """Suivi de parcours accounts (Annexe 3 §1.1 files)."""
    audit: AuditTrail
    """Suivi de parcours views and edits (convention Art. 5)."""
    control: SharedControl
    """Profiles, outages and the clock as every instance on the state sees them."""
    attempts: Attempts
    """Wrong passwords and codes of the Suivi de parcours sign-in, and the locks they set."""
    reports: CampaignReports
    """Client-conformance campaigns the kit published, per client."""


def load_or_create_secret(data_dir: Path, name: str = SECRET_FILE) -> str:
    """Return a random secret kept in ``data_dir``, creating it atomically the first time.

    Several workers may start at once: each writes a temporary file and links it into place;
    ``os.link`` fails if another won the race, and everyone then reads the winner's key.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / name
    if not path.exists():
        temporary = data_dir / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        temporary.write_text(secrets.token_hex(32), encoding="ascii")
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text(encoding="ascii").strip()


def instance_secret(settings: Settings, store: StateStore, name: str) -> str:
    """A secret of the instance (``SECRET_FILE``, ``ADMIN_TOKEN_FILE``) created once: in the
    database when it is PostgreSQL (every instance on it signs and opens the same way), else in
    ``data_dir`` beside the SQLite file."""
    if store.database.postgres:
        return store.instance_secret(name, secrets.token_hex(32))
    return load_or_create_secret(settings.data_dir, name)


def build_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    """Load clients and personas, build the population and the signing services."""
    fixtures = fixtures_dir(settings.fixtures_dir)
    personas, specs = load_personas(fixtures / "personas")
    population = Population(
        settings.seed, settings.population_size, settings.population_epoch, personas
    )
    store = StateStore(state_location(settings), upgrade=upgrade_legacy)
    secret = (settings.secret_key or instance_secret(settings, store, SECRET_FILE)).encode()
    clients = ClientRegistry.from_yaml(fixtures / "clients.yaml")
    admin_token = settings.admin_token or instance_secret(settings, store, ADMIN_TOKEN_FILE)
    # A credential in a URL (a query string, a path segment) must reach no log and no journal.
    register_credentials(
        secret.decode(), admin_token, *(client.client_secret for client in clients)
    )
    clock = clock or ControlledClock()
    ingested = IngestedPeople(store, settings.seed)
    accounts = Accounts(store, secret, clock)
    if settings.habilitations is not None:
        default_client = next(iter(clients)).client_id
        load_habilitations(accounts, settings.habilitations, default_client)
    drop = FileDrop(
        store,
        clock,
        population,
        ingested,
        settings.drop_retention_days,
        client_ids=lambda: [client.client_id for client in clients],
        accounts=accounts,
    )
    jumps = ScheduledJumps(clock) if isinstance(clock, ControlledClock) else None
    faults = FaultController(
        settings.seed,
        load_profiles(settings.profiles_dir),
        settings.profile,
        SharedStreams(store),
    )
    return Runtime(
        settings=settings,
        clock=clock,
        jumps=jumps,
        population=population,
        persona_specs=specs,
        clients=clients,
        tokens=TokenService(secret),
        references=PersonReferences(secret),
        store=store,
        admin_token=admin_token,
        faults=faults,
        journal=Journal(
            store,
            secret,
            settings.journal_size,
            enabled=settings.journal,
            clients=[client.client_id for client in clients],
        ),
        ingested=ingested,
        drop=drop,
        panel_sessions=Sealer(secret, "panel-session"),
        accounts=accounts,
        audit=AuditTrail(store, clock),
        control=SharedControl(store, faults, clock, jumps),
        attempts=Attempts(store, clock),
        reports=CampaignReports(store, clock),
    )
