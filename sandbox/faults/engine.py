"""The fault engine: a pure decision from (profile, request, client stream, time) to a fault.

One stream per client: the client's n-th decision draws from a generator derived from the
instance seed, the client id and n. The same seed and the same call sequence give the same
faults on every machine, one client's traffic never shifts another's stream, and the stream's
whole state is a position and the client's quota buckets — small enough for the state store to
keep, so that several instances take turns in one client's stream in the order its calls reach
them (``Streams``: ``LocalStreams`` in one process, the shared control's across instances).
Outage windows of a budget are placed from the seed too.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from sandbox.faults.plan import (
    ConnectionRule,
    ErrorRule,
    LatencyRule,
    OutageRule,
    Profile,
    RateLimitRule,
    RequestMeta,
    TimeoutRule,
    TokenRule,
)
from sandbox.randomness import derive_seed

_Z90 = 1.2815515655446004  # standard normal quantile of 0.90


@dataclass(frozen=True, slots=True)
class Fault:
    """An injected fault: what to answer instead of (or before) the API."""

    rule_id: str
    type: str
    status: int | None = None
    mode: str | None = None
    seconds: float = 0.0
    retry_after: int | None = None
    bytes_per_second: float = 0.0
    body: str = "family"


@dataclass(frozen=True, slots=True)
class Decision:
    """Delay to add, and the fault to inject if any."""

    delay: float = 0.0
    latency_rule: str | None = None
    fault: Fault | None = None


NO_FAULT = Decision()


@dataclass(slots=True)
class ClientStream:
    """A client's place in its stream (decisions made so far) and its quota buckets.

    ``buckets``: per "rule id, API" key, the tokens left and when they were counted.
    """

    position: int = 0
    buckets: dict[str, list[float]] = field(default_factory=dict)


class Streams(Protocol):
    """Keeps the clients' streams: ``step`` hands one over for a decision and keeps the result
    (holding it for the length of the decision: decisions of one client are one at a time)."""

    def step(self, client: str) -> AbstractContextManager[ClientStream]: ...

    def forget(self, client: str) -> None: ...


class LocalStreams:
    """The streams of one process (the engine's default)."""

    def __init__(self) -> None:
        self._streams: dict[str, ClientStream] = {}

    @contextmanager
    def step(self, client: str) -> Iterator[ClientStream]:
        """The client's stream, created on first use."""
        yield self._streams.setdefault(client, ClientStream())

    def forget(self, client: str) -> None:
        """Back to the stream's start."""
        self._streams.pop(client, None)


def draw_latency(rule: LatencyRule, rng: random.Random) -> float:
    """One latency draw in seconds."""
    if rule.distribution == "fixed":
        return rule.seconds
    if rule.distribution == "uniform":
        return rng.uniform(rule.low, rule.high)
    if rule.exceptional_probability and rng.random() < rule.exceptional_probability:
        return rng.uniform(rule.exceptional_low, rule.exceptional_high)
    sigma = (math.log(rule.p90) - math.log(rule.median)) / _Z90
    return min(rule.cap, math.exp(math.log(rule.median) + sigma * rng.gauss(0.0, 1.0)))


def period_index(rule: OutageRule, now: float) -> int:
    """The budget period ``now`` falls in: months since 1970 (UTC), or fixed periods."""
    if rule.period_days is not None:
        return int(now // (rule.period_days * 86400.0))
    day = dt.datetime.fromtimestamp(now, dt.UTC)
    return (day.year - 1970) * 12 + day.month - 1


def period_bounds(rule: OutageRule, index: int) -> tuple[float, float]:
    """POSIX start and end of budget period ``index``."""
    if rule.period_days is not None:
        length = rule.period_days * 86400.0
        return index * length, (index + 1) * length
    year, month = divmod(index, 12)
    start = dt.datetime(1970 + year, month + 1, 1, tzinfo=dt.UTC)
    year, month = divmod(index + 1, 12)
    end = dt.datetime(1970 + year, month + 1, 1, tzinfo=dt.UTC)
    return start.timestamp(), end.timestamp()


class FaultEngine:
    """Decides faults; holds only the clients' streams and computed outage windows."""

    def __init__(self, seed: int, streams: Streams | None = None) -> None:
        self.seed = seed
        self.streams: Streams = streams or LocalStreams()
        self._windows: dict[tuple[str, int], list[tuple[float, float]]] = {}

    def forget(self, client: str) -> None:
        """Restart a client's stream and quotas from the seed."""
        self.streams.forget(client)

    def budget_windows(self, rule: OutageRule, period_index: int) -> list[tuple[float, float]]:
        """The outage windows (POSIX start, end) of one budget period, placed by the seed."""
        key = (rule.id, period_index)
        cached = self._windows.get(key)
        if cached is not None:
            return cached
        period_start, period_end = period_bounds(rule, period_index)
        period = period_end - period_start
        rng = random.Random(derive_seed(self.seed, f"outage:{rule.id}", period_index))
        weights = [rng.random() + 0.5 for _ in range(rule.windows_per_period)]
        total = rule.budget * period
        slot = period / rule.windows_per_period
        windows = []
        for n, weight in enumerate(weights):
            length = total * weight / sum(weights)
            start = period_start + n * slot + rng.uniform(0.0, max(0.0, slot - length))
            windows.append((start, start + length))
        self._windows[key] = windows
        return windows

    def in_outage(self, rule: OutageRule, now: float) -> bool:
        """Whether ``now`` falls in a scheduled window or a budget window of the rule."""
        if any(w.start.timestamp() <= now < w.end.timestamp() for w in rule.windows):
            return True
        if rule.budget <= 0:
            return False
        if rule.budget >= 1:
            return True
        windows = self.budget_windows(rule, period_index(rule, now))
        return any(start <= now < end for start, end in windows)

    def decide(
        self, profile: Profile, meta: RequestMeta, now: float, extra: list[OutageRule] | None = None
    ) -> Decision:
        """What happens to this request; consumes the client's stream deterministically."""
        rules = [rule for rule in profile.rules if rule.match.matches(meta)]
        rules += [rule for rule in extra or () if rule.match.matches(meta)]
        if not rules:
            return NO_FAULT
        client = meta.client_id or "anonymous"
        with self.streams.step(client) as stream:
            rng = random.Random(derive_seed(self.seed, f"faults:{client}", stream.position))
            stream.position += 1
            delay, latency_rule = 0.0, None
            for rule in rules:
                if (
                    isinstance(rule, LatencyRule)
                    and latency_rule is None
                    and rng.random() < rule.probability
                ):
                    delay, latency_rule = draw_latency(rule, rng), rule.id
            for rule in rules:
                fault = self._fault(rule, meta, now, stream, rng)
                if fault is not None:
                    return Decision(delay, latency_rule, fault)
        return Decision(delay, latency_rule, None)

    def _fault(
        self, rule: object, meta: RequestMeta, now: float, stream: ClientStream, rng: random.Random
    ) -> Fault | None:
        if isinstance(rule, OutageRule):
            if self.in_outage(rule, now) and rng.random() < rule.probability:
                return Fault(rule.id, "outage", status=503)
            return None
        if isinstance(rule, RateLimitRule):
            return self._quota(rule, meta, now, stream)
        if isinstance(rule, TokenRule | ErrorRule | ConnectionRule | TimeoutRule):
            if rng.random() >= rule.probability:
                return None
            if isinstance(rule, TokenRule):
                return Fault(rule.id, "token", status=401, mode=rule.mode)
            if isinstance(rule, ErrorRule):
                return Fault(rule.id, "error", status=rule.status, body=rule.body)
            if isinstance(rule, ConnectionRule):
                return Fault(
                    rule.id, "connection", mode=rule.mode, bytes_per_second=rule.bytes_per_second
                )
            return Fault(rule.id, "timeout", status=504, seconds=rule.seconds)
        return None

    def _quota(
        self, rule: RateLimitRule, meta: RequestMeta, now: float, stream: ClientStream
    ) -> Fault | None:
        key = f"{rule.id}\x1f{meta.api or meta.path}"
        rate = rule.requests / rule.per_seconds
        tokens, updated = stream.buckets.get(key, (float(rule.requests), now))
        tokens = min(float(rule.requests), tokens + max(0.0, now - updated) * rate)
        if tokens >= 1.0:
            stream.buckets[key] = [tokens - 1.0, now]
            return None
        stream.buckets[key] = [tokens, now]
        wait = max(1, math.ceil((1.0 - tokens) / rate))
        return Fault(rule.id, "rate_limit", status=429, retry_after=wait)
