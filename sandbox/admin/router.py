"""Control-plane routes (admin token only): health, counters, journal, reset, faults, clock.

This is how CI and the conformance kit script scenarios: choose a fault profile per client,
schedule an outage, freeze or move the clock, read what a client did, wipe its state.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sandbox.apis.deps import RuntimeDep
from sandbox.clock import ControlledClock
from sandbox.errors import BackendError, GatewayError
from sandbox.faults.controller import UnknownProfile
from sandbox.runtime import Runtime

router = APIRouter(prefix="/_sandbox", tags=["Control plane"])


async def require_admin(
    runtime: RuntimeDep,
    authorization: Annotated[str | None, Header(description="`Bearer <admin token>`")] = None,
) -> Runtime:
    """Only the admin token opens the control plane; partner tokens never do."""
    scheme, _, token = (authorization or "").partition(" ")
    valid = scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), runtime.admin_token.encode()
    )
    if not valid:
        raise GatewayError(
            401,
            "The control plane needs 'Authorization: Bearer <admin token>' "
            "(FT_SANDBOX_ADMIN_TOKEN, or `ft-sandbox admin-token`).",
            www_authenticate='Bearer realm="ft-sandbox-control"',
        )
    return runtime


AdminDep = Annotated[Runtime, Depends(require_admin)]


class Health(BaseModel):
    """What the instance serves."""

    model_config = ConfigDict(extra="forbid")

    status: str = Field(examples=["ok"])
    seed: int
    population_size: int
    personas: int


class ResetRequest(BaseModel):
    """Whose state to wipe."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1, examples=["PAR_ftsandbox_cd62"])


class ResetResult(BaseModel):
    """How many documents were removed."""

    model_config = ConfigDict(extra="forbid")

    client_id: str
    documents_removed: int


_ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Admin token missing or wrong (empty body)."}
}


@router.get("/health", operation_id="sandboxHealth", response_model=Health, responses=_ADMIN_ERRORS)
async def health(runtime: AdminDep) -> Health:
    """Instance health and population figures."""
    population = runtime.population
    return Health(
        status="ok",
        seed=population.seed,
        population_size=population.size,
        personas=len(population.personas),
    )


@router.post(
    "/reset", operation_id="sandboxReset", response_model=ResetResult, responses=_ADMIN_ERRORS
)
async def reset(body: ResetRequest, runtime: AdminDep) -> ResetResult:
    """Wipe one OAuth client's writes, journal, and fault stream (restarted from the seed)."""
    removed = runtime.store.reset(body.client_id)
    runtime.journal.forget(body.client_id)
    runtime.faults.forget(body.client_id)
    return ResetResult(client_id=body.client_id, documents_removed=removed)


def _unknown(exc: UnknownProfile) -> BackendError:
    return BackendError(400, "ERR_SCENARIO_INCONNU", exc.message_fr, "See GET /_sandbox/profiles.")


class ProfileSummary(BaseModel):
    """A fault profile."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str
    rules: list[str]


class FaultAssignments(BaseModel):
    """Which profile applies to whom."""

    model_config = ConfigDict(extra="forbid")

    default: str
    clients: dict[str, str]


class ProfileChoice(BaseModel):
    """A profile name; null gives a client back the default."""

    model_config = ConfigDict(extra="forbid")

    profile: str | None = Field(examples=["convention-sla"])


@router.get(
    "/profiles",
    operation_id="sandboxProfiles",
    response_model=list[ProfileSummary],
    responses=_ADMIN_ERRORS,
)
async def profiles(runtime: AdminDep) -> list[ProfileSummary]:
    """Every fault profile this instance knows (shipped and the user's)."""
    return [
        ProfileSummary(name=p.name, description=p.description, rules=[r.id for r in p.rules])
        for p in sorted(runtime.faults.profiles.values(), key=lambda p: p.name)
    ]


@router.get(
    "/faults",
    operation_id="sandboxFaults",
    response_model=FaultAssignments,
    responses=_ADMIN_ERRORS,
)
async def faults(runtime: AdminDep) -> FaultAssignments:
    """The default profile and the clients that have their own."""
    return FaultAssignments(
        default=runtime.faults.default.name, clients=runtime.faults.assignments()
    )


@router.put(
    "/faults",
    operation_id="sandboxSetDefaultProfile",
    response_model=FaultAssignments,
    responses={**_ADMIN_ERRORS, 400: {"description": "Unknown profile."}},
)
async def set_default_profile(body: ProfileChoice, runtime: AdminDep) -> FaultAssignments:
    """Change the profile of every client without one of its own."""
    try:
        runtime.faults.set_default(body.profile or "nominal")
    except UnknownProfile as exc:
        raise _unknown(exc) from None
    return await faults(runtime)


@router.put(
    "/faults/{client_id}",
    operation_id="sandboxSetClientProfile",
    response_model=FaultAssignments,
    responses={**_ADMIN_ERRORS, 400: {"description": "Unknown profile."}},
)
async def set_client_profile(
    client_id: str, body: ProfileChoice, runtime: AdminDep
) -> FaultAssignments:
    """Give one client its own profile (other clients are not affected)."""
    try:
        runtime.faults.set_profile(client_id, body.profile)
    except UnknownProfile as exc:
        raise _unknown(exc) from None
    return await faults(runtime)


class OutageRequest(BaseModel):
    """An unavailability window on the sandbox's clock."""

    model_config = ConfigDict(extra="forbid")

    start: dt.datetime
    end: dt.datetime
    client_id: str | None = Field(default=None, description="Only this client (default: all).")
    apis: list[str] = Field(default_factory=list, description="API ids (default: all).")

    @model_validator(mode="after")
    def _window(self) -> OutageRequest:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("start and end need a timezone")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class OutageScheduled(BaseModel):
    """The rule created for the outage."""

    model_config = ConfigDict(extra="forbid")

    rule_id: str


@router.post(
    "/outages",
    operation_id="sandboxScheduleOutage",
    response_model=OutageScheduled,
    status_code=201,
    responses={**_ADMIN_ERRORS, 400: {"description": "Invalid window."}},
)
async def schedule_outage(body: OutageRequest, runtime: AdminDep) -> OutageScheduled:
    """Partner APIs answer 503 (R999 for Recherche usager) during the window."""
    rule_id = runtime.faults.schedule_outage(body.start, body.end, body.client_id, body.apis)
    return OutageScheduled(rule_id=rule_id)


@router.delete(
    "/outages",
    operation_id="sandboxClearOutages",
    response_model=dict[str, int],
    responses=_ADMIN_ERRORS,
)
async def clear_outages(runtime: AdminDep) -> dict[str, int]:
    """Remove every scheduled outage."""
    return {"removed": runtime.faults.clear_outages()}


class ClockState(BaseModel):
    """The sandbox's clock."""

    model_config = ConfigDict(extra="forbid")

    now: dt.datetime
    frozen: bool


class ClockCommand(BaseModel):
    """freeze, unfreeze, advance (by seconds), set (to an instant), reset (to wall time)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["freeze", "unfreeze", "advance", "set", "reset"]
    seconds: float | None = None
    instant: dt.datetime | None = None

    @model_validator(mode="after")
    def _arguments(self) -> ClockCommand:
        if self.action == "advance" and self.seconds is None:
            raise ValueError("advance needs seconds")
        if self.action == "set" and (self.instant is None or self.instant.tzinfo is None):
            raise ValueError("set needs a timezone-aware instant")
        return self


def _controlled(runtime: Runtime) -> ControlledClock:
    if not isinstance(runtime.clock, ControlledClock):
        raise BackendError(
            409,
            "ERR_HORLOGE_NON_PILOTABLE",
            "L'horloge de cette instance n'est pas pilotable",
            "This instance was built with a fixed clock (tests).",
        )
    return runtime.clock


@router.get(
    "/clock", operation_id="sandboxClock", response_model=ClockState, responses=_ADMIN_ERRORS
)
async def clock(runtime: AdminDep) -> ClockState:
    """Virtual now, and whether time is frozen."""
    controlled = runtime.clock
    return ClockState(
        now=controlled.now(),
        frozen=isinstance(controlled, ControlledClock) and controlled.frozen,
    )


@router.post(
    "/clock",
    operation_id="sandboxSetClock",
    response_model=ClockState,
    responses={
        **_ADMIN_ERRORS,
        400: {"description": "Invalid command."},
        409: {"description": "Fixed clock."},
    },
)
async def set_clock(body: ClockCommand, runtime: AdminDep) -> ClockState:
    """Move time: "26 minutes later" or "next month" without waiting."""
    controlled = _controlled(runtime)
    if body.action == "freeze":
        controlled.freeze()
    elif body.action == "unfreeze":
        controlled.unfreeze()
    elif body.action == "advance" and body.seconds is not None:
        controlled.advance(body.seconds)
    elif body.action == "set" and body.instant is not None:
        controlled.set(body.instant)
    elif body.action == "reset":
        controlled.reset()
    return await clock(runtime)


@router.get(
    "/counters",
    operation_id="sandboxCounters",
    response_model=dict[str, dict[str, Any]],
    responses=_ADMIN_ERRORS,
)
async def counters(runtime: AdminDep) -> dict[str, dict[str, Any]]:
    """Calls and injected faults per client."""
    return runtime.journal.counters()


@router.get(
    "/journal/{client_id}",
    operation_id="sandboxJournal",
    response_model=list[dict[str, Any]],
    responses=_ADMIN_ERRORS,
)
async def journal(
    client_id: str, runtime: AdminDep, limit: Annotated[int, Query(ge=1, le=10_000)] = 100
) -> list[dict[str, Any]]:
    """The client's last exchanges (masked paths, virtual time, injected fault if any)."""
    return [exchange.as_dict() for exchange in runtime.journal.entries(client_id, limit)]
