"""Which scopes open which API, in which realm (reference §7.1; reconstructed ones marked).

A token opens an API when it was issued in the API's realm and carries every scope listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
    METIERS_V1 = "metiers-recherches-v1"
    CREATION_ENTREPRISE_V1 = "creation-entreprise-v1"


@dataclass(frozen=True, slots=True)
class ApiAccess:
    """The realm, scopes and path prefix of an API; ``reconstructed`` when not public."""

    realm: Realm
    scopes: tuple[str, ...]
    prefix: str
    reconstructed: bool = False


API_ACCESS: dict[Api, ApiAccess] = {
    Api.RECHERCHE_USAGER_V2: ApiAccess(
        Realm.AGENT,
        ("api_rechercher-usagerv2", "rechercheusager", "profil_accedant"),
        "/partenaire/rechercher-usager/v2/",
    ),
    Api.RECHERCHE_USAGER_V1: ApiAccess(
        Realm.PARTENAIRE, ("api_rechercher-usagerv1",), "/partenaire/rechercher-usager/v1/"
    ),
    Api.STATUT_USAGER_V2: ApiAccess(
        Realm.AGENT,
        ("api_contrat-usagerv2", "statutcontratusager", "profil_accedant"),
        "/partenaire/contrat-usager/v2/",
    ),
    Api.STATUT_USAGER_V1: ApiAccess(
        Realm.PARTENAIRE,
        ("api_statut-usagerv1",),
        "/partenaire/statut-usager/v1/",
        reconstructed=True,
    ),
    Api.DIAGNOSTIC_V4: ApiAccess(
        Realm.AGENT,
        ("api_diagnosticargumentev4", "diagnosticusageragent"),
        "/partenaire/diagnosticargumente/v4/",
    ),
    Api.DIAGNOSTIC_V1: ApiAccess(
        Realm.PARTENAIRE, ("api_diagnosticargumentev1",), "/partenaire/diagnosticargumente/v1/"
    ),
    Api.METIERS_PROJETS_V2: ApiAccess(
        Realm.AGENT,
        ("api_metiers-projets-entreprisesv2", "ciblepro", "profil_accedant"),
        "/partenaire/metiers-projets-entreprises/v2/",
    ),
    Api.METIERS_V1: ApiAccess(
        Realm.PARTENAIRE,
        ("api_metiers-profil-competencesv1", "ciblepro"),
        "/partenaire/metiers-profil-competences/v1/",
        reconstructed=True,
    ),
    Api.CREATION_ENTREPRISE_V1: ApiAccess(
        Realm.PARTENAIRE,
        ("api_projet-creation-entreprisev1",),
        "/partenaire/projet-creation-entreprise/v1/",
        reconstructed=True,
    ),
}


def scopes_of_realm(realm: Realm) -> frozenset[str]:
    """Every API scope that can be requested in a realm."""
    return frozenset(
        s for access in API_ACCESS.values() if access.realm is realm for s in access.scopes
    )


def all_scopes() -> frozenset[str]:
    """Every API scope of every realm."""
    return scopes_of_realm(Realm.AGENT) | scopes_of_realm(Realm.PARTENAIRE)


_PREFIXES = {access.prefix: api for api, access in API_ACCESS.items()}


def api_of_path(path: str) -> Api | None:
    """The API a request path belongs to (before routing: the fault layer needs it)."""
    # Every prefix is "/partenaire/<name>/<version>/": one dictionary look-up.
    parts = path.split("/", 4)
    return _PREFIXES.get("/".join(parts[:4]) + "/") if len(parts) > 4 else None
