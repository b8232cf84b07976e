"""What the control plane changes at run time: profiles per client, scheduled outages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sandbox.faults.engine import Decision, FaultEngine, Streams
from sandbox.faults.plan import Match, OutageRule, Profile, RequestMeta, Window

MAX_OUTAGES = 50
"""Scheduled outages one instance holds at most (README, Limits); every request checks them."""
MAX_OUTAGE_LENGTH = dt.timedelta(days=31)
"""The longest scheduled outage; the ``outage`` profile is the way to stay down for good."""


DEFAULT = "faults.default"
OUTAGES = "faults.outages"
CLIENT_PREFIX = "faults.client:"
"""Keys of the settings the shared control stores (one row each)."""


def client_key(client_id: str) -> str:
    """The setting key of one client's profile."""
    return CLIENT_PREFIX + client_id


class TooManyOutages(RuntimeError):
    """``MAX_OUTAGES`` outages are already scheduled."""


class UnknownProfile(ValueError):
    """A profile or scenario name that does not exist; the message lists the valid ones."""

    def __init__(self, name: str, valid: list[str]) -> None:
        super().__init__(f"unknown scenario {name!r}; valid: {', '.join(valid)}")
        self.name = name
        self.valid = valid

    @property
    def message_fr(self) -> str:
        """The user-facing message, with the valid names."""
        return f"Scénario inconnu : {self.name!r}. Scénarios valides : {', '.join(self.valid)}"


class FaultController:
    """Chooses the profile of each request and asks the engine."""

    def __init__(
        self,
        seed: int,
        profiles: dict[str, Profile],
        default: str,
        streams: Streams | None = None,
    ) -> None:
        self.engine = FaultEngine(seed, streams)
        self.profiles = profiles
        self._default = self.profile(default)
        self._by_client: dict[str, Profile] = {}
        self._outages: list[tuple[str | None, OutageRule]] = []
        self.changed: Callable[[str], None] | None = None
        """Told the key of each setting changed here (``DEFAULT``, ``client_key(id)``,
        ``OUTAGES``): the shared control writes it for the other instances."""

    def _tell(self, key: str) -> None:
        if self.changed is not None:
            self.changed(key)

    def profile(self, name: str) -> Profile:
        """A profile by name, or ``UnknownProfile``."""
        profile = self.profiles.get(name)
        if profile is None:
            raise UnknownProfile(name, sorted(self.profiles))
        return profile

    @property
    def idle(self) -> bool:
        """No rule can fire for anyone unless a request names a scenario."""
        return not self._default.rules and not self._by_client and not self._outages

    @property
    def default(self) -> Profile:
        """The instance-wide profile."""
        return self._default

    def assignments(self) -> dict[str, str]:
        """Clients with their own profile."""
        return {client: profile.name for client, profile in sorted(self._by_client.items())}

    def set_default(self, name: str) -> None:
        """Change the instance-wide profile."""
        self._default = self.profile(name)
        self._tell(DEFAULT)

    def set_profile(self, client_id: str, name: str | None) -> None:
        """Give a client its own profile (None: back to the default)."""
        if name is None:
            self._by_client.pop(client_id, None)
        else:
            self._by_client[client_id] = self.profile(name)
        self._tell(client_key(client_id))

    def profile_for(self, client_id: str | None, scenario: str | None) -> Profile:
        """The profile of one request: its scenario header, else its client's, else default."""
        if scenario:
            return self.profile(scenario)
        if client_id is not None:
            return self._by_client.get(client_id, self._default)
        return self._default

    def schedule_outage(
        self,
        start: dt.datetime,
        end: dt.datetime,
        client_id: str | None = None,
        apis: list[str] | None = None,
    ) -> str:
        """Make the APIs (all partner APIs by default) unavailable between two instants.

        Raises ``TooManyOutages`` when ``MAX_OUTAGES`` are already scheduled.
        """
        if len(self._outages) >= MAX_OUTAGES:
            raise TooManyOutages
        rule_id = self._add_outage(start, end, client_id, apis)
        self._tell(OUTAGES)
        return rule_id

    def _add_outage(
        self, start: dt.datetime, end: dt.datetime, client_id: str | None, apis: list[str] | None
    ) -> str:
        rule_id = f"scheduled-outage-{len(self._outages) + 1}"
        match = Match(apis=apis or [], paths=[] if apis else ["/partenaire/*"])
        rule = OutageRule(id=rule_id, windows=[Window(start=start, end=end)], match=match)
        self._outages.append((client_id, rule))
        return rule_id

    def outages(self) -> list[tuple[str | None, OutageRule]]:
        """The scheduled outages, in scheduling order: (client or None for all, rule)."""
        return list(self._outages)

    def clear_outages(self) -> int:
        """Remove every scheduled outage; returns how many there were."""
        count = len(self._outages)
        self._outages.clear()
        self._tell(OUTAGES)
        return count

    # Shared settings ----------------------------------------------------------------------

    def setting(self, key: str) -> Any:
        """The JSON value of one setting, as the shared control stores it."""
        if key == DEFAULT:
            return self._default.name
        if key == OUTAGES:
            return [
                {
                    "client_id": client,
                    "start": rule.windows[0].start.isoformat(),
                    "end": rule.windows[0].end.isoformat(),
                    "apis": list(rule.match.apis),
                }
                for client, rule in self._outages
            ]
        profile = self._by_client.get(key.removeprefix(CLIENT_PREFIX))
        return profile.name if profile is not None else None

    def apply_setting(self, key: str, value: Any) -> None:
        """Take a setting another instance changed (not told back to ``changed``)."""
        if key == DEFAULT:
            self._default = self.profile(value)
        elif key == OUTAGES:
            self._outages.clear()
            for outage in value:
                self._add_outage(
                    dt.datetime.fromisoformat(outage["start"]),
                    dt.datetime.fromisoformat(outage["end"]),
                    outage["client_id"],
                    outage["apis"] or None,
                )
        elif key.startswith(CLIENT_PREFIX):
            client_id = key.removeprefix(CLIENT_PREFIX)
            if value is None:
                self._by_client.pop(client_id, None)
            else:
                self._by_client[client_id] = self.profile(value)

    def decide(self, profile: Profile, meta: RequestMeta, now: float) -> Decision:
        """The engine's decision with the scheduled outages that concern the client."""
        extra = [
            rule for client, rule in self._outages if client is None or client == meta.client_id
        ]
        return self.engine.decide(profile, meta, now, extra)

    def forget(self, client_id: str) -> None:
        """Restart the client's fault stream and quotas from the seed."""
        self.engine.forget(client_id)
