"""Injectable clocks: everything time-dependent reads one, so tests can jump in time instantly."""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    """The source of "now" for tokens, jetons, registration durations and the 3-year rule."""

    def now(self) -> dt.datetime:
        """Return the current instant, timezone-aware (UTC)."""
        ...

    def timestamp(self) -> float:
        """Return the current instant as POSIX seconds."""
        ...


class SystemClock:
    """Wall-clock time."""

    def now(self) -> dt.datetime:
        """Return the current UTC instant."""
        return dt.datetime.now(dt.UTC)

    def timestamp(self) -> float:
        """Return the current POSIX time."""
        return time.time()


class FrozenClock:
    """A clock that only moves when told to: ``advance`` and ``set``."""

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

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock forward (or backward with a negative delta)."""
        self._now += delta

    def set(self, instant: dt.datetime) -> None:
        """Jump to an instant."""
        if instant.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._now = instant
