"""The habilitation file given by a setting (``FT_SANDBOX_HABILITATIONS``), loaded at start."""

from __future__ import annotations

from pathlib import Path

from sandbox.exchange import check
from sandbox.findings import Severity
from sandbox.suivi.accounts import Accounts

KIND = "annexe3-habilitations"


class HabilitationFileError(ValueError):
    """The habilitation file of the settings is unreadable or has error-severity findings."""


def load_habilitations(accounts: Accounts, path: Path, client_id: str) -> int:
    """Register the accounts of an Annexe 3 §1.1 file for ``client_id``; how many.

    The file is checked as the file drop checks it: a file the drop would refuse stops the
    start (a recette must not run on half an habilitation list), with the findings' count.
    """
    rows: list[dict[str, str]] = []
    report = check(path, KIND, on_row=lambda _line, row: rows.append(row))
    errors = report.counts.get(Severity.ERROR, 0)
    if not report.readable or errors:
        raise HabilitationFileError(
            f"{path}: not an acceptable Annexe 3 §1.1 file ({errors} error findings); "
            f"`ft-conformance files check {path}` shows them"
        )
    return accounts.register(client_id, rows)
