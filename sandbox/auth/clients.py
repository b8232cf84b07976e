"""Partner OAuth clients (``fixtures/clients.yaml``): credentials, département, scopes."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from sandbox.auth.scopes import all_scopes


class Client(BaseModel):
    """One partner application subscribed on the platform."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    client_id: Annotated[str, StringConstraints(min_length=1)]
    client_secret: Annotated[str, StringConstraints(min_length=1)]
    nom: str
    departement: Annotated[str, StringConstraints(pattern=r"^([0-9]{2}|2A|2B|[0-9]{3})$")] = Field(
        description="The département whose people this partner follows (R002 for others)."
    )
    scopes: frozenset[str]

    @field_validator("scopes", mode="before")
    @classmethod
    def _expand_all(cls, value: object) -> object:
        if value == "all":
            return all_scopes()
        return value

    @field_validator("scopes")
    @classmethod
    def _known_scopes(cls, value: frozenset[str]) -> frozenset[str]:
        unknown = value - all_scopes()
        if unknown:
            raise ValueError(f"unknown scopes: {sorted(unknown)}")
        return value

    def secret_matches(self, secret: str) -> bool:
        """Compare secrets in constant time."""
        return hmac.compare_digest(self.client_secret.encode(), secret.encode())


class _ClientsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clients: list[Client]
    version: Literal[1] = 1


class ClientRegistry:
    """The clients an instance knows."""

    def __init__(self, clients: list[Client]) -> None:
        self._by_id = {client.client_id: client for client in clients}
        if len(self._by_id) != len(clients):
            raise ValueError("duplicate client_id in clients file")

    @classmethod
    def from_yaml(cls, path: Path) -> ClientRegistry:
        """Load ``clients.yaml``."""
        data = _ClientsFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        return cls(data.clients)

    def get(self, client_id: str) -> Client | None:
        """Return a client by id."""
        return self._by_id.get(client_id)

    def __iter__(self) -> Iterator[Client]:
        return iter(self._by_id.values())
