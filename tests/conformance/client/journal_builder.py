"""A small builder of client journals, as plain dicts shaped like ``Exchange.as_dict()``.

Values follow the journal's documented shapes (``sandbox.recording``, ``sandbox.shapes``): a NIR
as ``<nir MASKED HASH>``, jetons as ``<jeton HASH>``, dates as ``<date AAAA-MM-JJ>``. Paths,
API ids and scopes are the published ones (the platform's catalogue).
"""

from __future__ import annotations

from typing import Any

from conformance.client.traffic import Context

T0 = 1_795_000_000.0
CLIENT = "PAR_test_cd62"
TOKEN_PATH = "/connexion/oauth2/access_token"
RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RECHERCHE_V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
STATUT_V2 = "/partenaire/contrat-usager/v2/contrat"
STATUT_V1 = "/partenaire/statut-usager/v1/statut"
METIERS_V2 = "/partenaire/metiers-projets-entreprises/v2/metiers-recherches"
RDV_V1 = "/partenaire/rendez-vous-partenaire/v1/rendez-vous"
SCOPES_RECHERCHE_V2 = ["api_rechercher-usagerv2", "rechercheusager", "profil_accedant"]
SCOPES_STATUT_V2 = ["api_contrat-usagerv2", "statutcontratusager", "profil_accedant"]
SCOPES_METIERS_V2 = ["api_metiers-projets-entreprisesv2", "ciblepro", "profil_accedant"]
AGENT_SCOPES = list(dict.fromkeys(SCOPES_RECHERCHE_V2 + SCOPES_STATUT_V2 + SCOPES_METIERS_V2))
PARTENAIRE_SCOPES = ["api_rechercher-usagerv1", "api_statut-usagerv1"]
SUBSCRIBED = frozenset(AGENT_SCOPES + PARTENAIRE_SCOPES)
CONTEXT = Context(client_id=CLIENT, scopes=SUBSCRIBED, scenario="essai")
OK_HEADERS = {"pa-nom-agent": "ok", "pa-prenom-agent": "ok", "pa-identifiant-agent": "ok"}
NO_HEADERS = dict.fromkeys(OK_HEADERS, "absent")
GOOD_DATE = "<date AAAA-MM-JJ>"
NIR_MASK = "2900362********"


def person_hash(person: str) -> str:
    """A 16-hex-digit stand-in for a person's keyed hash."""
    return (person.encode().hex() + "0" * 16)[:16]


class JournalBuilder:
    """Appends exchanges one after the other on a virtual clock (0.1 s apart by default)."""

    def __init__(self, step: float = 0.1) -> None:
        self.entries: list[dict[str, Any]] = []
        self.now = T0
        self.step = step

    def wait(self, seconds: float) -> None:
        """Let time pass before the next call."""
        self.now += seconds

    def add(self, duration_ms: float = 0.0, **fields: Any) -> int:
        """One exchange; returns its call number."""
        index = len(self.entries) + 1
        start = self.now
        entry: dict[str, Any] = {
            "index": index,
            "at": start,
            "client_id": CLIENT,
            "api": None,
            "method": "GET",
            "path": "/",
            "status": 200,
            "duration_ms": duration_ms,
            "fault_rule": None,
            "fault_type": None,
            "retry_after": None,
            "delay_ms": 0.0,
            "outcome": "answered",
            "route": None,
            "arrived_at": start,
            "started_at": start,
            "ended_at": start + duration_ms / 1000.0,
            "token": None,
            "jeton": None,
            "identifiant": None,
            "agent_headers": dict(NO_HEADERS),
            "query": [],
            "nir_in_url": False,
            "secret_in_url": False,
            "request": None,
            "response": None,
            "token_request": None,
        }
        if fields.get("fault_type") is not None and "fault_rule" not in fields:
            fields["fault_rule"] = f"regle-{fields['fault_type']}"
        entry.update(fields)
        self.entries.append(entry)
        self.now = entry["ended_at"] + self.step
        return index

    def token(
        self,
        issued: str | None = "tok1",
        realm: str | None = "/agent",
        scopes: list[str] | None = None,
        status: int = 200,
    ) -> int:
        """A token request (``issued`` None: refused)."""
        asked = AGENT_SCOPES if scopes is None else scopes
        ok = status == 200 and issued is not None
        return self.add(
            method="POST",
            path=TOKEN_PATH,
            route=TOKEN_PATH,
            status=status,
            query=["realm"],
            request={
                "grant_type": "client_credentials",
                "client_id": "<string>",
                "client_secret": "[masqué]",
                "scope": "<string>",
            },
            response={"access_token": f"<token {issued}>", "expires_in": "<number>"}
            if ok
            else {"error": "<string>", "error_description": "<string>"},
            token_request={
                "realm": realm,
                "scopes": list(asked),
                "grant_type": "client_credentials",
                "issued_token": issued if ok else None,
                "granted_scopes": list(asked) if ok else None,
            },
        )

    def recherche(
        self,
        person: str = "p1",
        code: str = "S001",
        jeton: str | None = "j1",
        token: str = "tok1",
        status: int | None = None,
        date: str = GOOD_DATE,
        nir: str | None = None,
        **fields: Any,
    ) -> int:
        """A Rechercher usager v2 by NIR and birth date."""
        statuses = {"S001": 200, "S002": 200, "S003": 200, "R001": 403, "R002": 403}
        statuses |= {"R997": 400, "R998": 500, "R999": 503}
        handed = f"<jeton {jeton}>" if code == "S001" and jeton else None
        values: dict[str, Any] = {
            "api": "rechercher-usager-v2",
            "method": "POST",
            "path": RECHERCHE_V2,
            "route": RECHERCHE_V2,
            "status": status if status is not None else statuses[code],
            "token": token,
            "agent_headers": dict(OK_HEADERS),
            "request": {
                "nir": nir or f"<nir {NIR_MASK} {person_hash(person)}>",
                "dateNaissance": date,
            },
            "response": {
                "codeRetour": code,
                "message": "<string>",
                "topIdentiteCertifiee": "O" if handed else None,
                "jetonUsager": handed,
            },
        }
        values.update(fields)
        return self.add(**values)

    def recherche_v1(
        self, person: str = "p1", identifiant: str = "id1", token: str = "tokp"
    ) -> int:
        """A Recherche usager v1 answered S001 with an identifiant."""
        return self.add(
            api="rechercher-usager-v1",
            method="POST",
            path=RECHERCHE_V1,
            route=RECHERCHE_V1,
            token=token,
            request={"nir": f"<nir {NIR_MASK} {person_hash(person)}>", "dateNaissance": GOOD_DATE},
            response={
                "codeRetour": "S001",
                "identifiant": f"<identifiant {identifiant}>",
                "message": "<string>",
                "topIdentiteCertifiee": "O",
            },
        )

    def statut_v1(self, identifiant: str = "id1", token: str = "tokp", **fields: Any) -> int:
        """A Statut usager v1 with the identifiant in its body."""
        values: dict[str, Any] = {
            "api": "statut-usager-v1",
            "method": "POST",
            "path": STATUT_V1,
            "route": STATUT_V1,
            "token": token,
            "request": {"idNat": f"<identifiant {identifiant}>"},
            "response": {"statut": "<string>"},
        }
        values.update(fields)
        return self.add(**values)

    def statut(self, jeton: str | None = "j1", token: str = "tok1", **fields: Any) -> int:
        """A Statut usager v2 with ``ft-jeton-usager``."""
        values: dict[str, Any] = {
            "api": "statut-usager-v2",
            "path": STATUT_V2,
            "route": STATUT_V2,
            "token": token,
            "jeton": jeton,
            "agent_headers": dict(OK_HEADERS),
            "response": {"statut": "<string>"},
        }
        values.update(fields)
        return self.add(**values)

    def metiers(self, jeton: str | None = "j1", token: str = "tok1", **fields: Any) -> int:
        """A Métiers recherchés v2 with ``ft-jeton-usager``."""
        values: dict[str, Any] = {
            "api": "metiers-projets-entreprises-v2",
            "path": METIERS_V2,
            "route": METIERS_V2,
            "token": token,
            "jeton": jeton,
            "agent_headers": dict(OK_HEADERS),
            "response": {"list": 1, "item": {"codeRome": "<string>"}},
        }
        values.update(fields)
        return self.add(**values)

    def good_person(self, person: str, jeton: str, token: str = "tok1") -> None:
        """The good client's flow for one found person: Recherche, Statut, Métiers."""
        self.recherche(person, jeton=jeton, token=token)
        self.statut(jeton, token=token)
        self.metiers(jeton, token=token)
