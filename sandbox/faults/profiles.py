"""Named fault profiles: the shipped ones (data files) and a user's own YAML files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from sandbox.faults.plan import Profile


class ProfileError(ValueError):
    """A profile file is invalid; the message names the file."""


def _parse(text: str, origin: str) -> Profile:
    try:
        return Profile.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as exc:
        raise ProfileError(f"{origin}: {exc}") from exc


def load_profiles(user_dir: Path | None = None) -> dict[str, Profile]:
    """Shipped profiles, then the user's ``*.yaml`` (a user profile may replace a shipped one)."""
    profiles: dict[str, Profile] = {}
    shipped = resources.files("sandbox").joinpath("data", "fault-profiles")
    for entry in sorted(shipped.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            profile = _parse(entry.read_text(encoding="utf-8"), entry.name)
            profiles[profile.name] = profile
    if user_dir is not None:
        for path in sorted(user_dir.glob("*.yaml")):
            profile = _parse(path.read_text(encoding="utf-8"), str(path))
            profiles[profile.name] = profile
    return profiles
