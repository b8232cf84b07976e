"""`ft-sandbox`: serve the sandbox, and print its population for scripts and testers."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sandbox.settings import Settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    overrides = {
        key: value
        for key, value in (
            ("host", args.host),
            ("port", args.port),
            ("seed", args.seed),
            ("population_size", args.population_size),
            ("workers", args.workers),
            ("profile", args.profile),
            ("profiles_dir", args.profiles_dir),
        )
        if value is not None
    }
    settings = Settings(**overrides)
    from sandbox.faults.profiles import load_profiles

    known = load_profiles(settings.profiles_dir)
    if settings.profile not in known:
        print(
            f"ft-sandbox: unknown fault profile {settings.profile!r}; "
            f"valid: {', '.join(sorted(known))}",
            file=sys.stderr,
        )
        return 2
    # Workers re-read the settings from the environment: pass the overrides that way.
    import os

    for key, value in overrides.items():
        os.environ[f"FT_SANDBOX_{key.upper()}"] = str(value)
    print(
        f"ft-sandbox on http://{settings.host}:{settings.port} "
        f"(seed {settings.seed}, {settings.population_size} people + personas, "
        f"fault profile {settings.profile})",
        file=sys.stderr,
    )
    uvicorn.run(
        "sandbox.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        access_log=settings.access_log,
        log_level="info",
    )
    return 0


def _sample(args: argparse.Namespace) -> int:
    from sandbox.population.sample import sample_rows

    overrides = {"seed": args.seed} if args.seed is not None else {}
    rows = sample_rows(Settings(**overrides), args.count, args.departement)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(
                f"{row['codeRetour']}  {row['nir']}  {row['dateNaissance']}  "
                f"{row['numeroFranceTravail']}  {row['statut']:<9}  {row.get('persona') or ''}"
            )
    return 0


def _contracts(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from sandbox.apis.contracts import CONTROL_DOCUMENT, documents, export
    from sandbox.apis.coverage import load_data_lists, render_coverage
    from sandbox.app import create_app

    directory = Path(args.dir)
    with tempfile.TemporaryDirectory() as scratch:
        # The documents do not depend on the instance's data: a throw-away one is enough.
        app = create_app(Settings(data_dir=Path(scratch), secret_key="contracts"))
        differing = export(app, directory / "openapi", check=args.check)
        lists = directory / "convention-data-lists.yaml"
        if lists.exists():
            resolved_in = [app.openapi(), documents(app)[CONTROL_DOCUMENT]]
            coverage = render_coverage(resolved_in, load_data_lists(lists))
            target = directory / "COVERAGE.md"
            current = target.read_text(encoding="utf-8") if target.exists() else None
            if current != coverage:
                differing.append("COVERAGE.md")
                if not args.check:
                    target.write_text(coverage, encoding="utf-8")
    differing.extend(_export_table_schemas(directory / "files", check=args.check))
    if args.check and differing:
        print(
            f"contracts out of date in {args.dir}: {', '.join(differing)} "
            "(run `ft-sandbox contracts export`)",
            file=sys.stderr,
        )
        return 1
    verb = "up to date" if args.check else f"written ({len(differing)} changed)"
    print(f"contracts {verb} in {args.dir}")
    return 0


def _export_table_schemas(directory: Path, check: bool) -> list[str]:
    """Write (or compare) ``<kind>.schema.json`` for every exchange-file kind."""
    from sandbox.exchange.models import ROW_MODELS
    from sandbox.exchange.schema import render

    directory.mkdir(parents=True, exist_ok=True)
    expected = {f"{kind}.schema.json": render(kind) for kind in ROW_MODELS}
    differing = []
    for name, text in sorted(expected.items()):
        path = directory / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            differing.append(f"files/{name}")
            if not check:
                path.write_text(text, encoding="utf-8")
    for path in sorted(directory.glob("*.schema.json")):
        if path.name not in expected:
            differing.append(f"files/{path.name}")
            if not check:
                path.unlink()
    return differing


def _reset(args: argparse.Namespace) -> int:
    from sandbox.diagnostics.service import upgrade_legacy
    from sandbox.settings import state_location
    from sandbox.state import StateStore

    store = StateStore(state_location(Settings()), upgrade=upgrade_legacy)
    removed = store.reset(args.client)
    # Closing waits for the purge: the disk space is back when the command returns.
    store.close()
    print(f"{removed} document(s) removed for {args.client}")
    return 0


def _admin_token(args: argparse.Namespace) -> int:
    from sandbox.runtime import ADMIN_TOKEN_FILE, instance_secret, load_or_create_secret
    from sandbox.state import StateStore

    settings = Settings()
    if settings.admin_token or settings.database_url is None:
        print(settings.admin_token or load_or_create_secret(settings.data_dir, ADMIN_TOKEN_FILE))
        return 0
    # On PostgreSQL the token is the database's, shared by every instance.
    store = StateStore(settings.database_url)
    print(instance_secret(settings, store, ADMIN_TOKEN_FILE))
    store.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="ft-sandbox", description="Local simulation of the France Travail partner APIs."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start the HTTP server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--seed", type=int)
    serve.add_argument("--population-size", type=int)
    serve.add_argument("--workers", type=int)
    serve.add_argument("--profile", help="fault profile for every client (default: nominal)")
    serve.add_argument("--profiles-dir", help="a directory of your own fault profiles (*.yaml)")
    serve.set_defaults(handler=_serve)

    population = commands.add_parser("population", help="inspect the synthetic population")
    population_commands = population.add_subparsers(dest="population_command", required=True)
    sample = population_commands.add_parser(
        "sample", help="print people (personas first) with the expected Recherche usager code"
    )
    sample.add_argument("--count", type=int, default=20)
    sample.add_argument("--json", action="store_true", help="machine-readable output")
    sample.add_argument("--seed", type=int)
    sample.add_argument(
        "--departement", default="62", help="caller's département for the expected code"
    )
    sample.set_defaults(handler=_sample)

    contracts = commands.add_parser("contracts", help="machine-readable contracts")
    contracts_commands = contracts.add_subparsers(dest="contracts_command", required=True)
    export = contracts_commands.add_parser(
        "export", help="write the OpenAPI documents generated from the models"
    )
    export.add_argument("--dir", default="contracts", help="contracts directory")
    export.add_argument(
        "--check", action="store_true", help="fail if the files differ from a fresh export"
    )
    export.set_defaults(handler=_contracts)

    reset = commands.add_parser("reset", help="wipe one OAuth client's state (its writes)")
    reset.add_argument("--client", required=True, help="client_id whose writes are removed")
    reset.set_defaults(handler=_reset)

    admin = commands.add_parser("admin-token", help="print the control plane's admin token")
    admin.set_defaults(handler=_admin_token)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    handler = args.handler
    result: int = handler(args)
    return result
