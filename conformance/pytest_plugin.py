"""pytest plugin (entry point ``ft_sandbox``): a sandbox for your client's tests, and a grader.

Installed with the package (``pip install ft-sandbox``), nothing to configure:

- ``ft_sandbox`` (session): a sandbox started on a free loopback port in a subprocess, on a
  throw-away data directory; it hands base URLs, credentials, personas, the control plane, and
  control of fault profiles and of the clock. ``--ft-sandbox-url`` and ``--ft-sandbox-admin-token``
  use a running one instead.
- ``@pytest.mark.ft_scenario("quota")``: the test runs under that scenario of
  ``ft-conformance client`` (its fault profile, outage window, clock jump), the client reset first.
- ``ft_traffic``: the traffic the test made, graded by the kit's rules (``report()``,
  ``assert_conformant()``).

Nothing is imported nor started until a test asks for a fixture, so the plugin costs nothing to
suites that do not use it.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conformance.client.runner import ControlPlane
    from sandbox.findings import Report

DEFAULT_CLIENT = ("PAR_ftsandbox_cd62", "ftsandbox-secret-cd62")


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--ft-sandbox-url``, ``--ft-sandbox-admin-token``, ``--ft-sandbox-seed``."""
    group = parser.getgroup("ft-sandbox", "France Travail sandbox")
    group.addoption("--ft-sandbox-url", help="use this running sandbox instead of starting one")
    group.addoption("--ft-sandbox-admin-token", help="its admin token")
    group.addoption("--ft-sandbox-seed", type=int, default=2024253, help="seed of a started one")


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker."""
    config.addinivalue_line(
        "markers",
        "ft_scenario(name): run the test under a scenario of `ft-conformance client` "
        "(fault profile, outage, clock jump) for the ft_sandbox client",
    )


@dataclass
class SandboxHandle:
    """A running sandbox, as a test sees it."""

    base_url: str
    admin_token: str
    client_id: str = DEFAULT_CLIENT[0]
    client_secret: str = DEFAULT_CLIENT[1]
    control: ControlPlane = field(init=False)

    def __post_init__(self) -> None:
        from conformance.client.runner import ControlPlane

        self.control = ControlPlane(self.base_url, self.admin_token)

    @property
    def token_url(self) -> str:
        """Where tokens are asked for (add ``?realm=/agent`` or ``?realm=/partenaire``)."""
        return f"{self.base_url}/connexion/oauth2/access_token"

    def personas(self, *ids: str) -> list[dict[str, str]]:
        """NIR, date of birth and names of shipped personas (``fixtures/personas/``)."""
        from conformance.client.scenarios import persona_records

        return persona_records(ids)

    def profile(self, name: str) -> None:
        """Give the client a fault profile (``nominal`` for none)."""
        self.control.set_profile(self.client_id, name)

    def clock(self, action: str, **arguments: Any) -> dict[str, Any]:
        """Freeze, unfreeze, advance (``seconds=``), set (``instant=``) or reset the clock."""
        return self.control.clock({"action": action, **arguments})

    def reset(self) -> None:
        """The client's writes, journal and fault stream back to the start; no fault; wall clock."""
        from conformance.client.runner import restore

        restore(self.control, self.client_id)


@pytest.fixture(scope="session")
def ft_sandbox(request: pytest.FixtureRequest) -> Iterator[SandboxHandle]:
    """A sandbox for the session: started on a free local port, or ``--ft-sandbox-url``'s."""
    url = request.config.getoption("--ft-sandbox-url")
    if url:
        token = request.config.getoption("--ft-sandbox-admin-token")
        if not token:
            raise pytest.UsageError("--ft-sandbox-url needs --ft-sandbox-admin-token")
        handle = SandboxHandle(url.rstrip("/"), token)
        yield handle
        handle.control.close()
        return
    from conformance.client.runner import local_sandbox

    with (
        tempfile.TemporaryDirectory(prefix="ft-sandbox-pytest-") as scratch,
        local_sandbox(
            request.config.getoption("--ft-sandbox-seed"), Path(scratch) / "sandbox.log"
        ) as (base, token),
    ):
        handle = SandboxHandle(base, token)
        yield handle
        handle.control.close()


class Traffic:
    """The exchanges of the ``ft_sandbox`` client during one test, and their grading."""

    def __init__(self, sandbox: SandboxHandle, scenario: str) -> None:
        self._sandbox = sandbox
        self._scenario = scenario

    def entries(self) -> list[dict[str, Any]]:
        """The test's exchanges so far (journal entries, masked)."""
        return self._sandbox.control.journal(self._sandbox.client_id)

    def report(self) -> Report:
        """Every rule of the kit evaluated on the test's traffic."""
        from conformance.client.checks import Context, evaluate
        from sandbox.auth.clients import ClientRegistry
        from sandbox.resources import fixtures_dir

        registry = ClientRegistry.from_yaml(fixtures_dir(None) / "clients.yaml")
        known = registry.get(self._sandbox.client_id)
        context = Context(
            client_id=self._sandbox.client_id,
            scopes=known.scopes if known else frozenset(),
            scenario=self._scenario,
        )
        report = evaluate(self.entries(), context)
        report.source = self._scenario
        return report

    def assert_conformant(self) -> None:
        """Fail the test, listing each finding with its evidence, if a rule failed."""
        from sandbox.findings import Severity

        report = self.report()
        if report.fails(Severity.ERROR):
            lines = [
                f"{f.rule}: {f.message}"
                + "".join(f"\n    #{e.call} {e.excerpt}" for e in f.evidence)
                for f in report.findings
            ]
            pytest.fail("client conformance:\n" + "\n".join(lines), pytrace=False)


@pytest.fixture
def ft_traffic(ft_sandbox: SandboxHandle, request: pytest.FixtureRequest) -> Iterator[Traffic]:
    """The test's traffic, graded on demand; the client starts reset, under the test's scenario."""
    marker = request.node.get_closest_marker("ft_scenario")
    name = str(marker.args[0]) if marker else "nominal"
    with _scenario(ft_sandbox, name):
        yield Traffic(ft_sandbox, name)


@contextlib.contextmanager
def _scenario(sandbox: SandboxHandle, name: str) -> Iterator[None]:
    from conformance.client.runner import staged
    from conformance.client.scenarios import scenarios

    known = scenarios()
    if name not in known:
        raise pytest.UsageError(f"ft_scenario: unknown scenario {name!r} (known: {sorted(known)})")
    with staged(sandbox.control, sandbox.client_id, known[name]):
        yield
