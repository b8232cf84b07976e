"""Run a client under each scenario against a sandbox, collect its traffic, grade it.

The runner either starts a sandbox of its own (``ft-sandbox serve`` on a free loopback port,
a throw-away data directory and admin token) or drives one given by ``--base-url`` through its
control plane. For each scenario it resets the client (journal from call 1, writes and fault
stream from the seed), gives it the scenario's fault profile, schedules what the scenario
needs (an outage window from the start, a clock jump after some calls), writes the personas
file, launches the command with the documented environment, then reads the client's journal
and evaluates every rule on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from conformance.client.checks import Context, evaluate
from conformance.client.results import Campaign, Coverage, ScenarioResult
from conformance.client.scenarios import Scenario, persona_records
from conformance.local_app import throwaway_app
from sandbox import __version__

JOURNAL_PAGE = 10_000
"""Exchanges read per journal request (the control plane's maximum)."""
CLIENT_STOP_SECONDS = 10
"""How long a client that outlived its scenario's timeout gets between SIGTERM and SIGKILL."""
_START_SECONDS = 60


class LaunchError(Exception):
    """The sandbox could not be started or reached, or the command could not be launched."""


@dataclass(frozen=True)
class Target:
    """A sandbox the campaign runs against, and the credentials of the client under test."""

    base_url: str
    admin_token: str
    client_id: str
    client_secret: str


class ControlPlane:
    """The sandbox's ``/_sandbox`` routes the runner uses."""

    def __init__(self, base_url: str, admin_token: str) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {admin_token}"},
            timeout=30,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._http.request(method, f"/_sandbox{path}", **kwargs)
        except httpx.HTTPError as exc:
            raise LaunchError(f"control plane unreachable ({method} {path}): {exc}") from None
        if response.status_code >= 400:
            raise LaunchError(
                f"control plane refused {method} {path}: "
                f"{response.status_code} {response.text[:300]}"
            )
        return response.json() if response.content else None

    def health(self) -> dict[str, Any]:
        """The instance's health (seed, journal on or off)."""
        result: dict[str, Any] = self._call("GET", "/health")
        return result

    def clients(self) -> list[str]:
        """The client ids the instance knows."""
        return [c["client_id"] for c in self._call("GET", "/clients")]

    def reset(self, client_id: str) -> None:
        """Writes, journal and fault stream of the client back to the start (the campaigns
        published earlier are kept: they are what the control panel lists)."""
        self._call("POST", "/reset", json={"client_id": client_id, "keep_reports": True})

    def set_profile(self, client_id: str, profile: str) -> None:
        """Give the client a fault profile."""
        self._call("PUT", f"/faults/{client_id}", json={"profile": profile})

    def clock(self, command: dict[str, Any]) -> dict[str, Any]:
        """Freeze, advance, set or reset the virtual clock; returns its state."""
        result: dict[str, Any] = self._call("POST", "/clock", json=command)
        return result

    def now(self) -> dt.datetime:
        """The sandbox's current instant."""
        state = self._call("GET", "/clock")
        return dt.datetime.fromisoformat(state["now"])

    def clear_outages(self) -> None:
        """Remove every scheduled outage."""
        self._call("DELETE", "/outages")

    def outage(self, client_id: str, start: dt.datetime, end: dt.datetime) -> None:
        """Every partner API unavailable for this client between ``start`` and ``end``."""
        self._call(
            "POST",
            "/outages",
            json={"start": start.isoformat(), "end": end.isoformat(), "client_id": client_id},
        )

    def calls(self, client_id: str) -> int:
        """Exchanges journaled for the client since its last reset."""
        counters = self._call("GET", "/counters")
        return int(counters.get(client_id, {}).get("calls", 0))

    def publish(self, client_id: str, campaign_json: str, html: str) -> dict[str, Any]:
        """Keep a campaign's JSON and procès-verbal in the sandbox (its control panel lists
        them); returns the kept report's summary (``id``, ``verdict``, ``html``)."""
        body = {"campaign": json.loads(campaign_json), "html": html}
        result: dict[str, Any] = self._call("POST", f"/reports/{client_id}", json=body)
        return result

    def journal(self, client_id: str, since: int = 0) -> list[dict[str, Any]]:
        """Every exchange of the client after call ``since``, oldest first."""
        entries: list[dict[str, Any]] = []
        while True:
            page = self._call(
                "GET", f"/journal/{client_id}", params={"since": since, "limit": JOURNAL_PAGE}
            )
            entries.extend(page)
            if len(page) < JOURNAL_PAGE:
                return entries
            since = page[-1]["index"]


def contract_versions() -> dict[str, str]:
    """The version of every contract this kit's sandbox serves (title → version)."""
    from sandbox.apis.contracts import documents

    with throwaway_app() as app:
        return {
            str(doc["info"]["title"]): str(doc["info"]["version"])
            for doc in documents(app).values()
        }


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def local_sandbox(seed: int, log: Path) -> Iterator[tuple[str, str]]:
    """Start ``ft-sandbox serve`` on a free loopback port; yield its base URL and admin token."""
    port = free_port()
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="ft-conformance-") as data_dir:
        env = {
            **os.environ,
            "FT_SANDBOX_DATA_DIR": data_dir,
            "FT_SANDBOX_ADMIN_TOKEN": token,
        }
        command = [sys.executable, "-m", "sandbox", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--seed", str(seed)]
        with log.open("w") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, token, process, log)
            yield base, token
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(base: str, token: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _START_SECONDS
    while True:
        try:
            response = httpx.get(
                f"{base}/_sandbox/health", headers={"Authorization": f"Bearer {token}"}, timeout=2
            )
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise LaunchError(f"the sandbox did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)


def client_environment(target: Target, scenario: Scenario, personas_file: Path) -> dict[str, str]:
    """The documented environment a client under test receives (README, "Client conformance")."""
    return {
        "FT_BASE_URL": target.base_url,
        "FT_TOKEN_URL": f"{target.base_url}/connexion/oauth2/access_token",
        "FT_CLIENT_ID": target.client_id,
        "FT_CLIENT_SECRET": target.client_secret,
        "FT_PERSONAS": str(personas_file),
        "FT_API_GENERATION": scenario.generation,
        "FT_SCENARIO": scenario.name,
        "FT_AGENT_NOM": "RECETTE",
        "FT_AGENT_PRENOM": "Agent",
        "FT_AGENT_IDENTIFIANT": "RECETTE01",
    }


def restore(control: ControlPlane, client_id: str) -> None:
    """The client back to the start: no outage, wall clock, writes and journal reset, no fault."""
    control.clear_outages()
    control.clock({"action": "reset"})
    control.reset(client_id)
    control.set_profile(client_id, "nominal")


@contextlib.contextmanager
def staged(control: ControlPlane, client_id: str, scenario: Scenario) -> Iterator[None]:
    """The sandbox set up for ``scenario`` while the block runs (the client reset first)."""
    restore(control, client_id)
    control.set_profile(client_id, scenario.profile)
    if scenario.outage_seconds:
        now = control.now()
        control.outage(client_id, now, now + dt.timedelta(seconds=scenario.outage_seconds))
    if scenario.clock_jump_after_calls is not None:
        # Tied to the client's call count by the sandbox itself: the jump falls between the
        # same two calls on every run, however fast the client is.
        control.clock(
            {
                "action": "advance",
                "seconds": scenario.clock_jump_seconds,
                "after_calls": scenario.clock_jump_after_calls,
                "client_id": client_id,
            }
        )
    yield


def _launch(command: str, env: dict[str, str], timeout: float, log: Path) -> int | None:
    """Run the client; its exit code, or None if it outlived ``timeout`` and was stopped."""
    try:
        args = shlex.split(command)
    except ValueError as exc:
        raise LaunchError(f"cannot parse the command: {exc}") from None
    if not args:
        raise LaunchError("empty command")
    with log.open("a") as out:
        try:
            process = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **env}
            )
        except OSError as exc:
            raise LaunchError(f"cannot launch {args[0]!r}: {exc}") from None
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=CLIENT_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            return None


def coverage(entries: Sequence[dict[str, Any]]) -> Coverage:
    """What a scenario's traffic exercised: APIs, generations, codes, faults (sorted)."""
    apis: set[str] = set()
    codes: set[str] = set()
    faults: set[str] = set()
    for entry in entries:
        if entry.get("api"):
            apis.add(entry["api"])
        if entry.get("status") is not None:
            codes.add(str(entry["status"]))
        if entry.get("fault_type"):
            faults.add(entry["fault_type"])
        if entry.get("delay_ms"):
            # A latency rule only delays the route's own answer: no fault type, a delay.
            faults.add("latency")
        codes.update(_codes(entry.get("response")))
    generations = {api.rsplit("-", 1)[-1] for api in apis if api.rsplit("-", 1)[-1][:1] == "v"}
    return Coverage(
        apis=sorted(apis),
        generations=sorted(generations),
        codes=sorted(codes),
        faults=sorted(faults),
    )


_CODE_FIELDS = ("codeRetour", "codeErreur", "code", "error")


def _codes(shape: Any) -> Iterator[str]:
    if isinstance(shape, dict):
        for name in _CODE_FIELDS:
            value = shape.get(name)
            if isinstance(value, str) and not value.startswith("<"):
                yield value


@dataclass
class Runner:
    """One campaign: a target, a command (or a watch window), scenarios, a seed."""

    target: Target
    seed: int
    log: Path
    subscribed: frozenset[str]
    progress: Callable[[str], None] = lambda name: None
    journals: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Each graded scenario's journal entries (masked), by scenario name: the evidence's source."""

    def campaign(self, command: str | None, scenarios: Sequence[Scenario]) -> Campaign:
        """Run ``command`` under every scenario."""
        result = self._campaign(command)
        control = ControlPlane(self.target.base_url, self.target.admin_token)
        try:
            self._check_client(control)
            for scenario in scenarios:
                self.progress(scenario.name)
                assert command is not None
                result.scenarios.append(self._scenario(control, command, scenario))
        finally:
            with contextlib.suppress(LaunchError):
                restore(control, self.target.client_id)
            control.close()
        return result

    def watch(self, duration: float) -> Campaign:
        """Grade whatever the client sends during ``duration`` seconds, as it is configured."""
        result = self._campaign(None)
        control = ControlPlane(self.target.base_url, self.target.admin_token)
        try:
            self._check_client(control)
            start = control.calls(self.target.client_id)
            started = time.monotonic()
            time.sleep(duration)
            entries = self.journals["observation"] = control.journal(
                self.target.client_id, since=start
            )
            context = Context(
                client_id=self.target.client_id,
                scopes=self.subscribed,
                scenario="observation",
            )
            report = evaluate(entries, context)
            result.scenarios.append(
                ScenarioResult(
                    name="observation",
                    title="Observation du trafic d'un client",
                    description=(
                        f"Le trafic du client {self.target.client_id} pendant {duration:g} s, "
                        "sans rien changer à la configuration du bac à sable."
                    ),
                    profile="(inchangé)",
                    personas=[],
                    duration_seconds=round(time.monotonic() - started, 3),
                    coverage=coverage(entries),
                    report=report,
                )
            )
        finally:
            control.close()
        return result

    def _campaign(self, command: str | None) -> Campaign:
        return Campaign(
            client_id=self.target.client_id,
            seed=self.seed,
            sandbox_version=__version__,
            command=command,
            started_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        )

    def _check_client(self, control: ControlPlane) -> None:
        health = control.health()
        if health.get("journal") == "off":
            raise LaunchError(
                "the sandbox records nothing (FT_SANDBOX_JOURNAL=off): nothing to grade"
            )
        if self.target.client_id not in control.clients():
            raise LaunchError(f"the sandbox does not know the client {self.target.client_id!r}")

    def _scenario(self, control: ControlPlane, command: str, scenario: Scenario) -> ScenarioResult:
        client = self.target.client_id
        with (
            tempfile.TemporaryDirectory(prefix="ft-conformance-personas-") as scratch,
            staged(control, client, scenario),
        ):
            personas_file = Path(scratch) / "personas.json"
            personas_file.write_text(
                json.dumps(persona_records(scenario.personas), ensure_ascii=False, indent=2),
                encoding="utf-8",
            )
            env = client_environment(self.target, scenario, personas_file)
            with self.log.open("a") as out:
                out.write(f"\n=== scénario {scenario.name}: {command}\n")
            started = time.monotonic()
            exit_code = _launch(command, env, scenario.timeout_seconds, self.log)
            duration = time.monotonic() - started
        entries = self.journals[scenario.name] = control.journal(client)
        handed = {record["nir"] for record in persona_records(scenario.personas)}
        context = Context(
            client_id=client,
            scopes=self.subscribed,
            scenario=scenario.name,
            personas=len(handed),
            launched=True,
            exit_code=exit_code,
        )
        report = evaluate(entries, context)
        return ScenarioResult(
            name=scenario.name,
            title=scenario.title,
            description=scenario.description,
            profile=scenario.profile,
            personas=list(scenario.personas),
            client_exit_code=exit_code,
            duration_seconds=round(duration, 3),
            coverage=coverage(entries),
            report=report,
        )
