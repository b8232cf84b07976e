"""Which scopes exist in which realm, and which scopes open each API the sandbox serves.

Both come from France Travail's catalogue (``data/scope-catalogue.yaml``): the token endpoint
knows every scope of a realm's catalogue, served or not; a token opens a served API when it was
issued in the API's realm and carries every scope of its catalogue entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from sandbox.auth.scope_catalogue import CatalogueApi, scope_catalogue


class Realm(StrEnum):
    """OAuth2 realms: ``/agent`` for generation 2, ``/partenaire`` for generation 1."""

    AGENT = "/agent"
    PARTENAIRE = "/partenaire"


class Api(StrEnum):
    """Every partner API the sandbox serves, one per generation."""

    RECHERCHE_USAGER_V2 = "rechercher-usager-v2"
    RECHERCHE_USAGER_V1 = "rechercher-usager-v1"
    STATUT_USAGER_V2 = "statut-usager-v2"
    STATUT_USAGER_V1 = "statut-usager-v1"
    DIAGNOSTIC_V4 = "diagnostic-individu-v4"
    DIAGNOSTIC_V1 = "diagnostic-individu-v1"
    METIERS_PROJETS_V2 = "metiers-projets-entreprises-v2"
    INFORMATIONS_ADMINISTRATIVES_V1 = "informations-administratives-v1"
    METIERS_V1 = "metiers-recherches-v1"
    CREATION_ENTREPRISE_V1 = "creation-entreprise-v1"
    RENDEZ_VOUS_V1 = "rendez-vous-partenaire-v1"
    CONCLUSIONS_ENTRETIENS_V1 = "conclusions-entretiens-v1"
    ORIENTATION_V1 = "orientation-usager-v1"
    ORIENTATION_V2 = "orientation-usager-v2"
    DONNEES_RQTH_V1 = "donnees-rqth-v1"
    RENDEZ_VOUS_PUSH_V1 = "rendez-vous-partenaires-v1-2024"
    CONTRAT_ENGAGEMENT_V1 = "contrat-engagement-v1"
    ACTIVITES_OPERATIONNELLES_V2 = "activites-operationnelles-v2"
    GESTION_SANCTIONS_RSA_V1 = "gestion-sanctions-rsa-v1"


@dataclass(frozen=True, slots=True)
class ApiAccess:
    """The realm, scopes and path prefix of an API; ``reconstructed`` when not public."""

    realm: Realm
    scopes: tuple[str, ...]
    prefix: str
    reconstructed: bool = False


def _served_access() -> dict[Api, ApiAccess]:
    entries = {entry.id: entry for entry in scope_catalogue() if entry.served}
    if set(entries) != {api.value for api in Api}:
        raise ValueError(f"the catalogue's served APIs {sorted(entries)} are not {list(Api)}")
    access: dict[Api, ApiAccess] = {}
    for api in Api:
        entry = entries[api.value]
        assert entry.prefix is not None  # the catalogue checks served APIs have one
        access[api] = ApiAccess(Realm(entry.realm), entry.scopes, entry.prefix, entry.reconstructed)
    return access


API_ACCESS: Mapping[Api, ApiAccess] = MappingProxyType(_served_access())
"""The realm, scopes and prefix of each served API: its catalogue entry (one source of truth)."""


@cache
def scopes_of_realm(realm: Realm) -> frozenset[str]:
    """Every scope of France Travail's catalogue that exists in a realm, served or not."""
    return frozenset(s for e in scope_catalogue() if e.realm == realm.value for s in e.scopes)


def all_scopes() -> frozenset[str]:
    """Every scope of the catalogue, of every realm."""
    return scopes_of_realm(Realm.AGENT) | scopes_of_realm(Realm.PARTENAIRE)


def served_scopes(realm: Realm) -> frozenset[str]:
    """The scopes of the APIs the sandbox serves in a realm (what a client of them requests)."""
    return frozenset(s for a in API_ACCESS.values() if a.realm is realm for s in a.scopes)


_PREFIXES = {access.prefix: api for api, access in API_ACCESS.items()}
_CATALOGUED = {e.prefix: e for e in scope_catalogue() if e.prefix is not None}


def _prefix_of(path: str) -> str | None:
    # Every prefix is "/partenaire/<name>/<version>/": one dictionary look-up.
    parts = path.split("/", 4)
    return "/".join(parts[:4]) + "/" if len(parts) > 4 else None


def api_of_path(path: str) -> Api | None:
    """The served API a request path belongs to (before routing: the fault layer needs it)."""
    prefix = _prefix_of(path)
    return _PREFIXES.get(prefix) if prefix else None


def catalogued_api_of_path(path: str) -> CatalogueApi | None:
    """The catalogue's API a request path belongs to, served or not."""
    prefix = _prefix_of(path)
    return _CATALOGUED.get(prefix) if prefix else None
