"""The sandbox's file drop (convention: "solution de partage de fichiers sécurisée") and the
ingestion of what is dropped: Annexe 1 people registered, Annexe 4 indicators returned."""

from __future__ import annotations

from sandbox.filedrop.ingestion import IngestedPeople
from sandbox.filedrop.service import FileDrop, Upload

__all__ = ["FileDrop", "IngestedPeople", "Upload"]
