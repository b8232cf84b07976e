"""compose.yaml holds together: its services, their settings, its secrets, its balancer.

No Docker here: the file is read as YAML and checked against what it names (the Settings
fields, deploy/haproxy.cfg, .env.example, the Dockerfile); HAProxy checks the configuration with
the compose environment where it is installed.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from sandbox import Settings
from tests.multi.cluster import HAPROXY_CONFIG, ROOT, SERVERS, haproxy

COMPOSE = ROOT / "compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
SECRETS = ("FT_SANDBOX_SECRET_KEY", "FT_SANDBOX_ADMIN_TOKEN", "POSTGRES_PASSWORD")
# The port the image serves on (Dockerfile CMD).
IMAGE_PORT = 8080
REQUIRED = re.compile(r"^\$\{(?P<name>[A-Z0-9_]+):\?[^}]+\}$")


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    compose = yaml.safe_load(COMPOSE.read_text())
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    assert isinstance(environment, dict), "environment is written as a mapping"
    return {str(k): str(v) for k, v in environment.items()}


def test_the_deployment_is_a_database_three_instances_and_a_balancer(
    services: dict[str, dict[str, Any]],
) -> None:
    assert set(services) == {"postgres", *SERVERS, "haproxy"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["haproxy"]["image"].startswith("haproxy:")
    assert f'"--port", "{IMAGE_PORT}"' in (ROOT / "Dockerfile").read_text()
    for name in SERVERS:
        assert services[name]["build"] == ".", f"{name} is built from the repository's Dockerfile"


def test_every_instance_setting_is_a_settings_field(services: dict[str, dict[str, Any]]) -> None:
    fields = {f"FT_SANDBOX_{name.upper()}" for name in Settings.model_fields}
    for name in SERVERS:
        environment = _environment(services[name])
        assert set(environment) <= fields, f"{name}: not a setting: {set(environment) - fields}"
        assert {
            "FT_SANDBOX_DATABASE_URL",
            "FT_SANDBOX_SECRET_KEY",
            "FT_SANDBOX_ADMIN_TOKEN",
        } <= set(environment)
    # One sandbox: every instance gets the same settings.
    assert len({repr(_environment(services[name])) for name in SERVERS}) == 1


def test_the_instances_use_the_postgres_service_once_it_is_healthy(
    services: dict[str, dict[str, Any]],
) -> None:
    postgres = services["postgres"]
    assert "pg_isready" in str(postgres["healthcheck"]["test"])
    database = _environment(postgres)
    user, db = database["POSTGRES_USER"], database["POSTGRES_DB"]
    for name in SERVERS:
        url = _environment(services[name])["FT_SANDBOX_DATABASE_URL"]
        assert re.fullmatch(
            rf"postgresql://{user}:\$\{{POSTGRES_PASSWORD:\?[^}}]+\}}@postgres:5432/{db}", url
        )
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_no_secret_is_written_in_the_file(services: dict[str, dict[str, Any]]) -> None:
    given: list[str] = []
    for service in services.values():
        for key, value in _environment(service).items():
            if key in SECRETS:
                match = REQUIRED.match(value)
                assert match and match.group("name") == key, f"{key} must be ${{{key}:?…}}"
                given.append(key)
    assert set(given) == set(SECRETS)


def test_every_variable_of_the_file_is_documented_and_left_empty() -> None:
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE.read_text()))
    documented = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert used == set(documented)
    assert all(documented[secret] == "" for secret in SECRETS)
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_the_balancer_runs_the_tested_configuration_on_the_three_instances(
    services: dict[str, dict[str, Any]],
) -> None:
    balancer = services["haproxy"]
    assert (
        f"./{HAPROXY_CONFIG.relative_to(ROOT)}:/usr/local/etc/haproxy/haproxy.cfg:ro"
        in (balancer["volumes"])
    )
    environment = _environment(balancer)
    lines = HAPROXY_CONFIG.read_text().splitlines()
    settings = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    read = set(re.findall(r"\$\{([A-Z0-9_]+)\}", settings))
    assert read == set(environment)
    servers = [environment[f"FT_SANDBOX_{n}"] for n in range(1, len(SERVERS) + 1)]
    assert servers == [f"{name}:{IMAGE_PORT}" for name in SERVERS]
    instance_token = _environment(services[SERVERS[0]])["FT_SANDBOX_ADMIN_TOKEN"]
    assert environment["FT_SANDBOX_ADMIN_TOKEN"] == instance_token


def test_haproxy_accepts_the_configuration_with_the_compose_environment(
    services: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    binary = haproxy()
    environment = {**_environment(services["haproxy"]), "FT_SANDBOX_ADMIN_TOKEN": "token"}
    checked = subprocess.run(
        [binary, "-c", "-f", str(HAPROXY_CONFIG)],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
