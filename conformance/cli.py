"""`ft-conformance`: the conformance kit's command line (checks arrive with later issues)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    return argparse.ArgumentParser(
        prog="ft-conformance",
        description=(
            "Conformance kit for France Travail partner API integrations: grades a client's "
            "traffic against ft-sandbox scenarios and exchange files against the convention's "
            "data lists. No check is available yet in this version."
        ),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments (only --help exists for now) and print the help."""
    parser = build_parser()
    parser.parse_args(argv)
    parser.print_help()
    return 0
