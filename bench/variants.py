"""Variants of the sandbox that only the bench serves, to price one layer at a time.

``python -m bench.variants no-faults --port P`` serves the sandbox exactly as ``ft-sandbox serve``
does (same settings, workers and server options) but without its fault-injection middleware, so
that the fault layer's cost is measured on/off in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
from collections.abc import Sequence

from fastapi import FastAPI

FAULT_MIDDLEWARE_MODULE = "sandbox.faults.middleware"


def fault_layer_present() -> bool:
    """Whether this sandbox has a fault-injection middleware to take out."""
    try:
        return importlib.util.find_spec(FAULT_MIDDLEWARE_MODULE) is not None
    except ModuleNotFoundError:
        return False


def sandbox_without_fault_layer() -> FastAPI:
    """The sandbox application with every middleware of ``sandbox.faults`` removed."""
    from sandbox.app import create_app

    app = create_app()
    # The middleware stack is built on the first request, from this list.
    app.user_middleware = [
        middleware
        for middleware in app.user_middleware
        if not getattr(middleware.cls, "__module__", "").startswith("sandbox.faults")
    ]
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a variant with the same server options as ``ft-sandbox serve``."""
    import uvicorn

    from sandbox.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m bench.variants")
    parser.add_argument("variant", choices=["no-faults"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    settings = Settings()
    uvicorn.run(
        "bench.variants:sandbox_without_fault_layer",
        factory=True,
        host=settings.host,
        port=args.port,
        workers=settings.workers,
        access_log=settings.access_log,
        log_level="info",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
