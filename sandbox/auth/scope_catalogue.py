"""France Travail's partner API catalogue, loaded once from ``data/scope-catalogue.yaml``.

Every API a partner can subscribe to, served by the sandbox or not: its realm, its scopes and its
gateway path prefix. ``sandbox.auth.scopes`` builds the token endpoint's scope sets and the
served APIs' gateway checks from it, so the scopes the sandbox grants and the scopes it checks
come from one table.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

DATA_FILE = "scope-catalogue.yaml"
API_SCOPE_PREFIX = "api_"

Scope = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+$")]


class CatalogueApi(BaseModel):
    """One API of the catalogue, in one version and one realm."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    nom: Annotated[str, StringConstraints(min_length=1)]
    version: Annotated[str, StringConstraints(pattern=r"^v[0-9]+$")]
    realm: Literal["/agent", "/partenaire"]
    scopes: tuple[Scope, ...] = Field(min_length=1)
    prefix: Annotated[str, StringConstraints(pattern=r"^/partenaire/[^/]+/v[0-9]+/$")] | None = (
        Field(default=None, description="'/partenaire/<name>/<version>/'; unknown for some.")
    )
    source: Annotated[str, StringConstraints(min_length=1)]
    served: bool = False
    reconstructed: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> CatalogueApi:
        if len(set(self.scopes)) != len(self.scopes):
            raise ValueError(f"{self.id}: a scope is listed twice")
        if len([s for s in self.scopes if s.startswith(API_SCOPE_PREFIX)]) != 1:
            raise ValueError(f"{self.id}: exactly one scope must start with {API_SCOPE_PREFIX!r}")
        if self.served and self.prefix is None:
            raise ValueError(f"{self.id}: a served API needs its path prefix")
        return self

    @property
    def title(self) -> str:
        """The API's name and version, as a hint names it."""
        return f"{self.nom} {self.version}"

    @property
    def api_scope(self) -> str:
        """The ``api_<name>v<N>`` scope that names the API's subscription."""
        return next(s for s in self.scopes if s.startswith(API_SCOPE_PREFIX))


class _CatalogueFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    apis: tuple[CatalogueApi, ...]

    @model_validator(mode="after")
    def _unique(self) -> _CatalogueFile:
        ids = [api.id for api in self.apis]
        prefixes = [api.prefix for api in self.apis if api.prefix is not None]
        if len(set(ids)) != len(ids) or len(set(prefixes)) != len(prefixes):
            raise ValueError("each API id and each path prefix appears once in the catalogue")
        return self


def parse_catalogue(text: str) -> tuple[CatalogueApi, ...]:
    """Validate the text of a catalogue file; ``ValueError`` names what is wrong."""
    return _CatalogueFile.model_validate(yaml.safe_load(text)).apis


@cache
def scope_catalogue() -> tuple[CatalogueApi, ...]:
    """The shipped catalogue, in file order."""
    text = resources.files("sandbox").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return parse_catalogue(text)
