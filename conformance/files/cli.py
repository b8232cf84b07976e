"""`ft-conformance files check` and `ft-conformance files sample`: parsing, output, exit codes.

Exit codes of ``check``: 0 no finding at or above ``--fail-on``, 1 findings at or above it,
2 an input could not be read as a table (missing, binary, broken spreadsheet) or bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from conformance.files.render import render_console, render_html, render_json, render_junit
from sandbox.exchange import ROW_MODELS, check
from sandbox.exchange.rules import RULES
from sandbox.exchange.samples import BREAKABLE, Sample, break_sample, sample
from sandbox.findings import Report, Severity

PROGRESS_FROM_BYTES = 5 * 1024 * 1024
"""Files larger than this get a progress bar on the console."""
FORMATS = ("console", "json", "junit", "html")


def _check_one(path: str, kind: str | None, console: Console | None) -> Report:
    """Check one file; a bug of the checker still ends in a report (and exit code 2)."""
    try:
        return _checked(path, kind, console)
    except Exception as exc:  # the checker's own contract is to never raise: report, not crash
        report = Report(source=path, kind=kind, readable=False)
        report.add(
            RULES["unreadable-file"].finding(
                detail=f"erreur interne du vérificateur ({type(exc).__name__}), à signaler"
            )
        )
        return report


def _checked(path: str, kind: str | None, console: Console | None) -> Report:
    size = Path(path).stat().st_size if Path(path).is_file() else 0
    if console is None or size < PROGRESS_FROM_BYTES:
        return check(path, kind)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(Path(path).name, total=size)
        return check(path, kind, progress=lambda done, total: bar.update(task, completed=done))


def run_check(args: argparse.Namespace) -> int:
    """``files check``."""
    fail_on = Severity(args.fail_on)
    err = Console(stderr=True)
    console = Console() if args.format == "console" and not args.output else None
    reports = [_check_one(path, args.kind, console or err) for path in args.paths]
    if args.format == "console":
        if args.output:
            with open(args.output, "w", encoding="utf-8") as handle:
                render_console(reports, Console(file=handle, width=160, no_color=True))
        else:
            render_console(reports, console or Console())
    else:
        content: str | bytes
        if args.format == "json":
            content = render_json(reports)
        elif args.format == "junit":
            content = render_junit(reports, fail_on)
        else:
            content = render_html(reports)
        if args.output:
            data = content.encode("utf-8") if isinstance(content, str) else content
            Path(args.output).write_bytes(data)
        elif isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            sys.stdout.write(content)
    if any(not r.readable for r in reports):
        return 2
    return 1 if any(r.fails(fail_on) for r in reports) else 0


def run_sample(args: argparse.Namespace) -> int:
    """``files sample``."""
    kind = args.kind or (BREAKABLE.get(args.break_rule) if args.break_rule else None)
    if kind is None:
        print("ft-conformance: --kind is required (or --break RULE)", file=sys.stderr)
        return 2
    try:
        table = sample(kind, args.rows, args.seed)
        if args.break_rule and args.rows < 3:
            raise ValueError("--break needs at least 3 rows (the broken row is line 3)")
        produced: Sample | bytes = (
            break_sample(table, args.break_rule) if args.break_rule else table
        )
    except (ValueError, IndexError) as exc:
        print(f"ft-conformance: cannot build the sample: {exc}", file=sys.stderr)
        return 2
    if isinstance(produced, bytes):
        data = produced
    elif args.file_format == "xlsx":
        data = produced.to_xlsx()
    else:
        data = produced.to_csv(args.delimiter, args.encoding)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``files`` and its subcommands on the kit's parser."""
    files = commands.add_parser(
        "files", help="check exchange files (Annexes 1, 3, 4), write samples"
    )
    sub = files.add_subparsers(dest="files_command", required=True)
    checker = sub.add_parser(
        "check",
        help="check CSV/XLSX exchange files; exit 0 clean, 1 findings at or above --fail-on, "
        "2 unreadable input or usage error",
    )
    checker.add_argument("paths", nargs="+", metavar="PATH")
    checker.add_argument("--kind", choices=sorted(ROW_MODELS), help="default: from the header")
    checker.add_argument("--format", choices=FORMATS, default="console")
    checker.add_argument("--output", help="write the report here instead of standard output")
    checker.add_argument(
        "--fail-on", choices=[s.value for s in Severity], default=Severity.ERROR.value
    )
    checker.set_defaults(handler=run_check)
    sampler = sub.add_parser(
        "sample", help="write a valid file from the synthetic population, or one breaking a rule"
    )
    sampler.add_argument("--kind", choices=sorted(ROW_MODELS))
    sampler.add_argument("--rows", type=int, default=20)
    sampler.add_argument("--seed", type=int, help="default: the sandbox's seed")
    sampler.add_argument(
        "--break",
        dest="break_rule",
        choices=sorted(BREAKABLE),
        metavar="RULE",
        help=f"one of: {', '.join(sorted(BREAKABLE))}",
    )
    sampler.add_argument("--format", dest="file_format", choices=("csv", "xlsx"), default="csv")
    sampler.add_argument("--delimiter", choices=(";", ","), default=";")
    sampler.add_argument("--encoding", choices=("utf-8", "utf-8-sig", "cp1252"), default="utf-8")
    sampler.add_argument("--output", help="default: standard output")
    sampler.set_defaults(handler=run_sample)
