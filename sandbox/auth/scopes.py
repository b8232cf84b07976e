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
    """The realm and scopes an API requires; ``reconstructed`` when no public source names them."""

    realm: Realm
    scopes: tuple[str, ...]
    reconstructed: bool = False


API_ACCESS: dict[Api, ApiAccess] = {
    Api.RECHERCHE_USAGER_V2: ApiAccess(
        Realm.AGENT, ("api_rechercher-usagerv2", "rechercheusager", "profil_accedant")
    ),
    Api.RECHERCHE_USAGER_V1: ApiAccess(Realm.PARTENAIRE, ("api_rechercher-usagerv1",)),
    Api.STATUT_USAGER_V2: ApiAccess(
        Realm.AGENT, ("api_contrat-usagerv2", "statutcontratusager", "profil_accedant")
    ),
    Api.STATUT_USAGER_V1: ApiAccess(Realm.PARTENAIRE, ("api_statut-usagerv1",), reconstructed=True),
    Api.DIAGNOSTIC_V4: ApiAccess(
        Realm.AGENT, ("api_diagnosticargumentev4", "diagnosticusageragent")
    ),
    Api.DIAGNOSTIC_V1: ApiAccess(Realm.PARTENAIRE, ("api_diagnosticargumentev1",)),
    Api.METIERS_PROJETS_V2: ApiAccess(
        Realm.AGENT, ("api_metiers-projets-entreprisesv2", "ciblepro", "profil_accedant")
    ),
    Api.METIERS_V1: ApiAccess(Realm.PARTENAIRE, ("api_metiers-profil-competencesv1", "ciblepro")),
    Api.CREATION_ENTREPRISE_V1: ApiAccess(Realm.PARTENAIRE, ("api_projet-creation-entreprisev1",)),
}


def scopes_of_realm(realm: Realm) -> frozenset[str]:
    """Every API scope that can be requested in a realm."""
    return frozenset(
        s for access in API_ACCESS.values() if access.realm is realm for s in access.scopes
    )


def all_scopes() -> frozenset[str]:
    """Every API scope of every realm."""
    return scopes_of_realm(Realm.AGENT) | scopes_of_realm(Realm.PARTENAIRE)
