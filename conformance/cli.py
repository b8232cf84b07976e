"""`ft-conformance`: the conformance kit's command line; parsing and exit codes only.

Exit codes: 0 every check passed, 1 findings, 2 usage or input error (nothing could be checked).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path

import httpx
import schemathesis

from conformance.client.cli import add_parser as add_client_parser
from conformance.files.cli import add_parser as add_files_parser
from conformance.junit import junit_report
from conformance.local_app import throwaway_app
from conformance.provider import (
    DEFAULT_PERSONA,
    Credentials,
    ProviderError,
    RenewingCredentials,
    check_operations,
    checks_config,
    fetch_credentials,
    register_formats,
)


class ExitCode(IntEnum):
    """Documented exit codes."""

    PASSED = 0
    FINDINGS = 1
    USAGE = 2


def _contract() -> dict[str, object]:
    with throwaway_app() as app:
        return app.openapi()


def _provider(args: argparse.Namespace) -> int:
    register_formats(args.nir)
    contract = _contract()
    schema = schemathesis.openapi.from_dict(contract, config=checks_config(contract))
    schema.config.update(base_url=args.base_url.rstrip("/"))

    def fetch() -> Credentials:
        with httpx.Client(base_url=args.base_url, timeout=30) as http:
            return fetch_credentials(
                http, args.client_id, args.client_secret, args.nir, args.date_naissance
            )

    try:
        credentials = RenewingCredentials(fetch)
    except (ProviderError, httpx.HTTPError) as exc:
        print(f"ft-conformance: cannot prepare the run: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    failed = 0
    total = 0
    results = []
    for result in check_operations(
        schema, credentials, max_examples=args.max_examples, seed=args.seed
    ):
        results.append(result)
        total += 1
        if result.passed:
            print(f"PASS  {result.label}")
            continue
        failed += 1
        print(f"FAIL  {result.label}")
        for code, title in result.failures:
            print(f"        {code} {title}")
        if result.error:
            print(f"        error: {result.error}")
    print(f"{total - failed} passed, {failed} failed")
    if args.junit:
        Path(args.junit).write_bytes(junit_report(results, args.base_url))
    return ExitCode.FINDINGS if failed else ExitCode.PASSED


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="ft-conformance",
        description=(
            "Conformance kit for France Travail partner API integrations. Exit codes: 0 passed, "
            "1 findings, 2 usage or input error."
        ),
    )
    commands = parser.add_subparsers(dest="command")
    provider = commands.add_parser(
        "provider",
        help="check that an implementation (sandbox, proxy, mock, recette) honours the contract",
    )
    provider.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8080")
    provider.add_argument("--client-id", default="PAR_ftsandbox_cd62")
    provider.add_argument("--client-secret", default="ftsandbox-secret-cd62")
    provider.add_argument("--nir", default=DEFAULT_PERSONA[0], help="a person known to it")
    provider.add_argument("--date-naissance", default=DEFAULT_PERSONA[1])
    provider.add_argument("--max-examples", type=int, default=20)
    provider.add_argument(
        "--seed",
        type=int,
        help="explore other examples, reproducibly (default: the same derandomized examples)",
    )
    provider.add_argument("--junit", help="also write a JUnit XML report here (for CI)")
    provider.set_defaults(handler=_provider)
    add_files_parser(commands)
    add_client_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return ExitCode.USAGE
    result: int = args.handler(args)
    return result
