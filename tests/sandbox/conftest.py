"""Fixtures of the sandbox's own tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from tests.sandbox.asgi import Driver, Drivers


@pytest.fixture
def drivers(tmp_path: Path) -> Iterator[Drivers]:
    """Build drivers of an app with a given instance profile, started at an instant."""
    built: list[Driver] = []

    def build(profile: str, start: dt.datetime) -> Driver:
        clock = FrozenClock(start)
        settings = Settings(data_dir=tmp_path / profile, secret_key="k", profile=profile)
        built.append(Driver(create_app(settings, clock), clock))
        return built[-1]

    yield build
    for driver in built:
        driver.close()
