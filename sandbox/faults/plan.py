"""Fault rules and profiles: what can go wrong, how often, for whom (toxiproxy's vocabulary).

A profile is data (``sandbox/data/fault-profiles/*.yaml`` or a user's YAML): a list of rules, each
with a ``type``, a ``probability`` and a ``match`` on API, path, method, client id and persona.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

_STRICT = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, slots=True)
class RequestMeta:
    """What the engine knows about a request before it reaches the API."""

    method: str
    path: str
    api: str | None
    client_id: str | None
    persona: str | None


class Match(BaseModel):
    """Which requests a rule applies to; an empty list means "any"."""

    model_config = _STRICT

    apis: list[str] = Field(default_factory=list, description="API ids, or `token`.")
    paths: list[str] = Field(default_factory=list, description="Glob patterns on the path.")
    methods: list[str] = Field(default_factory=list)
    clients: list[str] = Field(default_factory=list)
    personas: list[str] = Field(default_factory=list)

    def matches(self, meta: RequestMeta) -> bool:
        """Whether a request falls under this match."""
        return (
            (not self.apis or (meta.api or "") in self.apis)
            and (not self.methods or meta.method.upper() in (m.upper() for m in self.methods))
            and (not self.clients or (meta.client_id or "") in self.clients)
            and (not self.personas or (meta.persona or "") in self.personas)
            and (not self.paths or any(fnmatch.fnmatchcase(meta.path, p) for p in self.paths))
        )


class _Rule(BaseModel):
    model_config = _STRICT

    id: str = Field(min_length=1, description="Named in the journal and the reports.")
    probability: float = Field(default=1.0, ge=0.0, le=1.0)
    match: Match = Match()


class LatencyRule(_Rule):
    """Delay the answer: fixed, uniform, or lognormal fitted to "p90 < 1 s, tail ≤ 6 s"."""

    type: Literal["latency"] = "latency"
    distribution: Literal["fixed", "uniform", "lognormal"] = "lognormal"
    seconds: float = Field(default=0.0, ge=0, description="fixed")
    low: float = Field(default=0.0, ge=0, description="uniform")
    high: float = Field(default=0.0, ge=0, description="uniform")
    p90: float = Field(default=1.0, gt=0, description="lognormal: 90 % of draws below this")
    median: float = Field(default=0.25, gt=0, description="lognormal")
    cap: float = Field(default=6.0, gt=0, description="lognormal draws are capped here")
    exceptional_probability: float = Field(default=0.0, ge=0, le=1)
    exceptional_low: float = Field(default=6.0, ge=0)
    exceptional_high: float = Field(default=9.0, ge=0)

    @model_validator(mode="after")
    def _coherent(self) -> LatencyRule:
        if self.distribution == "lognormal" and self.median >= self.p90:
            raise ValueError("lognormal latency needs median < p90")
        if self.distribution == "uniform" and self.high < self.low:
            raise ValueError("uniform latency needs low <= high")
        return self


class ErrorRule(_Rule):
    """Answer a technical error, in the API family's body or as the bare gateway answers it.

    ``family``: the back end's body (R998/R999 for Recherche usager, ``ERR_TECHNIQUE`` /
    ``ERR_SERVICE_INDISPONIBLE`` elsewhere), exactly what the platform sends, which a client
    cannot tell from the R998 "no address" persona. ``gateway``: the empty-bodied answer of the
    API gateway, which reads as the transient fault it is. 502 and 504 are always bare.
    """

    type: Literal["error"] = "error"
    status: Literal[500, 502, 503, 504] = 500
    body: Literal["family", "gateway"] = "family"


class ConnectionRule(_Rule):
    """Break the connection: close after headers, truncate, malformed body, dribble slowly."""

    type: Literal["connection"] = "connection"
    mode: Literal["close", "truncate", "malformed", "dribble"] = "close"
    bytes_per_second: float = Field(default=64.0, gt=0, description="dribble")


class TimeoutRule(_Rule):
    """Answer only after the client's patience (real clients wait 15 to 60 s)."""

    type: Literal["timeout"] = "timeout"
    seconds: float = Field(default=65.0, gt=0)


class RateLimitRule(_Rule):
    """Quota per client and per API: ``requests`` per ``per_seconds`` → 429 + Retry-After."""

    type: Literal["rate_limit"] = "rate_limit"
    requests: int = Field(default=10, ge=1)
    per_seconds: float = Field(default=1.0, gt=0)


class TokenRule(_Rule):
    """Token trouble: the token is refused as expired early, or as revoked (401)."""

    type: Literal["token"] = "token"
    mode: Literal["expired", "revoked"] = "expired"


class Window(BaseModel):
    """A period of virtual time."""

    model_config = _STRICT

    start: dt.datetime
    end: dt.datetime

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("outage windows need timezone-aware instants")
        if self.end <= self.start:
            raise ValueError("an outage window ends after it starts")
        return self


class OutageRule(_Rule):
    """Unavailability (503): scheduled windows, and/or a monthly budget spent in seeded windows.

    With ``budget`` (e.g. 0.02 for the convention's 98 % monthly availability), each period —
    a calendar month (UTC) by default, or ``period_days`` — contains ``windows_per_period``
    windows whose total length is that share of the period, placed by the instance's seed.
    A budget of 1 is unavailability at every instant, with no window to place.
    """

    type: Literal["outage"] = "outage"
    windows: list[Window] = Field(default_factory=list)
    budget: float = Field(default=0.0, ge=0, le=1, description="1: unavailable at every instant")
    period_days: float | None = Field(default=None, gt=0, description="None: calendar months")
    windows_per_period: int = Field(default=4, ge=1)


FaultRule = Annotated[
    LatencyRule | ErrorRule | ConnectionRule | TimeoutRule | RateLimitRule | TokenRule | OutageRule,
    Field(discriminator="type"),
]


class Profile(BaseModel):
    """A named set of rules."""

    model_config = _STRICT

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    description: str
    rules: list[FaultRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Profile:
        ids = [rule.id for rule in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique within a profile")
        return self
