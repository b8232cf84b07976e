"""Injectable clocks: everything time-dependent reads one, so tests can jump in time instantly.

Tokens, jetons, registration durations, the 3-year rule, outage windows, quotas and injected
latency all read the instance's clock. ``ControlledClock`` is the server's: wall-clock time that
the control plane can shift, freeze, advance or set; while frozen, an injected latency advances
virtual time instead of sleeping, so a simulated month runs in seconds. The control plane keeps
it within ``EARLIEST``–``LATEST`` (README, Limits): far enough from years 1 and 9999 that no
expiry, window or duration computed from "now" can leave the calendar.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import Callable
from typing import Protocol

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2099, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
MAX_JUMP_SECONDS = 3_155_760_000
"""One ``advance`` moves at most 100 years (of 365.25 days), either way."""


class ClockRangeError(ValueError):
    """A move that would take the controlled clock outside ``EARLIEST``–``LATEST``."""

    def __init__(self) -> None:
        super().__init__(f"the clock stays between {EARLIEST.isoformat()} and {LATEST.isoformat()}")


def within_range(instant: dt.datetime) -> bool:
    """Whether a timezone-aware instant lies within the controlled clock's range."""
    # Compare years first: converting year 1 or 9999 with an offset can overflow.
    if not EARLIEST.year <= instant.year <= LATEST.year:
        return False
    return EARLIEST <= instant <= LATEST


class Clock(Protocol):
    """The source of "now", and of waiting."""

    def now(self) -> dt.datetime:
        """Return the current instant, timezone-aware (UTC)."""
        ...

    def timestamp(self) -> float:
        """Return the current instant as POSIX seconds."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""
        ...


class SystemClock:
    """Wall-clock time."""

    def now(self) -> dt.datetime:
        """Return the current UTC instant."""
        return dt.datetime.now(dt.UTC)

    def timestamp(self) -> float:
        """Return the current POSIX time."""
        return time.time()

    async def sleep(self, seconds: float) -> None:
        """Sleep without blocking other requests."""
        await asyncio.sleep(seconds)


class FrozenClock:
    """A clock that only moves when told to: ``advance``, ``set``, or an injected wait."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._now = start

    def now(self) -> dt.datetime:
        """Return the frozen instant."""
        return self._now

    def timestamp(self) -> float:
        """Return the frozen instant as POSIX seconds."""
        return self._now.timestamp()

    async def sleep(self, seconds: float) -> None:
        """Advance virtual time instead of waiting."""
        self.advance(dt.timedelta(seconds=seconds))

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock forward (or backward with a negative delta)."""
        self._now += delta

    def set(self, instant: dt.datetime) -> None:
        """Jump to an instant."""
        if instant.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._now = instant


class ControlledClock:
    """Wall-clock time with an offset, that can be frozen; the control plane drives it."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._frozen_at: float | None = None
        self.changed: Callable[[], None] | None = None
        """Told each change: the shared control writes the clock for the other instances."""

    def _tell(self) -> None:
        if self.changed is not None:
            self.changed()

    def setting(self) -> dict[str, float | None]:
        """The clock's state as the shared control stores it (the offset is to POSIX time, so
        instances on hosts with synchronised clocks read the same virtual instant)."""
        return {"offset": self._offset, "frozen_at": self._frozen_at}

    def apply_setting(self, value: dict[str, float | None]) -> None:
        """Take the state another instance wrote (not told back to ``changed``)."""
        self._offset = float(value["offset"] or 0.0)
        self._frozen_at = value["frozen_at"]

    @property
    def frozen(self) -> bool:
        """Whether time only moves when told to."""
        return self._frozen_at is not None

    def timestamp(self) -> float:
        """Virtual POSIX time."""
        return self._frozen_at if self._frozen_at is not None else time.time() + self._offset

    def now(self) -> dt.datetime:
        """Virtual UTC instant."""
        return dt.datetime.fromtimestamp(self.timestamp(), dt.UTC)

    async def sleep(self, seconds: float) -> None:
        """Really wait while running; advance virtual time while frozen."""
        if self._frozen_at is not None:
            self._frozen_at += seconds
            self._tell()
        else:
            await asyncio.sleep(seconds)

    def freeze(self) -> None:
        """Stop time at the current virtual instant."""
        self._frozen_at = self.timestamp()
        self._tell()

    def unfreeze(self) -> None:
        """Let time run again from the current virtual instant."""
        if self._frozen_at is not None:
            self._offset = self._frozen_at - time.time()
            self._frozen_at = None
            self._tell()

    def advance(self, seconds: float) -> None:
        """Jump forward (or back) by ``seconds``; ``ClockRangeError`` would it leave the range."""
        if not EARLIEST.timestamp() <= self.timestamp() + seconds <= LATEST.timestamp():
            raise ClockRangeError
        self._shift(seconds)

    def set(self, instant: dt.datetime) -> None:
        """Jump to an instant (timezone-aware); ``ClockRangeError`` outside the range."""
        if instant.tzinfo is None:
            raise ValueError("the instant needs a timezone")
        if not within_range(instant):
            raise ClockRangeError
        # Not through advance(): running time moves on between reading it and the range check.
        self._shift(instant.timestamp() - self.timestamp())

    def _shift(self, seconds: float) -> None:
        if self._frozen_at is not None:
            self._frozen_at += seconds
        else:
            self._offset += seconds
        self._tell()

    def reset(self) -> None:
        """Back to wall-clock time, running."""
        self._offset = 0.0
        self._frozen_at = None
        self._tell()


CountdownStep = tuple[list[float] | None, float | None]
"""What is still pending of a jump after one call, and the seconds to jump now (or None)."""
Countdown = Callable[[list[float] | None], CountdownStep]


def countdown(due: list[float] | None) -> CountdownStep:
    """One call counted against a pending jump: (what is still pending, the seconds to jump
    now or None)."""
    if due is None:
        return None, None
    if due[0] > 0:
        return [due[0] - 1, due[1]], None
    return None, due[1]


MAX_JUMP_CALLS = 100_000
"""The most calls a scheduled jump can wait for (control plane ``after_calls``)."""


class ScheduledJumps:
    """Clock jumps due at a client's call number, not at an instant.

    A conformance scenario expires tokens and jetons in the middle of a client's batch: "after
    the client's 4th call, 25 hours pass". Tied to the call count, the jump falls between the
    same two calls on every run, however fast the client is. One pending jump per client.
    """

    def __init__(self, clock: ControlledClock) -> None:
        self._clock = clock
        self._due: dict[str, list[float]] = {}
        self.changed: Callable[[str], None] | None = None
        """Told the client of each jump scheduled or dropped here (the shared control writes
        it for the other instances)."""
        self.count: Callable[[str, Countdown], CountdownStep] | None = None
        """Set by the shared control: applies a countdown step to the client's stored jump in
        one transaction (instances count one client's calls together) and returns the result."""

    @property
    def pending(self) -> bool:
        """Whether any jump waits (checked on every call: a dict's truth value)."""
        return bool(self._due)

    def schedule(self, client_id: str, after_calls: int, seconds: float) -> None:
        """Advance the clock by ``seconds`` just before the client's call ``after_calls + 1``."""
        self._due[client_id] = [after_calls, seconds]
        self._tell(client_id)

    def scheduled(self) -> dict[str, tuple[int, float]]:
        """Per client: calls still to wait for, and the jump."""
        return {client: (int(due[0]), due[1]) for client, due in sorted(self._due.items())}

    def forget(self, client_id: str | None = None) -> None:
        """Drop one client's pending jump, or every one."""
        clients = list(self._due) if client_id is None else [client_id]
        for client in clients:
            if self._due.pop(client, None) is not None:
                self._tell(client)

    def _tell(self, client_id: str) -> None:
        if self.changed is not None:
            self.changed(client_id)

    def setting(self, client_id: str) -> list[float] | None:
        """A client's pending jump (calls still to wait for, seconds) as the control stores it."""
        due = self._due.get(client_id)
        return list(due) if due is not None else None

    def apply_setting(self, client_id: str, value: list[float] | None) -> None:
        """Take what another instance scheduled, counted or dropped (not told back)."""
        if value is None:
            self._due.pop(client_id, None)
        else:
            self._due[client_id] = list(value)

    def arrived(self, client_id: str) -> None:
        """A call of ``client_id`` arrives: count it, and jump first if it is the one."""
        due = self._due.get(client_id)
        if due is None:
            return
        if self.count is not None:
            # Every instance's calls counted in the store: the stored jump decides.
            stored, seconds = self.count(client_id, countdown)
        else:
            stored, seconds = countdown(due)
        self.apply_setting(client_id, stored)
        if seconds is None:
            return
        # Checked when scheduled; the clock may have moved since: such a jump is dropped.
        with contextlib.suppress(ClockRangeError):
            self._clock.advance(seconds)
