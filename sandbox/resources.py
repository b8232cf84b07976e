"""Locates the data directories shipped beside the code; no other module builds these paths."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def fixtures_dir(override: Path | None = None) -> Path:
    """Return the fixtures directory: the override, the copy bundled in the wheel, or the repo's."""
    if override is not None:
        return override
    bundled = _PACKAGE_DIR / "_bundled" / "fixtures"
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / "fixtures"


def contracts_dir() -> Path:
    """The repository's ``contracts/`` directory (hand-written and generated contracts)."""
    return _PACKAGE_DIR.parent / "contracts"
