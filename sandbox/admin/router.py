"""Control-plane routes (admin token only): health, counters, journal, reset, faults, clock.

This is how CI and the conformance kit script scenarios: choose a fault profile per client,
schedule an outage, freeze or move the clock, read what a client did, wipe its state.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from sandbox.apis.deps import RuntimeDep
from sandbox.apis.responses import BackendErrorBody
from sandbox.auth.scopes import Api
from sandbox.clock import (
    EARLIEST,
    LATEST,
    MAX_JUMP_CALLS,
    MAX_JUMP_SECONDS,
    ClockRangeError,
    ControlledClock,
    ScheduledJumps,
    within_range,
)
from sandbox.errors import BackendError, GatewayError
from sandbox.faults.controller import (
    MAX_OUTAGE_LENGTH,
    MAX_OUTAGES,
    TooManyOutages,
    UnknownProfile,
)
from sandbox.runtime import Runtime

router = APIRouter(prefix="/_sandbox", tags=["Control plane"])


async def require_admin(
    runtime: RuntimeDep,
    authorization: Annotated[
        str | SkipJsonSchema[None], Header(description="`Bearer <admin token>`")
    ] = None,
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

ISO_DATE_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T")
RANGE = f"{EARLIEST:%Y-%m-%dT%H:%M:%SZ} to {LATEST:%Y-%m-%dT%H:%M:%SZ}"


def _instant_text(value: object) -> object:
    # Pydantic would read a number, or a string of digits, as epoch seconds.
    if not isinstance(value, str) or not ISO_DATE_TIME.match(value):
        raise ValueError("an ISO 8601 date-time string with a timezone is expected")
    return value


def _instant_in_range(instant: dt.datetime) -> dt.datetime:
    if not within_range(instant):
        raise ValueError(f"the instant must lie within {RANGE}")
    return instant


Instant = Annotated[
    AwareDatetime,
    BeforeValidator(_instant_text),
    AfterValidator(_instant_in_range),
    Field(description=f"ISO 8601 with a timezone, within {RANGE}."),
]
"""An instant of the control plane: a timezone-aware string within the clock's range."""


def known_client(runtime: Runtime, client_id: str) -> str:
    """A client id of the instance's registry; 404 ``ERR_CLIENT_INCONNU`` otherwise."""
    if runtime.clients.get(client_id) is None:
        raise BackendError(
            404,
            "ERR_CLIENT_INCONNU",
            "Client inconnu ; GET /_sandbox/clients donne la liste des clients",
            "No such client: GET /_sandbox/clients lists them (fixtures/clients.yaml).",
        )
    return client_id


async def _path_client(runtime: AdminDep, client_id: Annotated[str, Path(max_length=100)]) -> str:
    return known_client(runtime, client_id)


KnownClientId = Annotated[str, Depends(_path_client)]

Responses = dict[int | str, dict[str, Any]]


def refused(status: int, *causes: str) -> Responses:
    """One documented refusal of the control plane, in the legacy ``codeErreur`` body."""
    return {status: {"model": BackendErrorBody, "description": " ".join(causes)}}


INVALID = (
    "`ERR_COMMANDE_INVALIDE`: a body, path or query value outside this contract (the message "
    "and the `X-Sandbox-Hint` header say which)."
)
CLIENT_ERRORS = refused(
    404, "`ERR_CLIENT_INCONNU`: unknown client id (GET /_sandbox/clients lists them)."
)
_UNKNOWN_PROFILE = "`ERR_SCENARIO_INCONNU`: unknown profile (GET /_sandbox/profiles lists them)."


class Health(BaseModel):
    """What the instance serves."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["ok", "unavailable"] = Field(
        examples=["ok"],
        description="`unavailable` (and status 503) when the database does not answer: a load "
        "balancer polling this route takes the instance out until it does again.",
    )
    database: Literal["sqlite", "postgresql"] = Field(
        description="Where the instance keeps its state (FT_SANDBOX_DATABASE_URL for PostgreSQL)."
    )
    database_reachable: bool
    seed: int
    population_size: int
    personas: int
    journal: Literal["on", "off"] = Field(
        description="`off` when the instance runs with FT_SANDBOX_JOURNAL=off: nothing is recorded."
    )
    journal_dropped: int = Field(
        description="Exchanges this process could not journal (its write buffer was full, or "
        "the state could not be written); 0 normally."
    )


class ResetRequest(BaseModel):
    """Whose state to wipe."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1, max_length=100, examples=["PAR_ftsandbox_cd62"])
    keep_reports: bool = Field(
        default=False,
        description="Keep the client's published conformance reports (`/_sandbox/reports`): "
        "`ft-conformance client` resets the client before each scenario, and keeps its earlier "
        "campaigns so. Default: they go with the rest.",
    )


class ResetResult(BaseModel):
    """How many documents were removed."""

    model_config = ConfigDict(extra="forbid")

    client_id: str
    documents_removed: int


ADMIN_ERRORS: Responses = {
    401: {
        "description": "Admin token missing or wrong: empty body, "
        '`WWW-Authenticate: Bearer realm="ft-sandbox-control"`.'
    }
}


@router.get(
    "/health",
    operation_id="sandboxHealth",
    response_model=Health,
    responses={
        **ADMIN_ERRORS,
        503: {"model": Health, "description": "The database does not answer (`unavailable`)."},
    },
)
async def health(runtime: AdminDep, response: Response) -> Health:
    """Instance health, its database's reachability and population figures."""
    population = runtime.population
    reachable = runtime.store.reachable()
    if not reachable:
        response.status_code = 503
    return Health(
        status="ok" if reachable else "unavailable",
        database="postgresql" if runtime.store.database.postgres else "sqlite",
        database_reachable=reachable,
        seed=population.seed,
        population_size=population.size,
        personas=len(population.personas),
        journal="on" if runtime.journal.enabled else "off",
        journal_dropped=runtime.journal.dropped,
    )


class ClientSummary(BaseModel):
    """A partner client of the instance (its secret is never shown)."""

    model_config = ConfigDict(extra="forbid")

    client_id: str
    nom: str
    departement: str


@router.get(
    "/clients",
    operation_id="sandboxClients",
    response_model=list[ClientSummary],
    responses=ADMIN_ERRORS,
)
async def clients(runtime: AdminDep) -> list[ClientSummary]:
    """Every client id the control plane accepts."""
    return [
        ClientSummary(client_id=c.client_id, nom=c.nom, departement=c.departement)
        for c in runtime.clients
    ]


@router.post(
    "/reset",
    operation_id="sandboxReset",
    response_model=ResetResult,
    responses={**ADMIN_ERRORS, **refused(400, INVALID), **CLIENT_ERRORS},
)
async def reset(body: ResetRequest, runtime: AdminDep) -> ResetResult:
    """Wipe one OAuth client's writes, journal, fault stream (restarted from the seed) and
    published conformance reports (unless `keep_reports`)."""
    return reset_client(runtime, body.client_id, keep_reports=body.keep_reports)


def reset_client(runtime: Runtime, client_id: str, keep_reports: bool = False) -> ResetResult:
    """Wipe a known client's state: the route and the control panel share it."""
    known_client(runtime, client_id)
    removed = runtime.store.reset(client_id, keep_reports=keep_reports)
    runtime.journal.forget(client_id)
    runtime.faults.forget(client_id)
    if runtime.jumps is not None:
        runtime.jumps.forget(client_id)
    return ResetResult(client_id=client_id, documents_removed=removed)


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

    profile: str | None = Field(max_length=100, examples=["convention-sla"])


@router.get(
    "/profiles",
    operation_id="sandboxProfiles",
    response_model=list[ProfileSummary],
    responses=ADMIN_ERRORS,
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
    responses=ADMIN_ERRORS,
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
    responses={**ADMIN_ERRORS, **refused(400, INVALID, _UNKNOWN_PROFILE)},
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
    responses={**ADMIN_ERRORS, **refused(400, INVALID, _UNKNOWN_PROFILE), **CLIENT_ERRORS},
)
async def set_client_profile(
    client_id: KnownClientId, body: ProfileChoice, runtime: AdminDep
) -> FaultAssignments:
    """Give one client its own profile (other clients are not affected)."""
    assign_profile(runtime, client_id, body.profile)
    return await faults(runtime)


def assign_profile(runtime: Runtime, client_id: str, profile: str | None) -> None:
    """Give a known client its own profile (None: the default); 400 for an unknown one."""
    known_client(runtime, client_id)
    try:
        runtime.faults.set_profile(client_id, profile)
    except UnknownProfile as exc:
        raise _unknown(exc) from None


class OutageRequest(BaseModel):
    """An unavailability window on the sandbox's clock, at most 31 days long."""

    model_config = ConfigDict(extra="forbid")

    start: Instant
    end: Instant
    client_id: str | None = Field(
        default=None, min_length=1, max_length=100, description="Only this client (default: all)."
    )
    apis: list[Api | Literal["token"]] = Field(
        default_factory=list, max_length=10, description="API ids (default: all)."
    )

    @model_validator(mode="after")
    def _window(self) -> OutageRequest:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.end - self.start > MAX_OUTAGE_LENGTH:
            raise ValueError(f"an outage lasts at most {MAX_OUTAGE_LENGTH.days} days")
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
    responses={
        **ADMIN_ERRORS,
        **refused(
            400,
            INVALID,
            "Among them: a window that ends before it starts, or longer "
            f"than {MAX_OUTAGE_LENGTH.days} days, or outside {RANGE}.",
        ),
        **CLIENT_ERRORS,
        **refused(
            409,
            f"`ERR_TROP_D_INDISPONIBILITES`: {MAX_OUTAGES} outages already "
            "scheduled (DELETE /_sandbox/outages clears them).",
        ),
    },
)
async def schedule_outage(body: OutageRequest, runtime: AdminDep) -> OutageScheduled:
    """Partner APIs answer 503 (R999 for Recherche usager) during the window."""
    return plan_outage(runtime, body)


def plan_outage(runtime: Runtime, body: OutageRequest) -> OutageScheduled:
    """Schedule a checked outage window: the route and the control panel share it."""
    if body.client_id is not None:
        known_client(runtime, body.client_id)
    try:
        rule_id = runtime.faults.schedule_outage(
            body.start, body.end, body.client_id, [str(api) for api in body.apis]
        )
    except TooManyOutages:
        raise BackendError(
            409,
            "ERR_TROP_D_INDISPONIBILITES",
            f"Au plus {MAX_OUTAGES} indisponibilités programmées ; "
            "DELETE /_sandbox/outages les supprime",
            "Clear the scheduled outages (DELETE /_sandbox/outages) first.",
        ) from None
    return OutageScheduled(rule_id=rule_id)


@router.delete(
    "/outages",
    operation_id="sandboxClearOutages",
    response_model=dict[str, int],
    responses=ADMIN_ERRORS,
)
async def clear_outages(runtime: AdminDep) -> dict[str, int]:
    """Remove every scheduled outage."""
    return {"removed": runtime.faults.clear_outages()}


class ScheduledJump(BaseModel):
    """A clock jump due before one client's call."""

    model_config = ConfigDict(extra="forbid")

    client_id: str
    calls_left: int = Field(description="Calls of the client still served before the jump.")
    seconds: float


class ClockState(BaseModel):
    """The sandbox's clock."""

    model_config = ConfigDict(extra="forbid")

    now: dt.datetime
    frozen: bool
    scheduled: list[ScheduledJump] = Field(
        default_factory=list,
        description="Jumps waiting for a client's call number (`advance` with `after_calls`).",
    )


class ClockCommand(BaseModel):
    """freeze, unfreeze, advance (by seconds), set (to an instant), reset (to wall time)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["freeze", "unfreeze", "advance", "set", "reset"]
    seconds: (
        Annotated[
            float,
            Strict(),
            Field(allow_inf_nan=False, ge=-MAX_JUMP_SECONDS, le=MAX_JUMP_SECONDS),
        ]
        | None
    ) = Field(
        default=None,
        description=f"A finite number, at most {MAX_JUMP_SECONDS} (100 years) either way; "
        f"the clock stays within {RANGE}.",
    )
    instant: Instant | None = None
    after_calls: int | None = Field(
        default=None,
        ge=0,
        le=MAX_JUMP_CALLS,
        description="`advance` only, with `client_id`: jump just before that client's call "
        "`after_calls + 1` (its partner API calls, counted from now), not at once. One pending "
        "jump per client; `reset` and a client reset drop it.",
    )
    client_id: str | None = Field(default=None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _arguments(self) -> ClockCommand:
        if self.action == "advance" and self.seconds is None:
            raise ValueError("advance needs seconds")
        if (self.after_calls is None) != (self.client_id is None):
            raise ValueError("after_calls and client_id go together")
        if self.after_calls is not None and self.action != "advance":
            raise ValueError("after_calls only goes with advance")
        if self.action == "set" and self.instant is None:
            raise ValueError("set needs an instant")
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
    "/clock", operation_id="sandboxClock", response_model=ClockState, responses=ADMIN_ERRORS
)
async def clock(runtime: AdminDep) -> ClockState:
    """Virtual now, and whether time is frozen."""
    return clock_state(runtime)


def clock_state(runtime: Runtime) -> ClockState:
    """The clock as the control plane shows it (now, frozen, jumps waiting for a call)."""
    controlled = runtime.clock
    jumps = runtime.jumps.scheduled() if runtime.jumps is not None else {}
    return ClockState(
        now=controlled.now(),
        frozen=isinstance(controlled, ControlledClock) and controlled.frozen,
        scheduled=[
            ScheduledJump(client_id=client, calls_left=left, seconds=seconds)
            for client, (left, seconds) in jumps.items()
        ],
    )


@router.post(
    "/clock",
    operation_id="sandboxSetClock",
    response_model=ClockState,
    responses={
        **ADMIN_ERRORS,
        **refused(400, INVALID, f"`ERR_HORLOGE_HORS_LIMITES`: the clock would leave {RANGE}."),
        **refused(409, "`ERR_HORLOGE_NON_PILOTABLE`: this instance was built with a fixed clock."),
    },
)
async def set_clock(body: ClockCommand, runtime: AdminDep) -> ClockState:
    """Move time: "26 minutes later" or "next month" without waiting."""
    return move_clock(runtime, body)


def move_clock(runtime: Runtime, body: ClockCommand) -> ClockState:
    """Apply a checked clock command: the route and the control panel share it."""
    controlled = _controlled(runtime)
    if body.client_id is not None:
        known_client(runtime, body.client_id)
    try:
        _apply(controlled, body, runtime.jumps)
    except ClockRangeError as exc:
        raise BackendError(
            400,
            "ERR_HORLOGE_HORS_LIMITES",
            f"L'horloge reste entre {RANGE.replace(' to ', ' et ')}",
            str(exc),
        ) from None
    return clock_state(runtime)


def _apply(
    controlled: ControlledClock, command: ClockCommand, jumps: ScheduledJumps | None
) -> None:
    if command.after_calls is not None and command.client_id and command.seconds is not None:
        # Checked now, so that a jump that would leave the range is refused, not dropped later.
        if not within_range(controlled.now() + dt.timedelta(seconds=command.seconds)):
            raise ClockRangeError
        if jumps is not None:
            jumps.schedule(command.client_id, command.after_calls, command.seconds)
        return
    if command.action == "freeze":
        controlled.freeze()
    elif command.action == "unfreeze":
        controlled.unfreeze()
    elif command.action == "advance" and command.seconds is not None:
        controlled.advance(command.seconds)
    elif command.action == "set" and command.instant is not None:
        controlled.set(command.instant)
    elif command.action == "reset":
        controlled.reset()
        if jumps is not None:
            jumps.forget()


@router.get(
    "/counters",
    operation_id="sandboxCounters",
    response_model=dict[str, dict[str, Any]],
    responses=ADMIN_ERRORS,
)
async def counters(runtime: AdminDep) -> dict[str, dict[str, Any]]:
    """Calls and injected faults per client."""
    return runtime.journal.counters()


JOURNAL_HEADER = "X-Sandbox-Journal"


@router.get(
    "/journal/{client_id}",
    operation_id="sandboxJournal",
    response_model=list[dict[str, Any]],
    responses={
        200: {
            "description": "The exchanges, oldest first. Header `X-Sandbox-Journal`: `on`, or "
            "`off` when the instance records nothing (FT_SANDBOX_JOURNAL=off; the list is then "
            "empty).",
            "headers": {
                JOURNAL_HEADER: {"schema": {"type": "string", "enum": ["on", "off"]}},
            },
        },
        **ADMIN_ERRORS,
        **refused(400, INVALID),
        **CLIENT_ERRORS,
    },
)
async def journal(
    client_id: KnownClientId,
    runtime: AdminDep,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    since: Annotated[
        int | SkipJsonSchema[None],
        Query(
            ge=0,
            description="Page forward: the first `limit` exchanges whose `index` is greater "
            "than this one. Absent: the last `limit` exchanges.",
        ),
    ] = None,
) -> list[dict[str, Any]]:
    """The client's exchanges: route, status, timings, fault, hashed identities, masked shapes."""
    response.headers[JOURNAL_HEADER] = "on" if runtime.journal.enabled else "off"
    return [exchange.as_dict() for exchange in runtime.journal.entries(client_id, limit, since)]
