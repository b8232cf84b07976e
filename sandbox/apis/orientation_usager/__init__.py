"""Orientation usager v1 and v2 (realm /agent)."""
