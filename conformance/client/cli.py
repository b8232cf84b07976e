"""``ft-conformance client``: grade a département's client on its traffic, under scenarios.

Exit codes: 0 every rule passed in every scenario, 1 rule failures, 2 usage or launch error
(the sandbox could not be started or reached, the command could not be launched).

Against a shared sandbox (``--base-url``, and so ``--watch``) the campaign is published there at
the end (``POST /_sandbox/reports/{client_id}``: its JSON and its HTML procès-verbal, listed by
the control panel), unless ``--no-publish``; a refused publication is reported on stderr and
changes neither the verdict nor the exit code. A sandbox the kit started itself goes away with
the run: nothing is published to it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from conformance.client.render import render_console, render_html, render_json, render_junit
from conformance.client.results import Campaign
from conformance.client.rules import titles
from conformance.client.runner import (
    ControlPlane,
    LaunchError,
    Runner,
    Target,
    contract_versions,
    local_sandbox,
)
from conformance.client.scenarios import Scenario, scenarios
from sandbox.auth.clients import ClientRegistry
from sandbox.resources import fixtures_dir

DEFAULT_CLIENT = ("PAR_ftsandbox_cd62", "ftsandbox-secret-cd62")
DEFAULT_SEED = 2024253
_PASSED, _FINDINGS, _USAGE = 0, 1, 2


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``client`` on the kit's command line."""
    client = commands.add_parser(
        "client",
        help="grade a département's client on its traffic against the sandbox, under scenarios",
        description=(
            "Run a client (--run) under each scenario, or watch a client id (--watch), and grade "
            "its traffic. Exit codes: 0 passed, 1 rule failures, 2 usage or launch error."
        ),
    )
    mode = client.add_mutually_exclusive_group(required=True)
    mode.add_argument("--run", metavar="COMMAND", help="the client to launch, once per scenario")
    mode.add_argument(
        "--watch", action="store_true", help="grade what --client-id sends during --duration"
    )
    client.add_argument("--duration", type=float, default=60.0, help="seconds to watch")
    client.add_argument(
        "--base-url", help="a running sandbox (default: start one on a free local port)"
    )
    client.add_argument(
        "--admin-token",
        default=os.environ.get("FT_SANDBOX_ADMIN_TOKEN"),
        help="that sandbox's admin token (default: $FT_SANDBOX_ADMIN_TOKEN)",
    )
    client.add_argument("--client-id", default=DEFAULT_CLIENT[0])
    client.add_argument("--client-secret", default=None, help="default: the fixture's secret")
    client.add_argument(
        "--scenario",
        action="append",
        choices=list(scenarios()),
        help="run only this scenario (repeatable; default: every scenario, in order)",
    )
    client.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the started sandbox's seed")
    client.add_argument("--json", type=Path, help="write the JSON report here")
    client.add_argument("--junit", type=Path, help="write the JUnit XML report here")
    client.add_argument("--html", type=Path, help="write the HTML procès-verbal de recette here")
    client.add_argument("--log", type=Path, help="write the sandbox's and the client's output here")
    client.add_argument(
        "--journal-dir",
        type=Path,
        help="write each scenario's journal (masked exchanges, the evidence's source) here",
    )
    client.add_argument(
        "--no-publish",
        action="store_true",
        help="with --base-url (or --watch): do not publish the campaign to that sandbox "
        "(by default its JSON and procès-verbal are kept there, listed by its control panel)",
    )
    client.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the campaign the arguments describe; returns the exit code."""
    console = Console(stderr=False)
    if args.watch and args.base_url is None:
        print("ft-conformance client: --watch needs --base-url", file=sys.stderr)
        return _USAGE
    if args.base_url is not None and not args.admin_token:
        print(
            "ft-conformance client: --base-url needs --admin-token (or FT_SANDBOX_ADMIN_TOKEN)",
            file=sys.stderr,
        )
        return _USAGE
    registered = ClientRegistry.from_yaml(fixtures_dir(None) / "clients.yaml").get(args.client_id)
    secret = args.client_secret or (registered.client_secret if registered else None)
    if secret is None and args.run:
        print(
            f"ft-conformance client: no secret known for {args.client_id!r}: give --client-secret",
            file=sys.stderr,
        )
        return _USAGE
    chosen = [scenarios()[name] for name in (args.scenario or scenarios())]
    with contextlib.ExitStack() as stack:
        log = args.log or Path(stack.enter_context(tempfile.TemporaryDirectory())) / "run.log"
        try:
            if args.base_url is None:
                base_url, admin_token = stack.enter_context(local_sandbox(args.seed, log))
            else:
                base_url, admin_token = args.base_url.rstrip("/"), args.admin_token
            runner = Runner(
                target=Target(base_url, admin_token, args.client_id, secret or ""),
                seed=args.seed,
                log=log,
                subscribed=registered.scopes if registered else frozenset(),
            )
            if args.watch:
                campaign = runner.watch(args.duration)
            else:
                with Progress(
                    TextColumn("[bold]scénario[/] {task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=Console(stderr=True),
                    transient=True,
                ) as bar:
                    task = bar.add_task("", total=len(chosen))

                    def advance(name: str) -> None:
                        bar.update(task, description=name, completed=_position(chosen, name))

                    runner.progress = advance
                    campaign = runner.campaign(args.run, chosen)
                    bar.update(task, completed=len(chosen))
        except LaunchError as exc:
            print(f"ft-conformance client: {exc}", file=sys.stderr)
            return _USAGE
    # Built after the run (it takes seconds): a watch window opens when the command starts.
    campaign.contract_versions = contract_versions()
    if args.journal_dir:
        args.journal_dir.mkdir(parents=True, exist_ok=True)
        for name, entries in runner.journals.items():
            (args.journal_dir / f"{name}.json").write_text(
                json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8"
            )
    names = titles()
    render_console(campaign, console, names)
    if args.json:
        args.json.write_text(render_json(campaign), encoding="utf-8")
    if args.junit:
        args.junit.write_text(render_junit(campaign, names), encoding="utf-8")
    if args.html:
        args.html.write_text(render_html(campaign, names), encoding="utf-8")
    if args.base_url is not None and not args.no_publish:
        # A sandbox of its own goes away with the run: only a shared one keeps the campaign.
        _publish(args.base_url, args.admin_token, campaign, names)
    return _PASSED if campaign.passed() else _FINDINGS


def _publish(base_url: str, admin_token: str, campaign: Campaign, names: Mapping[str, str]) -> None:
    """Publish the campaign to the sandbox it graded against; a refusal is only reported
    (the verdict and the exit code are the campaign's, whatever becomes of its copy)."""
    control = ControlPlane(base_url, admin_token)
    try:
        kept = control.publish(
            campaign.client_id, render_json(campaign), render_html(campaign, names)
        )
    except LaunchError as exc:
        print(f"ft-conformance client: the campaign was not published: {exc}", file=sys.stderr)
        return
    finally:
        control.close()
    print(
        f"Campagne publiée sur le bac à sable : {base_url.rstrip('/')}/_sandbox/ui/conformite/"
        f"{campaign.client_id} (rapport n° {kept['id']})",
        file=sys.stderr,
    )


def _position(chosen: list[Scenario], name: str) -> int:
    return next(i for i, scenario in enumerate(chosen) if scenario.name == name)
