"""A throw-away sandbox application, built in-process to read the contracts it serves."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI


@contextmanager
def throwaway_app() -> Iterator[FastAPI]:
    """A sandbox app on a temporary data directory, with a random secret key.

    Random, because every secret an app is built with is registered process-wide as a value
    logs and reports must mask: a fixed word would be masked wherever it appears in a report.
    """
    from sandbox import Settings, create_app

    with tempfile.TemporaryDirectory() as scratch:
        yield create_app(Settings(data_dir=Path(scratch), secret_key=secrets.token_hex(16)))
