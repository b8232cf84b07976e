"""What the control plane changes, shared by every process and instance on one state.

A fault profile given to a client, the instance-wide profile, the scheduled outages and the
virtual clock are changed through any instance's control plane (or panel) and must apply to
every instance: each is one row of the store's ``control`` table, written when it changes here
(``FaultController.changed``, ``ControlledClock.changed``) and read back by the others. Every
request first calls ``refresh``: at most every ``REFRESH_SECONDS`` it reads the rows' versions
(one small query) and applies what another instance changed, so a change made anywhere holds
everywhere within that delay; a control-plane request refreshes at once, so that what it reads
or changes starts from the latest settings.

The same path serves one process on SQLite (nothing to read back, one query every half second)
and several workers or instances: there is one way settings are kept. The clients' fault streams
(``SharedStreams``) live in the store as well: a decision takes the client's row for its length.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sandbox.clock import Clock, ControlledClock, Countdown, CountdownStep, ScheduledJumps
from sandbox.faults.controller import FaultController, UnknownProfile
from sandbox.faults.engine import ClientStream
from sandbox.state import StateStore

REFRESH_SECONDS = 0.5
"""The longest a setting changed through another instance takes to apply here."""
CLOCK = "clock"
JUMP_PREFIX = "clock.jump:"
"""Key prefix of a client's jump scheduled at a call number (its countdown is shared too)."""


class SharedStreams:
    """The clients' fault streams in the state store: every instance takes its turn in a
    client's stream in the order its calls reach the store, so a client's faults are those one
    instance would give the same calls (same seed), and a quota is one quota for the cluster."""

    def __init__(self, store: StateStore) -> None:
        self._store = store

    @contextmanager
    def step(self, client: str) -> Iterator[ClientStream]:
        """The client's stream, locked for one decision, stored back after it."""
        with self._store.fault_stream(client) as stored:
            stream = ClientStream(stored["position"], stored["buckets"])
            yield stream
            stored["position"], stored["buckets"] = stream.position, stream.buckets

    def forget(self, client: str) -> None:
        """Back to the stream's start (a reset of the client)."""
        self._store.fault_stream_forget(client)


class SharedControl:
    """Writes this instance's setting changes, and applies the others' on ``refresh``."""

    def __init__(
        self,
        store: StateStore,
        faults: FaultController,
        clock: Clock,
        jumps: ScheduledJumps | None = None,
    ) -> None:
        self._store = store
        self._faults = faults
        self._clock = clock if isinstance(clock, ControlledClock) else None
        self._jumps = jumps
        self._seen: dict[str, int] = {}
        self._checked = 0.0
        self._lock = threading.Lock()
        self.refresh(force=True)
        faults.changed = self._faults_changed
        if self._clock is not None:
            self._clock.changed = self._clock_changed
        if jumps is not None:
            jumps.changed = self._jump_changed
            jumps.count = self._count_call

    def refresh(self, force: bool = False) -> None:
        """Apply the settings other instances changed (at most every ``REFRESH_SECONDS``)."""
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS:
            return
        with self._lock:
            self._checked = now
            for name, version, value in self._store.control_changes(self._seen):
                self._seen[name] = version
                self._apply(name, value)

    def _apply(self, name: str, value: Any) -> None:
        # Applying does not call back ``changed``: nothing is written again.
        if name == CLOCK:
            if self._clock is not None:
                self._clock.apply_setting(value)
            return
        if name.startswith(JUMP_PREFIX):
            if self._jumps is not None:
                self._jumps.apply_setting(name.removeprefix(JUMP_PREFIX), value)
            return
        # A profile this instance does not have (instances started with different profile
        # directories) cannot apply here: the others still run it.
        with contextlib.suppress(UnknownProfile):
            self._faults.apply_setting(name, value)

    def _write(self, name: str, value: Any) -> None:
        with self._lock:
            self._seen[name] = self._store.control_write(name, value)

    def _faults_changed(self, key: str) -> None:
        self._write(key, self._faults.setting(key))

    def _clock_changed(self) -> None:
        if self._clock is not None:
            self._write(CLOCK, self._clock.setting())

    def _jump_changed(self, client_id: str) -> None:
        if self._jumps is not None:
            self._write(JUMP_PREFIX + client_id, self._jumps.setting(client_id))

    def _count_call(self, client_id: str, step: Countdown) -> CountdownStep:
        # The row's new version is not marked seen: the next refresh reads it back, which is
        # what this instance's view of the countdown needs anyway.
        def counted(due: Any) -> tuple[Any, CountdownStep]:
            pending, seconds = step(due)
            return pending, (pending, seconds)

        return self._store.control_update(JUMP_PREFIX + client_id, counted)
